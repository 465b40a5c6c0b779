package org.gequiv.generator.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightFilesTest {

    @TempDir
    Path dir;

    /** The digest hashes the big-endian bytes of every value in order, whatever the block size it is fed in. */
    @Test
    void digestIsTheSha256OfTheValuesInOrder() throws Exception {
        double[] a = new double[3 * 8192 + 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sin(i) * 1e3;
        }
        double[] b = {-0.0, Double.NaN, Double.MIN_VALUE};
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        for (double[] arr : new double[][] {a, b}) {
            for (double v : arr) {
                md.update(java.nio.ByteBuffer.allocate(8).putDouble(v).array());
            }
        }
        Map<String, double[]> m = new java.util.LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        assertEquals(java.util.HexFormat.of().formatHex(md.digest()), WeightFiles.digest(m));
    }

    @Test
    void dcganWeightsRoundTripThroughNpz() throws IOException {
        DcganWeights w = DcganWeights.random(4);
        Path f = dir.resolve("dcgan.npz");
        WeightFiles.write(f, w);
        assertEquals(w.digest(), WeightFiles.readDcgan(f).digest());

        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertThrows(IOException.class, () -> WeightFiles.readDcgan(cut));

        Path wrong = dir.resolve("wrong.npz");
        NpzArchive.write(wrong, Map.of("conv1.weight", new NpyArray(new int[] {2, 2}, new double[4]),
                "conv2.weight", new NpyArray(new int[] {2, 2}, new double[4])), false);
        var e = assertThrows(InvalidInputException.class, () -> WeightFiles.readDcgan(wrong));
        assertTrue(e.getMessage().contains("conv1.weight must have shape [D, C, 4, 4], got [2, 2]"), e.getMessage());
        assertEquals(wrong.toString(), e.source());
        Path single = dir.resolve("single.npz");
        NpzArchive.write(single, Map.of("conv1.weight", new NpyArray(new int[] {100, 8, 4, 4}, new double[12800])), false);
        var s = assertThrows(InvalidInputException.class, () -> WeightFiles.readDcgan(single));
        assertTrue(s.getMessage().contains("DCGAN weights must have 2 to 10 kernels"), s.getMessage());
    }

    @Test
    void realNvpWeightsRoundTripThroughNpz() throws IOException {
        RealNvpWeights w = RealNvpWeights.random(new RealNvpArchitecture(3, 8, 2, 4), 6);
        Path f = dir.resolve("nvp.npz");
        WeightFiles.write(f, w);
        RealNvpWeights back = WeightFiles.readRealNvp(f);
        assertEquals(w.digest(), back.digest());
        assertEquals(w.architecture(), back.architecture());
    }
}
