package org.gequiv.erm;

import org.gequiv.activation.Activation;
import org.gequiv.activation.StandardActivation;

/**
 * Second moments of random features σ(h) for centred jointly Gaussian pre-activations h (the
 * Gaussian equivalence applied to the feature layer, docs/theory.md §2.1–§2.3): E σ(h_a), the Stein
 * slope E σ′(h_a) = E[h σ(h)]/var, and E σ(h_a)σ(h_b) from the variances and the covariance. Exact
 * arcsine laws for erf(z/√2) and sign, exact for linear; for other activations the diagonal is
 * exact (quadrature) and the off-diagonal the first-order (linearised) kernel
 * κ0_a κ0_b + κ1_a κ1_b C_ab. Immutable and thread-safe.
 */
final class FeatureKernels {

    private static final int NODES = 120;

    private final Activation activation;
    private final StandardActivation standard;

    FeatureKernels(Activation activation) {
        this.activation = activation;
        this.standard = activation instanceof StandardActivation s ? s : null;
    }

    /** E σ(h), h ~ N(0, var). */
    double mean(double var) {
        if (standard == StandardActivation.ERF || standard == StandardActivation.SIGN || standard == StandardActivation.LINEAR
                || standard == StandardActivation.TANH) {
            return 0.0;
        }
        double s = Math.sqrt(var);
        return expectation(z -> activation.value(s * z));
    }

    /** E σ′(h) = E[h σ(h)]/var, h ~ N(0, var). */
    double slope(double var) {
        if (standard == StandardActivation.ERF) {
            return Math.sqrt(2.0 / Math.PI) / Math.sqrt(1.0 + var);
        }
        if (standard == StandardActivation.SIGN) {
            return Math.sqrt(2.0 / (Math.PI * var));
        }
        if (standard == StandardActivation.LINEAR) {
            return 1.0;
        }
        double s = Math.sqrt(var);
        return expectation(z -> z * activation.value(s * z)) / s;
    }

    /** E σ(h)², h ~ N(0, var). */
    double secondMoment(double var) {
        if (standard == StandardActivation.ERF) {
            return 2.0 / Math.PI * Math.asin(var / (1.0 + var));
        }
        if (standard == StandardActivation.SIGN) {
            return 1.0;
        }
        if (standard == StandardActivation.LINEAR) {
            return var;
        }
        double s = Math.sqrt(var);
        return expectation(z -> {
            double g = activation.value(s * z);
            return g * g;
        });
    }

    /**
     * E σ(h_a)σ(h_b) for a ≠ b.
     *
     * @param meanA E σ(h_a), slopeA E σ′(h_a) (and likewise for b), used by the linearised kernel
     */
    double cross(double varA, double varB, double cov, double meanA, double meanB, double slopeA, double slopeB) {
        if (standard == StandardActivation.ERF) {
            return 2.0 / Math.PI * Math.asin(clamp(cov / Math.sqrt((1.0 + varA) * (1.0 + varB))));
        }
        if (standard == StandardActivation.SIGN) {
            return 2.0 / Math.PI * Math.asin(clamp(cov / Math.sqrt(varA * varB)));
        }
        if (standard == StandardActivation.LINEAR) {
            return cov;
        }
        return meanA * meanB + slopeA * slopeB * cov;
    }

    private static double clamp(double r) {
        return Math.max(-1.0, Math.min(1.0, r));
    }

    private static double expectation(java.util.function.DoubleUnaryOperator f) {
        return org.gequiv.activation.GaussHermite.standardNormal(NODES).expectation(f);
    }
}
