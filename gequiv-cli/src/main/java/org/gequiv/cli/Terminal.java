package org.gequiv.cli;

import java.io.PrintWriter;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.online.ProgressListener;

/**
 * Progress and one-time notices on stderr; progress only when stderr belongs to a terminal
 * ({@link #stderrIsTerminal()}, the one test of it for every front end), so that a log file never
 * receives carriage returns or escape codes.
 */
public final class Terminal {
    /**
     * System property the launcher sets to {@code true} or {@code false} from the shell's
     * {@code [ -t 2 ]} (isatty on stderr); it overrides the detection.
     */
    public static final String STDERR_TERMINAL_PROPERTY = "gequiv.stderrTerminal";
    /** Least time between two redraws of a progress bar. */
    static final long REDRAW_NANOS = 200_000_000L;

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

    /**
     * Whether this process's stderr is a terminal. Java 17 cannot ask isatty of stderr
     * ({@link System#console()} answers for stdin and stdout, so {@code > out.txt} would hide the
     * progress and {@code 2> err.txt} fill the file with carriage returns). The launcher knows:
     * it passes {@code [ -t 2 ]} as {@link #STDERR_TERMINAL_PROPERTY}. Without it (a plain
     * {@code java -jar}), on Linux, stderr is a terminal when {@code /proc/self/fd/2} links to a
     * {@code /dev/pts/*} or {@code /dev/tty*} device; elsewhere the answer is no, so that a log
     * never gets escape codes.
     */
    public static boolean stderrIsTerminal() {
        String given = System.getProperty(STDERR_TERMINAL_PROPERTY);
        if (given != null) {
            return Boolean.parseBoolean(given.trim());
        }
        return isTerminalDevice(java.nio.file.Path.of("/proc/self/fd/2"));
    }

    /** Whether {@code link} (a /proc file-descriptor link) points to a terminal device. */
    static boolean isTerminalDevice(java.nio.file.Path link) {
        try {
            String target = java.nio.file.Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * The progress of a run on stderr: a bar redrawn in place when stderr is a terminal
     * ({@link #stderrIsTerminal()}), nothing otherwise. Call {@link Bar#finish()} when the run
     * ends.
     */
    static Bar progress(PrintWriter err) {
        return new Bar(stderrIsTerminal() ? err : null, System::nanoTime);
    }

    /**
     * Renders phases and their progress as one line per phase, redrawn with a carriage return:
     * {@code "SGD [#########                ] 36% 12 s"}; a phase without units shows its elapsed
     * time when the next phase begins. Draws nothing without a stream. Thread-safe.
     */
    static final class Bar implements ProgressListener {
        private static final int WIDTH = 25;
        private final PrintWriter err;
        private final java.util.function.LongSupplier clock;
        private String phase;
        private long phaseStart;
        private long lastDraw;
        private long lastPercent = -1;
        private int drawnLength;

        Bar(PrintWriter err, java.util.function.LongSupplier clock) {
            this.err = err;
            this.clock = clock;
        }

        @Override
        public synchronized void phase(String name) {
            if (err == null) {
                return;
            }
            endLine();
            phase = name;
            phaseStart = clock.getAsLong();
            lastPercent = -1;
            draw(name + " …");
        }

        @Override
        public synchronized void progress(long done, long total) {
            if (err == null || total <= 0) {
                return;
            }
            long now = clock.getAsLong();
            long percent = Math.min(100, done * 100 / total);
            if (percent == lastPercent || (now - lastDraw < REDRAW_NANOS && done < total)) {
                return;
            }
            lastPercent = percent;
            int bars = (int) (percent * WIDTH / 100);
            draw(String.format(java.util.Locale.ROOT, "%s [%s%s] %d%% %.0f s", phase == null ? "" : phase,
                    "#".repeat(bars), " ".repeat(WIDTH - bars), percent, (now - phaseStart) / 1e9));
        }

        /** Ends the current line (the last state stays visible). */
        synchronized void finish() {
            if (err != null) {
                endLine();
            }
        }

        private void endLine() {
            if (drawnLength > 0) {
                if (phase != null && lastPercent < 0) {
                    // a phase without units: say how long it took
                    draw(String.format(java.util.Locale.ROOT, "%s %.0f s", phase,
                            (clock.getAsLong() - phaseStart) / 1e9));
                }
                err.println();
                err.flush();
                drawnLength = 0;
            }
        }

        private void draw(String line) {
            lastDraw = clock.getAsLong();
            int pad = Math.max(0, drawnLength - line.length());
            err.print("\r" + line + " ".repeat(pad));
            err.flush();
            drawnLength = line.length();
        }
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
