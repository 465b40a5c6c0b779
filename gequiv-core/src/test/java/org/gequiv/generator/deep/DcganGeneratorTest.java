package org.gequiv.generator.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.gequiv.generator.Precision;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

class DcganGeneratorTest {

    /**
     * Sums of at most a few thousand O(1) products; the GEMM and the naive loop differ only in
     * summation order, so 1e-10 (the acceptance tolerance) leaves a margin of ~100×.
     */
    private static final double NAIVE_TOLERANCE = 1e-10;

    /**
     * Calibration (256 latent vectors) and check (256 fresh ones) each estimate a channel's mean
     * with a standard error of at most σ/√(256·16): every channel has ≥ 16 positions per sample,
     * and in layer 1 (the fewest positions) they are independent linear maps of c. The difference
     * of two such estimates has standard error √2/64 ≈ 0.022 σ; 0.15 is ~7 of them, enough for the
     * maximum over 512 channels (≈ 3.5 standard errors) with a wide margin.
     */
    private static final double CALIBRATED_MEAN_TOLERANCE = 0.15;
    /**
     * Relative standard error of a variance estimate is √(2/n) for Gaussian data, √(2/4096) ≈ 0.022
     * per estimate, 0.031 for the ratio of two; 0.25 is ~8 of them, allowing for the non-Gaussian
     * (mixed-scale, rectified-input) deeper layers.
     */
    private static final double CALIBRATED_VARIANCE_TOLERANCE = 0.25;
    /**
     * With calibrated BN, the last ReLU outputs have second moment ≈ γ²/2 and the final
     * ConvT(64→3, σ = 0.02) gives a pre-tanh variance of order 64 · 0.02² · ½ ≈ 0.013: the pixel
     * variance (measured 0.0085 for seed 5) must lie within a factor ~5 of it. Without calibration
     * it is ~10⁻⁶ (measured 1.9e-6).
     */
    private static final double PIXEL_VARIANCE_LOW = 0.0025;
    private static final double PIXEL_VARIANCE_HIGH = 0.06;
    /** Uncalibrated running statistics shrink each layer by ~0.1: far below the calibrated range. */
    private static final double UNCALIBRATED_PIXEL_VARIANCE_MAX = 1e-4;

    /** PyTorch's ConvTranspose2d by definition, one sample, bias-free. */
    static double[] naiveTransposedConv(double[] in, int cin, int h, double[] w, int cout, int k, int s, int p) {
        int ho = (h - 1) * s - 2 * p + k;
        double[] out = new double[cout * ho * ho];
        for (int i = 0; i < cin; i++) {
            for (int iy = 0; iy < h; iy++) {
                for (int ix = 0; ix < h; ix++) {
                    double v = in[(i * h + iy) * h + ix];
                    for (int o = 0; o < cout; o++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int oy = iy * s - p + ky;
                                int ox = ix * s - p + kx;
                                if (oy >= 0 && oy < ho && ox >= 0 && ox < ho) {
                                    out[(o * ho + oy) * ho + ox] += v * w[((i * cout + o) * k + ky) * k + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The whole §7.1 network (any widths and depth) by naive loops, one sample. */
    static double[] naiveForward(DcganWeights w, double[] c) {
        double[] a = c.clone();
        int h = 1;
        int depth = w.layers();
        int[] ch = w.channels();
        for (int l = 0; l < depth; l++) {
            int cin = ch[l];
            int cout = ch[l + 1];
            // the §7.1 pattern written out: k4 s1 p0, then k4 s2 p1, finally k1 s1 p0
            int k = l == depth - 1 ? 1 : 4;
            int st = l == 0 || l == depth - 1 ? 1 : 2;
            int pd = l == 0 || l == depth - 1 ? 0 : 1;
            a = naiveTransposedConv(a, cin, h, w.conv()[l], cout, k, st, pd);
            h = (h - 1) * st - 2 * pd + k;
            int plane = h * h;
            for (int o = 0; o < cout; o++) {
                for (int q = 0; q < plane; q++) {
                    double v = a[o * plane + q];
                    if (l < depth - 1) {
                        v = (v - w.runningMean()[l][o]) / Math.sqrt(w.runningVar()[l][o] + DcganWeights.BN_EPSILON)
                                * w.gamma()[l][o] + w.beta()[l][o];
                        v = Math.max(v, 0);
                    } else {
                        v = Math.tanh(v);
                    }
                    a[o * plane + q] = v;
                }
            }
        }
        return a;
    }

    @Test
    void transposedConvolutionMatchesNaiveLoops() {
        RandomGenerator rng = RandomStreams.stream(1, "test");
        int[][] configs = {{7, 5, 4, 2, 1, 6}, {100, 9, 4, 1, 0, 1}, {5, 3, 1, 1, 0, 5}, {4, 6, 3, 2, 1, 5},
                {3, 2, 5, 3, 2, 4}};
        for (int[] cfg : configs) {
            int cin = cfg[0];
            int cout = cfg[1];
            int k = cfg[2];
            int s = cfg[3];
            int p = cfg[4];
            int h = cfg[5];
            double[] w = new double[cin * cout * k * k];
            RandomStreams.fillGaussian(rng, w, w.length);
            TransposedConvolution t = new TransposedConvolution(cin, cout, k, s, p, h, w);
            int b = 3;
            double[] perSample = new double[b * cin * h * h];
            RandomStreams.fillGaussian(rng, perSample, perSample.length);
            double[] channelMajor = new double[perSample.length];
            for (int q = 0; q < b; q++) {
                for (int i = 0; i < cin; i++) {
                    System.arraycopy(perSample, (q * cin + i) * h * h, channelMajor, (i * b + q) * h * h, h * h);
                }
            }
            double[] cols = new double[(int) t.columnSize(b)];
            double[] out = new double[cout * b * t.hout * t.hout];
            t.apply(LinearAlgebra.get(), b, channelMajor, cols, out);
            for (int q = 0; q < b; q++) {
                double[] one = java.util.Arrays.copyOfRange(perSample, q * cin * h * h, (q + 1) * cin * h * h);
                double[] ref = naiveTransposedConv(one, cin, h, w, cout, k, s, p);
                int plane = t.hout * t.hout;
                for (int o = 0; o < cout; o++) {
                    for (int z = 0; z < plane; z++) {
                        assertEquals(ref[o * plane + z], out[(o * b + q) * plane + z], NAIVE_TOLERANCE,
                                "config " + java.util.Arrays.toString(cfg));
                    }
                }
            }
        }
    }

    /**
     * The float32 pass of a transposed convolution, blocks and gather, against the naive loops on
     * float32-representable weights and inputs, with the activations fused in the gather: each
     * pixel is a sum of at most cin·k² products, SGEMM sums cin of them and the gather at most k²
     * partial sums, so |error| ≤ (cin + k²)·2⁻²⁴·Σ|w x| (the standard bound for a sum of that
     * many terms, both inputs exact in float32), plus the roundings of the batch-norm affine map
     * (two) or of tanh (one ulp).
     * The last configuration (24 × 24 input, 60 output channels) is cut into 3 sample blocks and 3
     * channel groups, the last narrower; the others into one each, with edges on every side; k 3
     * s 1 (6 and 9 terms per pixel) and k 1 s 2 (pixels without terms) take the general gather.
     */
    @Test
    void float32TransposedConvolutionMatchesNaiveLoops() {
        RandomGenerator rng = RandomStreams.stream(1, "test-float");
        int[][] configs = {{7, 5, 4, 2, 1, 6}, {100, 9, 4, 1, 0, 1}, {5, 3, 1, 1, 0, 5}, {4, 6, 3, 2, 1, 5},
                {3, 2, 5, 3, 2, 4}, {4, 6, 3, 1, 1, 5}, {3, 4, 1, 2, 0, 4}, {3, 60, 4, 2, 1, 24}};
        LinearAlgebra la = LinearAlgebra.get();
        for (int[] cfg : configs) {
            int cin = cfg[0];
            int cout = cfg[1];
            int k = cfg[2];
            int s = cfg[3];
            int p = cfg[4];
            int h = cfg[5];
            double[] w = floats(rng, cin * cout * k * k);
            TransposedConvolution t = new TransposedConvolution(cin, cout, k, s, p, h, w, la);
            int b = 3;
            if (cfg == configs[configs.length - 1]) {
                assertEquals(1, t.sampleBlock(b));
                assertTrue(t.group < cout && cout % t.group != 0,
                        "one channel group, or groups of one width: the blocks are not exercised");
            }
            double[] perSample = floats(rng, b * cin * h * h);
            // each sample (channel, y, x) as the naive loops read it; h × h × cin, channels fastest, for the pass
            float[] pixelMajor = new float[perSample.length];
            for (int q = 0; q < b; q++) {
                for (int i = 0; i < cin * h * h; i++) {
                    pixelMajor[(q * h * h + i % (h * h)) * cin + i / (h * h)] = (float) perSample[q * cin * h * h + i];
                }
            }
            int plane = t.hout * t.hout;
            float[] scale = new float[cout];
            float[] shift = new float[cout];
            for (int o = 0; o < cout; o++) {
                scale[o] = (float) (0.5 + rng.nextDouble());
                shift[o] = (float) (0.3 * rng.nextGaussian());
            }
            for (TransposedConvolution.Activation activation : TransposedConvolution.Activation.values()) {
                float[] cols = new float[t.floatColumnSize(b)];
                float[] out = new float[cout * b * plane];
                java.util.Arrays.fill(out, Float.NaN);
                t.applyFloat(la, b, b, pixelMajor, cols, out, scale, shift, activation);
                for (int q = 0; q < b; q++) {
                    double[] one = java.util.Arrays.copyOfRange(perSample, q * cin * h * h, (q + 1) * cin * h * h);
                    double[] ref = naiveTransposedConv(one, cin, h, w, cout, k, s, p);
                    double[] mag = naiveTransposedConv(abs(one), cin, h, abs(w), cout, k, s, p);
                    for (int o = 0; o < cout; o++) {
                        for (int z = 0; z < plane; z++) {
                            double y = ref[o * plane + z];
                            double bound = (cin + k * k) * 0x1p-24 * mag[o * plane + z];
                            double expected = y;
                            if (activation == TransposedConvolution.Activation.BATCH_NORM_RELU) {
                                expected = Math.max(0, scale[o] * y + shift[o]);
                                // the product and the sum each rounded once
                                bound = bound * scale[o] + 2 * 0x1p-24 * (Math.abs(scale[o] * y) + Math.abs(shift[o]));
                            } else if (activation == TransposedConvolution.Activation.TANH) {
                                expected = Math.tanh(y);
                                // tanh has slope ≤ 1, plus its own rounding to float32 (one ulp, float32TanhIsTanhToOneUlp)
                                bound += 2 * 0x1p-24 * Math.abs(expected);
                            }
                            float got = out[(q * plane + z) * cout + o];
                            assertTrue(Math.abs(got - expected) <= bound + Float.MIN_NORMAL, activation + " config "
                                    + java.util.Arrays.toString(cfg) + " pixel " + z + ": " + got + " vs " + expected);
                        }
                    }
                }
            }
        }
    }

    /** n Gaussian values rounded to float32, as doubles. */
    private static double[] floats(RandomGenerator rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    private static double[] abs(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    /**
     * Results do not depend on how a batch is shared out between threads: a batch of two chunks
     * and a part, mapped in one call and as two pieces cut at a chunk boundary by two threads at
     * once, gives the same bits, in either precision.
     */
    @Test
    void batchSplitAtChunksBetweenThreadsGivesTheSameBits() throws InterruptedException {
        DcganWeights calibrated = DcganGenerator.random(6).weights();
        for (Precision precision : Precision.values()) {
            DcganGenerator g = new DcganGenerator(calibrated, "test", precision);
            int chunk = precision == Precision.FLOAT32 ? DcganGenerator.FLOAT_CHUNK : DcganGenerator.CHUNK;
            int batch = 2 * chunk + 5;
            int n = g.inputDimension();
            double[] c = new double[batch * 100];
            RandomStreams.fillGaussian(RandomStreams.stream(12, "latent"), c, c.length);
            double[] whole = new double[batch * n];
            g.map(batch, c, whole);
            double[] first = new double[chunk * n];
            double[] second = new double[(batch - chunk) * n];
            double[] rest = java.util.Arrays.copyOfRange(c, chunk * 100, batch * 100);
            Thread other = new Thread(() -> g.map(batch - chunk, rest, second));
            other.start();
            g.map(chunk, c, first);
            other.join();
            double[] pieces = new double[batch * n];
            System.arraycopy(first, 0, pieces, 0, first.length);
            System.arraycopy(second, 0, pieces, first.length, second.length);
            org.junit.jupiter.api.Assertions.assertArrayEquals(whole, pieces, precision.id());
        }
    }

    /**
     * {@link DcganGenerator#mapRows} on pieces cut at multiples of the split granularity (the
     * chunk size), run in any order, gives the rows of the whole-batch map bit for bit, in either
     * precision; and sampling inside a two-worker ForkJoinPool, where idle workers may take pieces
     * of the batch, gives the bits of sampling on one plain thread.
     */
    @Test
    void mapRowsAndSamplingInPiecesGiveTheWholeBatchBits() throws Exception {
        DcganWeights weights = DcganWeights.random(9, new int[] {6, 8, 2});
        for (Precision precision : Precision.values()) {
            DcganGenerator g = new DcganGenerator(weights, "test", precision);
            int chunk = g.splitGranularity();
            assertEquals(precision == Precision.FLOAT32 ? DcganGenerator.FLOAT_CHUNK : DcganGenerator.CHUNK, chunk);
            int batch = 5 * chunk + 3;
            int n = g.inputDimension();
            int d = g.latentDimension();
            double[] c = new double[batch * d];
            RandomStreams.fillGaussian(RandomStreams.stream(4, "latent"), c, c.length);
            double[] whole = new double[batch * n];
            g.map(batch, c, whole);
            double[] pieces = new double[batch * n];
            java.util.Arrays.fill(pieces, Double.NaN);
            g.mapRows(3 * chunk, batch, c, pieces);
            g.mapRows(chunk, 3 * chunk, c, pieces);
            g.mapRows(0, chunk, c, pieces);
            org.junit.jupiter.api.Assertions.assertArrayEquals(whole, pieces, precision.id());

            double[] latentPlain = new double[batch * d];
            double[] plain = new double[batch * n];
            g.sample(RandomStreams.stream(5, "sample"), batch, latentPlain, plain);
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(2);
            try {
                double[] latentSplit = new double[batch * d];
                double[] split = new double[batch * n];
                pool.submit(() -> g.sample(RandomStreams.stream(5, "sample"), batch, latentSplit, split)).get();
                org.junit.jupiter.api.Assertions.assertArrayEquals(latentPlain, latentSplit, precision.id());
                org.junit.jupiter.api.Assertions.assertArrayEquals(plain, split, precision.id());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void forwardPassMatchesNaiveNetworkAcrossChunks() {
        // random weights scaled up so that the activations are O(1) and tanh is nonlinear
        DcganWeights base = DcganWeights.random(3);
        double[][] conv = new double[5][];
        for (int l = 0; l < 5; l++) {
            conv[l] = base.conv()[l].clone();
            double fanIn = DcganWeights.CHANNELS[l] * DcganWeights.KERNEL[l] * DcganWeights.KERNEL[l]
                    / (double) (DcganWeights.STRIDE[l] * DcganWeights.STRIDE[l]);
            for (int i = 0; i < conv[l].length; i++) {
                conv[l][i] *= 1.5 / (0.02 * Math.sqrt(fanIn));
            }
        }
        double[][] mean = new double[4][];
        double[][] var = new double[4][];
        RandomGenerator rng = RandomStreams.stream(5, "bn");
        for (int l = 0; l < 4; l++) {
            int c = DcganWeights.CHANNELS[l + 1];
            mean[l] = new double[c];
            var[l] = new double[c];
            for (int i = 0; i < c; i++) {
                mean[l][i] = 0.1 * rng.nextGaussian();
                var[l][i] = 0.5 + rng.nextDouble();
            }
        }
        DcganWeights w = new DcganWeights(conv, base.gamma(), base.beta(), mean, var);
        DcganGenerator g = new DcganGenerator(w, "test");
        int batch = DcganGenerator.CHUNK + 2;
        double[] c = new double[batch * 100];
        double[] x = new double[batch * DcganGenerator.OUTPUT];
        g.sample(RandomStreams.stream(9, "latent"), batch, c, x);
        double maxAbs = 0;
        for (int q : new int[] {0, DcganGenerator.CHUNK + 1}) {
            double[] ref = naiveForward(w, java.util.Arrays.copyOfRange(c, q * 100, (q + 1) * 100));
            for (int i = 0; i < DcganGenerator.OUTPUT; i++) {
                assertEquals(ref[i], x[q * DcganGenerator.OUTPUT + i], NAIVE_TOLERANCE);
                maxAbs = Math.max(maxAbs, Math.abs(ref[i]));
            }
        }
        // the check is not vacuous: the outputs are O(1) and use the tanh's nonlinear range
        assertTrue(maxAbs > 0.5, "max |x| = " + maxAbs);
    }

    /**
     * Issue 11's acceptance for the float32 path: on the same weights and latent vectors, every
     * sample agrees with the float64 reference to 1e-5 in relative Euclidean norm,
     * ‖x₃₂ − x₆₄‖₂ / ‖x₆₄‖₂. Rounding to float32 (unit 2⁻²⁴ ≈ 6e-8) of weights, latent and every
     * partial sum grows like √(fan-in) per layer for sums of random-sign terms (≈ 22–45 units for
     * fan-ins 512…2048), so a five-layer pass is expected near 1e-6.
     */
    private static final double FLOAT32_RELATIVE_TOLERANCE = 1e-5;
    /** A float32 pass that equals float64 to 1e-9 did not run in float32 (the check would be vacuous). */
    private static final double FLOAT32_MINIMUM_DIFFERENCE = 1e-9;

    @Test
    void float32AgreesWithFloat64OnTheSameWeightsAndLatents() {
        DcganWeights calibrated = DcganGenerator.random(4).weights();
        DcganGenerator g64 = new DcganGenerator(calibrated, "test", Precision.FLOAT64);
        DcganGenerator g32 = new DcganGenerator(calibrated, "test", Precision.FLOAT32);
        assertEquals(Precision.FLOAT32, DcganGenerator.random(4, Precision.FLOAT32).precision());
        assertNotEquals(g64.description(), g32.description());
        // two float32 chunks, the second partial
        int batch = DcganGenerator.FLOAT_CHUNK + 3;
        int n = g64.inputDimension();
        double[] c = new double[batch * 100];
        RandomStreams.fillGaussian(RandomStreams.stream(11, "latent"), c, c.length);
        double[] x64 = new double[batch * n];
        double[] x32 = new double[batch * n];
        g64.map(batch, c, x64);
        g32.map(batch, c, x32);
        double worst = 0;
        for (int s = 0; s < batch; s++) {
            double diff = 0;
            double norm = 0;
            for (int i = s * n; i < (s + 1) * n; i++) {
                diff += (x32[i] - x64[i]) * (x32[i] - x64[i]);
                norm += x64[i] * x64[i];
                assertEquals((float) x32[i], x32[i], 0.0, "float32 outputs widen exactly");
            }
            double rel = Math.sqrt(diff / norm);
            assertTrue(rel <= FLOAT32_RELATIVE_TOLERANCE, "sample " + s + ": relative error " + rel);
            worst = Math.max(worst, rel);
        }
        assertTrue(worst > FLOAT32_MINIMUM_DIFFERENCE, "float32 equals float64 to " + worst);
    }

    /** The float32 tanh is Math.tanh rounded to float32, to one unit in the last place. */
    @Test
    void float32TanhIsTanhToOneUlp() {
        RandomGenerator rng = RandomStreams.stream(2, "tanh");
        for (int i = 0; i < 100_000; i++) {
            // magnitudes from 1e-8 to 20, both signs, and the series/exponential switch at 2^-10
            float v = (float) ((rng.nextBoolean() ? 1 : -1) * Math.pow(10, -8 + 9.3 * rng.nextDouble()));
            float expected = (float) Math.tanh(v);
            assertEquals(expected, DcganGenerator.tanhFloat(v), Math.ulp(expected), "tanh(" + v + ")");
        }
        for (float v : new float[] {0f, -0f, 0x1p-10f, -0x1p-10f, Math.nextDown(0x1p-10f), 40f, -40f}) {
            assertEquals((float) Math.tanh(v), DcganGenerator.tanhFloat(v), Math.ulp((float) Math.tanh(v)));
        }
    }

    /** An in-memory calibration store that counts what it was asked. */
    private static final class MemoryStore implements DcganGenerator.CalibrationStore {
        final Map<String, double[][][]> entries = new HashMap<>();
        int saves;
        int hits;

        @Override
        public double[][][] load(String key) {
            double[][][] e = entries.get(key);
            if (e != null) {
                hits++;
            }
            return e;
        }

        @Override
        public void save(String key, double[][] mean, double[][] var) {
            saves++;
            entries.put(key, new double[][][] {mean, var});
        }
    }

    @Test
    void randomInitIsReproducibleAndSeedDependent() {
        DcganGenerator a = DcganGenerator.random(1);
        // computed and saved, then taken from the store: the same weights bit for bit (the
        // description holds the SHA-256 of every calibrated value)
        MemoryStore store = new MemoryStore();
        DcganGenerator b = DcganGenerator.random(1, Precision.FLOAT64, store);
        assertEquals(1, store.saves);
        assertEquals(0, store.hits);
        DcganGenerator stored = DcganGenerator.random(1, Precision.FLOAT64, store);
        assertEquals(1, store.saves);
        assertEquals(1, store.hits);
        DcganGenerator other = DcganGenerator.random(2);
        assertEquals(a.description(), b.description());
        assertEquals(a.description(), stored.description());
        // a store whose entry does not fit the weights (one batch norm short) is ignored
        MemoryStore damaged = new MemoryStore();
        String key = store.entries.keySet().iterator().next();
        double[][][] e = store.entries.get(key);
        damaged.entries.put(key, new double[][][] {java.util.Arrays.copyOf(e[0], e[0].length - 1), e[1]});
        assertEquals(a.description(), DcganGenerator.random(1, Precision.FLOAT64, damaged).description());
        assertEquals(1, damaged.saves);
        assertNotEquals(a.description(), other.description());
        double[] c = new double[2 * 100];
        double[] x1 = new double[2 * 3072];
        double[] x2 = new double[2 * 3072];
        a.sample(RandomStreams.stream(4, "z"), 2, c, x1);
        b.sample(RandomStreams.stream(4, "z"), 2, c, x2);
        assertEquals(0, java.util.Arrays.compare(x1, x2));
        // DCGAN init statistics: kernels have standard deviation 0.02 (4.1e5 entries, 1 % tolerance)
        double[] k = a.weights().conv()[1];
        double ss = 0;
        for (double v : k) {
            ss += v * v;
        }
        assertEquals(0.02, Math.sqrt(ss / k.length), 0.02 * 0.01);
    }

    /**
     * Widths, image channels and depth are taken from the weights: a one-channel 32 × 32 network
     * (the shipped Fashion-MNIST shape, narrower) and a three-layer one (8 × 8, two channels) match
     * the naive loops, report their dimensions, and survive the array round trip.
     */
    @Test
    void widthsImageChannelsAndDepthComeFromTheWeights() {
        int[][] shapes = {{6, 10, 8, 6, 4, 1}, {5, 8, 6, 2}};
        int[][] images = {{1, 32, 32}, {2, 8, 8}};
        for (int t = 0; t < shapes.length; t++) {
            int[] ch = shapes[t];
            DcganWeights w = DcganGenerator.calibrateBatchNorm(DcganWeights.random(9, ch),
                    RandomStreams.stream(9, "calibration"), 64);
            DcganGenerator g = new DcganGenerator(w, "test");
            int n = images[t][0] * images[t][1] * images[t][2];
            assertEquals(ch[0], g.latentDimension());
            assertEquals(n, g.inputDimension());
            assertEquals(java.util.Arrays.toString(images[t]), java.util.Arrays.toString(g.imageShape()));
            int batch = DcganGenerator.CHUNK + 2;
            double[] c = new double[batch * ch[0]];
            RandomStreams.fillGaussian(RandomStreams.stream(2, "z"), c, c.length);
            double[] x = new double[batch * n];
            g.map(batch, c, x);
            double spread = 0;
            for (int q : new int[] {0, DcganGenerator.CHUNK + 1}) {
                double[] ref = naiveForward(w, java.util.Arrays.copyOfRange(c, q * ch[0], (q + 1) * ch[0]));
                for (int i = 0; i < n; i++) {
                    assertEquals(ref[i], x[q * n + i], NAIVE_TOLERANCE);
                    spread = Math.max(spread, Math.abs(ref[i]));
                }
            }
            // calibrated batch norms keep the outputs visible (not ~1e-3 as uncalibrated)
            assertTrue(spread > 0.01, "max |x| = " + spread);
            DcganWeights back = DcganWeights.fromArrays(w.toArrays(), w.arrayShapes());
            assertEquals(w.digest(), back.digest());
            assertEquals(java.util.Arrays.toString(ch), java.util.Arrays.toString(back.channels()));
        }
        // the default widths keep the digest of the fixed-architecture format (no widths hashed)
        DcganWeights d = DcganWeights.random(7);
        assertEquals(WeightFiles.digest(d.toArrays()), d.digest());
        assertNotEquals(WeightFiles.digest(DcganWeights.random(7, shapes[0]).toArrays()),
                DcganWeights.random(7, shapes[0]).digest());
    }

    @Test
    void weightsRoundTripThroughArraysIncludingTorchNames() {
        DcganWeights w = DcganWeights.random(7);
        Map<String, double[]> ours = w.toArrays();
        Map<String, int[]> shapes = DcganWeights.shapes();
        assertEquals(w.digest(), DcganWeights.fromArrays(ours, shapes).digest());
        Map<String, double[]> torch = new HashMap<>();
        Map<String, int[]> torchShapes = new HashMap<>();
        for (int l = 0; l < 5; l++) {
            torch.put("main." + 3 * l + ".weight", ours.get("conv" + (l + 1) + ".weight"));
            torchShapes.put("main." + 3 * l + ".weight", shapes.get("conv" + (l + 1) + ".weight"));
        }
        for (int l = 0; l < 4; l++) {
            for (String f : new String[] {"weight", "bias", "running_mean", "running_var"}) {
                torch.put("main." + (3 * l + 1) + "." + f, ours.get("bn" + (l + 1) + "." + f));
                torchShapes.put("main." + (3 * l + 1) + "." + f, shapes.get("bn" + (l + 1) + "." + f));
            }
        }
        assertEquals(w.digest(), DcganWeights.fromArrays(torch, torchShapes).digest());

        Map<String, int[]> bad = new HashMap<>(shapes);
        bad.put("conv2.weight", new int[] {256, 512, 4, 4});
        var e = assertThrows(IllegalArgumentException.class, () -> DcganWeights.fromArrays(ours, bad));
        assertEquals("conv2.weight must have shape [512, C, 4, 4] (input channels = conv1's output channels), got [256, 512, 4, 4]",
                e.getMessage());
        Map<String, double[]> missing = new HashMap<>(ours);
        missing.remove("bn3.running_var");
        var m = assertThrows(IllegalArgumentException.class, () -> DcganWeights.fromArrays(missing, shapes));
        assertTrue(m.getMessage().startsWith("DCGAN weights must contain 'bn3.running_var'"), m.getMessage());
    }

    /**
     * Per-channel sums and sums of squares of each batch norm's output (before the ReLU) over
     * {@code batch} samples and all positions, by the transposed convolutions (checked against
     * naive loops above) in chunks of 8 samples, with the BN folded from {@code w}; entry [4][0]
     * and [4][1] hold the sum and sum of squares of the tanh outputs.
     */
    static double[][][] batchNormOutputMoments(DcganWeights w, double[] latent, int batch) {
        double[][][] acc = new double[5][2][];
        TransposedConvolution[] t = new TransposedConvolution[5];
        int h = 1;
        for (int l = 0; l < 5; l++) {
            t[l] = new TransposedConvolution(DcganWeights.CHANNELS[l], DcganWeights.CHANNELS[l + 1],
                    DcganWeights.KERNEL[l], DcganWeights.STRIDE[l], DcganWeights.PAD[l], h, w.conv()[l]);
            h = t[l].hout;
            acc[l][0] = new double[DcganWeights.CHANNELS[l + 1]];
            acc[l][1] = new double[DcganWeights.CHANNELS[l + 1]];
        }
        int chunk = 8;
        for (int start = 0; start < batch; start += chunk) {
            int b = Math.min(chunk, batch - start);
            double[] a = new double[100 * b];
            for (int q = 0; q < b; q++) {
                for (int i = 0; i < 100; i++) {
                    a[i * b + q] = latent[(start + q) * 100 + i];
                }
            }
            for (int l = 0; l < 5; l++) {
                double[] out = new double[t[l].cout * b * t[l].hout * t[l].hout];
                t[l].apply(LinearAlgebra.get(), b, a, new double[(int) t[l].columnSize(b)], out);
                int plane = b * t[l].hout * t[l].hout;
                for (int o = 0; o < t[l].cout; o++) {
                    for (int z = o * plane; z < (o + 1) * plane; z++) {
                        double v = l < 4 ? (out[z] - w.runningMean()[l][o])
                                / Math.sqrt(w.runningVar()[l][o] + DcganWeights.BN_EPSILON) * w.gamma()[l][o]
                                + w.beta()[l][o] : Math.tanh(out[z]);
                        acc[l][0][o] += v;
                        acc[l][1][o] += v * v;
                        out[z] = Math.max(v, 0);
                    }
                }
                a = out;
            }
        }
        return acc;
    }

    private static double pixelVariance(double[][] sums, double count) {
        double s = 0;
        double ss = 0;
        for (int o = 0; o < sums[0].length; o++) {
            s += sums[0][o];
            ss += sums[1][o];
        }
        double m = s / count;
        return ss / count - m * m;
    }

    /**
     * Calibration of the random DCGAN's batch norms (DcganGenerator.random): on a fresh batch of
     * latent vectors, independent of the calibration batch, every BN layer's output (before the
     * ReLU) has per-channel mean β and variance γ², and the images are no longer vanishingly small.
     */
    @Test
    void randomDcganBatchNormIsCalibrated() {
        DcganWeights w = DcganGenerator.random(5).weights();
        int batch = 256;
        double[] c = new double[batch * 100];
        RandomStreams.fillGaussian(RandomStreams.stream(11, "fresh"), c, c.length);
        double[][][] acc = batchNormOutputMoments(w, c, batch);
        int h = 1;
        for (int l = 0; l < 4; l++) {
            h = (h - 1) * DcganWeights.STRIDE[l] - 2 * DcganWeights.PAD[l] + DcganWeights.KERNEL[l];
            double n = (double) batch * h * h;
            double worstMean = 0;
            double worstVar = 0;
            for (int o = 0; o < acc[l][0].length; o++) {
                double m = acc[l][0][o] / n;
                double v = acc[l][1][o] / n - m * m;
                double gamma = w.gamma()[l][o];
                worstMean = Math.max(worstMean, Math.abs(m - w.beta()[l][o]) / Math.abs(gamma));
                worstVar = Math.max(worstVar, Math.abs(v / (gamma * gamma) - 1));
            }
            assertTrue(worstMean < CALIBRATED_MEAN_TOLERANCE, "layer " + (l + 1) + ": max |mean − β|/γ = " + worstMean);
            assertTrue(worstVar < CALIBRATED_VARIANCE_TOLERANCE, "layer " + (l + 1) + ": max |var/γ² − 1| = " + worstVar);
        }
        double pixels = (double) batch * 32 * 32 * 3;
        double calibrated = pixelVariance(acc[4], pixels);
        assertTrue(calibrated > PIXEL_VARIANCE_LOW && calibrated < PIXEL_VARIANCE_HIGH, "pixel variance " + calibrated);
        // the same kernels with the init's running statistics (mean 0, variance 1): vanishing outputs
        double uncalibrated = pixelVariance(batchNormOutputMoments(DcganWeights.random(5), c, 32)[4],
                32.0 * 32 * 32 * 3);
        assertTrue(uncalibrated < UNCALIBRATED_PIXEL_VARIANCE_MAX, "uncalibrated pixel variance " + uncalibrated);
    }
}
