package org.gequiv.generator;

import org.gequiv.validation.Identifiers;

/**
 * How the analytic moments of a random-weight generator are computed (docs/theory.md §2.3–§2.4).
 */
public enum CovarianceRule {
    /**
     * The published linearisation: each layer contributes Ω = κ1² F Σ Fᵀ + κ*² I and Φ = κ1 F Φ_in,
     * assuming unit pre-activation variance (‖row‖² = fan-in), with the final diagonal set to
     * E σ(ξ)² (the authors' {@code deepgen_online.py} recursion).
     */
    LINEARISED("linearised"),
    /**
     * Each pre-activation is normalised by its actual variance, and the output covariance uses the
     * exact Gaussian kernel of the activation (arcsine law for sign and erf, arc-cosine for ReLU,
     * the Hermite series otherwise). Exact for a single layer; for deeper layers it still assumes
     * Gaussian pre-activations.
     */
    EXACT("exact");

    private final String id;

    CovarianceRule(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static CovarianceRule byId(String id) {
        return Identifiers.byId(values(), c -> c.id, null, "covariance rule", id);
    }
}
