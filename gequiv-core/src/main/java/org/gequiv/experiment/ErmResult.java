package org.gequiv.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.erm.ErmPoint;

/**
 * What an {@link ErmExperiment} produced, with how it was obtained.
 *
 * @param theory           saddle-point points (docs/theory.md §6), one per (α, λ) in sweep order
 * @param simulation       ERM on sampled data, the same points, or null when not simulated
 * @param equivalence      the Gaussian-twin comparison (§2.2), or null when not asked for
 * @param featureDimension d, the student's dimension
 * @param provenance       an ordered, unmodifiable description of the run: every parameter, the
 *                         seeds and their streams, the problem and generator, the covariances'
 *                         source, the linear-algebra backend, and how many points converged
 */
public record ErmResult(List<ErmPoint> theory, List<ErmPoint> simulation, ErmCurveEquivalence.Result equivalence,
                        int featureDimension, Map<String, Object> provenance) {

    public ErmResult {
        theory = List.copyOf(theory);
        simulation = simulation == null ? null : List.copyOf(simulation);
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** Whether the run was stopped on request before its last point (provenance {@code status}). */
    public boolean interrupted() {
        return "interrupted".equals(provenance.get("status"));
    }

    /** Saddle points that did not converge (they are not predictions). */
    public long unconverged() {
        return theory.stream().filter(p -> !p.converged()).count();
    }
}
