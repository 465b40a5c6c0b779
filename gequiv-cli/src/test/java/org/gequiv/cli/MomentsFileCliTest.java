package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.gequiv.generator.Moments;
import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.gequiv.moments.MomentsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 8: a finished estimate whose last block is partial can be extended, and the result
 * is the estimate of an uninterrupted run bit for bit; the first log line has no NaN; samples is an
 * int64 and provenance uint8 text in the npz, and files of the older layout still read.
 */
class MomentsFileCliTest {

    @TempDir
    Path tmp;

    private static CliRun moments(long samples, Path out, String... extra) {
        String[] base = {"moments", "--samples", Long.toString(samples), "-N", "20", "-D", "10", "--block-size", "256",
                "--threads", "2", "--out", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.run(args);
    }

    @Test
    void finishedEstimateWithAPartialLastBlockExtendsToTheUninterruptedEstimate() throws IOException {
        Path extended = tmp.resolve("m.npz");
        // 1000 = 3 × 256 + 232: the last block is partial
        CliRun first = moments(1000, extended);
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("rerun with a larger --samples to extend"), first.out());
        CliRun second = moments(1700, extended);
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("resumed from 768 samples"), second.out());
        CliRun direct = moments(1700, tmp.resolve("direct.npz"), "--no-checkpoint");
        assertEquals(0, direct.exit(), direct.err());

        Moments a = MomentsFile.read(extended);
        Moments b = MomentsFile.read(tmp.resolve("direct.npz"));
        assertEquals(1700, a.samples());
        assertArrayEquals(b.omega(), a.omega(), 0.0, "bit-identical Ω");
        assertArrayEquals(b.phi(), a.phi(), 0.0, "bit-identical Φ");
        assertArrayEquals(b.mean(), a.mean(), 0.0);
        assertEquals(Files.readAllLines(tmp.resolve("direct.convergence.csv")).stream()
                        .filter(l -> !l.startsWith("#")).toList(),
                Files.readAllLines(tmp.resolve("m.convergence.csv")).stream().filter(l -> !l.startsWith("#")).toList(),
                "the same convergence log");
    }

    @Test
    void firstLogLineHasNoNaN() {
        CliRun r = moments(600, tmp.resolve("f.npz"), "--checkpoint-every", "256");
        assertEquals(0, r.exit(), r.err());
        String firstLine = r.err().lines().filter(l -> l.startsWith("moments: P = ")).findFirst().orElseThrow();
        assertEquals(firstLine.replace("NaN", ""), firstLine);
        assertTrue(firstLine.startsWith("moments: P = 256, rel. error vs analytic Ω "), firstLine);
        assertFalse(r.err().contains("NaN"), r.err());
    }

    @Test
    void samplesIsAnIntegerAndProvenanceIsText() throws IOException {
        Path file = tmp.resolve("t.npz");
        assertEquals(0, moments(600, file).exit());
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertTrue(header(zip, "samples.npy").contains("'descr': '<i8'"), header(zip, "samples.npy"));
            String provenance = header(zip, "provenance.npy");
            assertTrue(provenance.contains("'descr': '|u1'"), provenance);
            ZipEntry e = zip.getEntry("provenance.npy");
            byte[] all = zip.getInputStream(e).readAllBytes();
            String text = new String(all, StandardCharsets.UTF_8);
            assertTrue(text.contains("{\"") && text.contains("\"samples\":600"), "JSON text after the header");
        }
        Moments m = MomentsFile.read(file);
        assertEquals(600, m.samples());
        assertTrue(((String) m.source().get("provenance")).startsWith("{"), m.source().toString());
    }

    @Test
    void filesOfTheOlderLayoutStillRead() throws IOException {
        Path file = tmp.resolve("old.npz");
        assertEquals(0, moments(600, file).exit());
        Moments m = MomentsFile.read(file);
        String json = (String) m.source().get("provenance");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        double[] codes = new double[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            codes[i] = bytes[i] & 0xFF;
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("mean_x", NpyArray.vector(m.mean()));
        arrays.put("mean_c", NpyArray.vector(new double[10]));
        arrays.put("omega", new NpyArray(new int[] {20, 20}, m.omega()));
        arrays.put("phi", new NpyArray(new int[] {20, 10}, m.phi()));
        arrays.put("samples", NpyArray.scalar(600));
        arrays.put("provenance", NpyArray.vector(codes));
        Path old = tmp.resolve("older.npz");
        NpzArchive.write(old, arrays, false);
        Moments read = MomentsFile.read(old);
        assertEquals(600, read.samples());
        assertEquals(json, read.source().get("provenance"));
        assertArrayEquals(m.omega(), read.omega(), 0.0);
    }

    private static String header(ZipFile zip, String member) throws IOException {
        byte[] b = zip.getInputStream(zip.getEntry(member)).readNBytes(128);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
