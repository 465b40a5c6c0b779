package org.gequiv.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gequiv.io.NpyFormatException;
import org.gequiv.io.Provenance;
import org.gequiv.validation.InvalidInputException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gequiv} command line. It only parses options, builds specs and calls the library; the
 * science lives in gequiv-core.
 *
 * <p>Exit codes ({@link #EXIT_CODES}, listed in every {@code --help}): 0 success; 2 bad input only
 * (an option picocli cannot parse, a value a spec refuses, a size too large for the memory, a
 * missing, unreadable or malformed input file); 3 a run that stopped early (divergence, non-finite
 * state, an unconverged saddle point) after writing what it had; 4 an I/O failure (a file that
 * cannot be written: the message names it and the cause, no trace); 130/143 interrupted by
 * SIGINT/SIGTERM after writing what was computed ({@link Interruption}); 1 anything unexpected, which is a bug: a short message on the terminal and the
 * stack trace in a file whose path it gives.
 */
@Command(name = "gequiv", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Gaussian equivalence of generative models for learning with shallow neural networks.")
public final class Main {

    /**
     * The subcommands, in the order {@code --help} lists them. They are registered by
     * {@link #commandLine}, not in the {@code @Command} annotation: picocli builds the model of
     * every registered command (its options, mixins, defaults, help sections) by reflection when
     * the command line is created, which for all of them took a tenth of a second of a short run
     * that uses one.
     */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(OnlineCommand.class, ErmCommand.class,
            CheckCommand.class, MomentsCommand.class, SweepCommand.class, SamplesCommand.class, PaperCommand.class,
            CommandLine.HelpCommand.class);

    /** Exit code for a run interrupted by SIGINT (Ctrl-C), after writing what it had. */
    public static final int EXIT_INTERRUPTED = 130;
    /** Exit code for a run stopped by SIGTERM (a scheduler), after writing what it had. */
    public static final int EXIT_TERMINATED = 143;

    /**
     * The exit codes as every {@code --help} lists them (and the README): the one place they are
     * described.
     */
    static final java.util.Map<String, String> EXIT_CODES = exitCodes();

    private static java.util.Map<String, String> exitCodes() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("0", "success");
        m.put("1", "a bug: the stack trace is in the file the message names");
        m.put("2", "bad input: an option, a file or a size refused before any work");
        m.put("3", "stopped early (divergence, non-finite state, unconverged saddle point); the results so far are "
                + "written");
        m.put("4", "a file could not be written or read (full disk, read-only folder, a folder where a file is "
                + "expected); no partial file is left");
        m.put("130", "interrupted (SIGINT, Ctrl-C); the results so far are written");
        m.put("143", "terminated (SIGTERM); the results so far are written");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Lists {@link #EXIT_CODES} in the help of {@code cli} and of each of its subcommands. */
    static void listExitCodes(CommandLine cli) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        if (cli.getCommand() instanceof CheckCommand) {
            CheckCommand.describeSharedOptions(cli.getCommandSpec());
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            listExitCodes(sub);
        }
    }

    /** Exit code for bad input. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a run that stopped early but kept its results. */
    public static final int EXIT_STOPPED_EARLY = 3;
    /** Exit code for a file that could not be written (or read after the start): a full disk, a read-only folder. */
    public static final int EXIT_IO = 4;
    /** Exit code for an unexpected error (a bug). */
    public static final int EXIT_BUG = 1;
    /** System property naming the folder of crash reports (default: the temporary folder). */
    public static final String CRASH_DIRECTORY_PROPERTY = "gequiv.crashDirectory";

    public static void main(String[] args) {
        Interruption.install();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return execute(commandLine(args), args, out, err);
    }

    /**
     * The gequiv command line for {@code args}: when the first argument names a subcommand, only
     * that one is registered (its parsing, help and messages are the same); otherwise — no
     * arguments, {@code --help}, {@code help CMD}, a misspelt command — every one, so that the
     * top-level help lists them all and picocli can suggest the nearest name.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        Class<?> only = args.length == 0 ? null : subcommand(args[0]);
        if (only == CommandLine.HelpCommand.class) {
            only = null; // 'gequiv help CMD' shows the help of any command
        }
        for (Class<?> c : SUBCOMMANDS) {
            if (only == null || c == only) {
                cli.addSubcommand(c);
            }
        }
        return cli;
    }

    /** The subcommand class whose {@code @Command} name or alias is {@code name}; null if none. */
    private static Class<?> subcommand(String name) {
        for (Class<?> c : SUBCOMMANDS) {
            Command command = c.getAnnotation(Command.class);
            if (command.name().equals(name) || java.util.Arrays.asList(command.aliases()).contains(name)) {
                return c;
            }
        }
        return null;
    }

    /** Runs {@code cli} (the gequiv command line, or one with extra subcommands in tests) with its exit-code policy. */
    static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
        listExitCodes(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            if (ex.getCommandLine() == cli && a.length > 0 && !a[0].startsWith("-")
                    && !cli.getSubcommands().containsKey(a[0])) {
                // picocli's own words here ("Unmatched argument at index 0") do not say that the
                // first word is taken as a command name
                err.println("gequiv: error: unknown command '" + a[0] + "'; the commands are "
                        + String.join(", ", cli.getSubcommands().keySet()));
                err.println("Run 'gequiv --help' for what each one does.");
                return EXIT_BAD_INPUT;
            }
            err.println("gequiv: " + ex.getMessage());
            err.println("Run 'gequiv " + commandPath(ex.getCommandLine()) + "--help' for the options.");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (isBadInput(ex)) {
                err.println("gequiv: error: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            IOException io = ioFailure(ex);
            if (io != null) {
                err.println("gequiv: error: " + OutputFolder.describe(io));
                return EXIT_IO;
            }
            reportBug(ex, "gequiv " + String.join(" ", args), err);
            return EXIT_BUG;
        });
        Interruption.begin();
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // the sizes were checked against the heap before the run (Resources); an estimate that
            // missed is a defect of the estimate, reported without a trace the user cannot act on
            err.println("gequiv: error: out of memory, although the run's memory estimate fitted the "
                    + Resources.bytes(Runtime.getRuntime().maxMemory()) + " this JVM may use (please report it); "
                    + "raise the limit, e.g. " + Resources.JAVA_OPTS + "=-Xmx"
                    + Math.max(2, 2 * (Runtime.getRuntime().maxMemory() >> 30)) + "g, or make the sizes smaller");
            return EXIT_BUG;
        } finally {
            Interruption.end();
            OutputFolder.releaseAll();
        }
    }

    /**
     * Bad input: what the command line refused ({@link BadInputException}), what a spec or an input
     * reader of the library refused ({@link InvalidInputException}), a malformed npy/npz file.
     * Any other exception, an IllegalArgumentException included, is a bug.
     */
    static boolean isBadInput(Throwable ex) {
        return ex instanceof BadInputException || ex instanceof InvalidInputException
                || ex instanceof NpyFormatException;
    }

    /**
     * The I/O failure behind {@code ex}: an {@link IOException} (every writer of the library names
     * the file in its message), also wrapped in an {@link java.io.UncheckedIOException}; null for
     * anything else.
     */
    static IOException ioFailure(Throwable ex) {
        if (ex instanceof IOException io) {
            return io;
        }
        if (ex instanceof java.io.UncheckedIOException u) {
            return u.getCause();
        }
        return null;
    }

    private static void reportBug(Exception ex, String commandLine, PrintWriter err) {
        String folder = System.getProperty(CRASH_DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir"));
        try {
            Path dir = Files.createDirectories(Path.of(folder));
            Path report = Files.createTempFile(dir, "gequiv-crash-", ".txt");
            StringWriter trace = new StringWriter();
            try (PrintWriter w = new PrintWriter(trace)) {
                w.println(commandLine);
                w.println("gequiv " + Provenance.version() + " (commit " + System.getProperty("gequiv.commit", "unknown")
                        + "), Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"));
                ex.printStackTrace(w);
            }
            Files.writeString(report, trace.toString());
            err.println("gequiv: internal error, this is a bug: " + ex + "; the stack trace is in " + report
                    + " (please include it in a report)");
        } catch (IOException | RuntimeException e) {
            err.println("gequiv: internal error, this is a bug: " + ex + "; the stack trace could not be written to "
                    + folder + " (" + e + "), so here it is:");
            ex.printStackTrace(err);
        }
    }

    private static String commandPath(CommandLine cl) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine c = cl; c != null && c.getParent() != null; c = c.getParent()) {
            sb.insert(0, c.getCommandName() + " ");
        }
        return sb.toString();
    }

    /** Version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gequiv " + Provenance.version() + " (commit "
                    + System.getProperty("gequiv.commit", "unknown") + ")"};
        }
    }
}
