package org.gequiv.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles}: complete files or none, unique temporary names, the umask's permissions. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheContentAndLeavesOnlyTheTarget() throws IOException {
        Path target = dir.resolve("sub/curve.csv");
        AtomicFiles.writeString(target, "first\n");
        AtomicFiles.writeString(target, "second\n");
        assertEquals("second\n", Files.readString(target));
        assertEquals(List.of("curve.csv"), names(target.getParent()));
    }

    @Test
    void temporaryNamesCarryThePidAndDifferBetweenWritersOfOneTarget() throws IOException {
        Path target = dir.resolve("m.npz.ckpt");
        String pid = Long.toString(ProcessHandle.current().pid());
        List<String> seen = new ArrayList<>();
        AtomicFiles.write(target, outer -> {
            seen.addAll(names(dir));
            // a second writer of the same target while the first is open
            AtomicFiles.write(target, inner -> {
                seen.addAll(names(dir));
                inner.write('i');
            });
            outer.write('o');
        });
        assertEquals("o", Files.readString(target));
        assertEquals(List.of("m.npz.ckpt"), names(dir));
        // outer sees its own temporary; inner sees both
        assertEquals(3, seen.size(), seen.toString());
        String outerTmp = seen.get(0);
        assertTrue(outerTmp.startsWith(".m.npz.ckpt." + pid + ".") && outerTmp.endsWith(".tmp"), outerTmp);
        List<String> both = seen.subList(1, 3);
        assertTrue(both.contains(outerTmp), both.toString());
        String innerTmp = both.get(0).equals(outerTmp) ? both.get(1) : both.get(0);
        assertNotEquals(outerTmp, innerTmp);
        assertTrue(innerTmp.startsWith(".m.npz.ckpt." + pid + "."), innerTmp);
    }

    @Test
    void abandonedTemporariesOfDeadProcessesAreRemovedAndOthersKept() throws IOException {
        // PIDs above Linux's pid_max (2^22) belong to no process; a recent file of a dead PID may
        // be another host's on a shared folder, and is kept
        Path dead = Files.writeString(dir.resolve(".curve.csv.999999999.1f2e.tmp"), "partial");
        Path recent = Files.writeString(dir.resolve(".curve.csv.999999998.77.tmp"), "another host's, maybe");
        Files.setLastModifiedTime(dead, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        String live = ".curve.csv." + ProcessHandle.current().pid() + ".abc.tmp";
        Files.writeString(dir.resolve(live), "being written");
        Path unrelated = Files.writeString(dir.resolve(".other.csv.999999999.1f2e.tmp"), "not ours");
        Files.setLastModifiedTime(unrelated, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        AtomicFiles.writeString(dir.resolve("curve.csv"), "t\n");
        assertTrue(Files.notExists(dead));
        assertTrue(Files.exists(recent));
        assertEquals(List.of(".curve.csv." + ProcessHandle.current().pid() + ".abc.tmp",
                ".curve.csv.999999998.77.tmp", ".other.csv.999999999.1f2e.tmp", "curve.csv"), names(dir));
        assertTrue(Files.exists(unrelated));
    }

    @Test
    void aBodyThrowingAnUncheckedExceptionLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("run.json");
        AtomicFiles.writeString(target, "{}\n");
        IllegalStateException boom = new IllegalStateException("figure failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target,
                out -> {
                    out.write(new byte[100_000]);
                    throw boom;
                }));
        assertSame(boom, thrown);
        assertEquals("{}\n", Files.readString(target));
        assertEquals(List.of("run.json"), names(dir));
    }

    @Test
    void anIoFailureNamesTheTargetAndTheCause() throws IOException {
        Path target = dir.resolve("samples.npy");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new IOException("device went away");
        }));
        assertEquals("cannot write " + target + ": device went away", e.getMessage());
        assertEquals("device went away", e.getCause().getMessage());
        assertEquals(List.of(), names(dir));
    }

    @Test
    void aTargetThatIsAFolderIsRefusedBeforeWriting() throws IOException {
        Path target = Files.createDirectory(dir.resolve("out.png"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "x"));
        assertEquals("cannot write " + target + ": it is a folder", e.getMessage());
        assertEquals(List.of("out.png"), names(dir));
    }

    @Test
    void aFullDiskGivesACleanErrorAndLeavesNoTemporary() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        try (TmpfsMount fs = TmpfsMount.mount(mnt, 64, false)) {
            Path target = mnt.resolve("m.npz");
            AtomicFiles.writeString(target, "previous");
            IOException e = assertThrows(IOException.class,
                    () -> AtomicFiles.write(target, out -> out.write(new byte[1 << 20])));
            assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertEquals("previous", Files.readString(target));
            assertEquals(List.of("m.npz"), names(mnt));
            // the library's array writers go through the same path
            double[] big = new double[1 << 17];
            IOException npz = assertThrows(IOException.class, () -> NpzArchive.write(mnt.resolve("big.npz"),
                    Map.of("a", NpyArray.vector(big)), false));
            assertTrue(npz.getMessage().contains("big.npz"), npz.getMessage());
            assertThrows(IOException.class, () -> Npy.write(mnt.resolve("big.npy"), NpyArray.vector(big)));
            assertEquals(List.of("m.npz"), names(mnt));
        }
    }

    @Test
    void aReadOnlyFolderGivesACleanErrorAndCreatesNothing() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("ro"));
        try (TmpfsMount fs = TmpfsMount.mount(mnt, 64, true)) {
            Path target = mnt.resolve("init.npz");
            IOException e = assertThrows(IOException.class, () -> NpzArchive.write(target,
                    Map.of("rho", NpyArray.vector(new double[] {1, 2})), true));
            assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("Read-only file system"), e.getMessage());
            assertEquals(List.of(), names(mnt));
        }
    }

    @Test
    void filesGetThePermissionsOfAPlainNewFile() throws IOException {
        // what Files.newOutputStream gives a new file: 0666 & ~umask
        Path plain = dir.resolve("plain");
        try (OutputStream out = Files.newOutputStream(plain)) {
            out.write(1);
        }
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        Path text = dir.resolve("a.csv");
        AtomicFiles.writeString(text, "x");
        Path npy = dir.resolve("a.npy");
        Npy.write(npy, NpyArray.vector(new double[] {1}));
        Path npz = dir.resolve("a.npz");
        NpzArchive.write(npz, Map.of("a", NpyArray.vector(new double[] {1})), true);
        for (Path p : List.of(text, npy, npz)) {
            assertEquals(PosixFilePermissions.toString(expected),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        // with the usual umask 022 that is rw-r--r--, readable by collaborators (not 0600)
        if (expected.contains(PosixFilePermission.GROUP_READ)) {
            assertTrue(Files.getPosixFilePermissions(text).contains(PosixFilePermission.GROUP_READ));
        }
        assertArrayEquals(new double[] {1}, Npy.read(npy).data(), 0.0);
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(text));
    }
}
