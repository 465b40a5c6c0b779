package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 4 on a really full disk: a 64 KiB tmpfs as --out (needs mount, that is root, as in
 * the build container; skipped otherwise). The run ends with exit 4, the file and "No space left on
 * device" in words, no stack trace, and nothing but the lock file left in the folder.
 */
class FullDiskCliTest {

    @TempDir
    Path tmp;

    private static boolean run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    @Test
    void onlineIntoAFullDiskExitsFourAndLeavesNoPartialFile() throws IOException, InterruptedException {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        boolean mounted;
        try {
            mounted = run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString());
        } catch (IOException e) {
            mounted = false;
        }
        assumeTrue(mounted, "cannot mount a tmpfs (needs mount and root)");
        try {
            CliRun r = CliRun.run("online", "-N", "20", "-D", "10", "--time", "1", "--test-samples", "100", "--out",
                    disk.toString());
            assertEquals(Main.EXIT_IO, r.exit(), r.err());
            assertTrue(r.err().contains("cannot write " + disk.resolve("curve.png")) || r.err().contains(
                    "cannot write " + disk.resolve("curve.svg")), r.err());
            assertTrue(r.err().contains("No space left on device"), r.err());
            assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
            List<String> left;
            try (Stream<Path> s = Files.list(disk)) {
                left = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            // the figure is written first: neither tables nor run.json without it, and no temporary
            assertFalse(left.contains("curve.csv") || left.contains("run.json"), left.toString());
            assertTrue(left.stream().noneMatch(n -> n.endsWith(".tmp")), left.toString());
        } finally {
            assertTrue(run("umount", disk.toString()), "cannot unmount the test tmpfs on " + disk);
        }
    }
}
