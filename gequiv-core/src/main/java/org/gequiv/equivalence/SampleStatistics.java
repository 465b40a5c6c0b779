package org.gequiv.equivalence;

/**
 * One-dimensional statistics of a sample against a normal law N(m, s²): the Wasserstein-1 distance
 * W₁ = ∫|F_P(x) − Φ((x − m)/s)| dx and the Kolmogorov–Smirnov statistic
 * sup_x |F_P(x) − Φ((x − m)/s)|, where F_P is the empirical distribution function of the P sample
 * points, and the sample skewness and excess kurtosis (docs/theory.md §2.5, "empirical diagnostics").
 *
 * <p>Both distances are computed exactly for the empirical law (no binning): between consecutive
 * order statistics F_P is constant, and ∫Φ has the closed form zΦ(z) + φ(z). Stateless and
 * thread-safe; no method modifies its input.
 */
public final class SampleStatistics {

    private SampleStatistics() {
    }

    /**
     * W₁ between the empirical law of {@code sorted[0..n)} and N(mean, sd²).
     *
     * @param sorted sample sorted ascending, not modified
     */
    public static double wasserstein1ToNormal(double[] sorted, int n, double mean, double sd) {
        checkSample(sorted, n, sd);
        double inv = 1.0 / sd;
        double a = (sorted[0] - mean) * inv;
        double phiA = NormalLaw.cdf(a);
        double hA = NormalLaw.cdfIntegral(a);
        // left tail: F_P = 0 below the smallest point
        double total = hA;
        for (int i = 1; i < n; i++) {
            double b = (sorted[i] - mean) * inv;
            double phiB = NormalLaw.cdf(b);
            double hB = NormalLaw.cdfIntegral(b);
            if (b > a) {
                total += segment((double) i / n, a, b, phiA, phiB, hA, hB);
            }
            a = b;
            phiA = phiB;
            hA = hB;
        }
        // right tail: ∫_a^∞ (1 − Φ) = H(−a)
        total += NormalLaw.cdfIntegral(-a);
        return total * sd;
    }

    /** ∫_a^b |p − Φ(z)| dz, given Φ and H = ∫Φ at both ends. */
    private static double segment(double p, double a, double b, double phiA, double phiB, double hA, double hB) {
        double value;
        if (phiB <= p) {
            value = p * (b - a) - (hB - hA);
        } else if (phiA >= p) {
            value = (hB - hA) - p * (b - a);
        } else {
            double z = Math.min(b, Math.max(a, NormalLaw.quantile(p)));
            double hZ = NormalLaw.cdfIntegral(z);
            value = p * (z - a) - (hZ - hA) + (hB - hZ) - p * (b - z);
        }
        // rounding in H(b) − H(a) on very short segments can leave a tiny negative remainder
        return Math.max(0.0, value);
    }

    /**
     * Kolmogorov–Smirnov statistic between the empirical law of {@code sorted[0..n)} and
     * N(mean, sd²).
     *
     * @param sorted sample sorted ascending, not modified
     */
    public static double kolmogorovSmirnovToNormal(double[] sorted, int n, double mean, double sd) {
        checkSample(sorted, n, sd);
        double inv = 1.0 / sd;
        double worst = 0.0;
        for (int i = 0; i < n; i++) {
            double f = NormalLaw.cdf((sorted[i] - mean) * inv);
            worst = Math.max(worst, Math.max((double) (i + 1) / n - f, f - (double) i / n));
        }
        return worst;
    }

    /** Sample skewness m₃/m₂^{3/2} of {@code x[0..n)} with central moments m_k = (1/n)Σ(x − x̄)^k. */
    public static double skewness(double[] x, int n) {
        double[] m = centralMoments(x, n);
        return m[1] / Math.pow(m[0], 1.5);
    }

    /** Sample excess kurtosis m₄/m₂² − 3 of {@code x[0..n)}, central moments as in {@link #skewness}. */
    public static double excessKurtosis(double[] x, int n) {
        double[] m = centralMoments(x, n);
        return m[2] / (m[0] * m[0]) - 3.0;
    }

    /** (m₂, m₃, m₄) in two passes, which avoids the cancellation of raw power sums. */
    private static double[] centralMoments(double[] x, int n) {
        if (n < 2 || n > x.length) {
            throw new IllegalArgumentException("sample size must be in [2, " + x.length + "], got " + n);
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[i];
        }
        mean /= n;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (int i = 0; i < n; i++) {
            double d = x[i] - mean;
            double d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        if (!(m2 > 0)) {
            throw new IllegalArgumentException("sample variance must be > 0, got " + m2 / n);
        }
        return new double[] {m2 / n, m3 / n, m4 / n};
    }

    private static void checkSample(double[] sorted, int n, double sd) {
        if (n < 1 || n > sorted.length) {
            throw new IllegalArgumentException("sample size must be in [1, " + sorted.length + "], got " + n);
        }
        if (!(sd > 0) || Double.isInfinite(sd)) {
            throw new IllegalArgumentException("sd must be positive and finite, got " + sd);
        }
    }
}
