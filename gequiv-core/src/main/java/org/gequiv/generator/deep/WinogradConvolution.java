package org.gequiv.generator.deep;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.ResidentMatrix;

/**
 * The float32 transposed convolution with kernel 4, stride 2 and padding 1 (the DCGAN's hidden
 * layers, docs/theory.md §7.1.1) by Winograd's minimal filtering F(2, 2) per output phase, with
 * the input transforms shared between the phases: 36 products of cin-vectors per 4 × 4 output
 * tile and output channel instead of the direct 64, as 25 SGEMMs per block of tiles.
 *
 * <p>Output row oy = 2m + a of phase a ∈ {0, 1} takes the input rows m + a − 1 and m + a with
 * kernel rows (3, 1) for a = 0 and (2, 0) for a = 1: a 2-tap correlation, and likewise in the
 * columns. A tile covers the output rows 4i … 4i + 3 (m = 2i, 2i + 1 of both phases) and reads
 * the input rows e₀ … e₃ = 2i − 1 … 2i + 2 (zero outside the input). F(2, 2) with the points 0,
 * 1 and ∞ computes the two outputs of phase 0 from (e₀ − e₁, e₁, e₂ − e₁) times the kernel rows
 * (w₃, w₃ + w₁, w₁), summed as (first two, last two), and those of phase 1 from (e₁ − e₂, e₂,
 * e₃ − e₂) times (w₂, w₂ + w₀, w₀); e₁ − e₂ is minus the third input of phase 0, so the tile has
 * five transformed rows v = (e₀ − e₁, e₁, e₂ − e₁, e₂, e₃ − e₂) and six row "slots" (a
 * transformed row and a combination of kernel rows, {@link #SLOT_POSITION}, {@link #SLOT_KERNEL}):
 * the third row carries two, (w₁) and (−w₂). In two dimensions a tile has 5 × 5 transformed
 * inputs V (cin values each) and 6 × 6 slot pairs; the pairs at one input position share its V,
 * so each of the 25 positions is one SGEMM (tiles × cin) · (cin × pairs·cout) with the
 * transformed kernels U = Σ coefficients · W (1, 2 or 4 pairs). Every output pixel is then the
 * sum of four products ({@link #OUTPUT_SLOTS}). All transform coefficients are 0 and ±1.
 *
 * <p>Rounding (derived in docs/theory.md §7.1.1): U is formed in float64 from the float64
 * weights and rounded once to float32 (less than 2u on Σ|w|); V costs at most two float32
 * subtractions; the SGEMM sums cin products and the output adds its four terms pairwise. Each
 * elementary product x·w of the exact result thus carries at most cin + 6 roundings, and every
 * pixel's error is at most
 * 4·γ_{cin+6}·Σ_channels (Σ_window |x|)(Σ_sub-kernel |w|), over the 3 × 3 input window and 2 × 2
 * sub-kernel of its phase.
 *
 * <p>The tiles of a block of {@link #sampleBlock} samples (fixed by the layer's shape and the
 * chunk size, so a sample's arithmetic depends only on its position in the chunk and the chunk's
 * size) go through: a zero-padded copy, the input transform, one {@link LinearAlgebra#sgemmBatch}
 * of the 25 products, and the output transform with the element-wise layer applied as each
 * pixel is written. Pixel-major in and out (each sample {@code h × h × cin}, channels fastest), as
 * {@link TransposedConvolution#applyFloat}. Immutable; the buffers are the caller's
 * ({@link Scratch}), so one instance serves many threads.
 */
final class WinogradConvolution {

    /** Transformed input positions per tile (5 × 5), one SGEMM each. */
    static final int POSITIONS = 25;
    /** Slot pairs per tile (6 × 6): products per tile and output channel. */
    static final int PRODUCTS = 36;
    /**
     * Least tiles per block (the SGEMMs' M). A block takes cin·cout/{@value #TILES_PER_WEIGHT}
     * tiles and at least this many: each of the 36·cin·cout entries of U that the SGEMMs pack
     * again for every block is then used for at least 2·M flops, and where U is small the block
     * stays small, near the cache. Measured by thread CPU time per chunk of 32 (load 10–13): the
     * 8 × 8 layer (256 → 128) 23.5 ms at 512 tiles against 24.9 ms at 128, the 16 × 16 layer
     * (128 → 64) 27.8 ms at 128 tiles against 29–34 ms at 512 or 2048; raw SGEMMs of the shapes
     * 84.9 against 70.6 GFLOP/s (256 → 128, 512 against 128 tiles).
     */
    static final int MIN_TILES = 128;
    /** Weights cin·cout per tile of a block (see {@link #MIN_TILES}). */
    static final int TILES_PER_WEIGHT = 64;

    /**
     * Floats (one 64-byte cache line) added to every channel vector of the padded input and of V,
     * and between the position blocks of U and of the products: with cin = 512 channel vectors 2 kB
     * apart, the 16 loads and 25 stores of one tile fell into two sets of the 8-way L1 cache and
     * the input transform of the 4 × 4 layer cost 80 ns per tile and channel, four times that of
     * the 16 × 16 layer.
     */
    static final int SKEW = 16;

    /** The transformed input row (0 … 4) of each of the six 1-D slots. */
    private static final int[] SLOT_POSITION = {0, 1, 2, 2, 3, 4};
    /** The coefficients of each slot on the kernel rows 0 … 3: w₃, w₃ + w₁, w₁, −w₂, w₂ + w₀, w₀. */
    private static final int[][] SLOT_KERNEL = {{0, 0, 0, 1}, {0, 1, 0, 1}, {0, 1, 0, 0}, {0, 0, -1, 0},
        {1, 0, 1, 0}, {1, 0, 0, 0}};
    /** The two slots whose products sum to output row 4i + o of a tile: phase 0 (o = 0, 2), phase 1 (o = 1, 3). */
    private static final int[][] OUTPUT_SLOTS = {{0, 1}, {3, 4}, {1, 2}, {4, 5}};

    final int cin;
    final int cout;
    final int hin;
    final int hout;
    /** Tiles per input row, hin/2. */
    private final int half;
    /** Tiles per sample. */
    private final int tiles;
    /** Transformed kernels U, {@code cin × 36·cout} in float32, position p's pairs in columns firstCol[p] …. */
    private final ResidentMatrix kernels;
    private final int[] firstCol = new int[POSITIONS];
    private final int[] width = new int[POSITIONS];
    /** Columns of U, and of a tile's row of products: 36·cout and the skews. */
    private final int columns;
    /** Floats per channel vector in the padded input and V: cin + {@link #SKEW}. */
    private final int stride;
    /** Per output offset z = 4·oy + ox of a tile and term k: the column of its product in the tile's row. */
    private final int[] termColumn = new int[16 * 4];
    private final float[] ones;
    private final float[] zeros;
    private final LinearAlgebra owner;

    /** Whether a layer has the shape this class computes: kernel 4, stride 2, padding 1, an even input. */
    static boolean fits(int k, int stride, int pad, int hin) {
        return k == 4 && stride == 2 && pad == 1 && hin >= 2 && hin % 2 == 0;
    }

    /**
     * @param weight {@code cin × cout × 4 × 4} row-major, not modified and not retained
     * @param la     the implementation {@link #applyFloat} will run on, which keeps U
     */
    WinogradConvolution(int cin, int cout, int hin, double[] weight, LinearAlgebra la) {
        if (!fits(4, 2, 1, hin) || cin < 1 || cout < 1) {
            throw new IllegalArgumentException("a Winograd layer must have an even input size >= 2 and channels >= 1,"
                    + " got " + hin + ", " + cin + " → " + cout);
        }
        if (weight.length != cin * cout * 16) {
            throw new IllegalArgumentException("weight must have cin·cout·16 = " + cin * cout * 16 + " entries, got "
                    + weight.length);
        }
        this.cin = cin;
        this.cout = cout;
        this.hin = hin;
        this.hout = 2 * hin;
        this.half = hin / 2;
        this.tiles = half * half;
        this.stride = cin + SKEW;
        this.owner = la;
        this.ones = new float[cout];
        this.zeros = new float[cout];
        java.util.Arrays.fill(ones, 1f);
        int[] pairPosition = new int[PRODUCTS];
        int[] pairColumn = new int[PRODUCTS];
        int col = 0;
        for (int p = 0; p < POSITIONS; p++) {
            firstCol[p] = col;
            int q = 0;
            for (int s = 0; s < 6; s++) {
                for (int t = 0; t < 6; t++) {
                    if (SLOT_POSITION[s] * 5 + SLOT_POSITION[t] == p) {
                        pairPosition[s * 6 + t] = p;
                        pairColumn[s * 6 + t] = q * cout;
                        q++;
                    }
                }
            }
            width[p] = q * cout;
            col += width[p] + SKEW;
        }
        this.columns = col;
        double[] u = new double[cin * columns];
        for (int s = 0; s < 6; s++) {
            for (int t = 0; t < 6; t++) {
                int c0 = firstCol[pairPosition[s * 6 + t]] + pairColumn[s * 6 + t];
                for (int i = 0; i < cin; i++) {
                    for (int o = 0; o < cout; o++) {
                        double v = 0;
                        for (int ky = 0; ky < 4; ky++) {
                            for (int kx = 0; kx < 4; kx++) {
                                int c = SLOT_KERNEL[s][ky] * SLOT_KERNEL[t][kx];
                                if (c != 0) {
                                    v += c * weight[(i * cout + o) * 16 + ky * 4 + kx];
                                }
                            }
                        }
                        u[i * columns + c0 + o] = v;
                    }
                }
            }
        }
        // rounded to float32 once, from float64 sums of float64 weights
        this.kernels = la.residentFloat(cin, columns, u);
        for (int oy = 0; oy < 4; oy++) {
            for (int ox = 0; ox < 4; ox++) {
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        int pair = OUTPUT_SLOTS[oy][a] * 6 + OUTPUT_SLOTS[ox][b];
                        int term = (oy * 4 + ox) * 4 + a * 2 + b;
                        termColumn[term] = firstCol[pairPosition[pair]] + pairColumn[pair];
                    }
                }
            }
        }
    }

    /** Samples per block: enough for max({@value #MIN_TILES}, cin·cout/{@value #TILES_PER_WEIGHT}) tiles, at most {@code chunk}. */
    int sampleBlock(int chunk) {
        int target = Math.max(MIN_TILES, cin * cout / TILES_PER_WEIGHT);
        return Math.max(1, Math.min(chunk, -Math.floorDiv(-target, tiles)));
    }

    /**
     * The float32 pass over a chunk: for each block of {@link #sampleBlock} samples, the padded
     * copy, the input transform, the 25 SGEMMs and the output transform with the activation.
     *
     * @param la      the implementation given at construction
     * @param b       samples in the chunk, at most {@code chunk}
     * @param chunk   the chunk size the blocks are cut for (fixed by the caller, not by b)
     * @param in      {@code b × hin × hin × cin} pixel-major, not modified
     * @param scratch buffers made for at least this layer and {@code chunk}
     * @param out     overwritten with {@code b × hout × hout × cout} pixel-major
     * @param scale   per output channel, for {@link TransposedConvolution.Activation#BATCH_NORM_RELU} (else unused, may be null)
     * @param shift   per output channel, likewise
     */
    void applyFloat(LinearAlgebra la, int b, int chunk, float[] in, Scratch scratch, float[] out, float[] scale,
                    float[] shift, TransposedConvolution.Activation activation) {
        if (la != owner) {
            throw new IllegalStateException("float32 transformed kernels were not made for " + la.name());
        }
        boolean bn = activation == TransposedConvolution.Activation.BATCH_NORM_RELU;
        float[] sc = bn ? scale : ones;
        float[] sh = bn ? shift : zeros;
        float floor = bn ? 0f : Float.NEGATIVE_INFINITY;
        boolean tanh = activation == TransposedConvolution.Activation.TANH;
        int sb = sampleBlock(chunk);
        for (int s0 = 0; s0 < b; s0 += sb) {
            int nb = Math.min(sb, b - s0);
            int m = nb * tiles;
            pad(in, s0, nb, scratch.padded);
            transformInput(scratch.padded, nb, scratch.transformed);
            la.sgemmBatch(POSITIONS, m, scratch.transformed, stride, kernels, firstCol, width, scratch.products);
            transformOutput(scratch.products, nb, out, s0, sc, sh, floor, tanh);
        }
    }

    /**
     * Samples s0 … s0+nb−1 of {@code in} into {@code padded}, each (hin + 2)² pixels of {@link
     * #stride} floats (the channels, then the skew, never read), with a zero border.
     */
    private void pad(float[] in, int s0, int nb, float[] padded) {
        int pw = hin + 2;
        int row = pw * stride;
        for (int q = 0; q < nb; q++) {
            int base = q * pw * row;
            // the border is rewritten every time: the buffer is shared with layers of other sizes
            java.util.Arrays.fill(padded, base, base + row + stride, 0f);
            for (int y = 0; y < hin; y++) {
                int dst = base + (y + 1) * row + stride;
                int src = ((s0 + q) * hin + y) * hin * cin;
                for (int x = 0; x < hin; x++) {
                    System.arraycopy(in, src + x * cin, padded, dst + x * stride, cin);
                }
                // this row's right border and the next row's left border
                java.util.Arrays.fill(padded, dst + hin * stride, dst + (hin + 2) * stride, 0f);
            }
            java.util.Arrays.fill(padded, base + (pw - 1) * row + stride, base + pw * row, 0f);
        }
    }

    /**
     * V of every tile: position p = 5r + c of tile τ, channel ch, at {@code v[(25τ + p)·stride +
     * ch]} (one row of 25 channel vectors per tile, the A_p side by side), v = B_rowᵀ e B_col with the 1-D
     * transform (e₀ − e₁, e₁, e₂ − e₁, e₂, e₃ − e₂) on the rows, then on the columns. A tile's
     * values are written close together (25 write streams 64 kB apart, one per position, thrashed
     * the L1 cache and took longer than the SGEMMs).
     */
    private void transformInput(float[] padded, int nb, float[] v) {
        int pw = hin + 2;
        int c = stride;
        int row = pw * c;
        int st = c;
        int n = cin;
        for (int q = 0; q < nb; q++) {
            for (int i = 0; i < half; i++) {
                for (int j = 0; j < half; j++) {
                    int tau = (q * half + i) * half + j;
                    int x0 = (q * pw + 2 * i) * row + 2 * j * c;
                    int x1 = x0 + row;
                    int x2 = x1 + row;
                    int x3 = x2 + row;
                    int d = tau * POSITIONS * c;
                    for (int ch = 0; ch < n; ch++) {
                        // the rows' transforms: h_rk for input row r, transformed column k
                        float a0 = padded[x0 + ch];
                        float a1 = padded[x0 + c + ch];
                        float a2 = padded[x0 + 2 * c + ch];
                        float a3 = padded[x0 + 3 * c + ch];
                        float b0 = padded[x1 + ch];
                        float b1 = padded[x1 + c + ch];
                        float b2 = padded[x1 + 2 * c + ch];
                        float b3 = padded[x1 + 3 * c + ch];
                        float c0 = padded[x2 + ch];
                        float c1 = padded[x2 + c + ch];
                        float c2 = padded[x2 + 2 * c + ch];
                        float c3 = padded[x2 + 3 * c + ch];
                        float e0 = padded[x3 + ch];
                        float e1 = padded[x3 + c + ch];
                        float e2 = padded[x3 + 2 * c + ch];
                        float e3 = padded[x3 + 3 * c + ch];
                        float ha0 = a0 - a1;
                        float ha2 = a2 - a1;
                        float ha4 = a3 - a2;
                        float hb0 = b0 - b1;
                        float hb2 = b2 - b1;
                        float hb4 = b3 - b2;
                        float hc0 = c0 - c1;
                        float hc2 = c2 - c1;
                        float hc4 = c3 - c2;
                        float he0 = e0 - e1;
                        float he2 = e2 - e1;
                        float he4 = e3 - e2;
                        int o = d + ch;
                        // transformed row 0: a − b
                        v[o] = ha0 - hb0;
                        v[o + st] = a1 - b1;
                        v[o + 2 * st] = ha2 - hb2;
                        v[o + 3 * st] = a2 - b2;
                        v[o + 4 * st] = ha4 - hb4;
                        // row 1: b
                        v[o + 5 * st] = hb0;
                        v[o + 6 * st] = b1;
                        v[o + 7 * st] = hb2;
                        v[o + 8 * st] = b2;
                        v[o + 9 * st] = hb4;
                        // row 2: c − b
                        v[o + 10 * st] = hc0 - hb0;
                        v[o + 11 * st] = c1 - b1;
                        v[o + 12 * st] = hc2 - hb2;
                        v[o + 13 * st] = c2 - b2;
                        v[o + 14 * st] = hc4 - hb4;
                        // row 3: c
                        v[o + 15 * st] = hc0;
                        v[o + 16 * st] = c1;
                        v[o + 17 * st] = hc2;
                        v[o + 18 * st] = c2;
                        v[o + 19 * st] = hc4;
                        // row 4: e − c
                        v[o + 20 * st] = he0 - hc0;
                        v[o + 21 * st] = e1 - c1;
                        v[o + 22 * st] = he2 - hc2;
                        v[o + 23 * st] = e2 - c2;
                        v[o + 24 * st] = he4 - hc4;
                    }
                }
            }
        }
    }

    /**
     * Each output pixel of each tile from its four products, (t₀ + t₁) + (t₂ + t₃) (two roundings
     * on each, where a sum in sequence would put three on the first), activated,
     * into {@code out}; the products of tile τ are the row {@code prod[τ·36·cout …]}, in U's columns.
     */
    private void transformOutput(float[] prod, int nb, float[] out, int s0, float[] sc, float[] sh, float floor,
                                 boolean tanh) {
        int n = cout;
        for (int q = 0; q < nb; q++) {
            for (int i = 0; i < half; i++) {
                for (int j = 0; j < half; j++) {
                    int tau = (q * half + i) * half + j;
                    for (int z = 0; z < 16; z++) {
                        int oy = z >> 2;
                        int ox = z & 3;
                        int t = z * 4;
                        int r = tau * columns;
                        int a0 = r + termColumn[t];
                        int a1 = r + termColumn[t + 1];
                        int a2 = r + termColumn[t + 2];
                        int a3 = r + termColumn[t + 3];
                        int d = (((s0 + q) * hout + 4 * i + oy) * hout + 4 * j + ox) * n;
                        for (int o = 0; o < n; o++) {
                            float y = (prod[a0 + o] + prod[a1 + o]) + (prod[a2 + o] + prod[a3 + o]);
                            out[d + o] = Math.max(floor, y * sc[o] + sh[o]);
                        }
                        if (tanh) {
                            for (int o = d; o < d + n; o++) {
                                out[o] = DcganGenerator.tanhFloat(out[o]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One thread's buffers for the Winograd layers of a network: the padded inputs, the
     * transformed inputs and the products of one block, sized for the largest layer. Not
     * thread-safe.
     */
    static final class Scratch {
        final float[] padded;
        final float[] transformed;
        final float[] products;

        /** Buffers for every non-null layer of {@code layers} on chunks of up to {@code chunk} samples. */
        Scratch(WinogradConvolution[] layers, int chunk) {
            long p = 0;
            long v = 0;
            long c = 0;
            for (WinogradConvolution w : layers) {
                if (w == null) {
                    continue;
                }
                int sb = w.sampleBlock(chunk);
                long m = (long) sb * w.tiles;
                p = Math.max(p, (long) sb * (w.hin + 2) * (w.hin + 2) * w.stride);
                v = Math.max(v, POSITIONS * m * w.stride);
                c = Math.max(c, m * w.columns);
            }
            padded = new float[Math.toIntExact(p)];
            transformed = new float[Math.toIntExact(v)];
            products = new float[Math.toIntExact(c)];
        }
    }
}
