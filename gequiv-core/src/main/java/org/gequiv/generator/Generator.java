package org.gequiv.generator;

import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A generative model x = G(c) with Gaussian latent c ~ N(0, I_D) and input x ∈ R^N
 * (docs/theory.md §1.1).
 *
 * <p>Implementations are immutable after construction (their weights are drawn from a seed or
 * loaded once) and thread-safe: {@link #sample} may run concurrently with separate generators and
 * buffers.
 */
public interface Generator {

    /** Latent dimension D. */
    int latentDimension();

    /** Input dimension N. */
    int inputDimension();

    /**
     * Draws {@code batch} independent pairs (c, x): c ~ N(0, I_D) from {@code rng} and x = G(c)
     * (plus any extra randomness the generator has, also from {@code rng}).
     *
     * @param latent overwritten with the {@code batch × D} latent vectors, row-major
     * @param inputs overwritten with the {@code batch × N} inputs, row-major
     */
    void sample(RandomGenerator rng, int batch, double[] latent, double[] inputs);

    /**
     * The exact (or analytic, as documented by the implementation) moments (μ, Ω, Φ), when known
     * without sampling.
     */
    Optional<Moments> analyticMoments();

    /**
     * The mean μ alone, when known without sampling: what centring needs (docs/theory.md §1.1).
     * By default the mean of {@link #analyticMoments()}; a generator whose Ω is costly to form
     * (N² entries) computes μ without it.
     */
    default Optional<double[]> analyticMean() {
        return analyticMoments().map(Moments::mean);
    }

    /**
     * The arithmetic of the samples x: {@link Precision#FLOAT32} when every entry is a float32
     * value widened to double (the float32 DCGAN); the Monte-Carlo moment estimator then forms its
     * block products in float32 and sums them in float64 (docs/theory.md §7.2). By default
     * {@link Precision#FLOAT64}; a generator that transforms another's samples in float64 (for
     * example centring them) is float64.
     */
    default Precision precision() {
        return Precision.FLOAT64;
    }

    /** Short identifier for provenance and file names (for example {@code "single-layer"}). */
    String id();

    /** Every parameter that defines this generator, for provenance. */
    Map<String, Object> description();
}
