package org.gequiv.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against files written by numpy 2.4 (src/test/resources/org/gequiv/io/make_fixtures.py). */
class NpyTest {

    /** The fixture array: (2, 3, 4), entry i in C order = i/7 − 1. */
    static double[] expected() {
        double[] a = new double[24];
        for (int i = 0; i < 24; i++) {
            a[i] = i / 7.0 - 1.0;
        }
        return a;
    }

    static Path fixture(String name) throws Exception {
        return Path.of(NpyTest.class.getResource("/org/gequiv/io/" + name).toURI());
    }

    @Test
    void readsFloat64InBothByteOrdersAndMemoryOrders() throws Exception {
        for (String name : new String[] {"f8_le_c.npy", "f8_be_f.npy", "v2_header.npy"}) {
            NpyArray a = Npy.read(fixture(name));
            assertArrayEquals(new int[] {2, 3, 4}, a.shape(), name);
            // float64 round-trips bit for bit
            assertArrayEquals(expected(), a.data(), 0.0, name);
        }
        NpyArray m = Npy.read(fixture("f8_matrix_f.npy"));
        assertArrayEquals(new int[] {2, 3}, m.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, m.data(), 0.0);
    }

    @Test
    void readsFloat32AsTheNearestFloats() throws Exception {
        double[] e = expected();
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) e[i];
        }
        for (String name : new String[] {"f4_le_c.npy", "f4_be_f.npy"}) {
            NpyArray a = Npy.read(fixture(name));
            assertArrayEquals(new int[] {2, 3, 4}, a.shape(), name);
            assertArrayEquals(e, a.data(), 0.0, name);
        }
    }

    @Test
    void readsZeroDimensionalScalars() throws Exception {
        NpyArray s = Npy.read(fixture("scalar.npy"));
        assertEquals(0, s.rank());
        assertEquals("()", s.shapeString());
        assertEquals(2.5, s.data()[0], 0.0);
    }

    @Test
    void readsStoredAndDeflatedArchives() throws Exception {
        for (String name : new String[] {"stored.npz", "deflated.npz"}) {
            NpzArchive z = NpzArchive.read(fixture(name));
            assertEquals(java.util.Set.of("x", "s", "v"), z.keys(), name);
            assertArrayEquals(expected(), z.require("x", 2, 3, 4).data(), 0.0);
            assertEquals(-3.25, z.scalar("s"), 0.0);
            assertArrayEquals(new double[] {1, 2}, z.require("v", -1).data(), 0.0);
        }
    }

    /** int64 (numpy's default integer, written by numpy) reads as doubles; moments files store P so. */
    @Test
    void int64ReadsAsDoubles() throws Exception {
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, Npy.read(fixture("int64.npy")).data(), 0.0);
    }

    @Test
    void unsupportedDtypeIsNamedWithTheFile(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // an int32 vector of two elements, as numpy writes it
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }";
        dict = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) dict.length(), 0});
        b.write(dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        b.write(new byte[8]);
        Path file = java.nio.file.Files.write(tmp.resolve("int32.npy"), b.toByteArray());
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("int32.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("'<i4'"), e.getMessage());
        assertTrue(e.getMessage().contains("float64, float32, int64 or uint8"), e.getMessage());
    }

    @Test
    void textAndInt64MembersRoundTrip(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("mixed.npz");
        java.util.Map<String, Object> members = new java.util.LinkedHashMap<>();
        members.put("text", "{\"a\": \"é\"}");
        members.put("count", 9_007_199_254_740_993L);
        members.put("x", NpyArray.vector(new double[] {1.5}));
        NpzArchive.writeMembers(file, members, true);
        NpzArchive z = NpzArchive.read(file);
        double[] codes = z.get("text").data();
        byte[] bytes = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            bytes[i] = (byte) codes[i];
        }
        assertEquals("{\"a\": \"é\"}", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        // int64 beyond 2^53 rounds to the nearest double on reading
        assertEquals(9.007199254740992E15, z.scalar("count"), 0.0);
        assertEquals(1.5, z.scalar("x"), 0.0);
    }

    @Test
    void malformedAndTruncatedFilesGiveClearErrors() throws Exception {
        NpyFormatException truncated = assertThrows(NpyFormatException.class, () -> Npy.read(fixture("truncated.npy")));
        assertTrue(truncated.getMessage().contains("truncated.npy"), truncated.getMessage());
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        assertTrue(truncated.getMessage().contains("192 bytes, got 179"), truncated.getMessage());

        NpyFormatException magic = assertThrows(NpyFormatException.class, () -> Npy.read(fixture("bad_magic.npy")));
        assertTrue(magic.getMessage().contains("magic"), magic.getMessage());

        NpyFormatException zip = assertThrows(NpyFormatException.class, () -> NpzArchive.read(fixture("not_a_zip.npz")));
        assertTrue(zip.getMessage().contains("not_a_zip.npz"), zip.getMessage());

        Exception cut = assertThrows(Exception.class, () -> NpzArchive.read(fixture("truncated.npz")));
        assertTrue(cut instanceof NpyFormatException, cut.toString());
        assertTrue(cut.getMessage().contains("truncated.npz"), cut.getMessage());
    }

    @Test
    void malformedHeadersAreReported() {
        String[] headers = {
            "{'descr': '<f8', 'fortran_order': False}",
            "{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }",
            "['descr', '<f8']"};
        for (String h : headers) {
            byte[] file = withHeader(h, new byte[16]);
            NpyFormatException e = assertThrows(NpyFormatException.class,
                    () -> Npy.read(new ByteArrayInputStream(file), "mem.npy"), h);
            assertTrue(e.getMessage().startsWith("mem.npy: "), e.getMessage());
        }
    }

    private static byte[] withHeader(String header, byte[] data) {
        byte[] h = (header + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0});
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    @Test
    void wrongShapesAndMissingKeysNameFileKeyExpectedAndFound() throws Exception {
        NpzArchive z = NpzArchive.read(fixture("stored.npz"));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> z.require("x", 2, 4, 3));
        assertTrue(shape.getMessage().contains("stored.npz"), shape.getMessage());
        assertTrue(shape.getMessage().contains("'x'"), shape.getMessage());
        assertTrue(shape.getMessage().contains("(2, 4, 3)") && shape.getMessage().contains("(2, 3, 4)"),
                shape.getMessage());
        IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class, () -> z.scalar("v"));
        assertTrue(scalar.getMessage().contains("'v'") && scalar.getMessage().contains("(2,)"), scalar.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> z.get("delta"));
        assertTrue(missing.getMessage().contains("'delta'") && missing.getMessage().contains("[x, s, v]"),
                missing.getMessage());
    }

    @Test
    void everyEncodingRoundTrips(@TempDir Path dir) throws Exception {
        NpyArray a = new NpyArray(new int[] {2, 3, 4}, expected());
        for (boolean f32 : new boolean[] {false, true}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                for (boolean fortran : new boolean[] {false, true}) {
                    Npy.Encoding enc = new Npy.Encoding(f32, order, fortran);
                    Path p = dir.resolve("a.npy");
                    Npy.write(p, a, enc);
                    // numpy pads the header so that the data start on a 64-byte boundary
                    long dataBytes = 24L * (f32 ? 4 : 8);
                    assertEquals(0, (Files.size(p) - dataBytes) % 64, enc.toString());
                    NpyArray back = Npy.read(p);
                    assertArrayEquals(a.shape(), back.shape());
                    for (int i = 0; i < 24; i++) {
                        assertEquals(f32 ? (float) a.data()[i] : a.data()[i], back.data()[i], 0.0, enc + " " + i);
                    }
                }
            }
        }
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("s", NpyArray.scalar(7.0));
        for (boolean compress : new boolean[] {false, true}) {
            Path p = dir.resolve("z.npz");
            NpzArchive.write(p, m, compress);
            NpzArchive back = NpzArchive.read(p);
            assertEquals(a, back.get("a"));
            assertEquals(7.0, back.scalar("s"), 0.0);
        }
    }
}
