package org.gequiv.cli;

import java.io.PrintWriter;

import org.gequiv.io.Provenance;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gequiv} command line. It only parses options, builds specs and calls the library; the
 * science lives in gequiv-core.
 *
 * <p>Exit codes: 0 success; 2 bad input (a parameter, a file); 3 a run that stopped early
 * (divergence, non-finite state) after writing what it had; 1 anything unexpected.
 */
@Command(name = "gequiv", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Gaussian equivalence of generative models for learning with shallow neural networks.",
        subcommands = {OnlineCommand.class, ErmCommand.class, CheckCommand.class, MomentsCommand.class,
                SamplesCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /** Exit code for bad input. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a run that stopped early but kept its results. */
    public static final int EXIT_STOPPED_EARLY = 3;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("gequiv: " + ex.getMessage());
            err.println("Run 'gequiv " + commandPath(ex.getCommandLine()) + "--help' for the options.");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof BadInputException) {
                err.println("gequiv: error: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            err.println("gequiv: failed: " + ex);
            ex.printStackTrace(err);
            return 1;
        });
        return cli.execute(args);
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
