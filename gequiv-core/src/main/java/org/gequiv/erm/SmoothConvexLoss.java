package org.gequiv.erm;

/**
 * A twice differentiable convex loss, whose proximal point is found by safeguarded Newton on the
 * stationarity condition {@code g(z) = (z − ω)/V + ℓ'(y, z) = 0} (docs/theory.md §6.4).
 *
 * <p>g is strictly increasing, and its root lies between ω and ω − Vℓ'(y, ω) (at the second point g
 * has the opposite sign to g(ω) because ℓ' is non-decreasing). Newton starts from ω; a step that
 * would leave the current bracket, or that does not shrink fast enough, is replaced by bisection,
 * so the iteration neither diverges nor cycles when V is large (plain Newton from ω diverges at
 * V ≈ 67 for the logistic loss, and cycles across the inflection of ℓ' at V ≈ 12).
 */
public interface SmoothConvexLoss extends ConvexLoss {

    /** ∂ℓ/∂z. */
    double derivative(double y, double z);

    /** ∂²ℓ/∂z² ≥ 0. */
    double secondDerivative(double y, double z);

    @Override
    default double prox(double y, double omega, double v) {
        double d0 = derivative(y, omega);
        if (d0 == 0) {
            return omega;
        }
        double lo;
        double hi;
        if (d0 > 0) {
            lo = omega - v * d0;
            hi = omega;
        } else {
            lo = omega;
            hi = omega - v * d0;
        }
        double invV = 1.0 / v;
        double z = omega;
        double g = d0;
        double dg = invV + secondDerivative(y, z);
        double step = hi - lo;
        double previousStep = step;
        for (int it = 0; it < 200; it++) {
            // bisect when Newton would leave the bracket or would not at least halve the step two
            // iterations back: Newton alone can cycle across the inflection of ℓ' at large V
            boolean outside = ((z - hi) * dg - g) * ((z - lo) * dg - g) > 0;
            if (outside || Math.abs(2.0 * g) > Math.abs(previousStep * dg)) {
                previousStep = step;
                step = 0.5 * (hi - lo);
                z = lo + step;
            } else {
                previousStep = step;
                step = g / dg;
                z -= step;
            }
            if (Math.abs(step) <= 1e-15 * (1.0 + Math.abs(z))) {
                return z;
            }
            g = (z - omega) * invV + derivative(y, z);
            if (g == 0) {
                return z;
            }
            dg = invV + secondDerivative(y, z);
            if (g > 0) {
                hi = z;
            } else {
                lo = z;
            }
        }
        return z;
    }

    @Override
    default double proxSlope(double y, double prox, double omega, double v) {
        return 1.0 / (1.0 + v * secondDerivative(y, prox));
    }
}
