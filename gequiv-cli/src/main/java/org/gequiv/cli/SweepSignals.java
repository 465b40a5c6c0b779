package org.gequiv.cli;

import java.util.concurrent.atomic.AtomicBoolean;

import sun.misc.Signal;

/**
 * Ctrl-C for a sweep: while installed, SIGINT and SIGTERM set a stop flag instead of ending the
 * JVM, so that the running points finish and are marked, no new point starts, and the tables of
 * what is finished are written. The previous handlers come back with the first signal, so a
 * second Ctrl-C ends the process at once (finished points stay intact: their markers are only
 * ever renamed into place), and with {@link #close}.
 *
 * <p>The handlers are installed by {@link TerminationSignals}; where one is refused (a JVM started
 * with {@code -Xrs}, or a signal the JVM reserves) the signal keeps its default action and the
 * sweep is simply resumable.
 * Self-contained: nothing else of the command line depends on it.
 */
final class SweepSignals implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile TerminationSignals handlers;
    private volatile String received;

    private SweepSignals() {
    }

    /** Installs the handlers for SIGINT and SIGTERM. */
    static SweepSignals install() {
        SweepSignals s = new SweepSignals();
        s.handlers = TerminationSignals.install(s::handle);
        return s;
    }

    private void handle(Signal signal) {
        received = "SIG" + signal.getName();
        stop.set(true);
        restore();
    }

    /** Whether a stop was requested. */
    boolean stopRequested() {
        return stop.get();
    }

    /** The signal that asked to stop (SIGINT, SIGTERM), or null. */
    String received() {
        return received;
    }

    private void restore() {
        TerminationSignals h = handlers;
        if (h != null) {
            h.restore();
        }
    }

    @Override
    public void close() {
        restore();
    }
}
