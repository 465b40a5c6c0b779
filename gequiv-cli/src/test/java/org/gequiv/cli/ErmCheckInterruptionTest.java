package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.gequiv.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code erm} and {@code check} stopped by a real signal (issue 13, item 1): the files hold the
 * points or sizes computed, run.json says interrupted, the exit code is 128 + the signal. Each run
 * is far longer than the test lets it go: the signal is sent a moment after the output folder is
 * claimed (the command listens for signals from that moment on).
 */
class ErmCheckInterruptionTest {

    private static final Duration LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void sigintStopsAnErmSweepWithThePointsComputed() throws Exception {
        Path out = dir.resolve("erm");
        Subprocess run = Subprocess.start(dir, "erm", "erm", "-N", "300", "-D", "150", "--alpha", "0.5:5:40",
                "--lambda", "0.01,0.1,1", "--repeats", "20", "--out", out.toString());
        assertTrue(run.awaitWhileAlive(() -> Files.exists(out.resolve(".gequiv.lock")), LIMIT), "the run starts");
        Thread.sleep(300);
        run.signal("INT");
        assertEquals(130, run.waitFor(LIMIT), run.err());
        assertTrue(run.err().contains("gequiv: interrupted by SIGINT (theory: "), run.err());
        JsonNode json = Json.mapper().readTree(out.resolve("run.json").toFile());
        assertEquals("interrupted", json.get("status").asText());
        List<String> rows = InterruptedRunTest.dataRows(out.resolve("curve.csv"));
        assertTrue(rows.size() >= 2, "a header and at least one point: " + rows.size());
        assertTrue(Files.exists(out.resolve("curve.png")) && Files.exists(out.resolve("curve.svg")));
    }

    @Test
    void sigtermStopsACheckSweepAfterASize() throws Exception {
        Path out = dir.resolve("check");
        Subprocess run = Subprocess.start(dir, "check", "check", "--sizes", "100,200,400,800,1600,3200",
                "--samples", "40000", "--out", out.toString());
        assertTrue(run.awaitWhileAlive(() -> Files.exists(out.resolve(".gequiv.lock")), LIMIT), "the run starts");
        Thread.sleep(300);
        run.signal("TERM");
        assertEquals(143, run.waitFor(LIMIT), run.err());
        assertTrue(run.err().contains("gequiv: interrupted by SIGTERM (done: "), run.err());
        JsonNode json = Json.mapper().readTree(out.resolve("run.json").toFile());
        assertEquals("interrupted", json.get("status").asText());
        long sizes = InterruptedRunTest.dataRows(out.resolve("fields.csv")).stream().skip(1)
                .map(row -> row.split(",")[0]).distinct().count();
        assertTrue(sizes >= 1 && sizes < 6, "at least one size, not all six: " + sizes);
        assertTrue(Files.exists(out.resolve("rates.csv")) && Files.exists(out.resolve("check.png")));
    }
}
