package org.gequiv.erm;

/**
 * A twice differentiable convex loss, whose proximal point is found by safeguarded Newton on the
 * stationarity condition {@code g(z) = (z − ω)/V + ℓ'(y, z) = 0} (theory.md §6.4).
 *
 * <p>g is strictly increasing, and its root lies between ω and ω − Vℓ'(y, ω) (at the second point g
 * has the opposite sign to g(ω) because ℓ' is non-decreasing). Newton starts from ω; a step that
 * leaves the current bracket is replaced by bisection, so the iteration cannot diverge even when V
 * is large (plain Newton from ω does, for example at V ≈ 67 for the logistic loss).
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
        double z = omega;
        double invV = 1.0 / v;
        for (int it = 0; it < 200; it++) {
            double g = (z - omega) * invV + derivative(y, z);
            if (g == 0) {
                return z;
            }
            if (g > 0) {
                hi = z;
            } else {
                lo = z;
            }
            double next = z - g / (invV + secondDerivative(y, z));
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            // stop at a relative change near machine precision; Newton converges quadratically so
            // the previous step already carried the error far below it
            if (Math.abs(next - z) <= 1e-15 * (1.0 + Math.abs(z)) || hi - lo <= 4e-16 * (1.0 + Math.abs(z))) {
                return next;
            }
            z = next;
        }
        return z;
    }

    @Override
    default double proxSlope(double y, double prox, double omega, double v) {
        return 1.0 / (1.0 + v * secondDerivative(y, prox));
    }
}
