package org.gequiv.online;

/**
 * What every ODE integrator reports (docs/theory.md §5.6): the order parameters Q, R and v (§5.1) at
 * each requested output time, whatever the method. One protocol for Euler, RK4 and Dormand–Prince,
 * in the manner of Hipparchus' {@code ODEStepHandler}; the engine checks the values for
 * non-finite entries before it calls the observer (a non-finite state ends the integration with a
 * {@link LearningCurve.Termination} naming the entry), so an observer only ever sees finite values.
 */
@FunctionalInterface
public interface OdeObserver {

    /** Whether the integration goes on after an output time. */
    enum Action {
        CONTINUE, STOP
    }

    /** An observer that looks at nothing and never stops. */
    OdeObserver NONE = (t, q, r, v) -> Action.CONTINUE;

    /**
     * Receives the state at output time {@code t}. The arrays are views into the integrator's work
     * space, valid only during the call: copy what is to be kept, and do not modify them.
     *
     * @param t time t = steps/N
     * @param q Q, K × K row-major
     * @param r R, K × M row-major
     * @param v v, K
     * @return {@link Action#STOP} to end the integration here (the termination then says so)
     */
    Action observe(double t, double[] q, double[] r, double[] v);
}
