package org.gequiv.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.gequiv.generator.Generator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.moments.ConvergenceRecord;
import org.gequiv.moments.MomentEstimate;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.moments.MomentEstimator;
import org.gequiv.parallel.StopRequest;

/**
 * The moment-estimation experiment (docs/theory.md §7.2): Monte-Carlo estimates of mean_x, mean_c,
 * Ω = Cov(x) and Φ = Cov(x, c) of a generator, resumable from a checkpoint, with their convergence
 * log. Immutable.
 */
public final class MomentsExperiment {

    /**
     * The estimate and how it was obtained.
     *
     * @param estimate   moments, convergence log, samples resumed from
     * @param provenance ordered, unmodifiable: generator, its id and dimensions, the estimate's record
     */
    public record Result(MomentEstimate estimate, Map<String, Object> provenance) {
        public Result {
            provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        }
    }

    private final MomentEstimationSpec spec;
    private final LinearAlgebra linearAlgebra;

    public MomentsExperiment(MomentEstimationSpec spec, LinearAlgebra linearAlgebra) {
        this.spec = org.gequiv.validation.Checks.given("spec", spec);
        this.linearAlgebra = org.gequiv.validation.Checks.given("linearAlgebra", linearAlgebra);
    }

    public MomentsExperiment(MomentEstimationSpec spec) {
        this(spec, LinearAlgebra.get());
    }

    /** Estimates the moments of {@code generator}, showing each checkpoint's record to {@code onCheckpoint}. */
    public Result run(Generator generator, Consumer<ConvergenceRecord> onCheckpoint) {
        return run(generator, onCheckpoint, StopRequest.NEVER);
    }

    /**
     * As {@link #run(Generator, Consumer)}, polling {@code stop} after every block: an interrupted
     * estimate holds the samples merged so far (and its checkpoint is written there); the
     * provenance's {@code status} is {@code "interrupted"}.
     */
    public Result run(Generator generator, Consumer<ConvergenceRecord> onCheckpoint, StopRequest stop) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("status", "completed");
        provenance.put("linearAlgebra", linearAlgebra.name());
        provenance.put("generator", generator.description());
        provenance.put("generatorId", generator.id());
        provenance.put("N", generator.inputDimension());
        provenance.put("D", generator.latentDimension());
        MomentEstimate estimate = new MomentEstimator(generator, spec, linearAlgebra).estimate(onCheckpoint, stop);
        if (estimate.interrupted()) {
            provenance.put("status", "interrupted");
            provenance.put("interrupted", estimate.provenance().get("interrupted"));
        }
        provenance.put("estimate", estimate.provenance());
        return new Result(estimate, provenance);
    }
}
