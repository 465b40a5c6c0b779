package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import org.gequiv.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupted online runs keep what they computed, and checkpointed runs resume bit-identically
 * (issue 13, items 1 and 2): the command line runs in its own JVM and gets real signals.
 *
 * <p>The run is small (N = 100) but long enough (t = 1000, about 5 s of SGD on a loaded 2-core
 * machine) that the signals land in the simulation: each test waits until the checkpoint holds a
 * simulation state before it signals, so the timing of the machine does not matter.
 */
class InterruptedRunTest {

    private static final String[] RUN = {"online", "-N", "100", "-D", "20", "--time", "1000", "--log-points", "40",
        "--test-samples", "500"};
    private static final Duration LIMIT = Duration.ofMinutes(3);

    @TempDir
    static Path shared;

    /** The data rows of the uninterrupted run's curve.csv. */
    private static List<String> reference;

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        Path out = shared.resolve("reference");
        Subprocess run = Subprocess.start(shared, "reference", args(out));
        assertEquals(0, run.waitFor(LIMIT), run.err());
        reference = dataRows(out.resolve("curve.csv"));
        assertEquals(41, reference.size(), "header and one row per recorded time");
    }

    @TempDir
    Path dir;

    @Test
    void sigtermWritesThePartialCurveExits143AndTheRunResumesBitIdentically() throws Exception {
        Path out = dir.resolve("term");
        Subprocess run = Subprocess.start(dir, "term", args(out, "--checkpoint-every", "50", "--threads", "1"));
        assertTrue(run.awaitWhileAlive(() -> simulationSamples(out) > 0, LIMIT), "a simulation checkpoint appears");
        run.signal("TERM");
        assertEquals(143, run.waitFor(LIMIT), run.err());
        String err = run.err();
        assertTrue(err.contains("gequiv: interrupted by SIGTERM (theory: completed") && err.contains("--resume"), err);
        assertFalse(err.contains("Exception"), "no stack trace: " + err);

        JsonNode json = Json.mapper().readTree(out.resolve("run.json").toFile());
        assertEquals("interrupted", json.get("status").asText());
        assertEquals("SIGTERM", json.get("interrupted").get("by").asText());
        assertTrue(json.get("simulation").get("interrupted").asBoolean());
        double stoppedAt = json.get("simulation").get("stoppedAt").asDouble();
        assertTrue(stoppedAt > 0 && stoppedAt < 1000, "stopped inside the run, got t = " + stoppedAt);
        for (String figure : new String[] {"curve.png", "curve.svg"}) {
            assertTrue(Files.size(out.resolve(figure)) > 0, figure);
        }
        // the theory is complete; the simulation's columns stop at the last recorded time before the signal
        List<String> rows = dataRows(out.resolve("curve.csv"));
        assertEquals(reference.size(), rows.size());
        int simulated = 0;
        for (int i = 1; i < rows.size(); i++) {
            String simulationPart = rows.get(i).split(",", -1)[1];
            if (!simulationPart.isEmpty()) {
                simulated++;
                assertEquals(reference.get(i), rows.get(i), "a recorded row is the uninterrupted run's");
            }
        }
        assertTrue(simulated > 0 && simulated < 40, "a partial simulated curve, got " + simulated + " points");
        // the checkpoint was written where the signal stopped the run
        assertEquals(Math.round(stoppedAt * 100), simulationSamples(out));

        Subprocess resumed = Subprocess.start(dir, "term-resumed", args(out, "--resume"));
        assertEquals(0, resumed.waitFor(LIMIT), resumed.err());
        assertEquals(reference, dataRows(out.resolve("curve.csv")), "resumed = uninterrupted, bit for bit");
        JsonNode after = Json.mapper().readTree(out.resolve("run.json").toFile());
        assertEquals("completed", after.get("status").asText());
        assertTrue(after.get("resumedFrom").get("simulationTime").asDouble() > 0);
    }

    @Test
    void aRunKilledWithSigkillResumesFromItsLastCheckpointBitIdentically() throws Exception {
        Path out = dir.resolve("kill");
        Subprocess run = Subprocess.start(dir, "kill", args(out, "--checkpoint-every", "20"));
        // wait for a checkpoint past the first, so that the kill lands between two checkpoints
        assertTrue(run.awaitWhileAlive(() -> simulationSamples(out) > 2 * 2000, LIMIT), "checkpoints appear");
        run.signal("KILL");
        assertEquals(137, run.waitFor(LIMIT));
        assertFalse(Files.exists(out.resolve("curve.csv")), "a killed run writes nothing but its checkpoint");

        Subprocess resumed = Subprocess.start(dir, "kill-resumed", args(out, "--resume", "--threads", "2"));
        assertEquals(0, resumed.waitFor(LIMIT), resumed.err());
        assertEquals(reference, dataRows(out.resolve("curve.csv")), "resumed = uninterrupted, bit for bit");
    }

    @Test
    void sigintWithoutCheckpointWritesWhatWasComputedAndExits130() throws Exception {
        Path out = dir.resolve("int");
        // a run far longer than the margin below (10^7 SGD steps), so that it cannot end before the signal
        // on a fast or idle machine; its curve is not compared with the reference
        String[] longRun = args(out);
        longRun[java.util.Arrays.asList(longRun).indexOf("--time") + 1] = "100000";
        Subprocess run = Subprocess.start(dir, "int", longRun);
        // the folder's lock is taken just before the run starts listening; the theory and the test set
        // take well over this margin, so the signal lands in the run, not in the JVM's start
        assertTrue(run.awaitWhileAlive(() -> Files.exists(out.resolve(".gequiv.lock")), LIMIT), "the run starts");
        Thread.sleep(1500);
        assertTrue(run.alive(), "the run is still going");
        run.signal("INT");
        assertEquals(130, run.waitFor(LIMIT), run.err());
        JsonNode json = Json.mapper().readTree(out.resolve("run.json").toFile());
        assertEquals("interrupted", json.get("status").asText());
        assertEquals("SIGINT", json.get("interrupted").get("by").asText());
        assertTrue(Files.exists(out.resolve("curve.csv")) && Files.exists(out.resolve("curve.png")));
        assertFalse(Files.exists(out.resolve(OnlineCommand.CHECKPOINT)), "no checkpoint unless asked for");
    }

    private static String[] args(Path out, String... more) {
        String[] a = java.util.Arrays.copyOf(RUN, RUN.length + 2 + more.length);
        a[RUN.length] = "--out";
        a[RUN.length + 1] = out.toString();
        System.arraycopy(more, 0, a, RUN.length + 2, more.length);
        return a;
    }

    /** The lines of a CSV without its provenance ({@code #}) lines, which hold times. */
    static List<String> dataRows(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().filter(l -> !l.startsWith("#")).collect(Collectors.toList());
    }

    /** Samples of the simulation state in the folder's checkpoint; -1 without one. */
    private static long simulationSamples(Path out) {
        Path file = out.resolve(OnlineCommand.CHECKPOINT);
        try {
            JsonNode sim = Json.mapper().readTree(Files.readString(file)).get("simulation");
            return sim == null || sim.isNull() ? -1 : sim.get("samples").asLong();
        } catch (IOException e) {
            return -1;
        }
    }
}
