package org.gequiv.parallel;

/**
 * A cooperative request to stop a long computation early and keep what it has computed: the
 * front end (a signal handler, a sweep scheduler) calls {@link #request}; the engines poll
 * {@link #requested} at safe points — after each SGD step, at each output time of the ODE
 * integration, after each point of an ERM sweep, each size of a Gaussianity check, each block of a
 * Monte-Carlo moment estimate — and return their partial result marked as interrupted, through the
 * same "stopped early" path as a divergence (for learning curves
 * {@code LearningCurve.Termination#interruptedAt}).
 *
 * <p>A poll is one volatile read: cheap enough for the SGD loop. Thread-safe; once requested a
 * stop stays requested. {@link #NEVER} is never requested.
 */
public final class StopRequest {

    /** A request that is never made: the engines run to their end. */
    public static final StopRequest NEVER = new StopRequest(false);

    private final boolean settable;
    private volatile String reason;

    private StopRequest(boolean settable) {
        this.settable = settable;
    }

    /** A new request, not yet made. */
    public StopRequest() {
        this(true);
    }

    /**
     * Asks the computation to stop at its next safe point; the first reason given is kept (for
     * example "SIGINT"). Has no effect on {@link #NEVER}.
     */
    public void request(String why) {
        if (!settable) {
            return;
        }
        synchronized (this) {
            if (reason == null) {
                reason = why == null || why.isEmpty() ? "stop requested" : why;
            }
        }
    }

    /** Whether a stop has been asked for. */
    public boolean requested() {
        return reason != null;
    }

    /** Why the stop was asked for, or null when it was not. */
    public String reason() {
        return reason;
    }
}
