package org.gequiv.experiment;

import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.spectral.LanczosOptions;
import org.gequiv.spectral.SpectralMethod;
import org.gequiv.validation.Checks;
import org.gequiv.validation.Identifiers;
import org.gequiv.validation.InvalidInputException;
import org.gequiv.validation.MemoryEstimate;

/**
 * Everything a full-batch experiment does (docs/theory.md §6, §2.2): the sweep of {@link ErmSpec},
 * the student's features, where the theory's covariances come from, the saddle-point options,
 * whether ERM is simulated on samples, and how many seeds the Gaussian-twin comparison runs (0:
 * none). Validated once, here; immutable.
 *
 * @param erm                 loss, (α, λ) grid, label noise, repeats, test set, seed
 * @param features            input, random or latent features (ignored by the theory-only path)
 * @param covariances         analytic moments or a Monte-Carlo estimate
 * @param monteCarloSamples   samples of the Monte-Carlo estimate, ≥ 2 (unused for analytic moments)
 * @param saddlePoint         how the saddle-point iteration runs
 * @param simulate            solve ERM on sampled data sets too
 * @param versusGaussianSeeds S ≥ 0 seeds of the twin comparison (seeds s … s + S − 1, {@link SeedRules})
 * @param spectralMethod      how the theory gets its spectra (docs/theory.md §5.12, "ERM (§6)"): eigen (the
 *                            eigendecomposition, the reference), lanczos (the eigenvalues and the
 *                            teacher's Gauss rule, with an a-posteriori estimate), or auto (lanczos kept
 *                            when its estimate meets the tolerance of {@code lanczos}, eigen otherwise)
 * @param lanczos             steps or tolerance of the teacher rule (its plain-measure and probe
 *                            settings are not used: the plain measure is always the eigenvalues)
 */
public record ErmExperimentSpec(ErmSpec erm, FeatureSpec features, Covariances covariances, int monteCarloSamples,
                                SaddlePointOptions saddlePoint, boolean simulate, int versusGaussianSeeds,
                                SpectralMethod spectralMethod, LanczosOptions lanczos) {

    /**
     * The spectral method of the theory when none is given: {@link SpectralMethod#EIGEN}, because at
     * the default d = 1000 the Lanczos path is not reliably faster (docs/theory.md §5.12, "ERM (§6)",
     * for the measurements).
     */
    public static final SpectralMethod DEFAULT_SPECTRAL_METHOD = SpectralMethod.EIGEN;

    /** With the {@link #DEFAULT_SPECTRAL_METHOD} and {@link LanczosOptions#defaults()}. */
    public ErmExperimentSpec(ErmSpec erm, FeatureSpec features, Covariances covariances, int monteCarloSamples,
                             SaddlePointOptions saddlePoint, boolean simulate, int versusGaussianSeeds) {
        this(erm, features, covariances, monteCarloSamples, saddlePoint, simulate, versusGaussianSeeds,
                DEFAULT_SPECTRAL_METHOD, LanczosOptions.defaults());
    }

    /** Default samples of the Monte-Carlo covariance estimate. */
    public static final int DEFAULT_MONTE_CARLO_SAMPLES = 100_000;

    /** Where the theory's covariances come from when a generator is given. */
    public enum Covariances {
        /** The generator's analytic (or supplied) moments, docs/theory.md §6.2. */
        ANALYTIC("analytic"),
        /** Monte-Carlo estimates of Ω and Φ of the features (§7.2). */
        MONTE_CARLO("monte-carlo");

        private final String id;

        Covariances(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** The source called {@code id}. */
        public static Covariances byId(String id) {
            return Identifiers.byId(values(), c -> c.id, "covariances", "covariances", id);
        }
    }

    public ErmExperimentSpec {
        Checks.given("erm", erm);
        Checks.given("features", features);
        Checks.given("covariances", covariances);
        Checks.atLeast("monteCarloSamples", monteCarloSamples, 2);
        Checks.given("saddlePoint", saddlePoint);
        Checks.atLeast("versusGaussianSeeds", versusGaussianSeeds, 0);
        Checks.given("spectralMethod", spectralMethod);
        Checks.given("lanczos", lanczos);
    }

    /** This spec with another spectral method and Lanczos settings. */
    public ErmExperimentSpec withSpectralMethod(SpectralMethod method, LanczosOptions options) {
        return new ErmExperimentSpec(erm, features, covariances, monteCarloSamples, saddlePoint, simulate,
                versusGaussianSeeds, method, options);
    }

    /**
     * The memory of this experiment with generator dimensions N, D (the generator's own weights are
     * {@code GeneratorSpec.memory()}), with d the feature dimension (N, D or P): the theory's
     * covariances Ω (d²), Φ and Ψ, the eigenvectors and a work copy (4 d² in all, plus d·D); for the
     * simulation the training set of the largest α (⌈α d⌉ × d), its Gram matrix (d²), a test set
     * (testSamples × d), the random-feature matrix (P × N) and, for Monte-Carlo covariances, their
     * accumulators; two figures (four with the twin comparison).
     */
    public MemoryEstimate memory(int inputDim, int latentDim) {
        long n = inputDim;
        long dLatent = latentDim;
        long d = switch (features.map()) {
            case INPUT -> n;
            case LATENT -> dLatent;
            case RANDOM -> features.count();
        };
        String dimField = switch (features.map()) {
            case INPUT -> "inputDim";
            case LATENT -> "latentDim";
            case RANDOM -> "count";
        };
        MemoryEstimate.Builder b = MemoryEstimate.builder();
        b.doubles(dimField, "covariances, eigenvectors and work copy: 4 × d² doubles (d = feature dimension)", 4, d, d);
        b.doubles(dimField, "Φ: d × D doubles", 1, d, dLatent);
        if (features.map() == org.gequiv.erm.FeatureMap.RANDOM) {
            b.doubles("count", "random features: P × N doubles", 1, d, n);
        }
        if (simulate || versusGaussianSeeds > 0) {
            double alphaMax = 0;
            for (double a : erm.alphas()) {
                alphaMax = Math.max(alphaMax, a);
            }
            double rows = Math.ceil(alphaMax * d);
            long train = rows >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) rows;
            b.doubles("alphas", "training set of the largest α: ⌈α d⌉ × d doubles", 1, train, d);
            b.doubles(dimField, "Gram matrix: d² doubles", 1, d, d);
            b.doubles("testSamples", "test set: testSamples × d doubles", 1, erm.testSamples(), d);
        }
        if (covariances == Covariances.MONTE_CARLO) {
            b.doubles(dimField, "Monte-Carlo accumulators: 2 × d² doubles", 2, d, d);
        }
        return b.figures(versusGaussianSeeds > 0 ? 2 : 1).build();
    }

    /** The theory alone from the analytic moments, default solver. */
    public static ErmExperimentSpec theory(ErmSpec erm, FeatureSpec features) {
        return new ErmExperimentSpec(erm, features, Covariances.ANALYTIC, DEFAULT_MONTE_CARLO_SAMPLES,
                SaddlePointOptions.defaults(), false, 0);
    }
}
