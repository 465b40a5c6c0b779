package org.gequiv.cli;

import java.io.PrintWriter;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.online.ProgressListener;

/** Progress and one-time notices on stderr; progress only when stderr belongs to a terminal. */
final class Terminal {
    private static boolean fallbackAnnounced;

    private Terminal() {
    }

    /** Announces once per process that the pure-Java linear algebra is in use, and why. */
    static synchronized void announceLinearAlgebra(PrintWriter err) {
        String reason = LinearAlgebra.fallbackReason();
        if (reason != null && !fallbackAnnounced) {
            err.println("gequiv: note: using pure-Java linear algebra (EJML), which is much slower: " + reason);
            fallbackAnnounced = true;
        }
    }

    /** Whether progress should be shown: a console is attached. */
    static boolean interactive() {
        return System.console() != null;
    }

    /** A progress bar on stderr for a terminal, or nothing. */
    static ProgressListener progress(PrintWriter err, String label) {
        if (!interactive()) {
            return ProgressListener.NONE;
        }
        return new ProgressListener() {
            private long lastPercent = -1;

            @Override
            public synchronized void progress(long done, long total) {
                long percent = total == 0 ? 100 : done * 100 / total;
                if (percent != lastPercent) {
                    lastPercent = percent;
                    int bars = (int) (percent / 4);
                    err.print("\r" + label + " [" + "#".repeat(bars) + " ".repeat(25 - bars) + "] " + percent + "%");
                    if (done >= total) {
                        err.print("\r" + " ".repeat(label.length() + 35) + "\r");
                    }
                    err.flush();
                }
            }
        };
    }

    /** A scope of the sampling engines in which the native BLAS runs single-threaded. */
    static final org.gequiv.experiment.OnlineExperiment.SimulationScope SINGLE_THREADED_BLAS =
            new org.gequiv.experiment.OnlineExperiment.SimulationScope() {
                @Override
                public <T> T run(java.util.function.Supplier<T> engine) {
                    try {
                        return withSingleThreadedBlas(true, engine::get);
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };

    /** What runs while the native BLAS is single-threaded. */
    interface Work<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work} with the native BLAS single-threaded when {@code single} (this process's
     * choice when its own worker threads already occupy the cores), restoring the count afterwards.
     * The library never changes it; the command line, which owns the process, does.
     */
    static <T> T withSingleThreadedBlas(boolean single, Work<T> work) throws Exception {
        org.gequiv.linalg.LinearAlgebra la = LinearAlgebra.get();
        int before = la.nativeThreads();
        if (single) {
            la.setNativeThreads(1);
        }
        try {
            return work.run();
        } finally {
            if (single) {
                la.setNativeThreads(before);
            }
        }
    }
}
