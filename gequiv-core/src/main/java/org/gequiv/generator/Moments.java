package org.gequiv.generator;

import java.util.Map;

/**
 * First and second moments of a generator (docs/theory.md §2.1): μ = E x, Ω = Cov(x) and
 * Φ = E[x cᵀ] (the cross-covariance with the standard Gaussian latent).
 *
 * @param inputDimension  N
 * @param latentDimension D
 * @param mean            μ, length N
 * @param omega           Ω, N × N row-major, symmetric
 * @param phi             Φ, N × D row-major
 * @param samples         number of Monte-Carlo samples behind the estimate, 0 for analytic moments
 * @param source          how the moments were obtained, for provenance
 * @param omegaChecked    whether Ω is already known to be finite and exactly symmetric (entry (i, j)
 *                        the same number as (j, i)), because whoever made it checked or constructed
 *                        it so (the analytic moments of {@link DeepRandomGenerator}): consumers then
 *                        skip {@link org.gequiv.linalg.Covariances#checkFiniteSymmetric}, a pass over
 *                        N² entries (issue 11), and may read either triangle. False for moments read
 *                        from a file or estimated, which are checked where they are used
 */
public record Moments(int inputDimension, int latentDimension, double[] mean, double[] omega,
                      double[] phi, long samples, Map<String, Object> source, boolean omegaChecked) {

    public Moments {
        if (inputDimension < 1 || latentDimension < 1) {
            throw new IllegalArgumentException("moment dimensions must be >= 1, got N = " + inputDimension
                    + ", D = " + latentDimension);
        }
        if (mean.length != inputDimension) {
            throw new IllegalArgumentException("mean must have length N = " + inputDimension + ", got " + mean.length);
        }
        if (omega.length != (long) inputDimension * inputDimension) {
            throw new IllegalArgumentException("omega must be N × N = " + inputDimension + " × " + inputDimension
                    + ", got " + omega.length + " entries");
        }
        if (phi.length != (long) inputDimension * latentDimension) {
            throw new IllegalArgumentException("phi must be N × D = " + inputDimension + " × " + latentDimension
                    + ", got " + phi.length + " entries");
        }
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
        source = Map.copyOf(source);
    }

    /** Moments whose Ω is still to be checked by its consumers ({@code omegaChecked} false). */
    public Moments(int inputDimension, int latentDimension, double[] mean, double[] omega, double[] phi,
                   long samples, Map<String, Object> source) {
        this(inputDimension, latentDimension, mean, omega, phi, samples, source, false);
    }

    /**
     * The spec field under which an unusable Ω of these moments is refused (docs/theory.md §5.1):
     * {@code moments} for estimated moments (a moments file), {@code rule} for analytic ones, whose Ω
     * the generator's covariance rule decides. The one answer for the eigen and the Lanczos paths.
     */
    public String omegaField() {
        return isAnalytic() ? OMEGA_FIELD_ANALYTIC : "moments";
    }

    /** How an unusable Ω of these moments is named in messages: its key, or that it is analytic. */
    public String omegaSource() {
        return isAnalytic() ? OMEGA_SOURCE_ANALYTIC : "omega";
    }

    /** {@link #omegaField()} of analytic moments: the generator's covariance rule. */
    public static final String OMEGA_FIELD_ANALYTIC = "rule";
    /** {@link #omegaSource()} of analytic moments. */
    public static final String OMEGA_SOURCE_ANALYTIC = "the analytic omega of the generator";

    /** Whether the moments are analytic rather than estimated. */
    public boolean isAnalytic() {
        return samples == 0;
    }
}
