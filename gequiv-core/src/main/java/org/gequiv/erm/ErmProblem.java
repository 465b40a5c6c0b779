package org.gequiv.erm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;

/**
 * A concrete full-batch learning problem (docs/theory.md §6.1): a generator, the student's features and
 * the frozen teacher θ on the latent (Ψ = I_D, p = D, ν = θ·c/√D with θ_a ~ N(0, 1)). Built once
 * from a seed and handed to both engines: {@link #analyticSpectra()} or
 * {@link #monteCarloSpectra(int, long)} feed the saddle point, {@link #sample} feeds the
 * simulation, so theory and simulation describe the same teacher, feature weights and generator.
 *
 * <p>The inputs must be centred (docs/theory.md §1.1): the experiment layer
 * ({@code org.gequiv.experiment.InputCentring}) wraps a generator with a known non-zero mean as
 * x = G(c) − μ before it gets here. Random features are v = σ(Fx/√N) with F_ij ~ N(0, 1) from the stream
 * {@link RandomStreams#FEATURES}; θ comes from {@link RandomStreams#TEACHER}.
 *
 * <p>Immutable and thread-safe ({@link #sample} uses only the caller's generator and buffers).
 */
public final class ErmProblem {

    /** Samples are drawn in blocks of this many rows to bound the generator's scratch memory. */
    private static final int BLOCK = 1024;

    private final Generator generator;
    private final FeatureSpec features;
    private final double[] theta;
    private final double[] featureWeights;
    private final long seed;
    private final LinearAlgebra la;

    private ErmProblem(Generator generator, FeatureSpec features, long seed, LinearAlgebra la) {
        this.la = la;
        this.generator = generator;
        this.features = features;
        this.seed = seed;
        int latent = generator.latentDimension();
        int n = generator.inputDimension();
        theta = new double[latent];
        RandomStreams.fillGaussian(RandomStreams.stream(seed, RandomStreams.TEACHER), theta, latent);
        if (features.map() == FeatureMap.RANDOM) {
            featureWeights = new double[features.count() * n];
            RandomStreams.fillGaussian(RandomStreams.stream(seed, RandomStreams.FEATURES), featureWeights,
                    featureWeights.length);
        } else {
            featureWeights = null;
        }
    }

    /**
     * Draws θ (and F for random features) from {@code seed}.
     *
     * @throws org.gequiv.validation.InvalidInputException when the features see x and the
     *         generator's known mean is not zero
     */
    public static ErmProblem create(Generator generator, FeatureSpec features, long seed) {
        return create(generator, features, seed, LinearAlgebra.get());
    }

    /**
     * {@link #create(Generator, FeatureSpec, long)} whose spectra and feature products run on
     * {@code linearAlgebra}.
     */
    public static ErmProblem create(Generator generator, FeatureSpec features, long seed,
                                    LinearAlgebra linearAlgebra) {
        org.gequiv.validation.Checks.given("linearAlgebra", linearAlgebra);
        if (generator == null || features == null) {
            throw new org.gequiv.validation.InvalidInputException(generator == null ? "generator" : "features",
                    "generator and features must be given");
        }
        if (features.map() != FeatureMap.LATENT) {
            Optional<Moments> m = generator.analyticMoments();
            double largest = 0;
            for (double mu : m.map(Moments::mean).orElse(new double[0])) {
                largest = Math.max(largest, Math.abs(mu));
            }
            if (largest > 0) {
                throw new org.gequiv.validation.InvalidInputException("generator", "generator must be centred "
                        + "(x = G(c) - mu, docs/theory.md §1.1; org.gequiv.experiment.InputCentring does it), got a known "
                        + "mean with max |mu| = " + largest);
            }
        }
        return new ErmProblem(generator, features, seed, linearAlgebra);
    }

    public Generator generator() {
        return generator;
    }

    public FeatureSpec features() {
        return features;
    }

    public long seed() {
        return seed;
    }

    /** The teacher vector θ (length D), a copy. */
    public double[] teacher() {
        return theta.clone();
    }

    /** F (P × N, row-major) of random features, a copy; null for other feature maps. */
    double[] featureWeights() {
        return featureWeights == null ? null : featureWeights.clone();
    }

    /** d, the student's dimension. */
    public int featureDimension() {
        return switch (features.map()) {
            case INPUT -> generator.inputDimension();
            case RANDOM -> features.count();
            case LATENT -> generator.latentDimension();
        };
    }

    /** p = D, the teacher's dimension. */
    public int teacherDimension() {
        return generator.latentDimension();
    }

    /** ρ = θᵀθ/D. */
    public double rho() {
        double s = 0;
        for (double x : theta) {
            s += x * x;
        }
        return s / theta.length;
    }

    /** Everything that defines the problem, for provenance. */
    public Map<String, Object> description() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", generator.description());
        m.put("features", features.map().id());
        if (features.map() == FeatureMap.RANDOM) {
            m.put("featureCount", features.count());
            m.put("featureActivation", features.activation().id());
        }
        m.put("teacher", "latent");
        m.put("seed", seed);
        return m;
    }

    /**
     * Spectra from the generator's analytic moments (docs/theory.md §6.2): Ω and Φ_GCM = E[c vᵀ] of the
     * features; for random features through the Gaussian pre-activations h = F(x − μ)/√N with
     * covariance FΩ_xFᵀ/N and cross-covariance FΦ_x/√N.
     *
     * @throws IllegalStateException when the generator has no analytic moments (use
     *                               {@link #monteCarloSpectra})
     */
    public Spectra analyticSpectra() {
        if (features.map() == FeatureMap.LATENT) {
            int latent = generator.latentDimension();
            double[] t = new double[latent];
            double[] omega = new double[latent];
            for (int i = 0; i < latent; i++) {
                omega[i] = 1.0;
                t[i] = theta[i] * theta[i];
            }
            return new Spectra(omega, t, rho(), 1.0);
        }
        return analyticCovariance().spectra();
    }

    /**
     * The covariate model behind {@link #analyticSpectra()}: Ω and b = Φ_GCMᵀθ of the features from the
     * generator's analytic moments, before any decomposition (for latent features Ω = I_D and b = θ).
     *
     * @throws IllegalStateException when the generator has no analytic moments
     */
    public CovariateModel analyticCovariance() {
        int latent = generator.latentDimension();
        double gammaNum = latent;
        if (features.map() == FeatureMap.LATENT) {
            double[] omega = new double[latent * latent];
            for (int i = 0; i < latent; i++) {
                omega[i * latent + i] = 1.0;
            }
            return new CovariateModel(latent, omega, theta.clone(), rho(), 1.0, "features", "latent features: I");
        }
        Optional<Moments> mo = generator.analyticMoments();
        if (mo.isEmpty()) {
            throw new IllegalStateException("generator " + generator.id()
                    + " has no analytic moments; use Monte-Carlo spectra");
        }
        Moments moments = mo.get();
        int n = generator.inputDimension();
        if (features.map() == FeatureMap.INPUT) {
            double[] b = new double[n];
            // b = Φ_x θ = Φ_GCMᵀ θ
            la.gemm(false, false, n, 1, latent, 1.0, moments.phi(), theta, 0.0, b);
            Object file = moments.source().get("file");
            return new CovariateModel(n, moments.omega(), b, rho(), gammaNum / n, "moments",
                    file != null ? file + ":omega" : "moments of " + generator.id() + ": omega");
        }
        int p = features.count();
        double[][] pre = randomFeaturePreActivations(moments);
        double[] hc = pre[1];
        FeatureKernels.FeatureMoments rf = FeatureKernels.moments(features.activation(), p, pre[0]);
        double[] slope = rf.slope();
        // Φ_v row a = slope_a · (E[h cᵀ])_a (Stein), so b = Φ_v θ
        double[] b = new double[p];
        for (int a = 0; a < p; a++) {
            double s = 0;
            for (int j = 0; j < latent; j++) {
                s += hc[a * latent + j] * theta[j];
            }
            b[a] = slope[a] * s;
        }
        return new CovariateModel(p, rf.omega(), b, rho(), gammaNum / p, "features",
                "random features " + features.activation().id() + "(Fx/√N) of " + generator.id() + ": E[v vᵀ]");
    }

    /**
     * The Gaussian pre-activations h = F(x − μ)/√N of the random features: {E[h hᵀ] = FΩFᵀ/N
     * (P × P), E[h cᵀ] = FΦ/√N (P × D)}, both row-major.
     */
    double[][] randomFeaturePreActivations(Moments moments) {
        int latent = generator.latentDimension();
        int n = generator.inputDimension();
        int p = features.count();
        LinearAlgebra la = LinearAlgebra.get();
        double[] fo = new double[p * n];
        la.gemm(false, false, p, n, n, 1.0, featureWeights, moments.omega(), 0.0, fo);
        double[] c = new double[p * p];
        la.gemm(false, true, p, p, n, 1.0 / n, fo, featureWeights, 0.0, c);
        double[] hc = new double[p * latent];
        la.gemm(false, false, p, latent, n, 1.0 / Math.sqrt(n), featureWeights, moments.phi(), 0.0, hc);
        return new double[][] {c, hc};
    }

    /**
     * Spectra from Monte-Carlo estimates of the uncentred moments Ω = E[v vᵀ] and Φ_GCM = E[c vᵀ]
     * over {@code samples} draws from the stream {@code ("spectra-estimate", 0)} of {@code seed}.
     * ρ is estimated from the same samples (the mean of ν²), so that the estimated joint covariance
     * of (ν, v) stays positive semi-definite and the spectra consistent.
     */
    public Spectra monteCarloSpectra(int samples, long estimateSeed) {
        return monteCarloCovariance(samples, estimateSeed).spectra();
    }

    /** The covariate model behind {@link #monteCarloSpectra}, the same estimates before any decomposition. */
    public CovariateModel monteCarloCovariance(int samples, long estimateSeed) {
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
        int d = featureDimension();
        int latent = generator.latentDimension();
        RandomGenerator rng = RandomStreams.stream(estimateSeed, "spectra-estimate");
        double[] omega = new double[d * d];
        double[] b = new double[d];
        int done = 0;
        double rhoSum = 0;
        double[] v = new double[BLOCK * d];
        double[] nu = new double[BLOCK];
        while (done < samples) {
            int m = Math.min(BLOCK, samples - done);
            sample(rng, m, v, nu);
            la.syrkTransposed(d, m, 1.0 / samples, v, 1.0, omega);
            // E[c vᵀ]θ = E[v (θ·c)] = √D E[v ν]
            for (int r = 0; r < m; r++) {
                rhoSum += nu[r] * nu[r];
                double w = nu[r] * Math.sqrt(latent) / samples;
                int row = r * d;
                for (int j = 0; j < d; j++) {
                    b[j] += w * v[row + j];
                }
            }
            done += m;
        }
        return new CovariateModel(d, omega, b, rhoSum / samples, (double) latent / d, "features",
                "Monte-Carlo estimate of E[v vᵀ] over " + samples + " samples");
    }

    /**
     * Draws {@code n} samples: features v (n × d, row-major) and noiseless teacher fields
     * ν = θ·c/√D. Takes exactly one long from {@code rng}, which seeds one sub-stream per block
     * of samples: a generator and its Gaussian equivalent (which also draws its noise z from the
     * stream) then see the same latent vectors in every block, not only in the first.
     *
     * @param features      overwritten with n × d features; length at least n·d
     * @param teacherFields overwritten with n fields; length at least n
     */
    public void sample(RandomGenerator rng, int n, double[] features, double[] teacherFields) {
        int d = featureDimension();
        int latent = generator.latentDimension();
        int in = generator.inputDimension();
        if (features.length < (long) n * d || teacherFields.length < n) {
            throw new IllegalArgumentException("buffers must hold " + n + " × " + d + " features and " + n
                    + " fields, got " + features.length + " and " + teacherFields.length);
        }
        int block = Math.min(BLOCK, Math.max(n, 1));
        double[] c = new double[block * latent];
        double[] x = new double[block * in];
        double[] h = this.features.map() == FeatureMap.RANDOM ? new double[block * d] : null;
        double scale = 1.0 / Math.sqrt(latent);
        long blockSeed = rng.nextLong();
        for (int start = 0; start < n; start += block) {
            int m = Math.min(block, n - start);
            generator.sample(RandomStreams.stream(blockSeed, "sample-block", start / block), m, c, x);
            for (int r = 0; r < m; r++) {
                double s = 0;
                for (int j = 0; j < latent; j++) {
                    s += theta[j] * c[r * latent + j];
                }
                teacherFields[start + r] = s * scale;
            }
            switch (this.features.map()) {
                case LATENT -> System.arraycopy(c, 0, features, start * d, m * latent);
                case INPUT -> System.arraycopy(x, 0, features, start * d, m * in);
                case RANDOM -> {
                    la.gemm(false, true, m, d, in, 1.0 / Math.sqrt(in), x, featureWeights, 0.0, h);
                    var g = this.features.activation();
                    for (int i = 0; i < m * d; i++) {
                        features[start * d + i] = g.value(h[i]);
                    }
                }
            }
        }
    }
}
