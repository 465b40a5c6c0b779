package org.gequiv.generator.deep;

import org.gequiv.linalg.LinearAlgebra;

/**
 * A 3 × 3 convolution with padding 1, stride 1 and bias, as PyTorch's {@code Conv2d(cin, cout, 3,
 * padding=1)}: weight {@code cout × cin × 3 × 3}, computed as im2col followed by one GEMM.
 * Immutable; {@link #apply} writes only to caller buffers.
 */
final class Conv3x3 {

    final int cin;
    final int cout;
    final double[] weight;
    final double[] bias;

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
            java.util.Arrays.fill(out, o * plane, (o + 1) * plane, bias[o]);
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
}
