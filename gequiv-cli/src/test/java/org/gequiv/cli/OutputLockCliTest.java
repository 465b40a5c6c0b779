package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.gequiv.io.OutputLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per output folder (issue 13, item 5): a folder held by another run is refused, not overwritten. */
class OutputLockCliTest {

    @TempDir
    Path dir;

    private static final String[] SMALL_ERM = {"erm", "--no-simulate", "--alpha", "1", "--lambda", "0.1",
        "-N", "40", "-D", "20", "--out"};

    private static String[] erm(Path out) {
        String[] args = java.util.Arrays.copyOf(SMALL_ERM, SMALL_ERM.length + 1);
        args[SMALL_ERM.length] = out.toString();
        return args;
    }

    @Test
    void aFolderHeldByAnotherRunIsRefusedWithTheHoldersPid() throws Exception {
        Path out = dir.resolve("held");
        long pid = ProcessHandle.current().pid();
        try (OutputLock other = OutputLock.onFolder(out, "--out")) {
            CliRun run = CliRun.run(erm(out));
            assertEquals(Main.EXIT_BAD_INPUT, run.exit(), run.err());
            assertTrue(run.err().contains("--out") && run.err().contains("process " + pid), run.err());
            assertFalse(Files.exists(out.resolve("curve.csv")), "nothing written into a held folder");
        }
    }

    @Test
    void theLockIsReleasedWhenTheCommandEnds() {
        Path out = dir.resolve("free");
        CliRun first = CliRun.run(erm(out));
        assertEquals(0, first.exit(), first.err());
        CliRun second = CliRun.run(erm(out));
        assertEquals(0, second.exit(), second.err());
        assertTrue(Files.exists(out.resolve("curve.csv")));
    }
}
