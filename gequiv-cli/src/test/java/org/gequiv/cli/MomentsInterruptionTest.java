package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import org.gequiv.generator.Moments;
import org.gequiv.io.Json;
import org.gequiv.io.OutputLock;
import org.gequiv.moments.MomentsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code moments}: one run per checkpoint (issue 13, item 5) and an interrupted estimate keeps its
 * samples (item 1), with a real signal to a real process.
 */
class MomentsInterruptionTest {

    @TempDir
    Path dir;

    @Test
    void aCheckpointHeldByAnotherRunIsRefusedWithTheHoldersPid() throws Exception {
        Path out = dir.resolve("m.npz");
        long pid = ProcessHandle.current().pid();
        try (OutputLock other = OutputLock.onFile(dir.resolve("m.npz.ckpt"), "--out")) {
            CliRun run = CliRun.run("moments", "-N", "20", "-D", "5", "--samples", "1000", "--out", out.toString());
            assertEquals(Main.EXIT_BAD_INPUT, run.exit(), run.err());
            assertTrue(run.err().contains("m.npz.ckpt") && run.err().contains("process " + pid), run.err());
            assertFalse(Files.exists(out), "nothing written beside a held checkpoint");
        }
    }

    @Test
    void sigintKeepsTheSamplesMergedSoFarAndASecondRunIsRefusedMeanwhile() throws Exception {
        Path out = dir.resolve("m.npz");
        Path checkpoint = dir.resolve("m.npz.ckpt");
        long requested = 50_000_000L;
        Subprocess run = Subprocess.start(dir, "moments", "moments", "-N", "60", "-D", "10", "--samples",
                Long.toString(requested), "--block-size", "500", "--checkpoint-every", "2000", "--threads", "1",
                "--out", out.toString());
        assertTrue(run.awaitWhileAlive(() -> Files.exists(checkpoint), Duration.ofMinutes(3)), "a checkpoint appears");

        CliRun second = CliRun.run("moments", "-N", "60", "-D", "10", "--samples", "1000", "--out", out.toString());
        assertEquals(Main.EXIT_BAD_INPUT, second.exit(), second.err());
        assertTrue(second.err().contains("process " + run.pid()), second.err());

        run.signal("INT");
        assertEquals(130, run.waitFor(Duration.ofMinutes(3)), run.err());
        assertTrue(run.err().contains("interrupted by SIGINT after"), run.err());
        Moments partial = MomentsFile.read(out);
        assertTrue(partial.samples() >= 2000 && partial.samples() < requested && partial.samples() % 500 == 0,
                "whole blocks, fewer than requested: " + partial.samples());
        JsonNode json = Json.mapper().readTree(dir.resolve("m.json").toFile());
        assertEquals("interrupted", json.get("status").asText());
        assertTrue(Files.exists(dir.resolve("m.convergence.csv")));
    }
}
