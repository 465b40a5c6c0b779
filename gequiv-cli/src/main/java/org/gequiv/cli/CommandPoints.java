package org.gequiv.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.gequiv.io.AtomicFiles;
import org.gequiv.io.CsvTable;
import org.gequiv.io.LabelledCsvTable;
import org.gequiv.sweep.PointOutcome;
import org.gequiv.sweep.PointRunner;
import org.gequiv.sweep.SweepPoint;
import org.gequiv.sweep.SweepSpecException;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The points of a sweep run by the command line's own commands: each point's options are parsed
 * by picocli into a fresh command object ({@link OnlineCommand}, {@link ErmCommand},
 * {@link CheckCommand}, {@link MomentsCommand}), whose usual code builds the specs and runs the
 * experiment through the library, writing the command's usual files into the point's folder. So
 * option names, defaults and validation exist once, in the command; a spec key {@code k} is the
 * option {@code -k} when it is one letter and {@code --k} otherwise.
 *
 * <p>Sweep policies, written here once:
 * <ul>
 *   <li>the sweep owns the output: {@code out}, {@code save-init} and {@code save-weights} are
 *       refused as keys (every point would write the same file);</li>
 *   <li>points run single-threaded: a command's {@code --threads} is 1 unless the spec gives it
 *       (results never depend on it; the sweep's workers occupy the cores);</li>
 *   <li>exit 3 of a command (divergence, an unconverged saddle point) fails the point with the
 *       command's message, as refused input and unexpected errors do (their stack trace goes to
 *       the point's {@code error.txt}).</li>
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class CommandPoints implements PointRunner, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private static final Map<String, Supplier<Callable<Integer>>> COMMANDS = Map.of(
            "online", OnlineCommand::new, "erm", ErmCommand::new, "check", CheckCommand::new,
            "moments", MomentsCommand::new);
    private static final Set<String> OWNED = Set.of("out", "save-init", "save-weights");
    private static final Set<String> META = Set.of("help", "version", "h", "V");

    private final String command;
    private final boolean figures;

    private CommandPoints(String command, boolean figures) {
        this.command = command;
        this.figures = figures;
    }

    /**
     * The runner of {@code command}.
     *
     * @throws SweepSpecException when the command is not one a sweep can run
     */
    public static CommandPoints of(String command) {
        return of(command, true);
    }

    /**
     * The runner of {@code command}; {@code figures} false leaves out each point's figures.
     *
     * @throws SweepSpecException when the command is not one a sweep can run
     */
    public static CommandPoints of(String command, boolean figures) {
        if (!COMMANDS.containsKey(command)) {
            throw new SweepSpecException("command must be one of " + String.join(", ", new TreeSet<>(COMMANDS.keySet()))
                    + ", got '" + command + "'");
        }
        return new CommandPoints(command, figures);
    }

    @Override
    public String command() {
        return command;
    }

    private static String optionName(String key) {
        return key.length() == 1 ? "-" + key : "--" + key;
    }

    @Override
    public String refuseKey(String key) {
        if (OWNED.contains(key)) {
            return "the sweep writes each point's files into DIR/points/<id>/; remove " + optionName(key)
                    + " from the spec (give the sweep's folder with 'gequiv sweep --out DIR')";
        }
        CommandLine cli = new CommandLine(COMMANDS.get(command).get());
        if (META.contains(key) || cli.getCommandSpec().findOption(optionName(key)) == null) {
            return "'gequiv " + command + "' has no option " + optionName(key) + " (see 'gequiv " + command
                    + " --help'; keys are option names without dashes)";
        }
        return null;
    }

    /** One point's command object with its parsed options, and its context. */
    private record Built(Callable<Integer> command, CommandLine cli, SweepPointContext context,
                         StringWriter out, StringWriter err) {
    }

    private Built build(SweepPoint point, Path folder, boolean validateOnly) {
        Callable<Integer> cmd = COMMANDS.get(command).get();
        CommandLine cli = new CommandLine(cmd);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> e : point.parameters().entrySet()) {
            String name = optionName(e.getKey());
            OptionSpec option = cli.getCommandSpec().findOption(name);
            if (option == null) {
                throw new SweepSpecException("'gequiv " + command + "' has no option " + name);
            }
            if (option.arity().max() == 0) {
                if (e.getValue().equals("true")) {
                    args.add(name);
                } else if (!e.getValue().equals("false")) {
                    throw new SweepSpecException(name + " must be true or false, got " + e.getValue());
                }
            } else {
                args.add(name);
                args.add(e.getValue());
            }
        }
        if (!point.parameters().containsKey("threads") && cli.getCommandSpec().findOption("--threads") != null) {
            args.add("--threads");
            args.add("1");
        }
        args.add("--out");
        args.add((command.equals("moments") ? folder.resolve("moments.npz") : folder).toString());
        try {
            cli.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new SweepSpecException(e.getMessage(), e);
        }
        SweepPointContext context = new SweepPointContext(validateOnly, figures);
        if (cmd instanceof OnlineCommand c) {
            c.point = context;
        } else if (cmd instanceof ErmCommand c) {
            c.point = context;
        } else if (cmd instanceof CheckCommand c) {
            c.point = context;
        } else if (cmd instanceof MomentsCommand c) {
            c.point = context;
        } else {
            throw new IllegalStateException("no sweep context for " + cmd);
        }
        return new Built(cmd, cli, context, out, err);
    }

    @Override
    public void validate(SweepPoint point) {
        Built b = build(point, Path.of("points", point.id()), true);
        try {
            b.command().call();
        } catch (RuntimeException e) {
            if (Main.isBadInput(e)) {
                throw new SweepSpecException(e.getMessage(), e);
            }
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("validating " + point.id() + " failed", e);
        }
    }

    @Override
    public PointOutcome run(SweepPoint point, Path folder) {
        Built b;
        try {
            b = build(point, folder, false);
        } catch (SweepSpecException e) {
            return PointOutcome.failure(point.id(), "refused", e.getMessage());
        }
        int exit;
        try {
            exit = b.command().call();
        } catch (Exception e) {
            if (Main.isBadInput(e)) {
                return PointOutcome.failure(point.id(), "refused", e.getMessage());
            }
            StringWriter trace = new StringWriter();
            try (PrintWriter w = new PrintWriter(trace)) {
                e.printStackTrace(w);
            }
            try {
                AtomicFiles.writeString(folder.resolve("error.txt"), trace.toString());
            } catch (IOException ignored) {
                // the message below still says what happened
            }
            return PointOutcome.failure(point.id(), "internal error", e + " (stack trace in "
                    + folder.resolve("error.txt") + ")");
        }
        if (exit != 0) {
            String message = b.err().toString().strip().replace("gequiv: ", "");
            return PointOutcome.failure(point.id(), "stopped", message.isEmpty() ? "exit code " + exit : message);
        }
        Object table = b.context().table;
        String text;
        if (table instanceof CsvTable t) {
            text = t.render(null);
        } else if (table instanceof LabelledCsvTable t) {
            text = t.render(null);
        } else {
            throw new IllegalStateException("gequiv " + command + " did not hand over its table, got " + table);
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n")));
        String header = lines.remove(0);
        return PointOutcome.success(point.id(), header, lines);
    }
}
