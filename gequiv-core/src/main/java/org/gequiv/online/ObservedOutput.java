package org.gequiv.online;

import org.gequiv.parallel.StopRequest;

/**
 * The output side shared by the integrators: at each output time, Q, R and v (from the state, or
 * from its functionals φ) are checked for non-finite entries and handed to the {@link OdeObserver};
 * the outcome is either "go on" (null) or the {@link LearningCurve.Termination} that ends the run.
 * It also holds the run's {@link StopRequest}, which the integrators poll through
 * {@link #interruption} before each step (so a stop lands between output times, after the last
 * recorded one, and a run whose every output time was recorded is complete).
 * Holds the K × K, K × M and K buffers the observer sees: not thread-safe.
 */
final class ObservedOutput {

    private final DensityOdes odes;
    private final OdeObserver observer;
    private final StopRequest stop;
    private final double[] q;
    private final double[] r;
    private final double[] v;

    ObservedOutput(DensityOdes odes, OdeObserver observer, StopRequest stop) {
        this.odes = odes;
        this.observer = observer;
        this.stop = stop;
        this.q = new double[odes.studentHidden() * odes.studentHidden()];
        this.r = new double[odes.studentHidden() * odes.teacherHidden()];
        this.v = new double[odes.studentHidden()];
    }

    /**
     * Reports state {@code y} at time {@code t}; {@code lastGood} is the last time whose state is
     * known to be finite. Returns null to go on.
     */
    LearningCurve.Termination state(double t, double[][] y, double lastGood) {
        odes.orderParameters(y, q, r, v);
        return report(t, lastGood);
    }

    /** As {@link #state}, from the functionals φ of the state. */
    LearningCurve.Termination functionals(double t, double[] phi, double lastGood) {
        odes.layout().unpack(phi, q, r, v);
        return report(t, lastGood);
    }

    private LearningCurve.Termination report(double t, double lastGood) {
        String bad = odes.firstNonFinite(q, r, v);
        if (bad != null) {
            return LearningCurve.Termination.divergedAt(lastGood, bad + " at t = " + t);
        }
        if (observer.observe(t, q, r, v) == OdeObserver.Action.STOP) {
            return new LearningCurve.Termination(false, t, "stopped by the observer at t = " + t);
        }
        return null;
    }

    /**
     * The termination of a run interrupted on request, whose last recorded output time is
     * {@code lastOutput}; null when no stop is requested. One volatile read.
     */
    LearningCurve.Termination interruption(double lastOutput) {
        return stop.requested() ? LearningCurve.Termination.interruptedAt(lastOutput, stop.reason()) : null;
    }
}
