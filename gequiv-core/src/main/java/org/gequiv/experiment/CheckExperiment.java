package org.gequiv.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.equivalence.EquivalenceSweep;
import org.gequiv.equivalence.FieldDiagnostics;
import org.gequiv.equivalence.FieldDiagnosticsSpec;
import org.gequiv.equivalence.FieldReport;
import org.gequiv.equivalence.FieldWeights;
import org.gequiv.equivalence.NullFloors;
import org.gequiv.equivalence.SizeSummary;
import org.gequiv.equivalence.SweepSize;
import org.gequiv.equivalence.WeightSpec;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.progress.Progress;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.moments.MomentEstimator;
import org.gequiv.parallel.StopRequest;
import org.gequiv.random.RandomStreams;
import org.gequiv.validation.InvalidInputException;

/**
 * The field-diagnostic experiment (docs/theory.md §2.1, §2.5): samples the local fields λ = w·x/√N and
 * ν = θ·c/√D of fixed weights under a generator and compares them with the Gaussian law N(μ, C)
 * that the generator's moments predict, each statistic beside its Monte-Carlo floor. Three forms:
 *
 * <ul>
 *   <li>{@link #sweep}: a generator family over sizes N, with the decay exponent of every
 *       statistic fitted over the resolved sizes (the seeds of {@link SeedRules#sweepGenerator});</li>
 *   <li>{@link #atOwnSize}: a generator of fixed size (deep generators, sample files) at its own N,
 *       with supplied moments or a Monte-Carlo estimate;</li>
 *   <li>{@link #ofWeights}: the student weights saved by an SGD run, at each recorded time, to see
 *       whether the equivalence survives training (§8).</li>
 * </ul>
 * Immutable; each call is independent.
 */
public final class CheckExperiment {

    /** Stream of the moment estimate of a fixed-size generator without supplied moments. */
    public static final String MOMENTS_STREAM = "check-moments";

    private final CheckExperimentSpec spec;
    private final LinearAlgebra linearAlgebra;

    public CheckExperiment(CheckExperimentSpec spec, LinearAlgebra linearAlgebra) {
        this.spec = org.gequiv.validation.Checks.given("spec", spec);
        this.linearAlgebra = org.gequiv.validation.Checks.given("linearAlgebra", linearAlgebra);
    }

    public CheckExperiment(CheckExperimentSpec spec) {
        this(spec, LinearAlgebra.get());
    }

    public CheckExperimentSpec spec() {
        return spec;
    }

    /**
     * A sweep of a generator family over {@code sizes}.
     *
     * @param family     builds the generator with input dimension n, latent dimension d, weights from seed
     * @param schedule   how the sizes were chosen, for provenance ("fixed D", "fixed delta = 0.5")
     * @param familyDescription the family's parameters, for provenance
     */
    public CheckResult sweep(EquivalenceSweep.GeneratorFactory family, List<SweepSize> sizes, String schedule,
                             Map<String, Object> familyDescription) {
        return sweep(family, sizes, schedule, familyDescription, Progress.NONE, StopRequest.NEVER);
    }

    /**
     * As {@link #sweep(EquivalenceSweep.GeneratorFactory, List, String, Map)}, reporting each size to
     * {@code progress} and polling {@code stop} after every size: an interrupted sweep returns the
     * sizes done (at least the first) with the rates fitted over them, and its provenance's
     * {@code status} is {@code "interrupted"}.
     */
    public CheckResult sweep(EquivalenceSweep.GeneratorFactory family, List<SweepSize> sizes, String schedule,
                             Map<String, Object> familyDescription, Progress progress, StopRequest stop) {
        if (sizes.isEmpty()) {
            throw new InvalidInputException("sizes", "sizes must list at least one N, got none");
        }
        WeightSpec w = spec.weights();
        for (SweepSize s : sizes) {
            checkSupport(w, s.n());
        }
        Long fixed = spec.generatorSeed();
        EquivalenceSweep.Result result = EquivalenceSweep.run(
                (n, d, s) -> family.create(n, d, SeedRules.sweepGenerator(n, s, fixed)),
                EquivalenceSweep::analyticMoments, sizes, w,
                spec.diagnostics(), spec.instances(), progress, stop);
        Map<String, Object> provenance = new LinkedHashMap<>();
        status(provenance, stop, result.summaries().size(), sizes.size(), "sizes");
        provenance.put("linearAlgebra", linearAlgebra.name());
        Map<String, Object> d = description(sizes, schedule);
        d.put("moments", "analytic" + (familyDescription.containsKey("covarianceRule")
                ? ", rule " + familyDescription.get("covarianceRule") : ""));
        provenance.put("spec", d);
        Map<String, Object> g = new LinkedHashMap<>(familyDescription);
        g.put("weights", fixed == null
                ? "fresh per size and instance, seed derivedSeed(instance seed, generator-weights, N)"
                : "one per size for all instances, seed derivedSeed(--gen-seed " + fixed + ", generator-weights, N)");
        provenance.put("generator", g);
        provenance.put("seeds", Map.of("master", spec.diagnostics().seed(), "streams",
                "instance j: generator-weights (index N), student and teacher (index N) of derivedSeed(seed, instance, j); "
                        + "field-samples (per block), slice-directions, null-floor (per replicate), "
                        + "gaussian-fields-r (per block)"));
        return new CheckResult(result.summaries(), result.rates(), null, provenance);
    }

    /**
     * A generator of fixed size at its own N and D: {@code instances} independent draws of the
     * weights, averaged; no rate fit (one size).
     *
     * @param moments the generator's moments, or null to use its analytic ones, or else estimate
     *                them from {@code momentSamples} samples
     */
    public CheckResult atOwnSize(Generator generator, Moments moments) {
        return atOwnSize(generator, moments, Progress.NONE, StopRequest.NEVER);
    }

    /**
     * As {@link #atOwnSize(Generator, Moments)}, reporting the moments, floors and instances to
     * {@code progress} and polling {@code stop} after every instance (at least one runs).
     */
    public CheckResult atOwnSize(Generator generator, Moments moments, Progress progress, StopRequest stop) {
        WeightSpec w = spec.weights();
        int n = generator.inputDimension();
        int d = generator.latentDimension();
        checkSupport(w, n);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("linearAlgebra", linearAlgebra.name());
        progress.phase("moments of " + generator.id() + " (N = " + n + ")");
        Moments m = momentsOf(generator, moments, provenance);
        FieldDiagnosticsSpec diagnostics = spec.diagnostics();
        progress.phase("Monte-Carlo floors: " + diagnostics.floorReplicates() + " Gaussian replicates");
        NullFloors floors = FieldDiagnostics.nullFloors(diagnostics);
        List<FieldReport> reports = new ArrayList<>();
        progress.phase("fields: " + spec.instances() + " instance(s)");
        for (int j = 0; j < spec.instances(); j++) {
            FieldWeights weights = w.draw(n, d, FieldDiagnostics.instanceSeed(diagnostics.seed(), j));
            reports.add(FieldDiagnostics.diagnose(generator, m, weights, m.mean(), diagnostics, j, floors));
            progress.progress(j + 1, spec.instances());
            if (stop.requested()) {
                break;
            }
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status(status, stop, reports.size(), spec.instances(), "instances");
        SweepSize size = new SweepSize(n, d);
        SizeSummary summary = SizeSummary.average(size, reports, diagnostics.resolutionSigmas());
        Map<String, Object> desc = description(List.of(size), "the generator's own size");
        desc.put("moments", provenance.remove("moments"));
        provenance.putAll(status);
        provenance.put("spec", desc);
        provenance.put("generator", generator.description());
        provenance.put("seeds", Map.of("master", diagnostics.seed(), "streams",
                "instance j: student and teacher (index N) of derivedSeed(seed, instance, j); field-samples (per "
                        + "block), slice-directions, null-floor (per replicate); check-moments (estimate)"));
        return new CheckResult(List.of(summary), List.of(), null, provenance);
    }

    /**
     * The fields of saved weights under the generator they were trained on, at every recorded time.
     *
     * @param moments the generator's moments, or null (analytic, else estimated)
     * @throws InvalidInputException (field {@code weights}) when the weights' N, D differ from the generator's
     */
    public CheckResult ofWeights(Generator generator, Moments moments, WeightTrajectory trajectory) {
        return ofWeights(generator, moments, trajectory, Progress.NONE, StopRequest.NEVER);
    }

    /**
     * As {@link #ofWeights(Generator, Moments, WeightTrajectory)}, reporting each recorded time to
     * {@code progress} and polling {@code stop} after every recorded time: an interrupted check
     * returns the times done (at least the first).
     */
    public CheckResult ofWeights(Generator generator, Moments moments, WeightTrajectory trajectory,
                                 Progress progress, StopRequest stop) {
        int n = generator.inputDimension();
        int d = generator.latentDimension();
        if (trajectory.inputDimension() != n || trajectory.latentDimension() != d) {
            throw new InvalidInputException("weights", "weights must have the generator's N = " + n + ", D = " + d
                    + ", got N = " + trajectory.inputDimension() + ", D = " + trajectory.latentDimension());
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("linearAlgebra", linearAlgebra.name());
        progress.phase("moments of " + generator.id() + " (N = " + n + ")");
        Moments m = momentsOf(generator, moments, provenance);
        FieldDiagnosticsSpec diagnostics = spec.diagnostics();
        progress.phase("Monte-Carlo floors: " + diagnostics.floorReplicates() + " Gaussian replicates");
        NullFloors floors = FieldDiagnostics.nullFloors(diagnostics);
        List<SizeSummary> summaries = new ArrayList<>();
        progress.phase("fields at " + trajectory.size() + " recorded time(s)");
        SweepSize size = new SweepSize(n, d);
        double[] teacher = trajectory.teacher();
        for (int i = 0; i < trajectory.size(); i++) {
            FieldWeights weights = new FieldWeights(trajectory.studentHidden(), trajectory.teacherHidden(), n, d,
                    trajectory.firstLayer(i), teacher, trajectory.teacherInput());
            FieldReport report = FieldDiagnostics.diagnose(generator, m, weights, m.mean(), diagnostics, 0, floors);
            summaries.add(SizeSummary.average(size, List.of(report), diagnostics.resolutionSigmas()));
            progress.progress(i + 1, trajectory.size());
            if (stop.requested()) {
                break;
            }
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status(status, stop, summaries.size(), trajectory.size(), "recorded times");
        Map<String, Object> desc = new LinkedHashMap<>();
        desc.put("weights", "saved by an SGD run");
        desc.put("times", trajectory.times());
        desc.put("K", trajectory.studentHidden());
        desc.put("M", trajectory.teacherHidden());
        desc.put("teacher", trajectory.teacherInput().id());
        diagnosticsDescription(desc);
        desc.put("moments", provenance.remove("moments"));
        provenance.putAll(status);
        provenance.put("spec", desc);
        provenance.put("generator", generator.description());
        provenance.put("seeds", Map.of("master", diagnostics.seed(), "streams",
                "field-samples (per block), slice-directions, null-floor (per replicate); check-moments (estimate)"));
        return new CheckResult(summaries, List.of(), Arrays.copyOf(trajectory.times(), summaries.size()), provenance);
    }

    private Moments momentsOf(Generator generator, Moments given, Map<String, Object> provenance) {
        if (given != null) {
            provenance.put("moments", given.isAnalytic() ? "supplied" : "supplied, estimated from " + given.samples()
                    + " samples");
            return given;
        }
        if (generator.analyticMoments().isPresent()) {
            Moments m = generator.analyticMoments().get();
            provenance.put("moments", m.isAnalytic() ? "analytic" : "supplied, estimated from " + m.samples()
                    + " samples");
            return m;
        }
        long seed = RandomStreams.derivedSeed(spec.diagnostics().seed(), MOMENTS_STREAM, 0);
        MomentEstimationSpec estimate = MomentEstimationSpec.of(spec.momentSamples(), seed,
                spec.diagnostics().threads());
        Moments m = new MomentEstimator(generator, estimate, linearAlgebra).estimate().moments();
        provenance.put("moments", "estimated by Monte Carlo from " + spec.momentSamples()
                + " samples (the deviation from the law then includes the estimate's own error)");
        return m;
    }

    /** The provenance's status: completed, or interrupted after {@code done} of {@code total} {@code what}. */
    private static void status(Map<String, Object> provenance, StopRequest stop, int done, int total, String what) {
        if (stop.requested() && done < total) {
            provenance.put("status", "interrupted");
            Map<String, Object> where = new LinkedHashMap<>();
            where.put("by", stop.reason());
            where.put("done", done + " of " + total + " " + what);
            provenance.put("interrupted", where);
        } else {
            provenance.put("status", "completed");
        }
    }

    private static void checkSupport(WeightSpec w, int n) {
        w.checkFits(n);
    }

    private Map<String, Object> description(List<SweepSize> sizes, String schedule) {
        WeightSpec w = spec.weights();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sizes", sizes.stream().map(s -> List.of(s.n(), s.d())).toList());
        d.put("schedule", schedule);
        d.put("weights", w.kind().id());
        d.put("support", w.support());
        d.put("K", w.students());
        d.put("M", w.teachers());
        d.put("teacher", w.teacherInput().id());
        diagnosticsDescription(d);
        return d;
    }

    private void diagnosticsDescription(Map<String, Object> d) {
        FieldDiagnosticsSpec f = spec.diagnostics();
        d.put("samples", f.samples());
        d.put("instances", spec.instances());
        d.put("directions", f.directions());
        d.put("floorReplicates", f.floorReplicates());
        d.put("resolutionSigmas", f.resolutionSigmas());
        d.put("batch", f.batch());
        d.put("threads", f.threads());
        d.put("confidence", EquivalenceSweep.CONFIDENCE);
        d.put("seed", f.seed());
    }
}
