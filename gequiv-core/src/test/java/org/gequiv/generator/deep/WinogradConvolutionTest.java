package org.gequiv.generator.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.gequiv.linalg.JavaLinearAlgebra;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

/**
 * {@link WinogradConvolution} against the direct float64 transposed convolution (k4 s2 p1) on the
 * same float32 inputs and float64 weights, within the rounding bound of docs/theory.md §7.1.1.
 */
class WinogradConvolutionTest {

    private static final double U = 0x1p-24;

    /**
     * Every output pixel within 4·γ_{cin+6}·Σ_channels (Σ_window |x|)(Σ_sub-kernel |w|), over
     * the 3 × 3 input window and 2 × 2 sub-kernel of its phase (docs/theory.md §7.1.1), plus the
     * float64 reference's own γ_{4cin} (in units 2⁻⁵³) on Σ|x w|; with the activations, the
     * batch norm's two roundings or tanh's one ulp as in the direct pass's test. Configurations:
     * the smallest input (one tile a sample), samples cut into several blocks with a last partial
     * one (8 × 8, 16 tiles a sample, blocks of 8 samples), odd channel counts, and more channels
     * than the skew; on the native implementation and on the pure-Java fallback. A wrong transform
     * errs by O(|y|), far above the bound (≈ 10⁻⁵ relative), and the largest error must be nonzero
     * (the pass really rounds to float32).
     */
    @Test
    void matchesTheDirectFloat64ConvolutionWithinTheDerivedBound() {
        RandomGenerator rng = RandomStreams.stream(3, "test-winograd");
        // cin, cout, hin, samples in the chunk
        int[][] configs = {{7, 5, 2, 3}, {3, 9, 6, 2}, {20, 17, 8, 11}, {130, 24, 4, 3}};
        for (LinearAlgebra la : new LinearAlgebra[] {LinearAlgebra.get(), new JavaLinearAlgebra()}) {
            for (int[] cfg : configs) {
                int cin = cfg[0];
                int cout = cfg[1];
                int h = cfg[2];
                int b = cfg[3];
                double[] w = new double[cin * cout * 16];
                for (int i = 0; i < w.length; i++) {
                    // not float32-representable: the rounding of U is part of what is checked
                    w[i] = 0.02 * rng.nextGaussian();
                }
                WinogradConvolution t = new WinogradConvolution(cin, cout, h, w, la);
                assertEquals(2 * h, t.hout);
                if (h == 8) {
                    assertTrue(t.sampleBlock(b) < b && b % t.sampleBlock(b) != 0,
                            "one block, or blocks of one size: the partial block is not exercised");
                }
                // per sample (channel, y, x) for the reference; pixel-major for the pass
                double[][] x = new double[b][cin * h * h];
                float[] pixelMajor = new float[b * h * h * cin];
                for (int q = 0; q < b; q++) {
                    for (int i = 0; i < cin * h * h; i++) {
                        float v = (float) Math.max(0, rng.nextGaussian());
                        x[q][i] = v;
                        pixelMajor[(q * h * h + i % (h * h)) * cin + i / (h * h)] = v;
                    }
                }
                float[] scale = new float[cout];
                float[] shift = new float[cout];
                for (int o = 0; o < cout; o++) {
                    scale[o] = (float) (0.5 + rng.nextDouble());
                    shift[o] = (float) (0.3 * rng.nextGaussian());
                }
                WinogradConvolution.Scratch scratch = new WinogradConvolution.Scratch(
                        new WinogradConvolution[] {null, t}, b);
                int plane = 4 * h * h;
                double worst = 0;
                for (TransposedConvolution.Activation activation : TransposedConvolution.Activation.values()) {
                    float[] out = new float[b * plane * cout];
                    java.util.Arrays.fill(out, Float.NaN);
                    t.applyFloat(la, b, b, pixelMajor, scratch, out, scale, shift, activation);
                    for (int q = 0; q < b; q++) {
                        for (int o = 0; o < cout; o++) {
                            for (int oy = 0; oy < 2 * h; oy++) {
                                for (int ox = 0; ox < 2 * h; ox++) {
                                    double[] ref = direct(x[q], cin, h, w, cout, o, oy, ox);
                                    double y = ref[0];
                                    double bound = 4 * gamma(cin + 6) * phaseBound(x[q], cin, h, w, cout, o, oy, ox)
                                            + 4 * cin * 0x1p-53 * ref[1];
                                    double expected = y;
                                    if (activation == TransposedConvolution.Activation.BATCH_NORM_RELU) {
                                        expected = Math.max(0, scale[o] * y + shift[o]);
                                        bound = bound * scale[o] + 2 * U * (Math.abs(scale[o] * y) + Math.abs(shift[o]));
                                    } else if (activation == TransposedConvolution.Activation.TANH) {
                                        expected = Math.tanh(y);
                                        bound += 2 * U * Math.abs(expected);
                                    }
                                    float got = out[(q * plane + oy * 2 * h + ox) * cout + o];
                                    double err = Math.abs(got - expected);
                                    assertTrue(err <= bound + Float.MIN_NORMAL, la.name() + " " + activation
                                            + " config " + java.util.Arrays.toString(cfg) + " sample " + q + " channel "
                                            + o + " pixel (" + oy + ", " + ox + "): " + got + " vs " + expected
                                            + ", bound " + bound);
                                    if (activation == TransposedConvolution.Activation.NONE) {
                                        worst = Math.max(worst, err);
                                    }
                                }
                            }
                        }
                    }
                }
                assertTrue(worst > 0, la.name() + " config " + java.util.Arrays.toString(cfg)
                        + ": exact results, the pass did not round to float32");
            }
        }
    }

    @Test
    void refusesOtherShapes() {
        assertTrue(WinogradConvolution.fits(4, 2, 1, 16));
        assertTrue(!WinogradConvolution.fits(4, 2, 1, 5) && !WinogradConvolution.fits(4, 1, 0, 4)
                && !WinogradConvolution.fits(3, 2, 1, 4) && !WinogradConvolution.fits(4, 2, 0, 4));
        LinearAlgebra la = LinearAlgebra.get();
        assertThrows(IllegalArgumentException.class, () -> new WinogradConvolution(2, 3, 5, new double[96], la));
        assertThrows(IllegalArgumentException.class, () -> new WinogradConvolution(2, 3, 4, new double[95], la));
    }

    private static double gamma(int n) {
        return n * U / (1 - n * U);
    }

    /**
     * {y, Σ|x w|} of output (o, oy, ox) of ConvTranspose2d(k4 s2 p1) in float64, oy = 2·iy − 1 + ky,
     * ox = 2·ix − 1 + kx, from the definition.
     */
    private static double[] direct(double[] x, int cin, int h, double[] w, int cout, int o, int oy, int ox) {
        double y = 0;
        double mag = 0;
        for (int i = 0; i < cin; i++) {
            for (int ky = 0; ky < 4; ky++) {
                for (int kx = 0; kx < 4; kx++) {
                    int dy = oy + 1 - ky;
                    int dx = ox + 1 - kx;
                    if (dy % 2 != 0 || dx % 2 != 0 || dy < 0 || dx < 0 || dy / 2 >= h || dx / 2 >= h) {
                        continue;
                    }
                    double t = x[(i * h + dy / 2) * h + dx / 2] * w[((i * cout + o) * 4 + ky) * 4 + kx];
                    y += t;
                    mag += Math.abs(t);
                }
            }
        }
        return new double[] {y, mag};
    }

    /**
     * Σ_channels (Σ |x| over the phase's 3 × 3 input window)(Σ |w| over its 2 × 2 sub-kernel) for
     * output (oy, ox): phase a = oy mod 2 of tile row i = ⌊oy/4⌋ reads the input rows
     * 2i + a − 1 … 2i + a + 1 and the kernel rows ky ≡ a + 1 (mod 2); likewise the columns.
     */
    private static double phaseBound(double[] x, int cin, int h, double[] w, int cout, int o, int oy, int ox) {
        int ay = oy % 2;
        int ax = ox % 2;
        int y0 = 2 * (oy / 4) + ay - 1;
        int x0 = 2 * (ox / 4) + ax - 1;
        double total = 0;
        for (int i = 0; i < cin; i++) {
            double sx = 0;
            for (int r = y0; r < y0 + 3; r++) {
                for (int c = x0; c < x0 + 3; c++) {
                    if (r >= 0 && r < h && c >= 0 && c < h) {
                        sx += Math.abs(x[(i * h + r) * h + c]);
                    }
                }
            }
            double sw = 0;
            for (int ky = 1 - ay; ky < 4; ky += 2) {
                for (int kx = 1 - ax; kx < 4; kx += 2) {
                    sw += Math.abs(w[((i * cout + o) * 4 + ky) * 4 + kx]);
                }
            }
            total += sx * sw;
        }
        return total;
    }
}
