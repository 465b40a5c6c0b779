package org.gequiv.online;

/**
 * Receives progress of a long computation. The library never prints; the command line turns these
 * calls into a progress bar on a terminal. Implementations must be cheap and thread-safe.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Does nothing. */
    ProgressListener NONE = (done, total) -> { };

    /** {@code done} out of {@code total} units of work are finished. */
    void progress(long done, long total);
}
