package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.gequiv.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C of {@code gequiv paper} in its own JVM, after its first section: the report stops at once
 * with 130, says in which section it stopped, what is kept and how to resume, and the rerun of the
 * same command reads the finished section back instead of running it again.
 */
class PaperInterruptionTest {

    @TempDir
    Path dir;

    @Test
    void sigintSaysWhereTheReportStoppedAndTheRerunResumes() throws Exception {
        Path out = dir.resolve("report");
        String models = PaperCommandTest.MODELS.toAbsolutePath().toString();
        Subprocess run = Subprocess.start(dir, "paper", "paper", "--tiny", "--models", models, "--out", out.toString());
        boolean firstSectionDone = run.awaitWhileAlive(() -> {
            try {
                return run.err().contains("[1/");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Duration.ofSeconds(120));
        assertTrue(firstSectionDone, "the first section did not finish: " + run.err());
        run.signal("INT");
        int code = run.waitFor(Duration.ofSeconds(60));
        String err = run.err();
        assertEquals(130, code, err);
        assertTrue(err.contains("gequiv: interrupted by SIGINT; stopped in section [2/"), err);
        assertTrue(err.contains("are kept in " + out.resolve(PaperCommand.SECTIONS)), err);
        assertTrue(err.contains("run the same command again to resume"), err);
        assertFalse(err.contains("Exception"), err);
        assertFalse(Files.exists(out.resolve("index.html")), "the page is written at the end only");

        CliRun rerun = CliRun.run("paper", "--tiny", "--models", models, "--out", out.toString());
        assertEquals(0, rerun.exit(), rerun.err());
        JsonNode first = Json.mapper().readTree(out.resolve("report.json").toFile()).get("sections").get(0);
        assertEquals(first.get("points").asInt(), first.get("pointsReused").asInt(),
                "the section finished before the signal is read back: " + first);
    }
}
