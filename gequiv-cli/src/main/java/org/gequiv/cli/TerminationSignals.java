package org.gequiv.cli;

import java.util.ArrayList;
import java.util.List;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The one place that installs handlers for SIGINT and SIGTERM (used by {@link Interruption} for the
 * commands and by {@link SweepSignals} for a sweep), and can put the previous handlers back.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the only way to catch a signal without
 * starting the JVM's shutdown. Where a handler is refused (a JVM started with {@code -Xrs}, or a
 * signal the JVM reserves) that signal keeps its default action; {@link #installed} then lists only
 * the signals that were taken. Thread-safe.
 */
final class TerminationSignals {
    private static final String[] NAMES = {"INT", "TERM"};

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private TerminationSignals() {
    }

    /** Installs {@code handler} for SIGINT and SIGTERM, keeping the handlers it replaces. */
    static TerminationSignals install(SignalHandler handler) {
        TerminationSignals t = new TerminationSignals();
        for (String name : NAMES) {
            try {
                Signal signal = new Signal(name);
                SignalHandler old = Signal.handle(signal, handler);
                t.signals.add(signal);
                t.previous.add(old);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not available here: that signal keeps its default action
            }
        }
        return t;
    }

    /** The names of the signals whose handler was installed and not yet restored. */
    synchronized List<String> installed() {
        List<String> names = new ArrayList<>();
        for (Signal s : signals) {
            names.add(s.getName());
        }
        return names;
    }

    /** Puts back the handlers that {@link #install} replaced; later calls do nothing. */
    synchronized void restore() {
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
}
