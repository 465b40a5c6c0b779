package org.gequiv.moments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.gequiv.io.Corruptions;
import org.gequiv.io.TmpfsMount;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded corruption of moment checkpoints ({@link MomentCheckpoint}): a damaged file is refused
 * with an {@link IncompatibleCheckpointException} (an {@link InvalidInputException}) or, when only
 * data values changed under a recomputed CRC, read; never another exception, a hang or a large
 * allocation. Half of the generic corruptions get a valid CRC again, and header values are
 * rewritten to absurd ones under a valid length and CRC, so that the checks behind the CRC are
 * reached too.
 */
class MomentCheckpointFuzzTest {

    private static final Duration PER_CASE = Duration.ofSeconds(20);
    private static final MomentCheckpoint.Identity ID =
            new MomentCheckpoint.Identity("linear-gaussian", "{N=6, D=3}", 42, 6, 3, 100);
    private static final String[] ABSURD_VALUES = {"-1", "0", "9223372036854775807", "99999999999999999999",
        "1e300", "-1e300", "\"x\"", "null", "[]", "{}", "2147483647", "429496729", "NaN", "true", "\"\""};
    private static final Pattern VALUE = Pattern.compile("\"([A-Za-z]+)\":(\"[^\"]*\"|[^,}]+)");

    @TempDir
    Path dir;

    private static MomentState state() {
        MomentState s = new MomentState(ID.n(), ID.d());
        Random r = new Random(5);
        for (double[] a : new double[][] {s.meanC, s.meanX, s.m2xx, s.m2xc}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextGaussian();
            }
        }
        s.count = 300;
        s.blocksDone = 3;
        for (int i = 1; i <= 3; i++) {
            s.log.add(new ConvergenceRecord(100L * i, 0.1 / i, 0.2 / i, Double.NaN, Double.NaN));
        }
        return s;
    }

    private byte[] valid() throws Exception {
        Path f = dir.resolve("valid.ckpt");
        MomentCheckpoint.write(f, ID, state());
        return Files.readAllBytes(f);
    }

    /** The file with its trailing CRC-32 recomputed, as a corruption that kept the checksum would. */
    private static byte[] withValidCrc(byte[] b) {
        if (b.length < 20) {
            return b;
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b, b.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue());
        return b;
    }

    /** Every header value replaced by every absurd value, with the header length and CRC fixed. */
    private static List<Corruptions.Case> absurdHeaders(byte[] valid) {
        ByteBuffer b = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = b.getInt(8);
        String header = new String(valid, 12, headerLength, StandardCharsets.UTF_8);
        List<Corruptions.Case> out = new ArrayList<>();
        Matcher m = VALUE.matcher(header);
        while (m.find()) {
            for (String v : ABSURD_VALUES) {
                String h = header.substring(0, m.start(2)) + v + header.substring(m.end(2));
                byte[] hb = h.getBytes(StandardCharsets.UTF_8);
                byte[] file = new byte[valid.length - headerLength + hb.length];
                ByteBuffer nb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
                nb.put(valid, 0, 8).putInt(hb.length).put(hb).put(valid, 12 + headerLength,
                        valid.length - 12 - headerLength);
                out.add(new Corruptions.Case(out.size(), "header " + m.group(1) + " = " + v, withValidCrc(file)));
            }
        }
        return out;
    }

    private void fuzz(List<Corruptions.Case> cases) {
        Path f = dir.resolve("fuzz.ckpt");
        Map<String, String> failures = new LinkedHashMap<>();
        for (Corruptions.Case c : cases) {
            String failure = assertTimeoutPreemptively(PER_CASE, () -> {
                Files.write(f, c.bytes());
                try {
                    MomentState s = MomentCheckpoint.read(f, ID);
                    return s.count >= 1 && s.meanX.length == ID.n() ? null : "read an inconsistent state";
                } catch (IncompatibleCheckpointException e) {
                    return e.getMessage() != null && e.getMessage().contains(f.toString()) ? null
                            : "message does not name the file: " + e.getMessage();
                } catch (Throwable t) {
                    StackTraceElement[] st = t.getStackTrace();
                    return "undocumented " + t + (st.length > 0 ? " at " + st[0] : "");
                }
            }, () -> c + ": took longer than " + PER_CASE);
            if (failure != null) {
                failures.putIfAbsent(failure.replaceAll(": .*? at ", " at "), c + ": " + failure);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " kinds of failure:\n" + String.join("\n", failures.values()));
        }
    }

    private void run(long seed, int count) throws Exception {
        byte[] valid = valid();
        List<Corruptions.Case> cases = new ArrayList<>(absurdHeaders(valid));
        Random crcChoice = new Random(seed);
        for (Corruptions.Case c : new Corruptions(valid).cases(seed, count)) {
            cases.add(crcChoice.nextBoolean() ? c
                    : new Corruptions.Case(c.index(), c.description() + ", CRC recomputed", withValidCrc(c.bytes())));
        }
        fuzz(cases);
    }

    @Test
    void corruptCheckpointsAreRefusedWithTheDocumentedException() throws Exception {
        run(21, 300);
    }

    @Test
    void aValidCheckpointRoundTripsWithTheUmasksPermissions() throws Exception {
        Path f = dir.resolve("m.npz.ckpt");
        MomentState s = state();
        MomentCheckpoint.write(f, ID, s);
        MomentState back = MomentCheckpoint.read(f, ID);
        assertEquals(s.count, back.count);
        assertEquals(s.blocksDone, back.blocksDone);
        assertArrayEquals(s.m2xx, back.m2xx, 0.0);
        assertArrayEquals(s.m2xc, back.m2xc, 0.0);
        assertArrayEquals(s.meanX, back.meanX, 0.0);
        assertArrayEquals(s.meanC, back.meanC, 0.0);
        assertEquals(s.log, back.log);
        // only the checkpoint: no temporary file beside it, and the permissions of a plain new file
        try (var files = Files.list(dir)) {
            assertEquals(List.of("m.npz.ckpt"), files.map(p -> p.getFileName().toString()).toList());
        }
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void aFullDiskKeepsThePreviousCheckpointAndLeavesNoTemporary() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        try (TmpfsMount fs = TmpfsMount.mount(mnt, 64, false)) {
            Path f = mnt.resolve("m.npz.ckpt");
            MomentCheckpoint.write(f, ID, state());
            // N = 100: M_xx alone is 80 kB, more than the 64 kB file system holds
            MomentCheckpoint.Identity big = new MomentCheckpoint.Identity("linear-gaussian", "{N=100, D=3}", 42,
                    100, 3, 100);
            MomentState s = new MomentState(100, 3);
            s.count = 100;
            s.blocksDone = 1;
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> MomentCheckpoint.write(f, big, s));
            assertTrue(e.getMessage().startsWith("cannot write " + f + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertEquals(300, MomentCheckpoint.read(f, ID).count);
            try (var files = Files.list(mnt)) {
                assertEquals(List.of("m.npz.ckpt"), files.map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    @Test
    @Tag("slow")
    void manyMoreCorruptCheckpoints() throws Exception {
        Random seeds = new Random(77);
        for (int round = 0; round < 10; round++) {
            run(seeds.nextLong(), 3_000);
        }
    }
}
