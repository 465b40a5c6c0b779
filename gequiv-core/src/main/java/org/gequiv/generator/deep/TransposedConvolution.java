package org.gequiv.generator.deep;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.ResidentMatrix;

/**
 * A 2-D transposed convolution without bias, as in PyTorch's {@code ConvTranspose2d}: input
 * {@code cin × h × h}, weight {@code cin × cout × k × k}, output {@code cout × h' × h'} with
 * h' = (h − 1)·s − 2p + k, and
 *
 * <pre>  y[o, iy·s − p + ky, ix·s − p + kx] += Σ_i x[i, iy, ix] · W[i, o, ky, kx].</pre>
 *
 * <p>Computed as a GEMM, cols = Wᵀ X with X the {@code cin × (B·h·h)} channel-major activations of
 * B samples and one row of cols per (o, ky, kx), followed by col2im. The col2im is a gather that
 * writes every output pixel once, with the element-wise layer that follows applied on the way
 * ({@link Activation}): the batch norm folded to scale·y + shift and ReLU, or tanh. Its geometry,
 * which (ky, kx, iy, ix) land on which output pixel, is computed once at construction as a
 * {@link Gather} plan of contiguous row segments and shared by the float64 and float32 passes; each
 * pixel sums its terms in ascending (ky, kx), the order of a scatter-add over the kernel, from 0.
 *
 * <p>float64 ({@link #apply(LinearAlgebra, int, double[], double[], double[], double[], double[],
 * Activation)}) is one DGEMM over the whole chunk. float32 ({@link #applyFloat}) multiplies
 * float32 weights resident in the BLAS's memory and works in blocks of {@link #sampleBlock}
 * samples and {@link #channelGroup} output channels, so that each block's columns (at most
 * {@value #BLOCK_COLUMNS} entries, 2 MB) stay in cache between the SGEMM and the gather, and the
 * SGEMM's N dimension is still ≥ 512 where the image allows. The blocks are fixed by the layer's
 * shape, so a sample's arithmetic depends only on its position in the chunk and the chunk's size.
 *
 * <p>Immutable; the apply methods use only caller buffers, so one instance serves many threads.
 */
final class TransposedConvolution {

    /** The element-wise layer applied in the gather. */
    enum Activation {
        /** The raw convolution (batch-norm calibration). */
        NONE,
        /** max(0, scale[o]·y + shift[o]): inference batch norm and ReLU. */
        BATCH_NORM_RELU,
        /** tanh y, the output layer. */
        TANH
    }

    /** Entries of cols per float32 block: 2 MB, inside the last-level cache next to the other operands. */
    static final int BLOCK_COLUMNS = 1 << 19;
    /** Target N (columns of cols) of a float32 SGEMM: below it OpenBLAS repacks the weights too often per flop. */
    static final int TARGET_N = 512;

    final int cin;
    final int cout;
    final int k;
    final int stride;
    final int pad;
    final int hin;
    final int hout;
    private final double[] weight;
    private final Gather gather;
    /** Wᵀ, {@code (cout·k·k) × cin}, rounded to float32 in the BLAS's memory; null for a float64-only instance. */
    private final ResidentMatrix weightRows;
    private final LinearAlgebra owner;

    /** A float64 transposed convolution ({@link #apply} only). */
    TransposedConvolution(int cin, int cout, int k, int stride, int pad, int hin, double[] weight) {
        this(cin, cout, k, stride, pad, hin, weight, null);
    }

    /**
     * @param weight {@code cin × cout × k × k} row-major, not copied (must not change)
     * @param la     the implementation {@link #applyFloat} will run on, which keeps the float32
     *               weights; null when only the float64 {@link #apply} is used
     */
    TransposedConvolution(int cin, int cout, int k, int stride, int pad, int hin, double[] weight, LinearAlgebra la) {
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
        this.gather = new Gather(k, stride, pad, hin, hout);
        this.owner = la;
        if (la == null) {
            this.weightRows = null;
        } else {
            int rows = cout * k * k;
            double[] transposed = new double[rows * cin];
            for (int i = 0; i < cin; i++) {
                for (int r = 0; r < rows; r++) {
                    transposed[r * cin + i] = weight[i * rows + r];
                }
            }
            this.weightRows = la.residentFloat(rows, cin, transposed);
        }
    }

    /** Entries of the float64 column buffer for a chunk of {@code b} samples. */
    long columnSize(int b) {
        return (long) cout * k * k * b * hin * hin;
    }

    /** Samples per float32 block: enough for N = samples·h·h ≥ {@value #TARGET_N}, at most {@code chunk}. */
    int sampleBlock(int chunk) {
        int hh = hin * hin;
        return Math.max(1, Math.min(chunk, (TARGET_N + hh - 1) / hh));
    }

    /** Output channels per float32 block: as many as fit {@value #BLOCK_COLUMNS} entries of cols. */
    int channelGroup(int chunk) {
        long perChannel = (long) k * k * sampleBlock(chunk) * hin * hin;
        return (int) Math.max(1, Math.min(cout, BLOCK_COLUMNS / perChannel));
    }

    /** Entries of the float32 column buffer of {@link #applyFloat} for chunks of up to {@code chunk} samples. */
    int floatColumnSize(int chunk) {
        return channelGroup(chunk) * k * k * sampleBlock(chunk) * hin * hin;
    }

    /**
     * The float64 pass over a chunk: one DGEMM, then the gather.
     *
     * @param b     samples in the chunk
     * @param in    {@code cin × b × hin × hin} channel-major, not modified
     * @param cols  scratch of at least {@link #columnSize} entries
     * @param out   overwritten with {@code cout × b × hout × hout}
     * @param scale per output channel, for {@link Activation#BATCH_NORM_RELU} (else unused, may be null)
     * @param shift per output channel, likewise
     */
    void apply(LinearAlgebra la, int b, double[] in, double[] cols, double[] out, double[] scale,
               double[] shift, Activation activation) {
        int n = b * hin * hin;
        la.gemm(true, false, cout * k * k, n, cin, 1.0, weight, in, 0.0, cols);
        for (int o = 0; o < cout; o++) {
            double sc = activation == Activation.BATCH_NORM_RELU ? scale[o] : 1.0;
            double sh = activation == Activation.BATCH_NORM_RELU ? shift[o] : 0.0;
            for (int s = 0; s < b; s++) {
                gather.run(cols, o * k * k * n + s * hin * hin, n, out, (o * b + s) * hout * hout, sc, sh,
                        activation);
            }
        }
    }

    /** The raw convolution ({@link Activation#NONE}): for calibration and tests. */
    void apply(LinearAlgebra la, int b, double[] in, double[] cols, double[] out) {
        apply(la, b, in, cols, out, null, null, Activation.NONE);
    }

    /**
     * The float32 pass over a chunk: for each block of {@link #sampleBlock} samples and
     * {@link #channelGroup} output channels, one SGEMM of the resident float32 weights with that
     * block of X, then the gather of that block into {@code out}.
     *
     * @param la    the implementation given at construction
     * @param b     samples in the chunk, at most {@code chunk}
     * @param chunk the chunk size the blocks are cut for (fixed by the caller, not by b)
     * @param in    {@code cin × b × hin × hin} channel-major, not modified
     * @param cols  scratch of at least {@link #floatColumnSize} entries
     * @param out   overwritten with {@code cout × b × hout × hout}
     */
    void applyFloat(LinearAlgebra la, int b, int chunk, float[] in, float[] cols, float[] out,
                    float[] scale, float[] shift, Activation activation) {
        if (la != owner || weightRows == null) {
            throw new IllegalStateException("float32 weights were not made for " + la.name());
        }
        int hh = hin * hin;
        int kk = k * k;
        int sb = sampleBlock(chunk);
        int group = channelGroup(chunk);
        int ldb = b * hh;
        for (int s0 = 0; s0 < b; s0 += sb) {
            int nb = Math.min(sb, b - s0);
            int n = nb * hh;
            for (int o0 = 0; o0 < cout; o0 += group) {
                int g = Math.min(group, cout - o0);
                la.sgemm(weightRows, o0 * kk, g * kk, in, s0 * hh, ldb, n, cols);
                for (int o = o0; o < o0 + g; o++) {
                    float sc = activation == Activation.BATCH_NORM_RELU ? scale[o] : 1f;
                    float sh = activation == Activation.BATCH_NORM_RELU ? shift[o] : 0f;
                    for (int s = 0; s < nb; s++) {
                        gather.run(cols, (o - o0) * kk * n + s * hh, n, out, (o * b + s0 + s) * hout * hout, sc,
                                sh, activation);
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /**
     * Which columns land on which output pixels. Output column ox = ix·s − p + kx, so the columns of
     * phase r = ox mod s, ox = j·s + r, take the kernel columns kx ≡ r + p (mod s) with
     * ix = j + (r + p − kx)/s; output row oy takes the kernel rows ky ≡ oy + p (mod s) with
     * iy = (oy + p − ky)/s. For each (oy, r) the plan lists, in ascending (ky, kx), the segments
     * "entries j0 … j0+len−1 of the phase row get cols row (ky, kx) from input pixel iy·h + j0 + d
     * on": contiguous adds, each terms inside the input only.
     */
    static final class Gather {
        private final int stride;
        private final int hout;
        /** Per (oy, r): first segment, the phase row's width ⌈(hout − r)/s⌉, and the entries all its segments cover. */
        private final int[] first;
        private final int[] width;
        private final int[] interiorLo;
        private final int[] interiorHi;
        /** Per segment: kernel row q = ky·k + kx of cols, source pixel of entry j0, j0, length. */
        private final int[] kernelRow;
        private final int[] source;
        private final int[] start;
        private final int[] length;

        Gather(int k, int s, int p, int hin, int hout) {
            this.stride = s;
            this.hout = hout;
            int rows = hout * s;
            first = new int[rows + 1];
            width = new int[rows];
            interiorLo = new int[rows];
            interiorHi = new int[rows];
            int capacity = hout * s * k * k;
            int[] q = new int[capacity];
            int[] src = new int[capacity];
            int[] j0s = new int[capacity];
            int[] len = new int[capacity];
            int count = 0;
            for (int oy = 0; oy < hout; oy++) {
                for (int r = 0; r < s; r++) {
                    int u = oy * s + r;
                    first[u] = count;
                    int w = Math.max(0, ceilDiv(hout - r, s));
                    width[u] = w;
                    for (int ky = 0; ky < k; ky++) {
                        int dy = oy + p - ky;
                        if (Math.floorMod(dy, s) != 0 || dy < 0 || dy / s >= hin) {
                            continue;
                        }
                        int iy = dy / s;
                        for (int kx = 0; kx < k; kx++) {
                            int dx = r + p - kx;
                            if (Math.floorMod(dx, s) != 0) {
                                continue;
                            }
                            int d = Math.floorDiv(dx, s);
                            int lo = Math.max(0, -d);
                            int hi = Math.min(w, hin - d);
                            if (hi <= lo) {
                                continue;
                            }
                            q[count] = ky * k + kx;
                            src[count] = iy * hin + lo + d;
                            j0s[count] = lo;
                            len[count] = hi - lo;
                            count++;
                        }
                    }
                    int lo = 0;
                    int hi = first[u] == count ? 0 : w;
                    for (int g = first[u]; g < count; g++) {
                        lo = Math.max(lo, j0s[g]);
                        hi = Math.min(hi, j0s[g] + len[g]);
                    }
                    interiorLo[u] = Math.min(lo, hi);
                    interiorHi[u] = hi;
                }
            }
            first[rows] = count;
            kernelRow = java.util.Arrays.copyOf(q, count);
            source = java.util.Arrays.copyOf(src, count);
            start = java.util.Arrays.copyOf(j0s, count);
            length = java.util.Arrays.copyOf(len, count);
        }

        /**
         * One output plane from cols: entry (q, pixel) of the sample at {@code cols[base + q·n + pixel]},
         * the result, activated, into {@code out[dst …]} ({@code hout × hout}), every pixel written once.
         * Each phase row runs one loop over the entries that all its segments cover (the interior,
         * with as many loads per entry as terms) and handles the few edge entries term by term.
         */
        void run(double[] cols, int base, int n, double[] out, int dst, double sc, double sh, Activation activation) {
            // one affine-and-clamp form in every loop, so the JIT compiles one tight loop for all layers:
            // max(floor, sc·v + sh) with floor 0 for ReLU, −∞ (no clamp) otherwise; tanh after the plane
            double floor = activation == Activation.BATCH_NORM_RELU ? 0.0 : Double.NEGATIVE_INFINITY;
            if (activation != Activation.BATCH_NORM_RELU) {
                sc = 1.0;
                sh = 0.0;
            }
            int s = stride;
            for (int u = 0; u < width.length; u++) {
                int row = dst + (u / s) * hout + u % s;
                int g0 = first[u];
                int taps = first[u + 1] - g0;
                int w = width[u];
                int lo = interiorLo[u];
                int hi = interiorHi[u];
                for (int j = lo > 0 ? 0 : hi; j < w; j = j + 1 == lo ? hi : j + 1) {
                    // the edges, where some terms fall outside the input
                    double v = 0.0 + edge(cols, base, n, g0, taps, j);
                    v = v * sc + sh;
                    out[row + j * s] = v > floor ? v : floor;
                }
                if (taps == 4) {
                    int a0 = base + kernelRow[g0] * n + source[g0] - start[g0];
                    int a1 = base + kernelRow[g0 + 1] * n + source[g0 + 1] - start[g0 + 1];
                    int a2 = base + kernelRow[g0 + 2] * n + source[g0 + 2] - start[g0 + 2];
                    int a3 = base + kernelRow[g0 + 3] * n + source[g0 + 3] - start[g0 + 3];
                    for (int j = lo; j < hi; j++) {
                        double v = ((0.0 + cols[a0 + j] + cols[a1 + j]) + cols[a2 + j]) + cols[a3 + j];
                        v = v * sc + sh;
                        out[row + j * s] = v > floor ? v : floor;
                    }
                } else if (taps == 2) {
                    int a0 = base + kernelRow[g0] * n + source[g0] - start[g0];
                    int a1 = base + kernelRow[g0 + 1] * n + source[g0 + 1] - start[g0 + 1];
                    for (int j = lo; j < hi; j++) {
                        double v = (0.0 + cols[a0 + j]) + cols[a1 + j];
                        v = v * sc + sh;
                        out[row + j * s] = v > floor ? v : floor;
                    }
                } else if (taps == 1) {
                    int a0 = base + kernelRow[g0] * n + source[g0] - start[g0];
                    for (int j = lo; j < hi; j++) {
                        double v = 0.0 + cols[a0 + j];
                        v = v * sc + sh;
                        out[row + j * s] = v > floor ? v : floor;
                    }
                } else {
                    for (int j = lo; j < hi; j++) {
                        double v = 0.0 + edge(cols, base, n, g0, taps, j);
                        v = v * sc + sh;
                        out[row + j * s] = v > floor ? v : floor;
                    }
                }
            }
            if (activation == Activation.TANH) {
                for (int i = dst; i < dst + hout * hout; i++) {
                    out[i] = Math.tanh(out[i]);
                }
            }
        }

        /** The terms of segments g0 … g0+taps−1 that cover entry j, summed in order from 0. */
        private double edge(double[] cols, int base, int n, int g0, int taps, int j) {
            double v = 0.0;
            for (int g = g0; g < g0 + taps; g++) {
                int d = j - start[g];
                if (d >= 0 && d < length[g]) {
                    v += cols[base + kernelRow[g] * n + source[g] + d];
                }
            }
            return v;
        }

        /** {@link #run(double[], int, int, double[], int, double, double, Activation)} in float32. */
        void run(float[] cols, int base, int n, float[] out, int dst, float sc, float sh, Activation activation) {
            // one affine-and-clamp form in every loop, so the JIT compiles one tight loop for all layers:
            // max(floor, sc·v + sh) with floor 0 for ReLU, −∞ (no clamp) otherwise; tanh after the plane
            float floor = activation == Activation.BATCH_NORM_RELU ? 0f : Float.NEGATIVE_INFINITY;
            if (activation != Activation.BATCH_NORM_RELU) {
                sc = 1f;
                sh = 0f;
            }
            int s = stride;
            for (int u = 0; u < width.length; u++) {
                int row = dst + (u / s) * hout + u % s;
                int g0 = first[u];
                int taps = first[u + 1] - g0;
                int w = width[u];
                int lo = interiorLo[u];
                int hi = interiorHi[u];
                for (int j = lo > 0 ? 0 : hi; j < w; j = j + 1 == lo ? hi : j + 1) {
                    // the edges, where some terms fall outside the input
                    float v = edge(cols, base, n, g0, taps, j);
                    v = v * sc + sh;
                    out[row + j * s] = v > floor ? v : floor;
                }
                if (taps == 4) {
                    int a0 = base + kernelRow[g0] * n + source[g0] - start[g0];
                    int a1 = base + kernelRow[g0 + 1] * n + source[g0 + 1] - start[g0 + 1];
                    int a2 = base + kernelRow[g0 + 2] * n + source[g0 + 2] - start[g0 + 2];
                    int a3 = base + kernelRow[g0 + 3] * n + source[g0 + 3] - start[g0 + 3];
                    for (int j = lo; j < hi; j++) {
                        float v = ((cols[a0 + j] + cols[a1 + j]) + cols[a2 + j]) + cols[a3 + j];
                        v = v * sc + sh;
                        out[row + j * s] = v > floor ? v : floor;
                    }
                } else if (taps == 2) {
                    int a0 = base + kernelRow[g0] * n + source[g0] - start[g0];
                    int a1 = base + kernelRow[g0 + 1] * n + source[g0 + 1] - start[g0 + 1];
                    for (int j = lo; j < hi; j++) {
                        float v = (cols[a0 + j]) + cols[a1 + j];
                        v = v * sc + sh;
                        out[row + j * s] = v > floor ? v : floor;
                    }
                } else if (taps == 1) {
                    int a0 = base + kernelRow[g0] * n + source[g0] - start[g0];
                    for (int j = lo; j < hi; j++) {
                        float v = cols[a0 + j];
                        v = v * sc + sh;
                        out[row + j * s] = v > floor ? v : floor;
                    }
                } else {
                    for (int j = lo; j < hi; j++) {
                        float v = edge(cols, base, n, g0, taps, j);
                        v = v * sc + sh;
                        out[row + j * s] = v > floor ? v : floor;
                    }
                }
            }
            if (activation == Activation.TANH) {
                for (int i = dst; i < dst + hout * hout; i++) {
                    out[i] = DcganGenerator.tanhFloat(out[i]);
                }
            }
        }

        /** The terms of segments g0 … g0+taps−1 that cover entry j, summed in order from 0. */
        private float edge(float[] cols, int base, int n, int g0, int taps, int j) {
            float v = 0f;
            for (int g = g0; g < g0 + taps; g++) {
                int d = j - start[g];
                if (d >= 0 && d < length[g]) {
                    v += cols[base + kernelRow[g] * n + source[g] + d];
                }
            }
            return v;
        }
    }
}
