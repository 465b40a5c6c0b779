package org.gequiv.activation;

/**
 * The Gaussian kernel of an activation σ (docs/theory.md §2.3–§2.4): for centred jointly Gaussian
 * (u_i, u_j) with variances v_i, v_j and covariance c, the mean E σ(u_i), the linear (Stein)
 * coefficient E σ′(u_i) = E[u_i σ(u_i)]/v_i, the variance Var σ(u_i), the covariance
 * Cov(σ(u_i), σ(u_j)) and the second moment E[σ(u_i)σ(u_j)]. The one implementation behind the
 * analytic moments of the random generators (Ω = Cov(x), and Φ by Stein's lemma) and the moments of
 * random features σ(Fx/√N) of the full-batch problem (§6.1).
 *
 * <p>Closed forms for linear (c), sign ((2/π) arcsin(c/√(v_i v_j))), erf(z/√2)
 * ((2/π) arcsin(c/√((1+v_i)(1+v_j)))) and ReLU (the arc-cosine kernel); for every other activation
 * (tanh included) the Hermite series Cov = Σ_{k≥1} a_k(v_i) a_k(v_j) c^k / k!, truncated at order
 * {@link #SERIES_ORDER}, with a_k(v) = E[σ(sξ) He_k(ξ)]/s^k = E σ^{(k)}(u) (s = √v) by
 * {@value #QUADRATURE_NODES}-node Gauss–Hermite quadrature; the dropped terms are O(ρ^{13}) in the
 * correlation ρ = c/√(v_i v_j). Means and slopes of sign, erf, linear and tanh (odd) are exact
 * zeros and closed forms; of ReLU closed forms.
 *
 * <p>Usage: one {@link Unit} per pre-activation, from its variance, then {@link #covariance} or
 * {@link #secondMoment} per pair. Immutable and thread-safe.
 */
public final class GaussianKernel {

    /** Truncation of the Hermite series; the dropped term is O(ρ^{13}) for correlation ρ. */
    public static final int SERIES_ORDER = 12;
    /** Gauss–Hermite nodes of the quadratures (means, slopes, variances, series coefficients). */
    public static final int QUADRATURE_NODES = 120;

    private final Activation activation;
    private final StandardActivation standard;

    /** The kernel of {@code activation}. */
    public GaussianKernel(Activation activation) {
        if (activation == null) {
            throw new IllegalArgumentException("activation must be given");
        }
        this.activation = activation;
        this.standard = activation instanceof StandardActivation s ? s : null;
    }

    /** σ. */
    public Activation activation() {
        return activation;
    }

    /**
     * What the kernel needs of one pre-activation u ~ N(0, v).
     *
     * @param preVariance v = Var u
     * @param mean        E σ(u)
     * @param slope       E σ′(u) = E[u σ(u)]/v
     * @param variance    Var σ(u)
     * @param series      a_k(v) for k = 1..{@link #SERIES_ORDER} (index k − 1) when the covariance
     *                    goes through the Hermite series, null for closed forms; read-only
     */
    public record Unit(double preVariance, double mean, double slope, double variance, double[] series) {

        /** E σ(u)². */
        public double secondMoment() {
            return variance + mean * mean;
        }
    }

    /** The {@link Unit} of a pre-activation with variance {@code var}. */
    public Unit unit(double var) {
        return new Unit(var, mean(var), slope(var), variance(var), seriesCoefficients(var));
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
                    return 2.0 / Math.PI * Arcsine.asin(var / (1.0 + var));
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
     * The Hermite-series coefficients a_k(var) = E σ^{(k)}(u), k = 1..{@link #SERIES_ORDER}
     * (index k − 1), or null when the covariance has a closed form.
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

    /** Cov(σ(u_i), σ(u_j)) for the units {@code i}, {@code j} with Cov(u_i, u_j) = {@code c}. */
    public double covariance(Unit i, Unit j, double c) {
        return covariance(i.preVariance(), j.preVariance(), c, i.series(), j.series());
    }

    /** E[σ(u_i)σ(u_j)] = Cov(σ(u_i), σ(u_j)) + E σ(u_i) E σ(u_j). */
    public double secondMoment(Unit i, Unit j, double c) {
        return covariance(i, j, c) + i.mean() * j.mean();
    }

    /**
     * Cov(σ(u_i), σ(u_j)) for centred Gaussian (u_i, u_j) with variances vi, vj and covariance c.
     *
     * @param ai series coefficients of unit i from {@link #seriesCoefficients}, or null for closed forms
     * @param aj series coefficients of unit j, or null
     */
    public double covariance(double vi, double vj, double c, double[] ai, double[] aj) {
        if (standard != null) {
            switch (standard) {
                case LINEAR:
                    return c;
                case SIGN:
                    return 2.0 / Math.PI * Arcsine.asin(clamp(c / Math.sqrt(vi * vj)));
                case ERF:
                    return 2.0 / Math.PI * Arcsine.asin(clamp(c / Math.sqrt((1 + vi) * (1 + vj))));
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
