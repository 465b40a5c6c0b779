package org.gequiv.online;

/**
 * Receives progress of the SGD simulation (samples seen of the total) and, through
 * {@link org.gequiv.progress.Progress#phase}, the phases of an online experiment. The library
 * never prints; the command line turns these calls into a progress bar on a terminal.
 * Implementations must be cheap and thread-safe.
 */
@FunctionalInterface
public interface ProgressListener extends org.gequiv.progress.Progress {

    /** Does nothing. */
    ProgressListener NONE = (done, total) -> { };

    /** Adapts a general {@link org.gequiv.progress.Progress}. */
    static ProgressListener of(org.gequiv.progress.Progress progress) {
        if (progress instanceof ProgressListener l) {
            return l;
        }
        return new ProgressListener() {
            @Override
            public void progress(long done, long total) {
                progress.progress(done, total);
            }

            @Override
            public void phase(String name) {
                progress.phase(name);
            }
        };
    }
}
