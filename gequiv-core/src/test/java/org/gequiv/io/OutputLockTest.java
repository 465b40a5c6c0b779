package org.gequiv.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutputLock}: one holder per folder or file, in this JVM and across processes. */
class OutputLockTest {

    @TempDir
    Path dir;

    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void aSecondLockInTheSameJvmIsRefusedWithTheHoldersPid() throws IOException {
        Path out = dir.resolve("out/online");
        try (OutputLock first = OutputLock.onFolder(out, "out")) {
            assertTrue(Files.isDirectory(out));
            String content = Files.readString(first.lockFile());
            assertTrue(content.startsWith("pid=" + SELF + "\nstarted="), content);
            OutputLock.OutputLockedException e = assertThrows(OutputLock.OutputLockedException.class,
                    () -> OutputLock.onFolder(out, "out"));
            assertTrue(e instanceof InvalidInputException);
            assertEquals("out", e.field());
            assertEquals(out.toString(), e.source());
            assertEquals(OptionalLong.of(SELF), e.holderPid());
            assertTrue(e.getMessage().startsWith("out must be a place no other run is writing to, got " + out
                    + ", which is locked by process " + SELF + " (started "), e.getMessage());
            // the refusal did not drop the first lock
            assertThrows(OutputLock.OutputLockedException.class, () -> OutputLock.onFolder(out, "out"));
        }
        // released on close: the folder can be locked again, and the lock file is left empty
        try (OutputLock again = OutputLock.onFolder(out, "out")) {
            assertEquals(out, again.guarded());
        }
        assertEquals("", Files.readString(out.resolve(OutputLock.FOLDER_LOCK)));
    }

    @Test
    void fileLocksGuardOneFileEach() throws IOException {
        Path ckpt = dir.resolve("m.npz.ckpt");
        try (OutputLock a = OutputLock.onFile(ckpt, "checkpoint");
             OutputLock b = OutputLock.onFile(dir.resolve("other.ckpt"), "checkpoint")) {
            assertEquals(dir.toRealPath().resolve(".m.npz.ckpt.lock"), a.lockFile());
            var e = assertThrows(OutputLock.OutputLockedException.class,
                    () -> OutputLock.onFile(ckpt, "checkpoint"));
            assertTrue(e.getMessage().startsWith("checkpoint must be a place no other run is writing to, got "
                    + ckpt), e.getMessage());
            assertTrue(b.lockFile().toString().endsWith(".other.ckpt.lock"));
        }
    }

    @Test
    void aStaleLockFileWithoutALiveLockIsTakenOver() throws IOException {
        Files.writeString(dir.resolve(OutputLock.FOLDER_LOCK), "pid=4194999\nstarted=2020-01-01T00:00:00Z\n");
        try (OutputLock lock = OutputLock.onFolder(dir, "out")) {
            assertTrue(Files.readString(lock.lockFile()).startsWith("pid=" + SELF + "\n"));
        }
    }

    @Test
    void anotherProcessIsRefusedWhileOneHoldsTheLockAndTheLockDiesWithItsHolder() throws Exception {
        Path out = dir.resolve("shared");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx32m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), OutputLockHolder.class.getName(), out.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String line = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine());
            assertEquals("locked " + child.pid(), line);
            var e = assertThrows(OutputLock.OutputLockedException.class, () -> OutputLock.onFolder(out, "out"));
            assertEquals(OptionalLong.of(child.pid()), e.holderPid());
            assertTrue(e.getMessage().contains(out + ", which is locked by process " + child.pid()), e.getMessage());
            // kill -9: the operating system releases the lock with the process
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            try (OutputLock mine = OutputLock.onFolder(out, "out")) {
                assertTrue(Files.readString(mine.lockFile()).startsWith("pid=" + SELF + "\n"));
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
