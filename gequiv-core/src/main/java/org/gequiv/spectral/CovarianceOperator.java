package org.gequiv.spectral;

import java.util.Optional;

/**
 * The second moments of a generator (docs/theory.md §2.1) as operators: Ω·v for the block Lanczos of
 * §5.12 and Φθ for the teacher directions on the latent, with the explicit Ω when one is held
 * (for the plain spectral measure from eigenvalues).
 */
public interface CovarianceOperator extends SymmetricOperator {

    /** D. */
    int latentDimension();

    /**
     * Row j of {@code out} ← Φθ_j (N) for the rows θ_j of {@code theta}.
     *
     * @param m     number of vectors ≥ 1
     * @param theta m × D, not modified
     * @param out   m × N, overwritten
     */
    void applyPhi(int m, double[] theta, double[] out);

    /**
     * The spec field and the name under which an Ω that is not positive semi-definite is refused
     * ({@link org.gequiv.generator.Moments#omegaField()}, {@link org.gequiv.generator.Moments#omegaSource()}).
     */
    default String[] omegaOrigin() {
        return new String[] {"moments", "omega"};
    }

    /** Ω as a row-major N × N matrix when this operator stores it (not to be modified), else empty. */
    Optional<double[]> explicitOmega();

    /**
     * The exact power traces {N, tr Ω, tr Ω² = ‖Ω‖_F²}: the moments of degree 0–2 of the plain
     * spectral measure, which the stochastic quadrature is matched to (docs/theory.md §5.12). O(N²).
     */
    double[] powerTraces();
}
