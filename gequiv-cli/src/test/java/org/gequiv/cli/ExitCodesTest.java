package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Exit 2 only for bad input; 1, with the stack trace in a named file, for anything unexpected. */
class ExitCodesTest {

    @TempDir
    Path tmp;

    @Command(name = "internal")
    static final class InternalError implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalArgumentException("index must be >= 0, got -1 (an internal check)");
        }
    }

    @Command(name = "refused")
    static final class Refused implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new InvalidInputException("learningRate", "learningRate must be finite and > 0, got -1.0");
        }
    }

    private static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(args);
        cli.addSubcommand("internal", new InternalError());
        cli.addSubcommand("refused", new Refused());
        int code = Main.execute(cli, args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void internalIllegalArgumentIsABugWithItsTraceInAFile() throws IOException {
        String before = System.getProperty(Main.CRASH_DIRECTORY_PROPERTY);
        System.setProperty(Main.CRASH_DIRECTORY_PROPERTY, tmp.toString());
        CliRun r;
        try {
            r = run("internal");
        } finally {
            if (before == null) {
                System.clearProperty(Main.CRASH_DIRECTORY_PROPERTY);
            } else {
                System.setProperty(Main.CRASH_DIRECTORY_PROPERTY, before);
            }
        }
        assertEquals(Main.EXIT_BUG, r.exit(), r.err());
        assertTrue(r.err().contains("this is a bug"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace on the terminal: " + r.err());
        Matcher m = Pattern.compile("the stack trace is in (\\S+)").matcher(r.err());
        assertTrue(m.find(), r.err());
        Path report = Path.of(m.group(1));
        assertEquals(tmp, report.getParent());
        String trace = Files.readString(report);
        assertTrue(trace.contains("IllegalArgumentException: index must be >= 0") && trace.contains("\tat "), trace);
    }

    @Test
    void specViolationAndBadOptionsAreBadInput() {
        assertEquals(Main.EXIT_BAD_INPUT, run("refused").exit());
        CliRun lr = CliRun.run("online", "--lr", "-1", "-N", "20", "--time", "0.1", "--out", tmp.resolve("a").toString());
        assertEquals(Main.EXIT_BAD_INPUT, lr.exit());
        assertTrue(lr.err().contains("gequiv: error: --lr must be finite and > 0, got -1.0"), lr.err());
        CliRun unknown = CliRun.run("online", "--no-such-option");
        assertEquals(Main.EXIT_BAD_INPUT, unknown.exit());
        CliRun missing = CliRun.run("erm", "--spectra", tmp.resolve("none.npz").toString(), "--no-simulate",
                "--out", tmp.resolve("b").toString());
        assertEquals(Main.EXIT_BAD_INPUT, missing.exit());
        assertTrue(missing.err().contains("--spectra: file not found"), missing.err());
    }

    /** Each message names the option of the refused field, never another option's. */
    @Test
    void messagesNameTheOptionOfTheField() {
        CliRun samples = CliRun.run("check", "--sizes", "16", "--floor-replicates", "1", "--out",
                tmp.resolve("c").toString());
        assertEquals(Main.EXIT_BAD_INPUT, samples.exit());
        assertTrue(samples.err().contains("--floor-replicates must be >= 2, got 1"), samples.err());
        CliRun noise = CliRun.run("erm", "--noise", "-1", "-N", "20", "--out", tmp.resolve("d").toString());
        assertEquals(Main.EXIT_BAD_INPUT, noise.exit());
        assertTrue(noise.err().contains("--noise must be finite and >= 0, got -1.0"), noise.err());
        CliRun batch = CliRun.run("online", "--batch-size", "0", "-N", "20", "--out", tmp.resolve("e").toString());
        assertTrue(batch.err().contains("--batch-size must be >= 1, got 0"), batch.err());
    }

    @Test
    void anUnknownCommandIsNamedWithTheCommandsThereAre() {
        CliRun r = CliRun.run("onlin", "-N", "20");
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("unknown command 'onlin'; the commands are "), r.err());
        for (String command : new String[] {"online", "erm", "moments", "check", "sweep", "paper"}) {
            assertTrue(r.err().contains(command), command + " missing from: " + r.err());
        }
        assertTrue(!r.err().contains("Exception"), r.err());
        // an unknown option of a known command keeps picocli's message, which names the option
        CliRun option = CliRun.run("erm", "--bogus", "1");
        assertEquals(Main.EXIT_BAD_INPUT, option.exit());
        assertTrue(option.err().contains("--bogus"), option.err());
        assertTrue(!option.err().contains("unknown command"), option.err());
    }

    @Test
    void optionMapRewritesTheFieldName() {
        OptionMap names = new OptionMap("learningRate", "--lr", "lambda", "--lambda");
        assertEquals("--lr must be finite and > 0, got -1.0",
                names.translate(new InvalidInputException("learningRate", "learningRate must be finite and > 0, got -1.0"))
                        .getMessage());
        assertEquals("--lambda: at alpha 0.5 lambda must be > 0",
                names.translate(new InvalidInputException("lambda", "at alpha 0.5 lambda must be > 0")).getMessage());
        assertEquals("other must be given", names.translate(new InvalidInputException("other", "other must be given"))
                .getMessage());
    }
}
