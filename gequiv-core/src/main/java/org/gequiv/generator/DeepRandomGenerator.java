package org.gequiv.generator;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.gequiv.activation.Activation;
import org.gequiv.activation.GaussianKernel;
import org.gequiv.activation.HermiteCoefficients;
import org.gequiv.linalg.Covariances;
import org.gequiv.linalg.DenseMatrices;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;

/**
 * A fully connected random generator without biases, h_0 = c, h_l = σ(F_l h_{l−1}) for
 * l = 1..L, x = h_L (docs/theory.md §2.4), with F_l entries i.i.d. N(0, 1/fan-in). Depth 1 is the
 * single-layer generator x = σ(Ac/√D) of §2.3 with A_ij ~ N(0, 1).
 *
 * <p>Widths are D → H → … → H → N with L − 1 hidden layers of width H (default H = D, the
 * authors' {@code rand} scenario: L = 4, H = D = 100). Analytic moments follow the chosen
 * {@link CovarianceRule}, through the {@link GaussianKernel} of σ for the exact rule; they are checked
 * to be finite and symmetric, with an {@link org.gequiv.validation.InvalidInputException} for the
 * field {@code generator} otherwise; positive semi-definiteness is checked by the consumers of Ω as a
 * covariance on the spectrum they compute (the linearised rule's Ω is not PSD at small D, e.g.
 * D = 20). Deep generators (L &gt; 1) need an odd activation, so that every hidden
 * layer stays centred and the Gaussian kernels apply.
 *
 * <p>Sampling is float64 only (no {@link Precision} choice, unlike the deep networks of
 * {@code org.gequiv.generator.deep}): the theory of this generator is its analytic kernel of the
 * float64 weights, and float32 pre-activations would flip sign outputs near 0 (docs/theory.md §7.1).
 *
 * <p>Immutable and thread-safe; weights are drawn from the stream
 * {@link RandomStreams#GENERATOR_WEIGHTS} of the given seed.
 */
public final class DeepRandomGenerator implements Generator {

    private final int latentDim;
    private final int inputDim;
    private final int[] widths;
    private final double[][] weights;
    private final Activation activation;
    private final CovarianceRule rule;
    private final long seed;

    private volatile Moments moments;

    /**
     * @param latentDim   D ≥ 1
     * @param inputDim    N ≥ 1
     * @param depth       L ≥ 1
     * @param hiddenWidth H ≥ 1 (ignored when L = 1)
     * @param activation  σ, applied after every layer; odd when L &gt; 1
     * @param rule        how {@link #analyticMoments()} is computed
     * @param seed        master seed of the weights
     */
    public DeepRandomGenerator(int latentDim, int inputDim, int depth, int hiddenWidth, Activation activation,
                               CovarianceRule rule, long seed) {
        if (latentDim < 1) {
            throw new IllegalArgumentException("D must be >= 1, got " + latentDim);
        }
        if (inputDim < 1) {
            throw new IllegalArgumentException("N must be >= 1, got " + inputDim);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be >= 1, got " + depth);
        }
        if (depth > 1 && hiddenWidth < 1) {
            throw new IllegalArgumentException("hidden width must be >= 1, got " + hiddenWidth);
        }
        if (depth > 1 && !activation.isOdd()) {
            throw new IllegalArgumentException("generator activation must be odd for depth > 1 (so hidden layers stay centred), got "
                    + activation.id());
        }
        this.latentDim = latentDim;
        this.inputDim = inputDim;
        this.activation = activation;
        this.rule = rule;
        this.seed = seed;
        this.widths = new int[depth + 1];
        widths[0] = latentDim;
        for (int l = 1; l < depth; l++) {
            widths[l] = hiddenWidth;
        }
        widths[depth] = inputDim;
        RandomGenerator rng = RandomStreams.stream(seed, RandomStreams.GENERATOR_WEIGHTS);
        this.weights = new double[depth][];
        for (int l = 0; l < depth; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            weights[l] = new double[out * in];
            RandomStreams.fillGaussian(rng, weights[l], weights[l].length, 1.0 / Math.sqrt(in));
        }
    }

    /**
     * The generator whose Ω the theory may evaluate from the analytic kernel instead of holding it
     * (docs/theory.md §5.12): {@code g} itself when it is a DeepRandomGenerator (single-layer or
     * deep), empty for every other generator, a Gaussian equivalent or a generator wrapped with
     * estimated moments included. The one place this is decided: {@link GeneratorSpec#hasAnalyticKernel}
     * predicts it from a kind before the generator is built.
     */
    public static Optional<DeepRandomGenerator> analyticKernel(Generator g) {
        return g instanceof DeepRandomGenerator random ? Optional.of(random) : Optional.empty();
    }

    /** The single-layer generator x = σ(Ac/√D) of docs/theory.md §2.3. */
    public static DeepRandomGenerator singleLayer(int latentDim, int inputDim, Activation activation,
                                                 CovarianceRule rule, long seed) {
        return new DeepRandomGenerator(latentDim, inputDim, 1, latentDim, activation, rule, seed);
    }

    public int depth() {
        return weights.length;
    }

    public Activation activation() {
        return activation;
    }

    public CovarianceRule rule() {
        return rule;
    }

    /** A copy of layer {@code l}'s weights F_{l+1} (out × in, row-major, including the 1/√fan-in). */
    public double[] layerWeights(int l) {
        return weights[l].clone();
    }

    @Override
    public int latentDimension() {
        return latentDim;
    }

    @Override
    public int inputDimension() {
        return inputDim;
    }

    @Override
    public String id() {
        return depth() == 1 ? "single-layer" : "deep-random";
    }

    @Override
    public Map<String, Object> description() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("generator", id());
        d.put("D", latentDim);
        d.put("N", inputDim);
        d.put("depth", depth());
        d.put("widths", Arrays.stream(widths).boxed().toList());
        d.put("activation", activation.id());
        d.put("weights", "F_l entries i.i.d. N(0, 1/fan_in), stream generator-weights");
        d.put("covarianceRule", rule.id());
        d.put("seed", seed);
        return d;
    }

    @Override
    public void sample(RandomGenerator rng, int batch, double[] latent, double[] inputs) {
        RandomStreams.fillGaussian(rng, latent, batch * latentDim);
        forward(batch, latent, inputs);
    }

    /**
     * x = G(c) for a batch of given latent vectors.
     *
     * @param latent {@code batch × D}, not modified
     * @param inputs overwritten with {@code batch × N}
     */
    public void forward(int batch, double[] latent, double[] inputs) {
        LinearAlgebra la = LinearAlgebra.get();
        double[] h = latent;
        for (int l = 0; l < weights.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            double[] u = l == weights.length - 1 ? inputs : new double[batch * out];
            la.gemm(false, true, batch, out, in, 1.0, h, weights[l], 0.0, u);
            activation.apply(u, u, batch * out);
            h = u;
        }
    }

    @Override
    public Optional<Moments> analyticMoments() {
        Moments m = moments;
        if (m == null) {
            synchronized (this) {
                if (moments == null) {
                    moments = computeMoments();
                }
                m = moments;
            }
        }
        return Optional.of(m);
    }

    /**
     * μ without Ω: E σ(u_i) for the output pre-activation variances P_ii = (F_L Σ F_Lᵀ)_ii (κ0 for
     * the linearised rule), O(N·H²). The mean of {@link #analyticMoments()} is this same array, so
     * a run centres its inputs identically whether or not it forms Ω.
     */
    @Override
    public Optional<double[]> analyticMean() {
        return Optional.of(mean().clone());
    }

    private volatile double[] mean;

    private double[] mean() {
        double[] m = mean;
        if (m == null) {
            synchronized (this) {
                if (mean == null) {
                    mean = computeMean();
                }
                m = mean;
            }
        }
        return m;
    }

    private double[] computeMean() {
        double[] out = new double[inputDim];
        if (rule == CovarianceRule.LINEARISED) {
            java.util.Arrays.fill(out, activation.hermite().kappa0());
            return out;
        }
        GaussianKernel kernels = new GaussianKernel(activation);
        double[] variance = outputPreActivationVariances();
        for (int i = 0; i < inputDim; i++) {
            out[i] = kernels.mean(variance[i]);
        }
        return out;
    }

    /**
     * P_ii = (F_L Σ F_Lᵀ)_ii of the output layer, by one GEMM F_L Σ and a row-wise dot product (for
     * a single layer, Σ = I, the squared row norms of F): shared by the mean and the matrix-free Ω
     * (org.gequiv.spectral.KernelCovariance).
     */
    public double[] outputPreActivationVariances() {
        double[] f = weights[weights.length - 1];
        double[] variance = new double[inputDim];
        if (weights.length == 1) {
            // Σ = I_D: P_ii is the squared norm of row i of F
            int d = latentDim;
            for (int i = 0; i < inputDim; i++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += f[i * d + c] * f[i * d + c];
                }
                variance[i] = s;
            }
            return variance;
        }
        LastLayerInput input = lastLayerInput();
        int h = input.width();
        double[] fs = new double[inputDim * h];
        LinearAlgebra.get().gemm(false, false, inputDim, h, h, 1.0, f, input.covariance(), 0.0, fs);
        for (int i = 0; i < inputDim; i++) {
            double s = 0;
            for (int c = 0; c < h; c++) {
                s += fs[i * h + c] * f[i * h + c];
            }
            variance[i] = s;
        }
        return variance;
    }

    /**
     * The covariance Σ (H × H) of the input h_{L−1} of the last layer and its cross-covariance with
     * the latent (H × D), as the moment recursion of {@link #rule()} has them (Σ = I_D and the
     * identity for a single layer). With {@link #layerWeights(int) layerWeights(depth − 1)} = F_L they
     * give the output moments without forming the N × N matrix: the pre-activation covariance is
     * P = F_L Σ F_Lᵀ, Ω its Gaussian kernel ({@link GaussianKernel}), Φ = E σ′ · F_L · cross
     * (matrix-free Ω·v of issue 14).
     *
     * @param width      H, the input width of the last layer
     * @param covariance Σ, H × H row-major
     * @param cross      Cov(h_{L−1}, c), H × D row-major
     */
    public record LastLayerInput(int width, double[] covariance, double[] cross) {
    }

    /** The moments of the last layer's input (see {@link LastLayerInput}); cost O(depth·H³). */
    public LastLayerInput lastLayerInput() {
        LayerMoments m = layerMoments(weights.length - 1);
        return new LastLayerInput(widths[weights.length - 1], m.covariance(), m.cross());
    }

    private Moments computeMoments() {
        LayerMoments m = layerMoments(weights.length);
        double[] sigma = m.covariance();
        double[] cross = m.cross();
        double[] mean = mean().clone();
        Map<String, Object> source = new LinkedHashMap<>(description());
        source.put("moments", "analytic, rule " + rule.id());
        String origin = "analytic moments of " + id() + " (" + activation.id() + ", rule " + rule.id() + "): ";
        Covariances.checkFinite("generator", origin + "mean", mean, inputDim, 1);
        // finite here, symmetric by construction (every entry is written at (i, j) and (j, i) at
        // once); positive semi-definiteness is checked by every consumer of Ω as a covariance on the
        // spectrum it computes anyway (ODE eigenvalues or Lanczos nodes, ERM spectra, Gaussian
        // equivalent), which a Cholesky of a copy here would only repeat (an N² clone and N³/3
        // flops: 0.1–0.3 s of the set-up at N = 3072, issue 11). The exact rule's Ω is a Gaussian
        // kernel matrix, PSD by construction; the published linearised recursion is not PSD when D
        // is small (row-norm fluctuations of F against the fixed diagonal), and is refused there
        if (!m.covarianceFinite()) {
            // the map found a non-finite entry as it wrote Ω: read it again only to name it
            Covariances.checkFinite("generator", origin + "omega", sigma, inputDim, inputDim);
        }
        if (!m.crossFinite()) {
            Covariances.checkFinite("generator", origin + "phi", cross, inputDim, latentDim);
        }
        // Ω is finite (checked above) and exactly symmetric (each entry written at (i, j) and (j, i)
        // at once): its consumers need not check it again
        return new Moments(inputDim, latentDim, mean, sigma, cross, 0, source, true);
    }

    /**
     * The moments of h_count: its covariance, its cross-covariance with c and its mean, and whether
     * the covariance's and the cross-covariance's entries are all finite (checked as they were written).
     */
    private record LayerMoments(double[] covariance, double[] cross, double[] mean, boolean covarianceFinite,
                                boolean crossFinite) {
    }

    /** The {@link LayerMoments} of h_count by the recursion of {@link #rule}. */
    private LayerMoments layerMoments(int count) {
        LinearAlgebra la = LinearAlgebra.get();
        GaussianKernel kernels = new GaussianKernel(activation);
        HermiteCoefficients kappa = activation.hermite();
        // covariance of h_0 = c and its cross-covariance with c: both I_D, formed only when they are
        // the answer (count 0); the first layer uses them implicitly (F Fᵀ, and F itself for Φ),
        // which spares two D × D matrices of fresh memory (38 MB at D = 1536, issue 11)
        double[] sigma = count == 0 ? identity(latentDim) : null;
        double[] cross = count == 0 ? identity(latentDim) : null;
        double[] mean = new double[latentDim];
        boolean sigmaFinite = true;
        boolean crossFinite = true;
        for (int l = 0; l < count; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            boolean last = l == weights.length - 1;
            double[] f = weights[l];
            // p = F Σ Fᵀ, read from its upper triangle and turned in place into the covariance of h_l
            double[] p = new double[out * out];
            if (l == 0) {
                // Σ = I_D: p = F Fᵀ by one symmetric rank-D update of F's rows as they are, without
                // the products by the identity or a transposed copy of F
                la.syrkUpper(out, in, 1.0, f, 0.0, p);
            } else {
                double[] fs = new double[out * in];
                la.gemm(false, false, out, in, in, 1.0, f, sigma, 0.0, fs);
                la.gemm(false, true, out, out, in, 1.0, fs, f, 0.0, p);
                // the kernel reads the lower triangle of the product, as it always has
                DenseMatrices.copyLowerToUpper(out, p);
            }
            double[] var = new double[out];
            double[] slope = new double[out];
            double[][] series = new double[out][];
            mean = new double[out];
            boolean linearised = rule == CovarianceRule.LINEARISED;
            double k1 = kappa.kappa1();
            double ks2 = kappa.kappaStar() * kappa.kappaStar();
            for (int i = 0; i < out; i++) {
                var[i] = p[i * out + i];
                if (linearised) {
                    mean[i] = kappa.kappa0();
                    slope[i] = k1;
                } else {
                    series[i] = kernels.seriesCoefficients(var[i]);
                    mean[i] = kernels.mean(var[i]);
                    slope[i] = kernels.slope(var[i]);
                }
            }
            // K = Cov(h_l, c) = diag(slope) F Cov(h_{l-1}, c) (Stein's lemma); Cov(h_0, c) = I
            double[] k = new double[out * latentDim];
            if (l > 0) {
                la.gemm(false, false, out, latentDim, in, 1.0, f, cross, 0.0, k);
            }
            crossFinite = DenseMatrices.scaleRows(out, latentDim, l == 0 ? f : k, slope, k);
            boolean finite;
            if (linearised) {
                // the published recursion: hidden layers add κ*² to the diagonal; the output's
                // diagonal is set to the exact variance κ1² + κ*²
                finite = DenseMatrices.mapUpperSymmetric(out, p, (i, j, c) -> i != j ? k1 * k1 * c
                        : last ? kappa.variance() : k1 * k1 * c + ks2);
            } else {
                // entry (i, j) with i ≤ j: the kernel of the pair (j, i), the order of its arguments
                // since the kernel was evaluated on the lower triangle
                finite = DenseMatrices.mapUpperSymmetric(out, p, (i, j, c) -> i == j ? kernels.variance(var[i])
                        : kernels.covariance(var[j], var[i], c, series[j], series[i]));
            }
            sigmaFinite = finite;
            sigma = p;
            cross = k;
        }
        return new LayerMoments(sigma, cross, mean, sigmaFinite, crossFinite);
    }

    private static double[] identity(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 1.0;
        }
        return a;
    }
}
