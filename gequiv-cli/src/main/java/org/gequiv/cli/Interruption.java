package org.gequiv.cli;

import org.gequiv.parallel.StopRequest;

import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM (a cluster scheduler, {@code kill}) for the commands that keep what
 * they computed: the first signal asks the running experiment to stop at its next safe point
 * ({@link StopRequest}); the command then writes every file for what was computed, marked as
 * interrupted, and exits with {@code 128 + signal}: 130 for SIGINT, 143 for SIGTERM. A second
 * signal ends the process at once with the same code (files written atomically are then either
 * complete or absent). Outside such a command (option parsing, set-up before the experiment
 * starts, {@code samples}) a signal ends the process as the JVM would, with the same code.
 *
 * <p>Why {@code sun.misc.Signal} and not a shutdown hook: once a hook runs, the JVM is already
 * exiting; the hook would have to block until the main thread has written its files, and the
 * main thread's own {@code System.exit} would then wait on the exiting JVM — a deadlock, or files
 * cut off when the hook gives up. A signal handler only sets a flag and lets the main thread finish
 * and exit normally. If the handlers cannot be installed (a JVM run with {@code -Xrs}), signals
 * keep the JVM's default: an immediate exit.
 *
 * <p>Installed by {@link Main#main} only, never by in-process runs (tests), which get a fresh
 * request per command and no handler. Thread-safe.
 */
final class Interruption {

    private static final Object LOCK = new Object();
    private static StopRequest current = new StopRequest();
    private static boolean cooperating;
    private static int signals;
    private static int firstSignal;
    /** What a command that does not cooperate has kept so far, said when a signal ends it; null for nothing. */
    private static java.util.function.Supplier<String> kept;

    private Interruption() {
    }

    /** Installs the SIGINT and SIGTERM handlers (once per process, from {@link Main#main}). */
    static void install() {
        // a refused signal (for example under -Xrs) keeps the JVM's default
        TerminationSignals.install(Interruption::handle);
    }

    private static void handle(Signal signal) {
        int code = 128 + signal.getNumber();
        boolean second;
        boolean exitNow;
        synchronized (LOCK) {
            signals++;
            second = signals > 1;
            if (!second) {
                firstSignal = signal.getNumber();
                current.request("SIG" + signal.getName());
            }
            exitNow = second || !cooperating;
        }
        if (second) {
            // a second signal: the user does not want to wait for the files
            Runtime.getRuntime().halt(code);
        }
        if (exitNow) {
            java.util.function.Supplier<String> what;
            synchronized (LOCK) {
                what = kept;
            }
            if (what != null) {
                System.err.println("gequiv: interrupted by SIG" + signal.getName() + "; " + what.get());
                System.err.flush();
            }
            System.exit(code);
        }
    }

    /**
     * The stop request of the command now running, which from now on receives the signals instead
     * of the process ending: a command calls this where its experiment starts.
     */
    static StopRequest cooperate() {
        synchronized (LOCK) {
            cooperating = true;
            return current;
        }
    }

    /** Starts a command: a fresh request, signals end the process until {@link #cooperate}. */
    static void begin() {
        synchronized (LOCK) {
            if (signals == 0) {
                current = new StopRequest();
            }
            cooperating = false;
            kept = null;
        }
    }

    /**
     * For a command that a signal ends at once (it does not {@link #cooperate}) but whose finished
     * work is already on disk, such as the paper report's points: what to tell the user then, "where
     * it stopped and what is kept", asked at the moment the signal arrives.
     */
    static void onSignalSay(java.util.function.Supplier<String> whatIsKept) {
        synchronized (LOCK) {
            kept = whatIsKept;
        }
    }

    /** Ends a command: signals end the process again. */
    static void end() {
        synchronized (LOCK) {
            cooperating = false;
            kept = null;
        }
    }

    /**
     * The message of an interrupted run from the {@code "interrupted"} entry of its provenance:
     * "gequiv: interrupted by SIGINT (theory: ...; simulation: ...); {@code written}".
     */
    static String message(Object interrupted, String written) {
        StringBuilder sb = new StringBuilder("gequiv: interrupted");
        if (interrupted instanceof java.util.Map<?, ?> m) {
            Object by = m.get("by");
            if (by != null) {
                sb.append(" by ").append(by);
            }
            StringBuilder where = new StringBuilder();
            m.forEach((k, v) -> {
                if (!"by".equals(k)) {
                    where.append(where.length() == 0 ? "" : "; ").append(k).append(": ").append(v);
                }
            });
            if (where.length() > 0) {
                sb.append(" (").append(where).append(')');
            }
        } else if (interrupted != null) {
            sb.append(": ").append(interrupted);
        }
        return sb.append("; ").append(written).toString();
    }

    /** The exit code of an interrupted run: 128 + the signal's number (130 when no signal came). */
    static int exitCode() {
        synchronized (LOCK) {
            return 128 + (firstSignal == 0 ? 2 : firstSignal);
        }
    }
}
