package org.gequiv.generator.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gequiv.io.Npy;
import org.gequiv.io.NpyArray;
import org.gequiv.io.NpyFormatException;
import org.gequiv.moments.MomentEstimate;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.moments.MomentEstimator;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleFileGeneratorTest {

    @TempDir
    Path dir;

    private double[] c;
    private double[] x;

    private void writeSamples(int p, int d, int n, Npy.Encoding enc) throws IOException {
        c = new double[p * d];
        x = new double[p * n];
        RandomStreams.fillGaussian(RandomStreams.stream(1, "c"), c, c.length);
        for (int r = 0; r < p; r++) {
            for (int i = 0; i < n; i++) {
                x[r * n + i] = Math.tanh(c[r * d + i % d]) + 0.1 * i;
            }
        }
        if (enc.float32()) {
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) c[i];
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) x[i];
            }
        }
        Npy.write(dir.resolve("c.npy"), new NpyArray(new int[] {p, d}, c), enc);
        Npy.write(dir.resolve("x.npy"), new NpyArray(new int[] {p, n}, x), enc);
    }

    @Test
    void readsRowsInOrderAndResamplesReproducibly() throws IOException {
        for (Npy.Encoding enc : new Npy.Encoding[] {Npy.Encoding.DEFAULT,
            new Npy.Encoding(true, ByteOrder.BIG_ENDIAN, false)}) {
            writeSamples(50, 3, 5, enc);
            SampleFileGenerator g = new SampleFileGenerator(dir);
            assertEquals(3, g.latentDimension());
            assertEquals(5, g.inputDimension());
            assertEquals(50, g.size());
            double[] cc = new double[50 * 3];
            double[] xx = new double[50 * 5];
            g.read(0, 50, cc, xx);
            assertArrayEquals(c, cc, 0.0);
            assertArrayEquals(x, xx, 0.0);
            double[] c1 = new double[4 * 3];
            double[] x1 = new double[4 * 5];
            double[] c2 = new double[4 * 3];
            double[] x2 = new double[4 * 5];
            g.sample(RandomStreams.stream(2, "s"), 4, c1, x1);
            g.sample(RandomStreams.stream(2, "s"), 4, c2, x2);
            assertArrayEquals(c1, c2, 0.0);
            assertArrayEquals(x1, x2, 0.0);
        }
    }

    /** Stored samples are read once each, so the estimate equals the two-pass sample covariance. */
    @Test
    void momentEstimateOfStoredSamplesIsTheirSampleCovariance() throws IOException {
        int p = 300;
        writeSamples(p, 3, 5, Npy.Encoding.DEFAULT);
        SampleFileGenerator g = new SampleFileGenerator(dir);
        MomentEstimate est = new MomentEstimator(g, new MomentEstimationSpec(p, 64, 0, 2, p, null)).estimate();
        double[] mx = new double[5];
        double[] mc = new double[3];
        for (int r = 0; r < p; r++) {
            for (int i = 0; i < 5; i++) {
                mx[i] += x[r * 5 + i] / p;
            }
            for (int j = 0; j < 3; j++) {
                mc[j] += c[r * 3 + j] / p;
            }
        }
        for (int i = 0; i < 5; i++) {
            for (int k = 0; k < 5; k++) {
                double s = 0;
                for (int r = 0; r < p; r++) {
                    s += (x[r * 5 + i] - mx[i]) * (x[r * 5 + k] - mx[k]);
                }
                // two summation orders of 300 O(1) terms: agreement to 1e-12
                assertEquals(s / (p - 1), est.moments().omega()[i * 5 + k], 1e-12);
            }
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int r = 0; r < p; r++) {
                    s += (x[r * 5 + i] - mx[i]) * (c[r * 3 + j] - mc[j]);
                }
                assertEquals(s / (p - 1), est.moments().phi()[i * 3 + j], 1e-12);
            }
        }
        var tooMany = assertThrows(IllegalArgumentException.class,
                () -> new MomentEstimator(g, MomentEstimationSpec.of(p + 1, 0, 1)));
        assertEquals("samples must be <= the 300 stored samples of generator 'samples', got 301", tooMany.getMessage());
    }

    @Test
    void refusesBadFiles() throws IOException {
        writeSamples(20, 3, 5, Npy.Encoding.DEFAULT);
        byte[] bytes = Files.readAllBytes(dir.resolve("x.npy"));
        Files.write(dir.resolve("x.npy"), java.util.Arrays.copyOf(bytes, bytes.length - 8));
        var truncated = assertThrows(NpyFormatException.class, () -> new SampleFileGenerator(dir));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        Npy.write(dir.resolve("x.npy"), new NpyArray(new int[] {19, 5}, new double[95]));
        var rows = assertThrows(IllegalArgumentException.class, () -> new SampleFileGenerator(dir));
        assertTrue(rows.getMessage().contains("same number of rows, got 20 and 19"), rows.getMessage());

        double[] bad = new double[100];
        bad[7 * 5 + 2] = Double.NaN;
        Npy.write(dir.resolve("x.npy"), new NpyArray(new int[] {20, 5}, bad));
        SampleFileGenerator g = new SampleFileGenerator(dir);
        var nan = assertThrows(IllegalArgumentException.class, () -> g.read(0, 20, new double[60], new double[100]));
        assertTrue(nan.getMessage().endsWith("x.npy row 7 must be finite, got NaN in column 2"), nan.getMessage());

        Files.writeString(dir.resolve("x.npy"), "garbage");
        assertThrows(NpyFormatException.class, () -> new SampleFileGenerator(dir));
        Files.delete(dir.resolve("x.npy"));
        var missing = assertThrows(IllegalArgumentException.class, () -> new SampleFileGenerator(dir));
        assertTrue(missing.getMessage().startsWith("samples directory must contain x.npy"), missing.getMessage());
    }
}
