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
        if (hin == 1 && pad == 0 && stride == 1) {
            // a 1 × 1 input: every (o, ky, kx) row of cols is one output pixel, no overlaps; a transpose
            for (int o = 0; o < cout; o++) {
                for (int q = 0; q < k * k; q++) {
                    int colBase = (o * k * k + q) * b;
                    int outBase = o * b * planeOut + q;
                    for (int s = 0; s < b; s++) {
                        out[outBase + s * planeOut] = cols[colBase + s];
                    }
                }
            }
            return;
        }
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

    /** Whether this is the DCGAN's doubling layer, k = 4, s = 2, p = 1, which {@link #applyBnRelu} computes. */
    boolean isDoubling() {
        return k == 4 && stride == 2 && pad == 1;
    }

    /**
     * The doubling layer (k = 4, s = 2, p = 1) in float32 followed by the fused inference batch
     * norm and ReLU, out = max(0, scale[o]·y + shift[o]): one SGEMM, then col2im as a gather that
     * writes every output pixel once. Output row oy = 2·iy − 1 + ky takes the kernel rows ky of
     * parity (oy + 1) mod 2, at most two; column ox = 2j takes (kx, ix) = (1, j) and (3, j − 1),
     * column 2j + 1 takes (2, j) and (0, j + 1); terms outside the input are absent.
     */
    void applyBnRelu(LinearAlgebra la, int b, float[] in, float[] cols, float[] out, float[] scale, float[] shift) {
        if (!isDoubling()) {
            throw new IllegalStateException("applyBnRelu needs k = 4, s = 2, p = 1, got k = " + k + ", s = " + stride
                    + ", p = " + pad);
        }
        int hh = hin * hin;
        int pixIn = b * hh;
        la.sgemm(true, false, cout * 16, pixIn, cin, 1f, weightFloat, in, 0f, cols);
        int planeOut = hout * hout;
        int last = hin - 1;
        for (int o = 0; o < cout; o++) {
            float sc = scale[o];
            float sh = shift[o];
            for (int s = 0; s < b; s++) {
                int base = o * 16 * pixIn + s * hh;
                int outPlane = (o * b + s) * planeOut;
                for (int oy = 0; oy < hout; oy++) {
                    int kyA = (oy + 1) & 1;
                    int iyA = (oy + 1 - kyA) >> 1;
                    int iyB = iyA - 1;
                    // row offsets of kernel row ky at input row iy, at kx = 0; -1 when outside the input
                    int rowA = iyA < hin ? base + kyA * 4 * pixIn + iyA * hin : -1;
                    int rowB = iyB >= 0 ? base + (kyA + 2) * 4 * pixIn + iyB * hin : -1;
                    int outRow = outPlane + oy * hout;
                    for (int j = 0; j < hin; j++) {
                        float even = 0f;
                        float odd = 0f;
                        if (rowA >= 0) {
                            int q = rowA + j;
                            even += cols[q + pixIn];
                            odd += cols[q + 2 * pixIn];
                            if (j > 0) {
                                even += cols[q + 3 * pixIn - 1];
                            }
                            if (j < last) {
                                odd += cols[q + 1];
                            }
                        }
                        if (rowB >= 0) {
                            int q = rowB + j;
                            even += cols[q + pixIn];
                            odd += cols[q + 2 * pixIn];
                            if (j > 0) {
                                even += cols[q + 3 * pixIn - 1];
                            }
                            if (j < last) {
                                odd += cols[q + 1];
                            }
                        }
                        float ve = even * sc + sh;
                        float vo = odd * sc + sh;
                        out[outRow + 2 * j] = ve > 0f ? ve : 0f;
                        out[outRow + 2 * j + 1] = vo > 0f ? vo : 0f;
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
