package org.gequiv.generator.deep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.gequiv.generator.Moments;
import org.gequiv.generator.Precision;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;

/**
 * The DCGAN generator of docs/theory.md §7.1, x = G(c) with c ∈ R^100 and x ∈ R^{3·32·32}:
 *
 * <pre>
 *   ConvT(100→512, k4 s1 p0)–BN–ReLU → ConvT(512→256, k4 s2 p1)–BN–ReLU → ConvT(256→128, k4 s2 p1)–BN–ReLU
 *   → ConvT(128→64, k4 s2 p1)–BN–ReLU → ConvT(64→3, k1 s1 p0) → tanh
 * </pre>
 *
 * or the same pattern with the widths, image channels and depth of the weights (see
 * {@link DcganWeights}; for example the shipped Fashion-MNIST DCGAN, 100 → 256 → 128 → 64 → 32 → 1,
 * an image of 1 × 32 × 32). Latent dimension, image shape and N = C·H·W are those of the weights.
 *
 * with no biases and batch norm in inference mode, y = γ (x − m)/√(v + ε) + β with the running
 * statistics (m, v) and ε = 10⁻⁵. The output is flattened in (channel, row, column) order, as
 * PyTorch's {@code view(batch, -1)}. No centring is applied (docs/theory.md §1.1 centres with the
 * estimated mean downstream).
 *
 * <p>Random weights ({@link #random}) follow the usual DCGAN initialisation and then have their
 * batch-norm running statistics calibrated on a seeded batch of latent vectors
 * ({@link #calibrateBatchNorm}); without that, inference mode with running mean 0 and variance 1
 * shrinks the activations layer after layer to pixel variances ~10⁻⁶. Weights given to the
 * constructor (for example loaded from a file) are used as they are, stored running statistics
 * included.
 *
 * <p>Each transposed convolution is a native GEMM plus a col2im gather with the batch norm and
 * ReLU, or the tanh, applied as each output pixel is written (see {@link TransposedConvolution}:
 * channel-major in float64, pixel-major in float32), except that in float32 the k4 s2 p1 layers
 * are computed by Winograd F(2×2, 2×2) ({@link WinogradConvolution}, docs/theory.md §7.1.1).
 * Immutable and thread-safe: every thread gets its own scratch (about 60 MB in float64; in
 * float32 about 45 MB on the heap, 28 MB of it the Winograd blocks, and ≈ 25 MB of the BLAS's
 * operand buffers, at the default widths).
 *
 * <p>The forward pass runs in the {@link Precision} given at construction: float64, the reference,
 * in chunks of {@value #CHUNK} samples with one DGEMM per layer and chunk; or float32, as PyTorch
 * computes it, in chunks of {@value #FLOAT_CHUNK} samples that each layer cuts into fixed blocks
 * of samples and output channels, one SGEMM per block on float32 weights kept in the BLAS's memory
 * and float32 gathers (the weights and the folded batch-norm scale and shift rounded to float32,
 * the latent rounded to float32 on entry, the output widened exactly). Either way a sample depends
 * only on its latent vector and its position within its chunk (and that chunk's size), never on
 * the thread count: a batch shared out between threads in pieces cut at multiples of the chunk
 * size ({@link #splitGranularity}, {@link #mapRows}) gives the same bits as one call, which is how
 * {@link #sample} lets idle ForkJoin workers take chunks of a block ({@link LatentMap#sample}).
 */
public final class DcganGenerator implements LatentMap, ImageShaped {

    /** Samples per internal chunk of the float64 pass: large enough for an efficient GEMM, small enough for cache and memory. */
    static final int CHUNK = 16;
    /**
     * Samples per chunk of the float32 pass, which each layer cuts into blocks of its own fixed
     * size ({@link TransposedConvolution#applyFloat}): 32 gives the 4 × 4 layer an SGEMM with
     * M = 512 pixel rows (its 8 MB of float32 weights are packed once per 32 samples).
     */
    static final int FLOAT_CHUNK = 32;
    /** Latent vectors on which {@link #random} calibrates the batch-norm statistics. */
    public static final int CALIBRATION_BATCH = 256;
    /** Name of the random stream of the calibration latent vectors. */
    public static final String CALIBRATION_STREAM = "dcgan-bn-calibration";
    /** Output dimension N = 3·32·32 of the default §7.1 widths. */
    public static final int OUTPUT = 3 * 32 * 32;

    private final DcganWeights weights;
    private final int depth;
    private final int latent;
    private final int[] image;
    private final int output;
    private final TransposedConvolution[] layers;
    /** The float32 pass's Winograd form of layer l where it has one (kernel 4, stride 2, padding 1), else null. */
    private final WinogradConvolution[] winograd;
    private final double[][] bnScale;
    private final double[][] bnShift;
    private final Precision precision;
    private final float[][] bnScaleFloat;
    private final float[][] bnShiftFloat;
    private final ThreadLocal<FloatWorkspace> floatWorkspace;
    private final Map<String, Object> description;
    private final ThreadLocal<Workspace> workspace;

    /** The float64 generator with the given weights; {@code origin} (for example "random seed 3") goes to provenance. */
    public DcganGenerator(DcganWeights weights, String origin) {
        this(weights, origin, Precision.FLOAT64);
    }

    /**
     * The generator with the given weights computing in {@code precision}; {@code origin} (for
     * example "random seed 3") goes to provenance.
     */
    public DcganGenerator(DcganWeights weights, String origin, Precision precision) {
        this(weights, origin, precision, true);
    }

    /** {@code described}: false for the private calibration instance, whose description (a digest of the weights) nobody reads. */
    private DcganGenerator(DcganWeights weights, String origin, Precision precision, boolean described) {
        this.weights = weights;
        this.precision = precision;
        this.depth = weights.layers();
        int[] channels = weights.channels();
        this.latent = channels[0];
        this.image = weights.imageShape();
        this.output = weights.outputDimension();
        this.layers = new TransposedConvolution[depth];
        this.winograd = new WinogradConvolution[depth];
        this.bnScale = new double[depth - 1][];
        this.bnShift = new double[depth - 1][];
        int h = 1;
        for (int l = 0; l < depth; l++) {
            layers[l] = new TransposedConvolution(channels[l], channels[l + 1], DcganWeights.kernel(l, depth),
                    DcganWeights.stride(l, depth), DcganWeights.pad(l, depth), h, weights.conv()[l],
                    precision == Precision.FLOAT32 ? LinearAlgebra.get() : null);
            TransposedConvolution t = layers[l];
            if (precision == Precision.FLOAT32 && WinogradConvolution.fits(t.k, t.stride, t.pad, t.hin)) {
                winograd[l] = new WinogradConvolution(t.cin, t.cout, t.hin, weights.conv()[l], LinearAlgebra.get());
            }
            h = t.hout;
        }
        if (h != image[1]) {
            throw new IllegalStateException("DCGAN output must be " + image[1] + " × " + image[1] + ", got " + h);
        }
        for (int l = 0; l < depth - 1; l++) {
            int c = channels[l + 1];
            bnScale[l] = new double[c];
            bnShift[l] = new double[c];
            for (int i = 0; i < c; i++) {
                double s = weights.gamma()[l][i] / Math.sqrt(weights.runningVar()[l][i] + DcganWeights.BN_EPSILON);
                bnScale[l][i] = s;
                bnShift[l][i] = weights.beta()[l][i] - weights.runningMean()[l][i] * s;
            }
        }
        this.bnScaleFloat = new float[depth - 1][];
        this.bnShiftFloat = new float[depth - 1][];
        for (int l = 0; l < depth - 1; l++) {
            bnScaleFloat[l] = toFloat(bnScale[l]);
            bnShiftFloat[l] = toFloat(bnShift[l]);
        }
        if (!described) {
            this.description = Map.of();
            this.workspace = ThreadLocal.withInitial(() -> new Workspace(layers, latent));
            this.floatWorkspace = ThreadLocal.withInitial(() -> new FloatWorkspace(layers, winograd, latent));
            return;
        }
        Map<String, Object> desc = new LinkedHashMap<>();
        desc.put("architecture", weights.isDefaultArchitecture() ? "dcgan-32 (docs/theory.md §7.1)"
                : "dcgan " + image[0] + "x" + image[1] + "x" + image[2] + ", widths "
                + java.util.Arrays.toString(channels) + " (docs/theory.md §7.1 pattern)");
        desc.put("weights", origin);
        desc.put("weightsSha256", weights.digest());
        desc.put("precision", precision.id());
        this.description = Map.copyOf(desc);
        this.workspace = ThreadLocal.withInitial(() -> new Workspace(layers, latent));
        this.floatWorkspace = ThreadLocal.withInitial(() -> new FloatWorkspace(layers, winograd, latent));
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    /**
     * A random DCGAN: the usual DCGAN initialisation from {@code seed} ({@link DcganWeights#random}),
     * then the batch-norm running statistics calibrated ({@link #calibrateBatchNorm}) on
     * {@value #CALIBRATION_BATCH} latent vectors from {@code RandomStreams.stream(seed,}
     * {@value #CALIBRATION_STREAM}{@code )}. Deterministic for a seed.
     */
    public static DcganGenerator random(long seed) {
        return random(seed, Precision.FLOAT64);
    }

    /**
     * The random DCGAN of {@link #random(long)} computing in {@code precision}: the same weights
     * (calibrated in float64) for either precision.
     */
    public static DcganGenerator random(long seed, Precision precision) {
        return random(seed, precision, null);
    }

    /**
     * The random DCGAN of {@link #random(long, Precision)}, with its calibrated batch-norm
     * statistics taken from {@code store} when it holds them under {@link #calibrationKey} and
     * otherwise calibrated and given to it: the calibration (≈ 52 GFLOP in float64, seconds of a
     * short run) then happens once per machine and code version, and the weights are bit-identical
     * either way, because the key names everything the statistics depend on.
     *
     * @param store where calibrated statistics are kept between processes; null to always calibrate
     */
    public static DcganGenerator random(long seed, Precision precision, CalibrationStore store) {
        DcganWeights raw = DcganWeights.random(seed);
        double[] latents = calibrationLatents(seed, raw.latentDimension());
        DcganWeights calibrated = null;
        String key = null;
        if (store != null) {
            key = calibrationKey(raw, latents);
            double[][][] stored = store.load(key);
            if (stored != null && stored.length == 2 && fits(stored[0], raw) && fits(stored[1], raw)) {
                calibrated = new DcganWeights(raw.conv(), raw.gamma(), raw.beta(), stored[0], stored[1], raw.channels());
            }
        }
        if (calibrated == null) {
            calibrated = calibrateBatchNorm(raw, latents, CALIBRATION_BATCH);
            if (store != null) {
                store.save(key, calibrated.runningMean(), calibrated.runningVar());
            }
        }
        return new DcganGenerator(calibrated, "random (DCGAN init), seed " + seed
                + "; batch-norm running mean/variance calibrated layer by layer on " + CALIBRATION_BATCH
                + " latent vectors from stream '" + CALIBRATION_STREAM
                + "' (per channel over batch and positions, biased variance, as PyTorch training mode)", precision);
    }

    public DcganWeights weights() {
        return weights;
    }

    /** The arithmetic of the forward pass. */
    public Precision precision() {
        return precision;
    }

    @Override
    public int latentDimension() {
        return latent;
    }

    @Override
    public int inputDimension() {
        return output;
    }

    @Override
    public void map(int batch, double[] latent, double[] inputs) {
        mapRows(0, batch, latent, inputs);
    }

    /** The chunk size of the forward pass: a batch cut at its multiples maps to the same bits. */
    @Override
    public int splitGranularity() {
        return precision == Precision.FLOAT32 ? FLOAT_CHUNK : CHUNK;
    }

    /** Rows {@code from … to − 1} of the batch, in place, chunked from {@code from} as {@link #map} chunks from 0. */
    @Override
    public void mapRows(int from, int to, double[] latent, double[] inputs) {
        if (from < 0 || to < from || latent.length < (long) to * this.latent || inputs.length < (long) to * output) {
            throw new IllegalArgumentException("rows " + from + " … " + to + " need 0 <= from <= to and buffers of at"
                    + " least to × D and to × N = " + to + " × " + this.latent + " and " + to + " × " + output
                    + ", got " + latent.length + " and " + inputs.length);
        }
        LinearAlgebra la = LinearAlgebra.get();
        if (precision == Precision.FLOAT32) {
            mapFloat(la, from, to, latent, inputs);
            return;
        }
        Workspace w = workspace.get();
        for (int start = from; start < to; start += CHUNK) {
            int b = Math.min(CHUNK, to - start);
            loadChunk(w, latent, this.latent, start, b);
            double[] out = forwardChunk(la, w, b);
            // out holds C × b × H × W; rows of the result are (channel, y, x)
            int pix = image[1] * image[2];
            for (int s = 0; s < b; s++) {
                int row = (start + s) * output;
                for (int c = 0; c < image[0]; c++) {
                    System.arraycopy(out, (c * b + s) * pix, inputs, row + c * pix, pix);
                }
            }
        }
    }

    /** {@link #mapRows} in float32, pixel-major inside (see {@link TransposedConvolution#applyFloat}). */
    private void mapFloat(LinearAlgebra la, int from, int to, double[] latent, double[] inputs) {
        FloatWorkspace w = floatWorkspace.get();
        int channels = image[0];
        int pix = image[1] * image[2];
        for (int start = from; start < to; start += FLOAT_CHUNK) {
            int b = Math.min(FLOAT_CHUNK, to - start);
            // a latent vector is a 1 × 1 image: its row is already pixel-major
            float[] in = w.act[0];
            int base = start * this.latent;
            for (int i = 0; i < b * this.latent; i++) {
                in[i] = (float) latent[base + i];
            }
            float[] out = forwardChunkFloat(la, w, b);
            // out holds b × H × W × C; rows of the result are (channel, y, x)
            for (int s = 0; s < b; s++) {
                int row = (start + s) * output;
                int src = s * pix * channels;
                for (int c = 0; c < channels; c++) {
                    int dst = row + c * pix;
                    for (int i = 0; i < pix; i++) {
                        inputs[dst + i] = out[src + i * channels + c];
                    }
                }
            }
        }
    }

    /** All layers on the chunk in w.act[0], in float32, BN–ReLU and tanh fused into each layer's gather. */
    private float[] forwardChunkFloat(LinearAlgebra la, FloatWorkspace w, int b) {
        for (int l = 0; l < depth; l++) {
            applyFloatLayer(la, l, b, w.act, w.cols, w.winograd);
        }
        return w.act[depth];
    }

    /** The transposed convolution of layer l (0 = the latent's), for the per-layer profile of gequiv-bench. */
    TransposedConvolution layer(int l) {
        return layers[l];
    }

    /** The float32 pass's Winograd form of layer l, or null where it runs as a direct SGEMM and gather. */
    WinogradConvolution winogradLayer(int l) {
        return winograd[l];
    }

    /** Fresh float32 Winograd buffers for one thread, for the per-layer profile of gequiv-bench. */
    WinogradConvolution.Scratch winogradScratch() {
        return new WinogradConvolution.Scratch(winograd, FLOAT_CHUNK);
    }

    /**
     * Layer l of the float32 pass alone, as {@link #mapRows} runs it on a chunk of b samples: its
     * pixel-major input in {@code act[l]}, its output into {@code act[l + 1]} (for the per-layer
     * profile of gequiv-bench): by Winograd on {@code scratch} where the layer has that form, else
     * one SGEMM and gather per block on {@code cols}.
     */
    void applyFloatLayer(LinearAlgebra la, int l, int b, float[][] act, float[] cols, WinogradConvolution.Scratch scratch) {
        boolean hidden = l < depth - 1;
        float[] sc = hidden ? bnScaleFloat[l] : null;
        float[] sh = hidden ? bnShiftFloat[l] : null;
        TransposedConvolution.Activation activation = hidden ? TransposedConvolution.Activation.BATCH_NORM_RELU
                : TransposedConvolution.Activation.TANH;
        if (winograd[l] != null) {
            winograd[l].applyFloat(la, b, FLOAT_CHUNK, act[l], scratch, act[l + 1], sc, sh, activation);
        } else {
            layers[l].applyFloat(la, b, FLOAT_CHUNK, act[l], cols, act[l + 1], sc, sh, activation);
        }
    }

    /**
     * tanh rounded to float32 through one exponential, tanh v = sign(v)·(1 − 2/(e^{2|v|} + 1)):
     * the cancellation in 1 − 2/(…) costs a relative 2⁻⁵³/|v| ≤ 1e-13 for |v| ≥ 2⁻¹⁰, and below
     * that the series v − v³/3 errs by v⁴/7.5 ≤ 1e-13 relative, both far below float32's 2⁻²⁴ before
     * the final rounding; faster than {@link Math#tanh}, which is not an intrinsic.
     */
    static float tanhFloat(float v) {
        double a = Math.abs((double) v);
        double t;
        if (a < 0x1p-10) {
            t = a - a * a * a / 3.0;
        } else {
            t = 1.0 - 2.0 / (Math.exp(2.0 * a) + 1.0);
        }
        return (float) (v < 0 ? -t : t);
    }

    /** Copies latent rows start … start+b−1 into the channel-major layout {@code d × b} of w.act[0]. */
    private static void loadChunk(Workspace w, double[] latent, int d, int start, int b) {
        double[] in = w.act[0];
        for (int s = 0; s < b; s++) {
            int row = (start + s) * d;
            for (int i = 0; i < d; i++) {
                in[i * b + s] = latent[row + i];
            }
        }
    }

    /** All layers on the chunk in w.act[0], BN–ReLU and tanh fused into each layer's gather; returns w.act[depth]. */
    private double[] forwardChunk(LinearAlgebra la, Workspace w, int b) {
        for (int l = 0; l < depth; l++) {
            boolean hidden = l < depth - 1;
            layers[l].apply(la, b, w.act[l], w.cols[l], w.act[l + 1], hidden ? bnScale[l] : null,
                    hidden ? bnShift[l] : null, hidden ? TransposedConvolution.Activation.BATCH_NORM_RELU
                    : TransposedConvolution.Activation.TANH);
        }
        return w.act[depth];
    }

    /** Inference batch norm of layer l and ReLU, in place on {@code cout × plane} activations. */
    private void batchNormRelu(int l, double[] out, int plane) {
        double[] sc = bnScale[l];
        double[] sh = bnShift[l];
        for (int c = 0; c < sc.length; c++) {
            double scale = sc[c];
            double shift = sh[c];
            int off = c * plane;
            for (int i = off; i < off + plane; i++) {
                double v = out[i] * scale + shift;
                out[i] = v > 0 ? v : 0.0;
            }
        }
    }

    /**
     * Weights equal to {@code raw} except for the batch-norm running statistics, which are set to
     * the per-channel mean and variance of each batch norm's input on {@code batch} latent vectors
     * c ~ N(0, I) drawn from {@code rng}: over batch and spatial positions, with the biased
     * variance that PyTorch's batch norm normalises with in training mode. Layer by layer: the
     * statistics of layer l are computed with the batch norms of layers &lt; l already calibrated,
     * so in inference mode every batch norm maps its calibration-batch input to per-channel mean β
     * and variance γ² (up to ε = 10⁻⁵), as a training-mode pass on that batch would.
     *
     * <p>This is what makes a freshly initialised DCGAN usable in inference mode: with the init's
     * running mean 0 and variance 1, each ConvT(σ = 0.02) shrinks the activations by about
     * 0.02·√(fan-in/stride²·E[relu²]) and the outputs have pixel variance ~10⁻⁶.
     *
     * @param raw   the weights to calibrate (their running statistics are ignored)
     * @param rng   the stream of the calibration latent vectors
     * @param batch calibration samples, at least 2
     */
    public static DcganWeights calibrateBatchNorm(DcganWeights raw, RandomGenerator rng, int batch) {
        if (batch < 2) {
            throw new IllegalArgumentException("batch must be >= 2, got " + batch);
        }
        double[] latent = new double[batch * raw.latentDimension()];
        RandomStreams.fillGaussian(rng, latent, latent.length);
        return calibrateBatchNorm(raw, latent, batch);
    }

    /** {@link #calibrateBatchNorm(DcganWeights, RandomGenerator, int)} on the given latents ({@code batch × D}, not modified). */
    private static DcganWeights calibrateBatchNorm(DcganWeights raw, double[] latent, int batch) {
        int d = raw.latentDimension();
        int bns = raw.layers() - 1;
        double[][] mean = new double[bns][];
        double[][] var = new double[bns][];
        for (int l = 0; l < bns; l++) {
            mean[l] = raw.runningMean()[l].clone();
            var[l] = raw.runningVar()[l].clone();
        }
        // a private instance whose folded BN (bnScale, bnShift) is updated in place layer by layer
        DcganGenerator g = new DcganGenerator(raw, "calibration", Precision.FLOAT64, false);
        LinearAlgebra la = LinearAlgebra.get();
        Workspace w = new Workspace(g.layers, d);
        int chunks = (batch + CHUNK - 1) / CHUNK;
        // each chunk's input to the current layer, kept between layers: every layer runs once per
        // chunk (not once per later layer), with the same arithmetic as forwardChunk, so the
        // statistics are those of a layer-by-layer forward pass bit for bit
        double[][] current = new double[chunks][];
        for (int ci = 0; ci < chunks; ci++) {
            int b = Math.min(CHUNK, batch - ci * CHUNK);
            loadChunk(w, latent, d, ci * CHUNK, b);
            current[ci] = java.util.Arrays.copyOf(w.act[0], d * b);
        }
        for (int l = 0; l < bns; l++) {
            TransposedConvolution t = g.layers[l];
            double[] sum = new double[t.cout];
            double[] sumSq = new double[t.cout];
            double[][] next = new double[chunks][];
            for (int ci = 0; ci < chunks; ci++) {
                int b = Math.min(CHUNK, batch - ci * CHUNK);
                double[] out = w.act[l + 1];
                t.apply(la, b, current[ci], w.cols[l], out);
                int plane = b * t.hout * t.hout;
                for (int c = 0; c < t.cout; c++) {
                    double s = 0;
                    double ss = 0;
                    for (int i = c * plane; i < (c + 1) * plane; i++) {
                        s += out[i];
                        ss += out[i] * out[i];
                    }
                    sum[c] += s;
                    sumSq[c] += ss;
                }
                next[ci] = java.util.Arrays.copyOf(out, t.cout * plane);
            }
            double n = (double) batch * t.hout * t.hout;
            for (int c = 0; c < t.cout; c++) {
                double m = sum[c] / n;
                mean[l][c] = m;
                // biased variance, floored at 0 against rounding (sumSq/n and m² agree to ~1e-16 relative)
                var[l][c] = Math.max(0.0, sumSq[c] / n - m * m);
                double s = raw.gamma()[l][c] / Math.sqrt(var[l][c] + DcganWeights.BN_EPSILON);
                g.bnScale[l][c] = s;
                g.bnShift[l][c] = raw.beta()[l][c] - mean[l][c] * s;
            }
            for (int ci = 0; ci < chunks; ci++) {
                int b = Math.min(CHUNK, batch - ci * CHUNK);
                g.batchNormRelu(l, next[ci], b * t.hout * t.hout);
            }
            current = next;
        }
        return new DcganWeights(raw.conv(), raw.gamma(), raw.beta(), mean, var, raw.channels());
    }

    /**
     * Keeps the calibrated batch-norm running statistics of {@link #random(long, Precision,
     * CalibrationStore)} between processes. An implementation may lose or refuse entries (it is a
     * cache); it must return exactly what was saved under the key, or null.
     */
    public interface CalibrationStore {

        /** The statistics saved under {@code key}, {mean, var} with one array per batch norm, or null. */
        double[][][] load(String key);

        /** Keeps {@code mean} and {@code var} (one array per batch norm, not modified) under {@code key}. */
        void save(String key, double[][] mean, double[][] var);
    }

    /** The {@value #CALIBRATION_BATCH} calibration latent vectors of {@link #random}, {@code batch × D}. */
    private static double[] calibrationLatents(long seed, int d) {
        double[] latent = new double[CALIBRATION_BATCH * d];
        RandomStreams.fillGaussian(RandomStreams.stream(seed, CALIBRATION_STREAM), latent, latent.length);
        return latent;
    }

    /**
     * What the calibrated statistics of {@link #random} depend on, as one string: the raw weights'
     * digest, the calibration latents' digest, the batch and chunk sizes, the bytecode of the
     * forward pass (this class and {@link TransposedConvolution}), and the linear-algebra backend.
     * The BLAS kernel is chosen at run time from the processor, so a store shared between machines
     * must add the processor to the key.
     */
    static String calibrationKey(DcganWeights raw, double[] latents) {
        return "dcgan-bn-calibration v1; raw " + raw.digest()
                + "; latents " + WeightFiles.digest(Map.of("latents", latents))
                + "; batch " + CALIBRATION_BATCH + "; chunk " + CHUNK
                + "; code " + classDigest(DcganGenerator.class) + " " + classDigest(TransposedConvolution.class)
                + "; linalg " + LinearAlgebra.get().name();
    }

    private static String classDigest(Class<?> c) {
        try (java.io.InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            if (in == null) {
                return "unknown-" + System.nanoTime();
            }
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            return java.util.HexFormat.of().formatHex(md.digest(in.readAllBytes()));
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            // an unreadable class file: a key that matches nothing, so the statistics are computed
            return "unknown-" + System.nanoTime();
        }
    }

    private static boolean fits(double[][] stats, DcganWeights raw) {
        if (stats == null || stats.length != raw.layers() - 1) {
            return false;
        }
        for (int l = 0; l < stats.length; l++) {
            if (stats[l] == null || stats[l].length != raw.channels()[l + 1]) {
                return false;
            }
            for (double v : stats[l]) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int[] imageShape() {
        return image.clone();
    }

    @Override
    public Optional<Moments> analyticMoments() {
        return Optional.empty();
    }

    @Override
    public String id() {
        return "dcgan";
    }

    @Override
    public Map<String, Object> description() {
        return description;
    }

    /**
     * Per-thread buffers of the float64 pass, one exactly sized array per layer (the DGEMM copies
     * only the entries in use across JNI, but exact sizes keep the chunk's memory small).
     */
    private static final class Workspace {
        final double[][] act;
        final double[][] cols;

        Workspace(TransposedConvolution[] layers, int latent) {
            act = new double[layers.length + 1][];
            cols = new double[layers.length][];
            act[0] = new double[latent * CHUNK];
            for (int l = 0; l < layers.length; l++) {
                TransposedConvolution t = layers[l];
                act[l + 1] = new double[t.cout * CHUNK * t.hout * t.hout];
                cols[l] = new double[(int) t.columnSize(CHUNK)];
            }
        }
    }

    /**
     * Per-thread buffers of the float32 pass: the pixel-major activations of a chunk of
     * {@value #FLOAT_CHUNK} per layer and one column buffer of the largest layer block (about
     * {@value TransposedConvolution#BLOCK_COLUMNS} entries, so it stays in cache) for the direct
     * layers, and the buffers of one block of the Winograd layers.
     */
    private static final class FloatWorkspace {
        final float[][] act;
        final float[] cols;
        final WinogradConvolution.Scratch winograd;

        FloatWorkspace(TransposedConvolution[] layers, WinogradConvolution[] winogradLayers, int latent) {
            act = new float[layers.length + 1][];
            act[0] = new float[latent * FLOAT_CHUNK];
            int columns = 1;
            for (int l = 0; l < layers.length; l++) {
                TransposedConvolution t = layers[l];
                act[l + 1] = new float[t.cout * FLOAT_CHUNK * t.hout * t.hout];
                if (winogradLayers[l] == null) {
                    columns = Math.max(columns, t.floatColumnSize(FLOAT_CHUNK));
                }
            }
            cols = new float[columns];
            winograd = new WinogradConvolution.Scratch(winogradLayers, FLOAT_CHUNK);
        }
    }
}
