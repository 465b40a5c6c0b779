package org.gequiv.generator;

import org.gequiv.activation.Activation;
import org.gequiv.activation.GaussHermite;
import org.gequiv.activation.StandardActivation;

/**
 * Moments of σ(u) for centred jointly Gaussian pre-activations u (theory.md §2.3–§2.4):
 * the mean E σ(u_i), the slope E σ′(u_i) (which gives Φ by Stein's lemma) and the covariance
 * Cov(σ(u_i), σ(u_j)) as a function of the variances and the covariance of (u_i, u_j).
 *
 * <p>Closed forms for linear, sign, erf(z/√2) and ReLU; for other activations the Hermite expansion
 * Cov = Σ_{k≥1} a_k(s_i) a_k(s_j) c^k / k!, truncated at order {@link #SERIES_ORDER}, with
 * a_k(s) = E[σ(sξ) He_k(ξ)]/s^k by Gauss–Hermite quadrature. Immutable and thread-safe.
 *
 * <p>Public (issue 14) so that {@code org.gequiv.spectral} can evaluate Ω of a random generator
 * block by block, with exactly the kernel of {@link DeepRandomGenerator#analyticMoments()}.
 */
public final class GaussianKernels {

    /** Truncation of the Hermite series; the dropped term is O(ρ^{13}) for correlation ρ. */
    static final int SERIES_ORDER = 12;
    private static final int QUADRATURE_NODES = 120;

    private final Activation activation;
    private final StandardActivation standard;

    public GaussianKernels(Activation activation) {
        this.activation = activation;
        this.standard = activation instanceof StandardActivation s ? s : null;
    }

    /** E σ(u) for u ~ N(0, var). */
    public double mean(double var) {
        if (standard != null) {
            switch (standard) {
                case LINEAR, SIGN, ERF, TANH:
                    return 0.0;
                case RELU:
                    return Math.sqrt(var / (2 * Math.PI));
                default:
                    break;
            }
        }
        double s = Math.sqrt(var);
        return GaussHermite.standardNormal(QUADRATURE_NODES).expectation(z -> activation.value(s * z));
    }

    /** E σ′(u) for u ~ N(0, var), defined through Stein's lemma as E[u σ(u)]/var. */
    public double slope(double var) {
        if (standard != null) {
            switch (standard) {
                case LINEAR:
                    return 1.0;
                case SIGN:
                    return Math.sqrt(2.0 / (Math.PI * var));
                case ERF:
                    return Math.sqrt(2.0 / Math.PI) / Math.sqrt(1.0 + var);
                case RELU:
                    return 0.5;
                default:
                    break;
            }
        }
        double s = Math.sqrt(var);
        return GaussHermite.standardNormal(QUADRATURE_NODES).expectation(z -> z * activation.value(s * z)) / s;
    }

    /** Var σ(u) for u ~ N(0, var). */
    public double variance(double var) {
        if (standard != null) {
            switch (standard) {
                case LINEAR:
                    return var;
                case SIGN:
                    return 1.0;
                case ERF:
                    return 2.0 / Math.PI * Math.asin(var / (1.0 + var));
                case RELU:
                    return var / 2 - var / (2 * Math.PI);
                default:
                    break;
            }
        }
        double s = Math.sqrt(var);
        GaussHermite rule = GaussHermite.standardNormal(QUADRATURE_NODES);
        double m = rule.expectation(z -> activation.value(s * z));
        double m2 = rule.expectation(z -> {
            double v = activation.value(s * z);
            return v * v;
        });
        return m2 - m * m;
    }

    /**
     * Per-unit coefficients needed by {@link #covariance}: for the series path, a_k(s) for
     * k = 1..SERIES_ORDER (index k − 1); null for closed forms.
     */
    public double[] seriesCoefficients(double var) {
        if (standard != null && standard != StandardActivation.TANH) {
            return null;
        }
        double s = Math.sqrt(var);
        GaussHermite rule = GaussHermite.standardNormal(QUADRATURE_NODES);
        double[] a = new double[SERIES_ORDER];
        double[] he = new double[SERIES_ORDER + 1];
        for (int q = 0; q < rule.size(); q++) {
            double z = rule.node(q);
            double g = activation.value(s * z) * rule.weight(q);
            he[0] = 1;
            he[1] = z;
            for (int k = 2; k <= SERIES_ORDER; k++) {
                he[k] = z * he[k - 1] - (k - 1) * he[k - 2];
            }
            for (int k = 1; k <= SERIES_ORDER; k++) {
                a[k - 1] += g * he[k];
            }
        }
        // E[σ(sξ) He_k(ξ)] = s^k E[σ^{(k)}(u)]; store the latter so that c^k needs no rescaling
        double sk = 1;
        for (int k = 1; k <= SERIES_ORDER; k++) {
            sk *= s;
            a[k - 1] /= sk;
        }
        return a;
    }

    /**
     * Cov(σ(u_i), σ(u_j)) for centred Gaussian (u_i, u_j) with variances vi, vj and covariance c.
     *
     * @param ai series coefficients of unit i from {@link #seriesCoefficients}, or null
     * @param aj series coefficients of unit j, or null
     */
    public double covariance(double vi, double vj, double c, double[] ai, double[] aj) {
        if (standard != null) {
            switch (standard) {
                case LINEAR:
                    return c;
                case SIGN:
                    return 2.0 / Math.PI * Math.asin(clamp(c / Math.sqrt(vi * vj)));
                case ERF:
                    return 2.0 / Math.PI * Math.asin(clamp(c / Math.sqrt((1 + vi) * (1 + vj))));
                case RELU: {
                    double si = Math.sqrt(vi);
                    double sj = Math.sqrt(vj);
                    double cos = clamp(c / (si * sj));
                    double theta = Math.acos(cos);
                    double second = si * sj / (2 * Math.PI) * (Math.sin(theta) + (Math.PI - theta) * cos);
                    return second - si * sj / (2 * Math.PI);
                }
                default:
                    break;
            }
        }
        double sum = 0;
        double power = 1;
        double factorial = 1;
        for (int k = 1; k <= SERIES_ORDER; k++) {
            power *= c;
            factorial *= k;
            sum += ai[k - 1] * aj[k - 1] * power / factorial;
        }
        return sum;
    }

    private static double clamp(double r) {
        return Math.max(-1.0, Math.min(1.0, r));
    }
}
