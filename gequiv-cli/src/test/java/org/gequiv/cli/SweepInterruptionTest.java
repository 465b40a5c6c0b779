package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep in its own JVM stopped by SIGINT, SIGTERM or {@code kill -9} while points run, then
 * rerun: its results.csv is byte-identical to an uninterrupted sweep's. SIGINT and SIGTERM let the
 * running point finish (exit 3, the signal named); kill -9 may cut a point anywhere, which the
 * markers make harmless.
 */
class SweepInterruptionTest {

    /** 16 simulation-only online points of some 0.1–0.3 s each: the signal arrives mid-sweep. */
    static final String SPEC = """
            command = "online"
            [options]
            N = 300
            D = 150
            time = 3
            log-points = 6
            test-samples = 1000
            no-theory = true
            [grid]
            lr = [0.5, 1.0]
            seeds = 8
            """;

    @TempDir
    static Path tmp;
    static Path spec;
    static String reference;

    @BeforeAll
    static void uninterrupted() throws IOException {
        spec = tmp.resolve("study.toml");
        Files.writeString(spec, SPEC);
        CliRun r = CliRun.run("sweep", spec.toString(), "--out", tmp.resolve("reference").toString(), "--workers", "1");
        assertEquals(0, r.exit(), r.err());
        reference = Files.readString(tmp.resolve("reference/results.csv"));
    }

    private static Process start(Path out) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                        System.getProperty("java.io.tmpdir") + "/javacpp"),
                Main.class.getName(), "sweep", spec.toString(), "--out", out.toString(), "--workers", "1");
        pb.redirectErrorStream(false);
        pb.redirectOutput(out.resolveSibling(out.getFileName() + ".stdout").toFile());
        pb.redirectError(out.resolveSibling(out.getFileName() + ".stderr").toFile());
        return pb.start();
    }

    private static long finished(Path out) throws IOException {
        Path points = out.resolve("points");
        if (!Files.isDirectory(points)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(points)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("done.json"))).count();
        }
    }

    /** Starts the sweep, waits for its first finished point, interrupts it; returns its exit code. */
    private static int interrupt(Path out, String signal) throws Exception {
        Process p = start(out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (finished(out) < 1 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the sweep ended before it could be interrupted");
        if (signal.equals("KILL")) {
            p.destroyForcibly();
        } else {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
            assertEquals(0, kill.waitFor());
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the sweep did not stop");
        return p.exitValue();
    }

    private static void check(String signal) throws Exception {
        Path out = tmp.resolve(signal);
        int exit = interrupt(out, signal);
        String err = Files.readString(out.resolveSibling(signal + ".stderr"));
        long done = finished(out);
        assertTrue(done >= 1 && done < 16, signal + ": " + done + " points finished, expected an interrupted sweep");
        if (signal.equals("KILL")) {
            assertEquals(137, exit);
        } else {
            assertEquals(Main.EXIT_STOPPED_EARLY, exit, err);
            assertTrue(err.contains("stopped by SIG" + signal) && err.contains("rerun the same command"), err);
            // the stop waits for the running point: none is left half-written
            try (Stream<Path> s = Files.list(out.resolve("points"))) {
                List<Path> dirs = s.toList();
                for (Path d : dirs) {
                    assertTrue(Files.isRegularFile(d.resolve("done.json")), d + " was started but not finished");
                }
            }
        }
        CliRun rerun = CliRun.run("sweep", spec.toString(), "--out", out.toString());
        assertEquals(0, rerun.exit(), rerun.err());
        assertTrue(rerun.err().contains(done + " of 16 points already done"), rerun.err());
        assertEquals(reference, Files.readString(out.resolve("results.csv")));
    }

    @Test
    void sigint() throws Exception {
        check("INT");
    }

    @Test
    void sigterm() throws Exception {
        check("TERM");
    }

    @Test
    void kill9() throws Exception {
        check("KILL");
    }
}
