package org.gequiv.generator.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

class DcganGeneratorTest {

    /**
     * Sums of at most a few thousand O(1) products; the GEMM and the naive loop differ only in
     * summation order, so 1e-10 (the acceptance tolerance) leaves a margin of ~100×.
     */
    private static final double NAIVE_TOLERANCE = 1e-10;

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

    /** The whole §7.1 network by naive loops, one sample. */
    static double[] naiveForward(DcganWeights w, double[] c) {
        double[] a = c.clone();
        int h = 1;
        for (int l = 0; l < 5; l++) {
            int cin = DcganWeights.CHANNELS[l];
            int cout = DcganWeights.CHANNELS[l + 1];
            a = naiveTransposedConv(a, cin, h, w.conv()[l], cout, DcganWeights.KERNEL[l], DcganWeights.STRIDE[l],
                    DcganWeights.PAD[l]);
            h = (h - 1) * DcganWeights.STRIDE[l] - 2 * DcganWeights.PAD[l] + DcganWeights.KERNEL[l];
            int plane = h * h;
            for (int o = 0; o < cout; o++) {
                for (int q = 0; q < plane; q++) {
                    double v = a[o * plane + q];
                    if (l < 4) {
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

    @Test
    void randomInitIsReproducibleAndSeedDependent() {
        DcganGenerator a = DcganGenerator.random(1);
        DcganGenerator b = DcganGenerator.random(1);
        DcganGenerator other = DcganGenerator.random(2);
        assertEquals(a.description(), b.description());
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
        assertEquals("conv2.weight must have shape [512, 256, 4, 4], got [256, 512, 4, 4]", e.getMessage());
        Map<String, double[]> missing = new HashMap<>(ours);
        missing.remove("bn3.running_var");
        var m = assertThrows(IllegalArgumentException.class, () -> DcganWeights.fromArrays(missing, shapes));
        assertTrue(m.getMessage().startsWith("DCGAN weights must contain 'bn3.running_var'"), m.getMessage());
    }
}
