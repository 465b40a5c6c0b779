package org.gequiv.generator.deep;

import java.util.Arrays;
import org.gequiv.linalg.LinearAlgebra;

/**
 * A 3 × 3 convolution with padding 1, stride 1 and bias, as PyTorch's {@code Conv2d(cin, cout, 3,
 * padding=1)}: weight {@code cout × cin × 3 × 3}, computed as im2col followed by one GEMM.
 *
 * <p>Two forms: {@link #apply} on one sample in float64 (bias and ReLU included), and
 * {@link #productFloat} on a batch in float32, one SGEMM for the whole batch with the bias left to
 * the caller, who fuses it with the next element-wise layer. Immutable; both write only to caller
 * buffers, so one instance serves many threads.
 */
final class Conv3x3 {

    final int cin;
    final int cout;
    final double[] weight;
    final double[] bias;
    /** The weight and bias rounded to float32, for {@link #productFloat}. */
    final float[] weightFloat;
    final float[] biasFloat;
    /** The float32 weight by tap: row tap·cout + o, column c holds W[o, c, tap] (tap = 3·ky + kx). */
    private final float[] weightTaps;

    Conv3x3(int cin, int cout, double[] weight, double[] bias) {
        if (weight.length != cout * cin * 9) {
            throw new IllegalArgumentException("weight must have cout·cin·9 = " + cout * cin * 9 + " entries, got "
                    + weight.length);
        }
        if (bias.length != cout) {
            throw new IllegalArgumentException("bias must have cout = " + cout + " entries, got " + bias.length);
        }
        this.cin = cin;
        this.cout = cout;
        this.weight = weight;
        this.bias = bias;
        this.weightFloat = toFloat(weight);
        this.biasFloat = toFloat(bias);
        this.weightTaps = new float[weight.length];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int tap = 0; tap < 9; tap++) {
                    weightTaps[(tap * cout + o) * cin + c] = weightFloat[(o * cin + c) * 9 + tap];
                }
            }
        }
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    /**
     * @param in   {@code cin × h × h}, not modified
     * @param cols scratch of at least {@code cin·9·h·h}
     * @param out  overwritten with {@code cout × h × h}
     */
    void apply(LinearAlgebra la, int h, double[] in, double[] cols, double[] out, boolean relu) {
        int plane = h * h;
        for (int c = 0; c < cin; c++) {
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    int row = ((c * 3 + ky) * 3 + kx) * plane;
                    for (int y = 0; y < h; y++) {
                        int sy = y + ky - 1;
                        for (int x = 0; x < h; x++) {
                            int sx = x + kx - 1;
                            cols[row + y * h + x] = sy >= 0 && sy < h && sx >= 0 && sx < h
                                    ? in[(c * h + sy) * h + sx] : 0.0;
                        }
                    }
                }
            }
        }
        for (int o = 0; o < cout; o++) {
            Arrays.fill(out, o * plane, (o + 1) * plane, bias[o]);
        }
        la.gemm(false, false, cout, plane, cin * 9, 1.0, weight, cols, 1.0, out);
        if (relu) {
            for (int i = 0; i < cout * plane; i++) {
                if (out[i] < 0) {
                    out[i] = 0.0;
                }
            }
        }
    }

    /**
     * W ∗ x without the bias for a batch of {@code b} samples in float32, by one SGEMM for the whole
     * batch in one of two forms, whichever copies less and runs the wider product: with fewer input
     * than output channels im2col, {@code cout × (cin·9)} times the {@code (cin·9) × (b·h·h)}
     * columns; otherwise the nine taps at once, T = W_taps X with W_taps of shape
     * {@code (9·cout) × cin} and X the input itself, then out = Σ_tap (T_tap shifted by the tap).
     *
     * @param in   {@code cin × b × h × h} (channel, sample, row, column), not modified
     * @param cols scratch of at least {@link #scratchFloat} entries
     * @param out  overwritten with {@code cout × b × h × h}
     */
    void productFloat(LinearAlgebra la, int b, int h, float[] in, float[] cols, float[] out) {
        int plane = h * h;
        int width = b * plane;
        if (cin >= cout) {
            la.sgemm(false, false, 9 * cout, width, cin, 1f, weightTaps, in, 0f, cols);
            shiftAdd(b, h, cols, out);
            return;
        }
        for (int c = 0; c < cin; c++) {
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    int row = ((c * 3 + ky) * 3 + kx) * width;
                    for (int s = 0; s < b; s++) {
                        shiftedPlane(in, (c * b + s) * plane, h, ky - 1, kx - 1, cols, row + s * plane);
                    }
                }
            }
        }
        la.sgemm(false, false, cout, width, cin * 9, 1f, weightFloat, cols, 0f, out);
    }

    /** Scratch entries {@link #productFloat} needs for {@code b} samples of {@code h × h}. */
    long scratchFloat(int b, int h) {
        return 9L * (cin >= cout ? cout : cin) * b * h * h;
    }

    /**
     * out[o, s, y, x] = Σ_{ky, kx} t[(tap·cout + o), s, y + ky − 1, x + kx − 1] over the taps whose
     * source pixel lies inside the plane (zero padding), tap = 3·ky + kx.
     */
    private void shiftAdd(int b, int h, float[] t, float[] out) {
        int plane = h * h;
        int width = b * plane;
        for (int o = 0; o < cout; o++) {
            for (int s = 0; s < b; s++) {
                int dst = (o * b + s) * plane;
                System.arraycopy(t, (4 * cout + o) * width + s * plane, out, dst, plane);
                for (int tap = 0; tap < 9; tap++) {
                    if (tap == 4) {
                        continue;
                    }
                    int dy = tap / 3 - 1;
                    int dx = tap % 3 - 1;
                    int src = (tap * cout + o) * width + s * plane;
                    int x0 = Math.max(0, -dx);
                    int x1 = Math.min(h, h - dx);
                    for (int y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
                        int d = dst + y * h;
                        int so = src + (y + dy) * h + dx;
                        for (int x = x0; x < x1; x++) {
                            out[d + x] += t[so + x];
                        }
                    }
                }
            }
        }
    }

    /** dst[y·h + x] = src[(y + dy)·h + x + dx] inside the h × h plane, 0 outside (|dy|, |dx| ≤ 1). */
    private static void shiftedPlane(float[] src, int from, int h, int dy, int dx, float[] dst, int to) {
        for (int y = 0; y < h; y++) {
            int sy = y + dy;
            int d = to + y * h;
            if (sy < 0 || sy >= h) {
                Arrays.fill(dst, d, d + h, 0f);
                continue;
            }
            int sr = from + sy * h;
            if (dx == 0) {
                System.arraycopy(src, sr, dst, d, h);
            } else if (dx < 0) {
                dst[d] = 0f;
                System.arraycopy(src, sr, dst, d + 1, h - 1);
            } else {
                System.arraycopy(src, sr + 1, dst, d, h - 1);
                dst[d + h - 1] = 0f;
            }
        }
    }
}
