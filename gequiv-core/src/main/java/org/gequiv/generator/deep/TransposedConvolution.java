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
 * <p>Computed as a GEMM followed by col2im, a gather that writes every output pixel once, with
 * the element-wise layer that follows applied on the way ({@link Activation}): the batch norm
 * folded to scale·y + shift and ReLU, or tanh. Each pixel sums its terms in ascending (ky, kx),
 * the order of a scatter-add over the kernel, from the first.
 *
 * <p>float64 ({@link #apply(LinearAlgebra, int, double[], double[], double[], double[], double[],
 * Activation)}, the reference) is channel-major: one DGEMM cols = Wᵀ X over the whole chunk, with
 * X the {@code cin × (B·h·h)} activations of B samples and one row of cols per (o, ky, kx), and
 * the gather of a {@link Gather} plan of contiguous row segments.
 *
 * <p>float32 ({@link #applyFloat}) is pixel-major (each sample {@code h × h × cin}, channels
 * fastest, as a GPU's NHWC): cols = X W with one row per input pixel and one column per (ky, kx,
 * o), so that the gather adds, for each output pixel, the contiguous channel vectors of its at
 * most ⌈k/s⌉² taps and applies the per-channel batch norm to a contiguous vector: one loop per
 * output pixel and group, with unit-stride loads and stores (the channel-major gather's stride-s
 * stores, rows of h entries and edge terms cost as much as 90 % of the SGEMM on the 32 × 32
 * layer, 33 of 38 ms per chunk of 32; this gather 8). Java 17's C2 does not vectorise these loops
 * (loads and stores at different run-time offsets of float arrays that might alias), so they run
 * scalar, still ~1 ns per entry. The weights are kept in float32 in the BLAS's
 * memory, their columns ordered (group of {@link #group} output channels, ky, kx, channel in the
 * group), and each SGEMM takes a block of {@link #sampleBlock} samples (≈ {@value #TARGET_ROWS}
 * pixel rows, all its channels contiguous) times one group's columns, at most
 * {@value #BLOCK_COLUMNS} entries of cols, so that they stay in the core's cache between the
 * SGEMM and the gather. The blocks are fixed by the layer's shape and the chunk size, so a
 * sample's arithmetic depends only on its position in the chunk and the chunk's size.
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

    /** Entries of cols per float32 block: 1 MB, the size of a core's L2 cache on the machines measured. */
    static final int BLOCK_COLUMNS = 1 << 18;
    /**
     * Target M (pixel rows of X) of a float32 SGEMM: with N ≈ 512 columns of weights too, each
     * operand OpenBLAS packs is used for ≥ 1000 flops per entry.
     */
    static final int TARGET_ROWS = 512;

    final int cin;
    final int cout;
    final int k;
    final int stride;
    final int pad;
    final int hin;
    final int hout;
    private final double[] weight;
    private final Gather gather;
    /** Output channels per float32 SGEMM (the last group may be narrower), fixed by the layer's shape. */
    final int group;
    /** The float32 gather's taps per output pixel. */
    private final PixelTaps taps;
    /**
     * W, {@code cin × (k·k·cout)}, rounded to float32 in the BLAS's memory, columns ordered (group,
     * ky, kx, channel in the group); null for a float64-only instance.
     */
    private final ResidentMatrix weightColumns;
    /** Scale 1 and shift 0 per output channel: {@link Activation#NONE} and {@link Activation#TANH} in the one affine loop. */
    private final float[] ones;
    private final float[] zeros;
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
        int hh = hin * hin;
        long rowsMax = (long) ceilDiv(TARGET_ROWS, hh) * hh;
        int g = (int) Math.max(1, Math.min(cout, BLOCK_COLUMNS / (rowsMax * k * k)));
        // whole AVX vectors per channel row where the channels allow
        this.group = g >= 8 ? g - g % 8 : g;
        this.taps = new PixelTaps(k, stride, pad, hin, hout);
        this.owner = la;
        this.ones = new float[cout];
        this.zeros = new float[cout];
        java.util.Arrays.fill(ones, 1f);
        if (la == null) {
            this.weightColumns = null;
        } else {
            int kk = k * k;
            int width = kk * cout;
            double[] reordered = new double[cin * width];
            for (int i = 0; i < cin; i++) {
                for (int o0 = 0; o0 < cout; o0 += group) {
                    int gw = Math.min(group, cout - o0);
                    for (int q = 0; q < kk; q++) {
                        for (int j = 0; j < gw; j++) {
                            // W[i, o, ky, kx] with o = o0 + j, q = ky·k + kx
                            reordered[i * width + o0 * kk + q * gw + j] = weight[(i * cout + o0 + j) * kk + q];
                        }
                    }
                }
            }
            this.weightColumns = la.residentFloat(cin, width, reordered);
        }
    }

    /** Entries of the float64 column buffer for a chunk of {@code b} samples. */
    long columnSize(int b) {
        return (long) cout * k * k * b * hin * hin;
    }

    /** Samples per float32 block: enough for M = samples·h·h ≥ {@value #TARGET_ROWS}, at most {@code chunk}. */
    int sampleBlock(int chunk) {
        int hh = hin * hin;
        return Math.max(1, Math.min(chunk, ceilDiv(TARGET_ROWS, hh)));
    }

    /** Entries of the float32 column buffer of {@link #applyFloat} for chunks of up to {@code chunk} samples. */
    int floatColumnSize(int chunk) {
        return sampleBlock(chunk) * hin * hin * k * k * group;
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
     * The float32 pass over a chunk, pixel-major: for each block of {@link #sampleBlock} samples
     * and {@link #group} output channels, one SGEMM of that block of X with the group's resident
     * float32 weight columns, then the gather of that block into {@code out}.
     *
     * @param la    the implementation given at construction
     * @param b     samples in the chunk, at most {@code chunk}
     * @param chunk the chunk size the blocks are cut for (fixed by the caller, not by b)
     * @param in    {@code b × hin × hin × cin} pixel-major (channels fastest), not modified
     * @param cols  scratch of at least {@link #floatColumnSize} entries
     * @param out   overwritten with {@code b × hout × hout × cout} pixel-major
     * @param scale per output channel, for {@link Activation#BATCH_NORM_RELU} (else unused, may be null)
     * @param shift per output channel, likewise
     */
    void applyFloat(LinearAlgebra la, int b, int chunk, float[] in, float[] cols, float[] out,
                    float[] scale, float[] shift, Activation activation) {
        if (la != owner || weightColumns == null) {
            throw new IllegalStateException("float32 weights were not made for " + la.name());
        }
        boolean bn = activation == Activation.BATCH_NORM_RELU;
        float[] sc = bn ? scale : ones;
        float[] sh = bn ? shift : zeros;
        // one affine-and-clamp form for every activation: max(floor, sc·v + sh), floor 0 for ReLU, −∞ otherwise
        float floor = bn ? 0f : Float.NEGATIVE_INFINITY;
        boolean tanh = activation == Activation.TANH;
        int hh = hin * hin;
        int kk = k * k;
        int sb = sampleBlock(chunk);
        int plane = hout * hout;
        for (int s0 = 0; s0 < b; s0 += sb) {
            int nb = Math.min(sb, b - s0);
            for (int o0 = 0; o0 < cout; o0 += group) {
                int gw = Math.min(group, cout - o0);
                la.sgemm(nb * hh, in, s0 * hh * cin, weightColumns, o0 * kk, gw * kk, cols);
                for (int s = 0; s < nb; s++) {
                    taps.run(cols, s * hh, kk * gw, gw, out, (s0 + s) * plane * cout + o0, cout, sc, sh, o0, floor,
                            tanh);
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
    }

    /**
     * The float32 gather's geometry: for each output pixel (oy, ox) of a plane, its taps, the
     * input pixels iy·h + ix and kernel entries ky·k + kx with oy = iy·s − p + ky and
     * ox = ix·s − p + kx inside the input, in ascending (ky, kx).
     */
    static final class PixelTaps {
        /** Per output pixel: its first tap (one more entry at the end). */
        private final int[] first;
        private final int[] pixel;
        private final int[] kernel;

        PixelTaps(int k, int s, int p, int hin, int hout) {
            int plane = hout * hout;
            first = new int[plane + 1];
            int[] px = new int[plane * k * k];
            int[] q = new int[plane * k * k];
            int count = 0;
            for (int oy = 0; oy < hout; oy++) {
                for (int ox = 0; ox < hout; ox++) {
                    first[oy * hout + ox] = count;
                    for (int ky = 0; ky < k; ky++) {
                        int dy = oy + p - ky;
                        if (Math.floorMod(dy, s) != 0 || dy < 0 || dy / s >= hin) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int dx = ox + p - kx;
                            if (Math.floorMod(dx, s) != 0 || dx < 0 || dx / s >= hin) {
                                continue;
                            }
                            px[count] = (dy / s) * hin + dx / s;
                            q[count] = ky * k + kx;
                            count++;
                        }
                    }
                }
            }
            first[plane] = count;
            pixel = java.util.Arrays.copyOf(px, count);
            kernel = java.util.Arrays.copyOf(q, count);
        }

        /**
         * One sample's output plane for one group of {@code gw} channels from its block of cols:
         * the entry (input pixel i, kernel entry q, channel j) at {@code cols[(row0 + i)·width +
         * q·gw + j]}; output pixel z's channels into {@code out[dst + z·stride …]} (stride = all
         * output channels), max(floor, sc[o0 + j]·v + sh[o0 + j]), then tanh if asked, every entry
         * written once.
         */
        void run(float[] cols, int row0, int width, int gw, float[] out, int dst, int stride, float[] sc, float[] sh,
                 int o0, float floor, boolean tanh) {
            int pixels = first.length - 1;
            for (int z = 0; z < pixels; z++) {
                int g0 = first[z];
                int n = first[z + 1] - g0;
                int d = dst + z * stride;
                if (n == 4) {
                    int a0 = (row0 + pixel[g0]) * width + kernel[g0] * gw;
                    int a1 = (row0 + pixel[g0 + 1]) * width + kernel[g0 + 1] * gw;
                    int a2 = (row0 + pixel[g0 + 2]) * width + kernel[g0 + 2] * gw;
                    int a3 = (row0 + pixel[g0 + 3]) * width + kernel[g0 + 3] * gw;
                    for (int j = 0; j < gw; j++) {
                        float v = ((cols[a0 + j] + cols[a1 + j]) + cols[a2 + j]) + cols[a3 + j];
                        out[d + j] = Math.max(floor, v * sc[o0 + j] + sh[o0 + j]);
                    }
                } else if (n == 2) {
                    int a0 = (row0 + pixel[g0]) * width + kernel[g0] * gw;
                    int a1 = (row0 + pixel[g0 + 1]) * width + kernel[g0 + 1] * gw;
                    for (int j = 0; j < gw; j++) {
                        float v = cols[a0 + j] + cols[a1 + j];
                        out[d + j] = Math.max(floor, v * sc[o0 + j] + sh[o0 + j]);
                    }
                } else if (n == 1) {
                    int a0 = (row0 + pixel[g0]) * width + kernel[g0] * gw;
                    for (int j = 0; j < gw; j++) {
                        out[d + j] = Math.max(floor, cols[a0 + j] * sc[o0 + j] + sh[o0 + j]);
                    }
                } else {
                    // other kernels and strides: the terms added into out in order, then the affine map
                    if (n == 0) {
                        java.util.Arrays.fill(out, d, d + gw, 0f);
                    } else {
                        int a0 = (row0 + pixel[g0]) * width + kernel[g0] * gw;
                        System.arraycopy(cols, a0, out, d, gw);
                    }
                    for (int t = g0 + 1; t < g0 + n; t++) {
                        int a = (row0 + pixel[t]) * width + kernel[t] * gw;
                        for (int j = 0; j < gw; j++) {
                            out[d + j] += cols[a + j];
                        }
                    }
                    for (int j = 0; j < gw; j++) {
                        out[d + j] = Math.max(floor, out[d + j] * sc[o0 + j] + sh[o0 + j]);
                    }
                }
                if (tanh) {
                    for (int j = d; j < d + gw; j++) {
                        out[j] = DcganGenerator.tanhFloat(out[j]);
                    }
                }
            }
        }
    }
}
