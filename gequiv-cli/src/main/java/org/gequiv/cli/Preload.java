package org.gequiv.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One-time initialisations that a command will need and that do not depend on its options, run on
 * a background thread while the main thread parses the options, builds the generator and runs the
 * experiment (issue 11: the set-up from a generator at N = 3072 spent, one after the other on its
 * critical path with the second core idle, ≈ 0.3 s loading OpenBLAS, ≈ 0.2–0.4 s initialising
 * Jackson for run.json and the CSV's provenance lines, and ≈ 0.7 s of CPU in the first, cold
 * drawing of its figure):
 * <ul>
 *   <li>{@link #start}, from the first moment of {@link Main#main}, for the commands of
 *       {@link #NEEDS}: the process-wide {@link org.gequiv.linalg.LinearAlgebra}, which maps and
 *       self-tests the native OpenBLAS, then Jackson's mapper and its serialisers of maps, lists,
 *       strings and numbers;</li>
 *   <li>{@link #figures}, from a command that will draw a figure, once its options are checked:
 *       a small figure drawn into memory and dropped ({@link org.gequiv.plot.LearningCurvePlot#warmUp()}):
 *       Java2D's fonts and anti-aliasing renderer, and the first, slowest runs of XChart's layout
 *       and of the PNG and SVG encoders, while the experiment runs.</li>
 * </ul>
 * Nothing here changes a result or a file: each step is the lazy initialisation the command would
 * trigger itself (class initialisation is thread-safe and happens once, whichever thread comes
 * first; a main thread that needs it before the background thread is done waits for it), and the
 * warm-up figure is never written. The threads are daemons: a command refused on bad input exits
 * at once. A failure here is ignored: the command meets it again where it always did and reports
 * it there (a class whose initialisation failed here then fails there as
 * {@link NoClassDefFoundError} naming it; OpenBLAS's loader catches its own failures and falls
 * back to pure Java either way).
 *
 * <p>Only in a real process ({@link Main#main}), never in in-process runs (tests), and not for
 * help or version requests, which load none of these. Thread-safe.
 */
final class Preload {

    /** What a command initialises at start. */
    enum Need {
        LINEAR_ALGEBRA, JSON
    }

    /**
     * The needs at start of each command. Commands without an entry (sweep, samples, paper: long
     * runs whose own start-up is a small part, or no native work) preload nothing.
     */
    static final Map<String, Set<Need>> NEEDS = Map.of(
            "online", Set.of(Need.LINEAR_ALGEBRA, Need.JSON),
            "erm", Set.of(Need.LINEAR_ALGEBRA, Need.JSON),
            "check", Set.of(Need.LINEAR_ALGEBRA, Need.JSON),
            "moments", Set.of(Need.LINEAR_ALGEBRA, Need.JSON));

    /** Arguments that make any command print and exit without running. */
    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

    /** Whether this is a real process that preloads ({@link #start} was called). */
    private static volatile boolean enabled;

    private Preload() {
    }

    /** The needs of the command line {@code args}: none for help, version or an unknown command. */
    static Set<Need> needs(String[] args) {
        if (args.length == 0) {
            return Set.of();
        }
        for (String a : args) {
            if (HELP.contains(a)) {
                return Set.of();
            }
        }
        return NEEDS.getOrDefault(args[0], Set.of());
    }

    /**
     * Enables preloading in this process and starts that of the needs of {@code args} on a daemon
     * thread; returns at once.
     */
    static void start(String[] args) {
        Set<Need> needs = needs(args);
        if (needs.isEmpty()) {
            return;
        }
        enabled = true;
        // in the order the commands meet them: the BLAS in the set-up, JSON for the output
        background("gequiv-preload", () -> {
            for (Need need : List.of(Need.LINEAR_ALGEBRA, Need.JSON)) {
                if (needs.contains(need)) {
                    switch (need) {
                        case LINEAR_ALGEBRA -> org.gequiv.linalg.LinearAlgebra.get();
                        case JSON -> org.gequiv.io.Json.toJson(Map.of("preload", List.of(1, 0.5, "text", true)));
                    }
                }
            }
        });
    }

    /**
     * Warms up the drawing of figures on a daemon thread, when preloading is enabled; returns at
     * once. Called by a command that will draw a figure after its experiment; the warm-up stops
     * short once the first figure is being drawn ({@link org.gequiv.plot.Figures#warmUp}).
     */
    static void figures() {
        if (enabled) {
            background("gequiv-preload-figures", org.gequiv.plot.LearningCurvePlot::warmUp);
        }
    }

    private static void background(String name, Runnable work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                // whatever failed (a missing font, a native library that does not load), the command
                // meets it again where it always did and reports it there; a daemon thread of its own
                // must not print a stack trace
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }
}
