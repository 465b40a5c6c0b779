package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 13 item 9: progress is drawn iff stderr is a terminal, never into a redirected stderr, and
 * every long phase of every command reports itself.
 */
@ResourceLock("gequiv.stderrTerminal")
class TerminalProgressTest {

    @TempDir
    Path tmp;

    private static CliRun withTerminal(String value, String... args) {
        String before = System.getProperty(Terminal.STDERR_TERMINAL_PROPERTY);
        System.setProperty(Terminal.STDERR_TERMINAL_PROPERTY, value);
        try {
            return CliRun.run(args);
        } finally {
            if (before == null) {
                System.clearProperty(Terminal.STDERR_TERMINAL_PROPERTY);
            } else {
                System.setProperty(Terminal.STDERR_TERMINAL_PROPERTY, before);
            }
        }
    }

    @Test
    void launcherPropertyDecides() {
        String before = System.getProperty(Terminal.STDERR_TERMINAL_PROPERTY);
        try {
            System.setProperty(Terminal.STDERR_TERMINAL_PROPERTY, "true");
            assertTrue(Terminal.stderrIsTerminal());
            System.setProperty(Terminal.STDERR_TERMINAL_PROPERTY, "false");
            assertFalse(Terminal.stderrIsTerminal());
        } finally {
            if (before == null) {
                System.clearProperty(Terminal.STDERR_TERMINAL_PROPERTY);
            } else {
                System.setProperty(Terminal.STDERR_TERMINAL_PROPERTY, before);
            }
        }
    }

    @Test
    void procLinkToATerminalDeviceIsATerminal() throws IOException {
        assertTrue(Terminal.isTerminalDevice(Files.createSymbolicLink(tmp.resolve("pts"), Path.of("/dev/pts/3"))));
        assertTrue(Terminal.isTerminalDevice(Files.createSymbolicLink(tmp.resolve("tty"), Path.of("/dev/tty1"))));
        assertFalse(Terminal.isTerminalDevice(Files.createSymbolicLink(tmp.resolve("file"), tmp.resolve("err.txt"))));
        assertFalse(Terminal.isTerminalDevice(Files.createSymbolicLink(tmp.resolve("pipe"), Path.of("pipe:[1234]"))));
        assertFalse(Terminal.isTerminalDevice(tmp.resolve("missing")));
    }

    @Test
    void barRedrawsInPlaceAndEndsEachPhaseOnItsOwnLine() {
        StringWriter out = new StringWriter();
        AtomicLong now = new AtomicLong();
        Terminal.Bar bar = new Terminal.Bar(new PrintWriter(out, true), now::get);
        bar.phase("set-up");
        now.addAndGet(3_000_000_000L);
        bar.phase("SGD");
        for (int i = 1; i <= 4; i++) {
            now.addAndGet(Terminal.REDRAW_NANOS);
            bar.progress(i, 4);
        }
        bar.finish();
        String s = out.toString();
        assertTrue(s.contains("\rset-up 3 s"), "a phase without units reports its time: " + s);
        assertTrue(s.contains("\rSGD [" + "#".repeat(6) + " ".repeat(19) + "] 25% 0 s"), s);
        assertTrue(s.contains("] 100% 1 s"), s);
        assertEquals(2, s.split("\n", -1).length - 1, "one line per phase: " + s);
        assertFalse(s.contains("\u001b"), "no escape codes");
    }

    @Test
    void barWithoutATerminalDrawsNothing() {
        Terminal.Bar bar = new Terminal.Bar(null, System::nanoTime);
        bar.phase("SGD");
        bar.progress(1, 2);
        bar.finish();
        String before = System.getProperty(Terminal.STDERR_TERMINAL_PROPERTY);
        StringWriter out = new StringWriter();
        try {
            System.setProperty(Terminal.STDERR_TERMINAL_PROPERTY, "false");
            Terminal.Bar none = Terminal.progress(new PrintWriter(out, true));
            none.phase("SGD");
            none.progress(1, 1);
            none.finish();
        } finally {
            if (before == null) {
                System.clearProperty(Terminal.STDERR_TERMINAL_PROPERTY);
            } else {
                System.setProperty(Terminal.STDERR_TERMINAL_PROPERTY, before);
            }
        }
        assertEquals("", out.toString());
    }

    @Test
    void everyCommandReportsItsPhasesOnATerminalOnly() {
        // the eigen path's phases (the default, auto, reports the Lanczos phase instead)
        String[] online = {"online", "-N", "40", "-D", "20", "--time", "1", "--test-samples", "100",
                "--spectral-method", "eigen", "--out", tmp.resolve("o").toString()};
        CliRun shown = withTerminal("true", online);
        assertEquals(0, shown.exit(), shown.err());
        for (String phase : new String[] {"theory set-up: eigendecomposition of Ω", "theory: integrating the ODEs",
                "SGD ["}) {
            assertTrue(shown.err().contains(phase), phase + " in " + shown.err());
        }
        CliRun hidden = withTerminal("false", online);
        assertEquals(0, hidden.exit(), hidden.err());
        assertFalse(hidden.err().contains("\r") || hidden.err().contains("SGD"), hidden.err());

        CliRun erm = withTerminal("true", "erm", "--alpha", "0.5,1", "--lambda", "0.1", "-N", "40", "-D", "20",
                "--repeats", "1", "--test-samples", "100", "--out", tmp.resolve("e").toString());
        assertEquals(0, erm.exit(), erm.err());
        assertTrue(erm.err().contains("saddle point: 2 point(s) [") && erm.err().contains("ERM simulation: 1 repeat(s)"),
                erm.err());
        CliRun check = withTerminal("true", "check", "--sizes", "16,32", "--samples", "400", "--floor-replicates",
                "2", "--directions", "0", "--threads", "1", "--out", tmp.resolve("c").toString());
        assertEquals(0, check.exit(), check.err());
        assertTrue(check.err().contains("size N = 16, D = 8 (1 of 2)") && check.err().contains("size N = 32"),
                check.err());
    }
}
