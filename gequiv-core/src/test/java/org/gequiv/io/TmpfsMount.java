package org.gequiv.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a test folder, to see what writers do on a full or a read-only file
 * system. Needs {@code mount} and the right to use it (root, as in the build container); a test
 * that cannot mount one is skipped through an assumption, not failed.
 */
public final class TmpfsMount implements AutoCloseable {

    private final Path dir;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /**
     * Mounts a tmpfs of {@code kilobytes} on {@code dir} (an existing, empty folder), read-only when
     * {@code readOnly}; skips the calling test when that is not possible.
     */
    public static TmpfsMount mount(Path dir, int kilobytes, boolean readOnly) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mount", "-t", "tmpfs", "-o",
                "size=" + kilobytes + "k" + (readOnly ? ",ro" : ""), "tmpfs", dir.toString()));
        boolean ok;
        try {
            ok = run(cmd);
        } catch (IOException e) {
            ok = false;
        }
        assumeTrue(ok, "cannot mount a tmpfs on " + dir + " (needs mount and root)");
        return new TmpfsMount(dir);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (!run(List.of("umount", dir.toString()))) {
            throw new IOException("cannot unmount the test tmpfs on " + dir);
        }
    }

    private static boolean run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }
}
