package org.gequiv.activation;

/**
 * The coefficients of the Gaussian-equivalent linearisation of an activation σ (docs/theory.md §2.3),
 * with ξ ~ N(0, 1):
 * κ0 = E σ(ξ), κ1 = E[ξ σ(ξ)], κ*² = E[σ(ξ)²] − κ0² − κ1².
 *
 * @param kappa0       κ0, the mean
 * @param kappa1       κ1, the linear coefficient
 * @param kappaStar    κ* ≥ 0, the standard deviation of the non-linear remainder
 */
public record HermiteCoefficients(double kappa0, double kappa1, double kappaStar) {
    public HermiteCoefficients {
        if (!(kappaStar >= 0) || !Double.isFinite(kappa0) || !Double.isFinite(kappa1) || !Double.isFinite(kappaStar)) {
            throw new IllegalArgumentException("Hermite coefficients must be finite with kappaStar >= 0, got ("
                    + kappa0 + ", " + kappa1 + ", " + kappaStar + ")");
        }
    }

    /** E[σ(ξ)²] = κ0² + κ1² + κ*². */
    public double secondMoment() {
        return kappa0 * kappa0 + kappa1 * kappa1 + kappaStar * kappaStar;
    }

    /** Var σ(ξ) = κ1² + κ*². */
    public double variance() {
        return kappa1 * kappa1 + kappaStar * kappaStar;
    }

    /**
     * Coefficients by Gauss–Hermite quadrature, for activations without a closed form. Exact for
     * polynomials; for smooth functions the error falls fast with the number of nodes.
     */
    public static HermiteCoefficients byQuadrature(Activation g, int nodes) {
        GaussHermite rule = GaussHermite.standardNormal(nodes);
        double m0 = rule.expectation(g::value);
        double m1 = rule.expectation(z -> z * g.value(z));
        double m2 = rule.expectation(z -> {
            double v = g.value(z);
            return v * v;
        });
        double rest = m2 - m0 * m0 - m1 * m1;
        return new HermiteCoefficients(m0, m1, Math.sqrt(Math.max(rest, 0.0)));
    }
}
