package org.gequiv.progress;

/**
 * Receives the progress of a long computation: a run is a sequence of phases ({@link #phase}, such
 * as "set-up: eigendecomposition of Ω", "theory", "SGD", "size N = 500"), and within the current
 * phase {@code done} of {@code total} units are finished ({@link #progress}). A phase whose length
 * is not known in advance reports no units. The library never prints; front ends render these
 * calls. Implementations must be cheap and thread-safe; the library calls them at most once per
 * unit of work, never inside a hot loop.
 */
@FunctionalInterface
public interface Progress {

    /** Reports nothing. */
    Progress NONE = (done, total) -> { };

    /** {@code done} out of {@code total} units of the current phase are finished. */
    void progress(long done, long total);

    /** A new phase begins; the units of {@link #progress} calls that follow count within it. */
    default void phase(String name) {
    }
}
