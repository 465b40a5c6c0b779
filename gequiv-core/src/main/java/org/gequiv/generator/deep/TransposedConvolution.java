package org.gequiv.generator.deep;

import org.gequiv.linalg.LinearAlgebra;

/**
 * A 2-D transposed convolution without bias, as in PyTorch's {@code ConvTranspose2d}: input
 * {@code cin × h × h}, weight {@code cin × cout × k × k}, output {@code cout × h' × h'} with
 * h' = (h − 1)·s − 2p + k, and
 *
 * <pre>  y[o, iy·s − p + ky, ix·s − p + kx] += Σ_i x[i, iy, ix] · W[i, o, ky, kx].</pre>
 *
 * <p>Computed for a whole chunk of samples as one GEMM, cols = Wᵀ X with X the {@code cin × (B·h·h)}
 * channel-major activations, followed by a col2im scatter-add. Immutable; {@link #apply} uses only
 * caller buffers, so one instance serves many threads.
 */
final class TransposedConvolution {

    final int cin;
    final int cout;
    final int k;
    final int stride;
    final int pad;
    final int hin;
    final int hout;
    private final double[] weight;
    /** The weight rounded to float32, for {@link #apply(LinearAlgebra, int, float[], float[], float[])}. */
    private final float[] weightFloat;

    TransposedConvolution(int cin, int cout, int k, int stride, int pad, int hin, double[] weight) {
        this.cin = cin;
        this.cout = cout;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        this.hin = hin;
        this.hout = (hin - 1) * stride - 2 * pad + k;
        if (hout < 1) {
            throw new IllegalArgumentException("output size must be >= 1, got " + hout);
        }
        if (weight.length != cin * cout * k * k) {
            throw new IllegalArgumentException("weight must have cin·cout·k·k = " + cin * cout * k * k
                    + " entries, got " + weight.length);
        }
        this.weight = weight;
        this.weightFloat = new float[weight.length];
        for (int i = 0; i < weight.length; i++) {
            weightFloat[i] = (float) weight[i];
        }
    }

    /** Entries of the column buffer for a chunk of {@code b} samples. */
    long columnSize(int b) {
        return (long) cout * k * k * b * hin * hin;
    }

    /**
     * @param b    samples in the chunk
     * @param in   {@code cin × b × hin × hin} channel-major, not modified
     * @param cols scratch of at least {@link #columnSize} entries
     * @param out  overwritten with {@code cout × b × hout × hout}
     */
    void apply(LinearAlgebra la, int b, double[] in, double[] cols, double[] out) {
        int pixIn = b * hin * hin;
        int rows = cout * k * k;
        la.gemm(true, false, rows, pixIn, cin, 1.0, weight, in, 0.0, cols);
        int planeOut = hout * hout;
        java.util.Arrays.fill(out, 0, cout * b * planeOut, 0.0);
        for (int o = 0; o < cout; o++) {
            for (int ky = 0; ky < k; ky++) {
                // input rows iy whose output row oy = iy·s − p + ky lies inside [0, hout)
                int iy0 = Math.max(0, ceilDiv(pad - ky, stride));
                int iy1 = Math.min(hin, ceilDiv(hout + pad - ky, stride));
                for (int kx = 0; kx < k; kx++) {
                    int ix0 = Math.max(0, ceilDiv(pad - kx, stride));
                    int ix1 = Math.min(hin, ceilDiv(hout + pad - kx, stride));
                    int colBase = ((o * k + ky) * k + kx) * pixIn;
                    for (int s = 0; s < b; s++) {
                        int outPlane = (o * b + s) * planeOut;
                        int inPlane = colBase + s * hin * hin;
                        for (int iy = iy0; iy < iy1; iy++) {
                            int outRow = outPlane + (iy * stride - pad + ky) * hout - pad + kx;
                            int inRow = inPlane + iy * hin;
                            for (int ix = ix0; ix < ix1; ix++) {
                                out[outRow + ix * stride] += cols[inRow + ix];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The same in float32: one SGEMM, cols = Wᵀ X, and the col2im scatter-add in float32 (the
     * arithmetic of PyTorch's float32 {@code ConvTranspose2d}). Buffers as in the float64
     * {@link #apply(LinearAlgebra, int, double[], double[], double[])}.
     */
    void apply(LinearAlgebra la, int b, float[] in, float[] cols, float[] out) {
        int pixIn = b * hin * hin;
        int rows = cout * k * k;
        la.sgemm(true, false, rows, pixIn, cin, 1f, weightFloat, in, 0f, cols);
        int planeOut = hout * hout;
        java.util.Arrays.fill(out, 0, cout * b * planeOut, 0f);
        for (int o = 0; o < cout; o++) {
            for (int ky = 0; ky < k; ky++) {
                int iy0 = Math.max(0, ceilDiv(pad - ky, stride));
                int iy1 = Math.min(hin, ceilDiv(hout + pad - ky, stride));
                for (int kx = 0; kx < k; kx++) {
                    int ix0 = Math.max(0, ceilDiv(pad - kx, stride));
                    int ix1 = Math.min(hin, ceilDiv(hout + pad - kx, stride));
                    int colBase = ((o * k + ky) * k + kx) * pixIn;
                    for (int s = 0; s < b; s++) {
                        int outPlane = (o * b + s) * planeOut;
                        int inPlane = colBase + s * hin * hin;
                        for (int iy = iy0; iy < iy1; iy++) {
                            int outRow = outPlane + (iy * stride - pad + ky) * hout - pad + kx;
                            int inRow = inPlane + iy * hin;
                            for (int ix = ix0; ix < ix1; ix++) {
                                out[outRow + ix * stride] += cols[inRow + ix];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
