package org.gequiv.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.gequiv.online.LearningCurve;
import org.gequiv.online.OdeInitialState;

/**
 * What an {@link OnlineExperiment} produced, with how it was obtained.
 *
 * @param theory       the ODE curve (docs/theory.md §5), or null when the theory did not run
 * @param simulation   the SGD curve (§1.4), or null when the simulation did not run
 * @param equivalence  the Gaussian-twin comparison (§2.2), or null when not asked for
 * @param initialState the theory's initial densities on the eigen-directions (§5.7), or null without
 *                     theory, when the Lanczos path ran (§5.12) or when the theory came from a
 *                     checkpoint; its arrays are shared, read-only views
 * @param weights      the student's weights at the recorded times, or null when they were not kept
 * @param provenance   an ordered, unmodifiable description of the run: every parameter, the seeds
 *                     and their streams, the generator's identity, the linear-algebra backend, and
 *                     per engine how it ended and how long it took
 */
public record OnlineResult(LearningCurve theory, LearningCurve simulation, LearningCurveEquivalence.Result equivalence,
                           OdeInitialState initialState, WeightTrajectory weights, Map<String, Object> provenance) {

    public OnlineResult {
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** Whether an engine was interrupted on request ({@link LearningCurve.Termination#interrupted()}). */
    public boolean interrupted() {
        return (theory != null && theory.termination().interrupted())
                || (simulation != null && simulation.termination().interrupted())
                || "interrupted".equals(provenance.get("status"));
    }

    /** Whether every engine that ran reached its final time. */
    public boolean completed() {
        return (theory == null || theory.termination().completed())
                && (simulation == null || simulation.termination().completed());
    }
}
