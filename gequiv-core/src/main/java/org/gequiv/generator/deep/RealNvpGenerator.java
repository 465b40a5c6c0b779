package org.gequiv.generator.deep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gequiv.generator.Moments;
import org.gequiv.generator.Precision;
import org.gequiv.linalg.LinearAlgebra;

/**
 * A real NVP flow (Dinh, Sohl-Dickstein and Bengio 2017; docs/theory.md §7.1) used as a generator
 * x = g(c) with D = N = C·H·W and c ~ N(0, I_N).
 *
 * <p>The data → latent map f is a stack of affine couplings y = x_fixed + (x_free ⊙ exp(s) + t),
 * with (s, t) computed by a small convolutional network (see {@link RealNvpWeights}) from the fixed
 * part: checkerboard couplings fix the pixels with (row + column) even or odd; channel couplings
 * fix the first or second half of the channels. Levels are separated by a squeeze and a
 * factor-out of half the channels ({@link RealNvpArchitecture}); the factored-out parts are kept in
 * place in the flat vector, so the latent is the final state of that vector. The generator is
 * g = f⁻¹, with log |det ∂g/∂c| = −Σ s over every coupling.
 *
 * <p>The coupling networks are the plain three-layer CNN or residual networks, and the output is
 * the flow's or, with a logit α ({@link RealNvpArchitecture#logitAlpha()}), the pixels
 * x = (sigmoid(y) − α)/(1 − 2α) of the flow's output y, which inverts the logit pre-processing of
 * Dinh et al. (2017) for a flow trained on y = logit(α + (1 − 2α)·u); the log-determinants then
 * include that map's Σ log(σ(y)(1 − σ(y))/(1 − 2α)).
 *
 * <p>Precision of {@link #map} (docs/theory.md §7.1, "float32 real NVP"): float64 is the reference,
 * one sample at a time with DGEMM convolutions. float32 processes chunks of {@value #CHUNK} samples:
 * each coupling network runs in float32 on the whole chunk (one SGEMM per convolution, on the
 * chunk's im2col or on its nine taps, {@link Conv3x3#productFloat}; bias fused with the ReLU or the
 * residual sum; dense layers as SGEMMs), while the
 * flow's state, the affine update x ← (x − t)·e^{−s}, the squeezes, the output transform and the
 * log-determinants stay float64; the output is rounded to float32 at the end (a float32 sample
 * widened exactly, as {@link Precision} promises). {@link #inverse} (data → latent) is float64.
 *
 * <p>Vectors are flattened in (channel, row, column) order. Immutable and thread-safe (per-thread
 * scratch). A float32 sample depends on its latent and on its position and count within its chunk
 * (through the blocking of SGEMM, to a few float32 units), never on the thread count.
 */
public final class RealNvpGenerator implements LatentMap, ImageShaped {

    /** Samples per float32 chunk: enough columns for an efficient SGEMM, a column buffer that stays in cache. */
    static final int CHUNK = 8;

    private final RealNvpWeights weights;
    private final RealNvpArchitecture arch;
    private final List<Step> steps = new ArrayList<>();
    private final int n;
    private final double alpha;
    private final Precision precision;
    private final Map<String, Object> description;
    private final ThreadLocal<Workspace> workspace;
    private final ThreadLocal<FloatWorkspace> floatWorkspace;

    /** The float64 flow with the given weights; {@code origin} goes to provenance. */
    public RealNvpGenerator(RealNvpWeights weights, String origin) {
        this(weights, origin, Precision.FLOAT64);
    }

    /** The flow with the given weights whose {@link #map} computes in {@code precision}. */
    public RealNvpGenerator(RealNvpWeights weights, String origin, Precision precision) {
        this.weights = weights;
        this.arch = weights.architecture();
        this.n = arch.dimension();
        this.alpha = arch.logitAlpha();
        this.precision = precision;
        int c = arch.channels();
        int h = arch.size();
        int k = 0;
        int maxCols = 0;
        for (int level = 0; level < arch.scales(); level++) {
            boolean last = level == arch.scales() - 1;
            if (last && arch.dense()) {
                for (int i = 0; i < arch.denseCouplings(); i++) {
                    steps.add(new DenseCoupling(weights.couplings()[k++], c, h, i));
                }
                break;
            }
            for (int i = 0; i < (last ? 4 : 3); i++) {
                steps.add(new Coupling(weights.couplings()[k++], c, h, false, i % 2, arch.blocks()));
            }
            maxCols = Math.max(maxCols, Math.max(c, arch.hidden()) * 9 * h * h);
            if (!last) {
                steps.add(new Squeeze(c, h));
                c *= 4;
                h /= 2;
                for (int i = 0; i < 3; i++) {
                    steps.add(new Coupling(weights.couplings()[k++], c, h, true, i % 2, arch.blocks()));
                }
                maxCols = Math.max(maxCols, Math.max(c / 2, arch.hidden()) * 9 * h * h);
                c /= 2;
            }
        }
        int h0 = arch.size() * arch.size();
        int cols = maxCols;
        int hiddenSize = Math.max(arch.hidden() * h0, arch.denseHidden());
        this.workspace = ThreadLocal.withInitial(() -> new Workspace(n, hiddenSize, cols));
        long scratch = 0;
        for (Step step : steps) {
            if (step instanceof Coupling coupling) {
                for (Conv3x3 conv : coupling.convs) {
                    scratch = Math.max(scratch, conv.scratchFloat(CHUNK, coupling.h));
                }
            }
        }
        int floatCols = Math.toIntExact(scratch);
        this.floatWorkspace = ThreadLocal.withInitial(() -> new FloatWorkspace(n, hiddenSize, floatCols));
        Map<String, Object> desc = new LinkedHashMap<>();
        desc.put("architecture", "real-nvp " + arch.channels() + "x" + arch.size() + "x" + arch.size()
                + ", scales " + arch.scales() + ", hidden " + arch.hidden()
                + (arch.residual() ? ", residual blocks " + arch.blocks() : "")
                + (arch.dense() ? ", dense last level " + arch.denseCouplings() + " x width " + arch.denseHidden() : "")
                + (arch.logitAlpha() > 0 ? ", logit output alpha " + arch.logitAlpha() : ""));
        desc.put("weights", origin);
        desc.put("weightsSha256", weights.digest());
        desc.put("precision", precision.id());
        this.description = Map.copyOf(desc);
    }

    /** A randomly initialised float64 flow ({@link RealNvpWeights#random}). */
    public static RealNvpGenerator random(RealNvpArchitecture arch, long seed) {
        return random(arch, seed, Precision.FLOAT64);
    }

    /** A randomly initialised flow ({@link RealNvpWeights#random}) computing in {@code precision}. */
    public static RealNvpGenerator random(RealNvpArchitecture arch, long seed, Precision precision) {
        return new RealNvpGenerator(RealNvpWeights.random(arch, seed), "random, seed " + seed, precision);
    }

    public RealNvpWeights weights() {
        return weights;
    }

    /** The arithmetic of {@link #map}. */
    public Precision precision() {
        return precision;
    }

    @Override
    public int latentDimension() {
        return n;
    }

    @Override
    public int inputDimension() {
        return n;
    }

    @Override
    public void map(int batch, double[] latent, double[] inputs) {
        map(batch, latent, inputs, null);
    }

    /**
     * x = g(c) and, when {@code logDet} is not null, log |det ∂g/∂c| per sample, in the generator's
     * precision.
     *
     * @param latent {@code batch × N}, not modified
     * @param inputs overwritten with {@code batch × N}
     * @param logDet null or overwritten with {@code batch} values
     */
    public void map(int batch, double[] latent, double[] inputs, double[] logDet) {
        checkBuffers(batch, latent, inputs, logDet);
        LinearAlgebra la = LinearAlgebra.get();
        if (precision == Precision.FLOAT32) {
            mapFloat(la, batch, latent, inputs, logDet);
            return;
        }
        Workspace w = workspace.get();
        for (int s = 0; s < batch; s++) {
            System.arraycopy(latent, s * n, w.v, 0, n);
            double ld = 0;
            for (int i = steps.size() - 1; i >= 0; i--) {
                ld += steps.get(i).inverse(la, w);
            }
            if (alpha > 0) {
                ld += toPixels(w.v, 0);
            }
            System.arraycopy(w.v, 0, inputs, s * n, n);
            if (logDet != null) {
                logDet[s] = ld;
            }
        }
    }

    /** {@link #map} in float32 networks: the state of each chunk lives in its rows of {@code inputs}. */
    private void mapFloat(LinearAlgebra la, int batch, double[] latent, double[] inputs, double[] logDet) {
        FloatWorkspace w = floatWorkspace.get();
        System.arraycopy(latent, 0, inputs, 0, batch * n);
        for (int start = 0; start < batch; start += CHUNK) {
            int b = Math.min(CHUNK, batch - start);
            int offset = start * n;
            java.util.Arrays.fill(w.logDet, 0.0);
            for (int i = steps.size() - 1; i >= 0; i--) {
                steps.get(i).inverseChunk(la, w, inputs, offset, n, b);
            }
            for (int s = 0; s < b; s++) {
                int row = offset + s * n;
                if (alpha > 0) {
                    w.logDet[s] += toPixels(inputs, row);
                }
                for (int i = row; i < row + n; i++) {
                    inputs[i] = (float) inputs[i];
                }
                if (logDet != null) {
                    logDet[start + s] = w.logDet[s];
                }
            }
        }
    }

    /**
     * c = f(x) = g⁻¹(x) and, when {@code logDet} is not null, log |det ∂f/∂x| per sample, in
     * float64 whatever the generator's precision.
     *
     * @param inputs {@code batch × N}, not modified
     * @param latent overwritten with {@code batch × N}
     * @param logDet null or overwritten with {@code batch} values
     */
    public void inverse(int batch, double[] inputs, double[] latent, double[] logDet) {
        checkBuffers(batch, latent, inputs, logDet);
        LinearAlgebra la = LinearAlgebra.get();
        Workspace w = workspace.get();
        for (int s = 0; s < batch; s++) {
            System.arraycopy(inputs, s * n, w.v, 0, n);
            double ld = alpha > 0 ? fromPixels(w.v) : 0;
            for (Step step : steps) {
                ld += step.forward(la, w);
            }
            System.arraycopy(w.v, 0, latent, s * n, n);
            if (logDet != null) {
                logDet[s] = ld;
            }
        }
    }

    /**
     * y → x = (σ(y) − α)/(1 − 2α) in place on v[off, off + n); returns
     * Σ log dx/dy = Σ [log σ(y) + log(1 − σ(y))] − n log(1 − 2α).
     */
    private double toPixels(double[] v, int off) {
        double ld = 0;
        for (int i = off; i < off + n; i++) {
            double y = v[i];
            double e = Math.exp(-Math.abs(y));
            double p = y >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
            v[i] = (p - alpha) / (1 - 2 * alpha);
            // log σ(y) + log σ(−y) = −|y| − 2 log(1 + e^{−|y|}), free of overflow and cancellation
            ld += -Math.abs(y) - 2 * Math.log1p(e);
        }
        return ld - n * Math.log(1 - 2 * alpha);
    }

    /**
     * x → y = logit(α + (1 − 2α)x) in place; returns its log-determinant. Pixels outside
     * (−α/(1 − 2α), (1 − α)/(1 − 2α)) have no preimage and give NaN or infinities.
     */
    private double fromPixels(double[] v) {
        double ld = 0;
        for (int i = 0; i < n; i++) {
            double p = alpha + (1 - 2 * alpha) * v[i];
            v[i] = Math.log(p) - Math.log1p(-p);
            ld -= Math.log(p) + Math.log1p(-p);
        }
        return ld + n * Math.log(1 - 2 * alpha);
    }

    private void checkBuffers(int batch, double[] latent, double[] inputs, double[] logDet) {
        if (batch < 0 || latent.length < (long) batch * n || inputs.length < (long) batch * n) {
            throw new IllegalArgumentException("buffers must hold batch × N = " + batch + " × " + n
                    + " entries, got " + latent.length + " and " + inputs.length);
        }
        if (logDet != null && logDet.length < batch) {
            throw new IllegalArgumentException("logDet must hold batch = " + batch + " entries, got " + logDet.length);
        }
    }

    @Override
    public int[] imageShape() {
        return new int[] {arch.channels(), arch.size(), arch.size()};
    }

    @Override
    public Optional<Moments> analyticMoments() {
        return Optional.empty();
    }

    @Override
    public String id() {
        return "real-nvp";
    }

    @Override
    public Map<String, Object> description() {
        return description;
    }

    /** One invertible step acting on the prefix of the state vector. */
    private interface Step {
        /** Data → latent direction on w.v, float64; returns the log-determinant. */
        double forward(LinearAlgebra la, Workspace w);

        /** Latent → data direction on w.v, float64; returns the log-determinant. */
        double inverse(LinearAlgebra la, Workspace w);

        /**
         * Latent → data direction on the {@code b} states v[offset + s·stride, … + n) with float32
         * networks; adds each sample's log-determinant to w.logDet[s].
         */
        void inverseChunk(LinearAlgebra la, FloatWorkspace w, double[] v, int offset, int stride, int b);
    }

    /** C × H × H → 4C × H/2 × H/2, channel c·4 + 2·dy + dx holding pixel (2y + dy, 2x + dx) of c. */
    private static final class Squeeze implements Step {
        final int c;
        final int h;

        Squeeze(int c, int h) {
            this.c = c;
            this.h = h;
        }

        /** Squeezes (or, with {@code undo}, unsqueezes) v[off, off + c·h·h) through tmp. */
        private void move(double[] v, int off, double[] tmp, boolean undo) {
            int hh = h / 2;
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < h; x++) {
                        int oc = ch * 4 + (y % 2) * 2 + (x % 2);
                        int plain = (ch * h + y) * h + x;
                        int squeezed = (oc * hh + y / 2) * hh + x / 2;
                        if (undo) {
                            tmp[plain] = v[off + squeezed];
                        } else {
                            tmp[squeezed] = v[off + plain];
                        }
                    }
                }
            }
            System.arraycopy(tmp, 0, v, off, c * h * h);
        }

        @Override
        public double forward(LinearAlgebra la, Workspace w) {
            move(w.v, 0, w.tmp, false);
            return 0;
        }

        @Override
        public double inverse(LinearAlgebra la, Workspace w) {
            move(w.v, 0, w.tmp, true);
            return 0;
        }

        @Override
        public void inverseChunk(LinearAlgebra la, FloatWorkspace w, double[] v, int offset, int stride, int b) {
            for (int s = 0; s < b; s++) {
                move(v, offset + s * stride, w.tmp, true);
            }
        }
    }

    /**
     * The affine update of one coupling, shared by the convolutional and the dense couplings: free
     * entry e of the state, v[free[e]], gets s = a_e·tanh(raw[sIndex[e]]) and t = raw[sIndex[e] +
     * tShift] from its network's output raw, and becomes v·e^s + t (data → latent) or (v − t)·e^{−s}
     * (latent → data), with log-determinant ±Σ s.
     */
    private static final class Affine {
        final int[] free;
        final int[] sIndex;
        final int tShift;
        final double[] scale;

        Affine(int[] free, int[] sIndex, int tShift, double[] scale) {
            this.free = free;
            this.sIndex = sIndex;
            this.tShift = tShift;
            this.scale = scale;
        }

        /**
         * @param v    the state, entries v[vBase + free[e]] modified
         * @param raw  the network's output, read at rawBase + sIndex[e] (+ tShift); not modified
         */
        double apply(double[] v, int vBase, double[] raw, int rawBase, boolean toLatent) {
            double logDet = 0;
            for (int e = 0; e < free.length; e++) {
                int r = rawBase + sIndex[e];
                double s = scale[e] * Math.tanh(raw[r]);
                double t = raw[r + tShift];
                int i = vBase + free[e];
                if (toLatent) {
                    v[i] = v[i] * Math.exp(s) + t;
                    logDet += s;
                } else {
                    v[i] = (v[i] - t) * Math.exp(-s);
                    logDet -= s;
                }
            }
            return logDet;
        }
    }

    /** An affine coupling on the C × H × H prefix. */
    private static final class Coupling implements Step {
        final int c;
        final int h;
        final boolean channelMask;
        final int parity;
        final int netChannels;
        /** Plain: conv1, conv2, conv3. Residual: in, (block conv1, block conv2)…, out. */
        final Conv3x3[] convs;
        final boolean residual;
        /** The network's output is (s-raw, t), each netChannels × h × h, per sample. */
        final Affine affine;

        Coupling(double[][] p, int c, int h, boolean channelMask, int parity, int blocks) {
            this.c = c;
            this.h = h;
            this.channelMask = channelMask;
            this.parity = parity;
            this.netChannels = channelMask ? c / 2 : c;
            this.residual = blocks > 0;
            int f = p[1].length;
            int count = residual ? 2 + 2 * blocks : 3;
            this.convs = new Conv3x3[count];
            for (int j = 0; j < count; j++) {
                int cin = j == 0 ? netChannels : f;
                int cout = j == count - 1 ? 2 * netChannels : f;
                convs[j] = new Conv3x3(cin, cout, p[2 * j], p[2 * j + 1]);
            }
            double[] perChannel = p[2 * count];
            int plane = h * h;
            int entries = 0;
            for (int j = 0; j < netChannels; j++) {
                for (int q = 0; q < plane; q++) {
                    if (channelMask || !fixedPixel(q / h, q % h)) {
                        entries++;
                    }
                }
            }
            int[] free = new int[entries];
            int[] sIndex = new int[entries];
            double[] scale = new double[entries];
            int e = 0;
            for (int j = 0; j < netChannels; j++) {
                int vBase = (channelMask ? ((1 - parity) * netChannels + j) : j) * plane;
                for (int q = 0; q < plane; q++) {
                    if (channelMask || !fixedPixel(q / h, q % h)) {
                        free[e] = vBase + q;
                        sIndex[e] = j * plane + q;
                        scale[e] = perChannel[j];
                        e++;
                    }
                }
            }
            this.affine = new Affine(free, sIndex, netChannels * plane, scale);
        }

        private boolean fixedPixel(int y, int x) {
            return ((y + x) & 1) == parity;
        }

        /** Runs the network on the fixed part of w.v; s-raw and t end up in w.raw. */
        private void network(LinearAlgebra la, Workspace w) {
            int plane = h * h;
            if (channelMask) {
                System.arraycopy(w.v, parity * netChannels * plane, w.netIn, 0, netChannels * plane);
            } else {
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < h; x++) {
                            int i = (ch * h + y) * h + x;
                            w.netIn[i] = fixedPixel(y, x) ? w.v[i] : 0.0;
                        }
                    }
                }
            }
            if (!residual) {
                convs[0].apply(la, h, w.netIn, w.cols, w.hidden1, true);
                convs[1].apply(la, h, w.hidden1, w.cols, w.hidden2, true);
                convs[2].apply(la, h, w.hidden2, w.cols, w.raw, false);
                return;
            }
            // hidden1 carries the residual stream h; hidden2 and hidden3 the block's intermediates
            int size = convs[0].cout * plane;
            convs[0].apply(la, h, w.netIn, w.cols, w.hidden1, false);
            for (int j = 1; j < convs.length - 1; j += 2) {
                relu(w.hidden1, w.hidden2, size);
                convs[j].apply(la, h, w.hidden2, w.cols, w.hidden3, true);
                convs[j + 1].apply(la, h, w.hidden3, w.cols, w.hidden2, false);
                for (int i = 0; i < size; i++) {
                    w.hidden1[i] += w.hidden2[i];
                }
            }
            relu(w.hidden1, w.hidden2, size);
            convs[convs.length - 1].apply(la, h, w.hidden2, w.cols, w.raw, false);
        }

        private static void relu(double[] in, double[] out, int size) {
            for (int i = 0; i < size; i++) {
                out[i] = in[i] > 0 ? in[i] : 0.0;
            }
        }

        @Override
        public double forward(LinearAlgebra la, Workspace w) {
            network(la, w);
            return affine.apply(w.v, 0, w.raw, 0, true);
        }

        @Override
        public double inverse(LinearAlgebra la, Workspace w) {
            network(la, w);
            return affine.apply(w.v, 0, w.raw, 0, false);
        }

        @Override
        public void inverseChunk(LinearAlgebra la, FloatWorkspace w, double[] v, int offset, int stride, int b) {
            int plane = h * h;
            int width = b * plane;
            // the fixed part, channel-major over the chunk: netIn[(j·b + s)·plane + q]
            for (int j = 0; j < netChannels; j++) {
                int from = (channelMask ? parity * netChannels + j : j) * plane;
                for (int s = 0; s < b; s++) {
                    int src = offset + s * stride + from;
                    int dst = (j * b + s) * plane;
                    for (int q = 0; q < plane; q++) {
                        w.netIn[dst + q] = channelMask || fixedPixel(q / h, q % h) ? (float) v[src + q] : 0f;
                    }
                }
            }
            Conv3x3 last = convs[convs.length - 1];
            if (!residual) {
                convs[0].productFloat(la, b, h, w.netIn, w.cols, w.hidden1);
                biasRelu(w.hidden1, convs[0].biasFloat, width);
                convs[1].productFloat(la, b, h, w.hidden1, w.cols, w.hidden2);
                biasRelu(w.hidden2, convs[1].biasFloat, width);
                last.productFloat(la, b, h, w.hidden2, w.cols, w.rawFloat);
            } else {
                // hidden1: the residual stream h; hidden2: relu(h), the input of the next convolution
                convs[0].productFloat(la, b, h, w.netIn, w.cols, w.hidden1);
                residualRelu(w.hidden1, null, convs[0].biasFloat, w.hidden2, width);
                for (int j = 1; j < convs.length - 1; j += 2) {
                    convs[j].productFloat(la, b, h, w.hidden2, w.cols, w.hidden3);
                    biasRelu(w.hidden3, convs[j].biasFloat, width);
                    convs[j + 1].productFloat(la, b, h, w.hidden3, w.cols, w.hidden2);
                    residualRelu(w.hidden1, w.hidden2, convs[j + 1].biasFloat, w.hidden2, width);
                }
                last.productFloat(la, b, h, w.hidden2, w.cols, w.rawFloat);
            }
            // raw of sample s, (channel, pixel) as in the float64 path: the output plus its bias, widened
            int rawSize = last.cout * plane;
            for (int o = 0; o < last.cout; o++) {
                float bias = last.biasFloat[o];
                for (int s = 0; s < b; s++) {
                    int src = (o * b + s) * plane;
                    int dst = s * rawSize + o * plane;
                    for (int q = 0; q < plane; q++) {
                        w.raw[dst + q] = w.rawFloat[src + q] + bias;
                    }
                }
            }
            for (int s = 0; s < b; s++) {
                w.logDet[s] += affine.apply(v, offset + s * stride, w.raw, s * rawSize, false);
            }
        }

        /** a ← max(0, a + bias[o]) on the channel-major {@code cout × width} activations. */
        private static void biasRelu(float[] a, float[] bias, int width) {
            for (int o = 0; o < bias.length; o++) {
                float bo = bias[o];
                for (int i = o * width; i < (o + 1) * width; i++) {
                    float x = a[i] + bo;
                    a[i] = x > 0f ? x : 0f;
                }
            }
        }

        /**
         * stream ← stream + add + bias[o] (add null: stream + bias) and out ← max(0, stream), on
         * channel-major {@code cout × width} activations; {@code out} may be {@code add}.
         */
        private static void residualRelu(float[] stream, float[] add, float[] bias, float[] out, int width) {
            for (int o = 0; o < bias.length; o++) {
                float bo = bias[o];
                for (int i = o * width; i < (o + 1) * width; i++) {
                    float x = stream[i] + (add == null ? bo : add[i] + bo);
                    stream[i] = x;
                    out[i] = x > 0f ? x : 0f;
                }
            }
        }
    }

    /**
     * An affine coupling on the whole c × h × h prefix (m entries) with an MLP network
     * ({@link RealNvpArchitecture}, dense last level): the fixed half, gathered in (channel, row,
     * column) order, gives s = a ⊙ tanh(s-raw) and t for the free half in the same order.
     */
    private static final class DenseCoupling implements Step {
        final int[] fixed;
        final int width;
        final double[] w1;
        final double[] b1;
        final double[] w2;
        final double[] b2;
        final double[] w3;
        final double[] b3;
        final float[] w1f;
        final float[] b1f;
        final float[] w2f;
        final float[] b2f;
        final float[] w3f;
        final float[] b3f;
        /** The network's output is (s-raw, t), each m/2 entries, per sample. */
        final Affine affine;

        DenseCoupling(double[][] p, int c, int h, int index) {
            int m = c * h * h;
            int kind = c % 2 == 0 ? index % 4 : index % 2;
            this.fixed = new int[m / 2];
            int[] free = new int[m / 2];
            int nf = 0;
            int nv = 0;
            for (int i = 0; i < m; i++) {
                int ch = i / (h * h);
                int y = i / h % h;
                int x = i % h;
                boolean isFixed = kind < 2 ? (y + x) % 2 == kind : kind == 2 ? ch < c / 2 : ch >= c / 2;
                if (isFixed) {
                    fixed[nf++] = i;
                } else {
                    free[nv++] = i;
                }
            }
            this.width = p[1].length;
            this.w1 = p[0];
            this.b1 = p[1];
            this.w2 = p[2];
            this.b2 = p[3];
            this.w3 = p[4];
            this.b3 = p[5];
            this.w1f = Conv3x3.toFloat(w1);
            this.b1f = Conv3x3.toFloat(b1);
            this.w2f = Conv3x3.toFloat(w2);
            this.b2f = Conv3x3.toFloat(b2);
            this.w3f = Conv3x3.toFloat(w3);
            this.b3f = Conv3x3.toFloat(b3);
            int[] sIndex = new int[m / 2];
            for (int j = 0; j < sIndex.length; j++) {
                sIndex[j] = j;
            }
            this.affine = new Affine(free, sIndex, m / 2, p[6]);
        }

        /** out = W in + b (W row-major rows × cols), then ReLU when asked. */
        private static void dense(double[] weight, double[] bias, double[] in, int cols, double[] out, int rows,
                                  boolean relu) {
            for (int r = 0; r < rows; r++) {
                double acc = bias[r];
                int base = r * cols;
                for (int j = 0; j < cols; j++) {
                    acc += weight[base + j] * in[j];
                }
                out[r] = relu && acc < 0 ? 0.0 : acc;
            }
        }

        private void network(Workspace w) {
            int half = fixed.length;
            for (int j = 0; j < half; j++) {
                w.netIn[j] = w.v[fixed[j]];
            }
            dense(w1, b1, w.netIn, half, w.hidden1, width, true);
            dense(w2, b2, w.hidden1, width, w.hidden2, width, true);
            dense(w3, b3, w.hidden2, width, w.raw, 2 * half, false);
        }

        @Override
        public double forward(LinearAlgebra la, Workspace w) {
            network(w);
            return affine.apply(w.v, 0, w.raw, 0, true);
        }

        @Override
        public double inverse(LinearAlgebra la, Workspace w) {
            network(w);
            return affine.apply(w.v, 0, w.raw, 0, false);
        }

        @Override
        public void inverseChunk(LinearAlgebra la, FloatWorkspace w, double[] v, int offset, int stride, int b) {
            int half = fixed.length;
            for (int s = 0; s < b; s++) {
                int src = offset + s * stride;
                for (int j = 0; j < half; j++) {
                    w.netIn[s * half + j] = (float) v[src + fixed[j]];
                }
            }
            // rows are samples: H = relu(X Wᵀ + b), one SGEMM per layer for the chunk
            la.sgemm(false, true, b, width, half, 1f, w.netIn, w1f, 0f, w.hidden1);
            rowBiasRelu(w.hidden1, b1f, b, true);
            la.sgemm(false, true, b, width, width, 1f, w.hidden1, w2f, 0f, w.hidden2);
            rowBiasRelu(w.hidden2, b2f, b, true);
            la.sgemm(false, true, b, 2 * half, width, 1f, w.hidden2, w3f, 0f, w.rawFloat);
            for (int s = 0; s < b; s++) {
                int row = s * 2 * half;
                for (int j = 0; j < 2 * half; j++) {
                    w.raw[row + j] = w.rawFloat[row + j] + b3f[j];
                }
            }
            for (int s = 0; s < b; s++) {
                w.logDet[s] += affine.apply(v, offset + s * stride, w.raw, s * 2 * half, false);
            }
        }

        /** a[s, j] ← a[s, j] + bias[j], then ReLU when asked, on {@code rows × bias.length}. */
        private static void rowBiasRelu(float[] a, float[] bias, int rows, boolean relu) {
            int cols = bias.length;
            for (int s = 0; s < rows; s++) {
                int row = s * cols;
                for (int j = 0; j < cols; j++) {
                    float x = a[row + j] + bias[j];
                    a[row + j] = relu && x < 0f ? 0f : x;
                }
            }
        }
    }

    private static final class Workspace {
        final double[] v;
        final double[] tmp;
        final double[] netIn;
        final double[] hidden1;
        final double[] hidden2;
        final double[] hidden3;
        final double[] raw;
        final double[] cols;

        Workspace(int n, int hiddenSize, int colsSize) {
            v = new double[n];
            tmp = new double[n];
            netIn = new double[n];
            hidden1 = new double[hiddenSize];
            hidden2 = new double[hiddenSize];
            hidden3 = new double[hiddenSize];
            raw = new double[2 * n];
            cols = new double[colsSize];
        }
    }

    /**
     * The float32 path's buffers for one chunk of {@value #CHUNK} samples, each sized for the
     * largest step (the native SGEMM copies only the entries in use).
     */
    private static final class FloatWorkspace {
        final double[] tmp;
        final float[] netIn;
        final float[] hidden1;
        final float[] hidden2;
        final float[] hidden3;
        final float[] rawFloat;
        final float[] cols;
        final double[] raw;
        final double[] logDet = new double[CHUNK];

        /** {@code colsSize}: the largest {@link Conv3x3#scratchFloat} of a chunk. */
        FloatWorkspace(int n, int hiddenSize, int colsSize) {
            tmp = new double[n];
            netIn = new float[CHUNK * n];
            hidden1 = new float[CHUNK * hiddenSize];
            hidden2 = new float[CHUNK * hiddenSize];
            hidden3 = new float[CHUNK * hiddenSize];
            rawFloat = new float[CHUNK * 2 * n];
            cols = new float[colsSize];
            raw = new double[CHUNK * 2 * n];
        }
    }
}
