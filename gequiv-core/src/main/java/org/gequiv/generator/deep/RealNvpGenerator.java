package org.gequiv.generator.deep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gequiv.generator.Moments;
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
 * <p>Vectors are flattened in (channel, row, column) order. Immutable and thread-safe (per-thread
 * scratch).
 */
public final class RealNvpGenerator implements LatentMap, ImageShaped {

    private final RealNvpWeights weights;
    private final RealNvpArchitecture arch;
    private final List<Step> steps = new ArrayList<>();
    private final int n;
    private final double alpha;
    private final Map<String, Object> description;
    private final ThreadLocal<Workspace> workspace;

    public RealNvpGenerator(RealNvpWeights weights, String origin) {
        this.weights = weights;
        this.arch = weights.architecture();
        this.n = arch.dimension();
        this.alpha = arch.logitAlpha();
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
        Map<String, Object> desc = new LinkedHashMap<>();
        desc.put("architecture", "real-nvp " + arch.channels() + "x" + arch.size() + "x" + arch.size()
                + ", scales " + arch.scales() + ", hidden " + arch.hidden()
                + (arch.residual() ? ", residual blocks " + arch.blocks() : "")
                + (arch.dense() ? ", dense last level " + arch.denseCouplings() + " x width " + arch.denseHidden() : "")
                + (arch.logitAlpha() > 0 ? ", logit output alpha " + arch.logitAlpha() : ""));
        desc.put("weights", origin);
        desc.put("weightsSha256", weights.digest());
        this.description = Map.copyOf(desc);
    }

    /** A randomly initialised flow ({@link RealNvpWeights#random}). */
    public static RealNvpGenerator random(RealNvpArchitecture arch, long seed) {
        return new RealNvpGenerator(RealNvpWeights.random(arch, seed), "random, seed " + seed);
    }

    public RealNvpWeights weights() {
        return weights;
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
     * x = g(c) and, when {@code logDet} is not null, log |det ∂g/∂c| per sample.
     *
     * @param latent {@code batch × N}, not modified
     * @param inputs overwritten with {@code batch × N}
     * @param logDet null or overwritten with {@code batch} values
     */
    public void map(int batch, double[] latent, double[] inputs, double[] logDet) {
        checkBuffers(batch, latent, inputs);
        LinearAlgebra la = LinearAlgebra.get();
        Workspace w = workspace.get();
        for (int s = 0; s < batch; s++) {
            System.arraycopy(latent, s * n, w.v, 0, n);
            double ld = 0;
            for (int i = steps.size() - 1; i >= 0; i--) {
                ld += steps.get(i).inverse(la, w);
            }
            if (alpha > 0) {
                ld += toPixels(w.v);
            }
            System.arraycopy(w.v, 0, inputs, s * n, n);
            if (logDet != null) {
                logDet[s] = ld;
            }
        }
    }

    /**
     * c = f(x) = g⁻¹(x) and, when {@code logDet} is not null, log |det ∂f/∂x| per sample.
     *
     * @param inputs {@code batch × N}, not modified
     * @param latent overwritten with {@code batch × N}
     * @param logDet null or overwritten with {@code batch} values
     */
    public void inverse(int batch, double[] inputs, double[] latent, double[] logDet) {
        checkBuffers(batch, latent, inputs);
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
     * y → x = (σ(y) − α)/(1 − 2α) in place; returns Σ log dx/dy = Σ [log σ(y) + log(1 − σ(y))] − n log(1 − 2α).
     */
    private double toPixels(double[] v) {
        double ld = 0;
        for (int i = 0; i < n; i++) {
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

    private void checkBuffers(int batch, double[] latent, double[] inputs) {
        if (batch < 0 || latent.length < batch * n || inputs.length < batch * n) {
            throw new IllegalArgumentException("buffers must hold batch × N = " + batch + " × " + n
                    + " entries, got " + latent.length + " and " + inputs.length);
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

    /** One invertible step acting on the prefix of the state vector; returns its log-determinant. */
    private interface Step {
        /** Data → latent direction. */
        double forward(LinearAlgebra la, Workspace w);

        /** Latent → data direction. */
        double inverse(LinearAlgebra la, Workspace w);
    }

    /** C × H × H → 4C × H/2 × H/2, channel c·4 + 2·dy + dx holding pixel (2y + dy, 2x + dx) of c. */
    private static final class Squeeze implements Step {
        final int c;
        final int h;

        Squeeze(int c, int h) {
            this.c = c;
            this.h = h;
        }

        @Override
        public double forward(LinearAlgebra la, Workspace w) {
            int hh = h / 2;
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < h; x++) {
                        int oc = ch * 4 + (y % 2) * 2 + (x % 2);
                        w.tmp[(oc * hh + y / 2) * hh + x / 2] = w.v[(ch * h + y) * h + x];
                    }
                }
            }
            System.arraycopy(w.tmp, 0, w.v, 0, c * h * h);
            return 0;
        }

        @Override
        public double inverse(LinearAlgebra la, Workspace w) {
            int hh = h / 2;
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < h; x++) {
                        int oc = ch * 4 + (y % 2) * 2 + (x % 2);
                        w.tmp[(ch * h + y) * h + x] = w.v[(oc * hh + y / 2) * hh + x / 2];
                    }
                }
            }
            System.arraycopy(w.tmp, 0, w.v, 0, c * h * h);
            return 0;
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
        final double[] scale;

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
            this.scale = p[2 * count];
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

        private double affine(LinearAlgebra la, Workspace w, boolean toLatent) {
            network(la, w);
            int plane = h * h;
            double logDet = 0;
            int tOffset = netChannels * plane;
            for (int j = 0; j < netChannels; j++) {
                double a = scale[j];
                int vBase = (channelMask ? ((1 - parity) * netChannels + j) : j) * plane;
                for (int q = 0; q < plane; q++) {
                    if (!channelMask && fixedPixel(q / h, q % h)) {
                        continue;
                    }
                    double s = a * Math.tanh(w.raw[j * plane + q]);
                    double t = w.raw[tOffset + j * plane + q];
                    int i = vBase + q;
                    if (toLatent) {
                        w.v[i] = w.v[i] * Math.exp(s) + t;
                        logDet += s;
                    } else {
                        w.v[i] = (w.v[i] - t) * Math.exp(-s);
                        logDet -= s;
                    }
                }
            }
            return logDet;
        }

        @Override
        public double forward(LinearAlgebra la, Workspace w) {
            return affine(la, w, true);
        }

        @Override
        public double inverse(LinearAlgebra la, Workspace w) {
            return affine(la, w, false);
        }
    }

    /**
     * An affine coupling on the whole c × h × h prefix (m entries) with an MLP network
     * ({@link RealNvpArchitecture}, dense last level): the fixed half, gathered in (channel, row,
     * column) order, gives s = a ⊙ tanh(s-raw) and t for the free half in the same order.
     */
    private static final class DenseCoupling implements Step {
        final int[] fixed;
        final int[] free;
        final int width;
        final double[] w1;
        final double[] b1;
        final double[] w2;
        final double[] b2;
        final double[] w3;
        final double[] b3;
        final double[] scale;

        DenseCoupling(double[][] p, int c, int h, int index) {
            int m = c * h * h;
            int kind = c % 2 == 0 ? index % 4 : index % 2;
            this.fixed = new int[m / 2];
            this.free = new int[m / 2];
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
            this.scale = p[6];
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

        private double affine(Workspace w, boolean toLatent) {
            int half = fixed.length;
            for (int j = 0; j < half; j++) {
                w.netIn[j] = w.v[fixed[j]];
            }
            dense(w1, b1, w.netIn, half, w.hidden1, width, true);
            dense(w2, b2, w.hidden1, width, w.hidden2, width, true);
            dense(w3, b3, w.hidden2, width, w.raw, 2 * half, false);
            double logDet = 0;
            for (int j = 0; j < half; j++) {
                double s = scale[j] * Math.tanh(w.raw[j]);
                double t = w.raw[half + j];
                int i = free[j];
                if (toLatent) {
                    w.v[i] = w.v[i] * Math.exp(s) + t;
                    logDet += s;
                } else {
                    w.v[i] = (w.v[i] - t) * Math.exp(-s);
                    logDet -= s;
                }
            }
            return logDet;
        }

        @Override
        public double forward(LinearAlgebra la, Workspace w) {
            return affine(w, true);
        }

        @Override
        public double inverse(LinearAlgebra la, Workspace w) {
            return affine(w, false);
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
}
