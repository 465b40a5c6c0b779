package org.gequiv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C for a sweep: while installed, SIGINT and SIGTERM set a stop flag instead of ending the
 * JVM, so that the running points finish and are marked, no new point starts, and the tables of
 * what is finished are written. The previous handlers come back with the first signal, so a
 * second Ctrl-C ends the process at once (finished points stay intact: their markers are only
 * ever renamed into place), and with {@link #close}.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the only way to catch a signal without
 * starting the JVM's shutdown; where it is refused (a JVM started with {@code -Xrs}, or a signal
 * the JVM reserves) the signal keeps its default action and the sweep is simply resumable.
 * Self-contained: nothing else of the command line depends on it.
 */
final class SweepSignals implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile String received;

    private SweepSignals() {
    }

    /** Installs the handlers for SIGINT and SIGTERM. */
    static SweepSignals install() {
        SweepSignals s = new SweepSignals();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                SignalHandler old = Signal.handle(signal, s::handle);
                s.signals.add(signal);
                s.previous.add(old);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not available here: that signal keeps its default action
            }
        }
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

    private synchronized void restore() {
        for (int i = 0; i < signals.size(); i++) {
            try {
                Signal.handle(signals.get(i), previous.get(i));
            } catch (IllegalArgumentException e) {
                // cannot happen for a signal we could handle before; nothing to restore
            }
        }
        signals.clear();
        previous.clear();
    }

    @Override
    public void close() {
        restore();
    }
}
