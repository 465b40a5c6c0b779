package org.gequiv.equivalence;

import org.hipparchus.distribution.continuous.TDistribution;

/**
 * Power-law fit statistic ≈ a·N^exponent by least squares of log|statistic| on log N over the
 * resolved sizes only, with a two-sided t confidence interval on the slope (docs/theory.md §2.5: the
 * rate is measured, not assumed).
 *
 * <p>A decay is claimed only when at least {@link #MIN_POINTS} sizes are resolved and the whole
 * confidence interval lies below 0; "no decay" only when the interval contains 0 and excludes
 * decays faster than N^{−1/4}; sizes whose statistic is at or near its Monte-Carlo floor are
 * left out of the fit and never count as decay.
 *
 * @param statistic      name of the statistic
 * @param logPrefactor   fitted intercept log a; NaN when not resolved
 * @param exponent       fitted slope of log|statistic| against log N (negative = decay); NaN when
 *                       not resolved
 * @param ciLow          lower end of the confidence interval; NaN when not resolved
 * @param ciHigh         upper end; NaN when not resolved
 * @param confidence     confidence level of the interval, for example 0.95
 * @param resolvedPoints number of sizes used in the fit
 * @param totalPoints    number of sizes in the sweep
 * @param verdict        what the fit supports
 */
public record RateFit(String statistic, double logPrefactor, double exponent, double ciLow, double ciHigh, double confidence,
                      int resolvedPoints, int totalPoints, Verdict verdict) {

    /** Fewest resolved sizes for a fit with a confidence interval (one degree of freedom). */
    public static final int MIN_POINTS = 3;

    /**
     * A statistic whose exponent interval contains 0 is called flat ({@link Verdict#NO_DECAY}) only
     * when the interval also excludes decays faster than N^{−0.25}; otherwise the data cannot tell
     * ({@link Verdict#INCONCLUSIVE}).
     */
    public static final double FLAT_EXPONENT = 0.25;

    /** What a fit supports. */
    public enum Verdict {
        /** The confidence interval of the exponent lies below 0. */
        DECAYS("decays"),
        /**
         * The confidence interval contains 0 and excludes every decay faster than
         * N^(−1/4) ({@link RateFit#FLAT_EXPONENT}): the statistic does not decay.
         */
        NO_DECAY("no_decay"),
        /** The confidence interval contains 0 but is too wide to exclude a decay: undecided. */
        INCONCLUSIVE("inconclusive"),
        /** The confidence interval lies above 0. */
        GROWS("grows"),
        /** Fewer than {@link #MIN_POINTS} sizes rise clearly above the Monte-Carlo floor. */
        NOT_RESOLVED("not_resolved");

        private final String id;

        Verdict(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /**
     * Fits the resolved points.
     *
     * @param sizes      N of each point
     * @param values     statistic at each size (its magnitude is fitted)
     * @param resolved   which points rise clearly above their floor
     * @param confidence level in (0, 1)
     */
    public static RateFit fit(String statistic, double[] sizes, double[] values, boolean[] resolved,
                              double confidence) {
        if (sizes.length != values.length || sizes.length != resolved.length) {
            throw new IllegalArgumentException("sizes, values and resolved must have equal lengths, got "
                    + sizes.length + ", " + values.length + ", " + resolved.length);
        }
        checkConfidence(confidence);
        Line line = Line.fit(sizes, values, null, resolved);
        if (line.points < MIN_POINTS) {
            return notResolved(statistic, confidence, line.points, sizes.length);
        }
        int n = line.points;
        double se = Math.sqrt(line.squares / (n - 2) / line.sxx);
        double t = new TDistribution(n - 2).inverseCumulativeProbability(0.5 + 0.5 * confidence);
        return withInterval(statistic, line.intercept, line.slope, line.slope - t * se, line.slope + t * se,
                confidence, n, sizes.length);
    }

    /**
     * Fits the resolved points by weighted least squares, each log|statistic| weighted by the inverse
     * of its variance (δ log|s| ≈ SE/|s|, the delta method), so that precise sizes count more than
     * noisy ones. The slope's standard error is the one the stated errors imply, √(1/Σ w (x − x̄)²),
     * inflated by √(χ²/(n − 2)) when the points scatter more about the line than their errors allow
     * (a power law that does not hold exactly, or errors that are underestimated); the interval uses
     * the normal quantile when the stated errors account for the scatter, and the t quantile with
     * n − 2 degrees of freedom when the scatter sets the width. Unlike {@link #fit}, whose interval
     * comes from the residual scatter alone, the interval cannot be narrower than the points' own
     * errors permit.
     *
     * @param standardErrors standard error of each value (finite and &gt; 0 where resolved)
     */
    public static RateFit weightedFit(String statistic, double[] sizes, double[] values, double[] standardErrors,
                                      boolean[] resolved, double confidence) {
        if (sizes.length != values.length || sizes.length != resolved.length
                || sizes.length != standardErrors.length) {
            throw new IllegalArgumentException("sizes, values, standardErrors and resolved must have equal lengths, got "
                    + sizes.length + ", " + values.length + ", " + standardErrors.length + ", " + resolved.length);
        }
        checkConfidence(confidence);
        double[] weights = new double[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            if (usable(sizes, values, resolved, i)) {
                if (!(standardErrors[i] > 0 && Double.isFinite(standardErrors[i]))) {
                    throw new IllegalArgumentException("standardErrors must be finite and > 0 at resolved sizes, got "
                            + standardErrors[i] + " at N = " + sizes[i]);
                }
                // 1 / Var(log|s|) ≈ (s / SE)²
                double r = values[i] / standardErrors[i];
                weights[i] = r * r;
            }
        }
        Line line = Line.fit(sizes, values, weights, resolved);
        if (line.points < MIN_POINTS) {
            return notResolved(statistic, confidence, line.points, sizes.length);
        }
        int n = line.points;
        double birge = line.squares / (n - 2);
        double se = Math.sqrt(1 / line.sxx) * Math.sqrt(Math.max(1, birge));
        // the stated errors alone: a normal quantile; scaled by the residual scatter: a t quantile
        double q = 0.5 + 0.5 * confidence;
        double z = birge > 1 ? new TDistribution(n - 2).inverseCumulativeProbability(q)
                : new org.hipparchus.distribution.continuous.NormalDistribution(0, 1).inverseCumulativeProbability(q);
        return withInterval(statistic, line.intercept, line.slope, line.slope - z * se, line.slope + z * se,
                confidence, n, sizes.length);
    }

    /**
     * The least-squares line of log|value| on log N over the usable points, with weights (null: all
     * 1): the number of points, intercept, slope, Σ w (x − x̄_w)² and the weighted sum of squared
     * residuals. With fewer than {@link #MIN_POINTS} points only the count is set.
     */
    private record Line(int points, double intercept, double slope, double sxx, double squares) {
        static Line fit(double[] sizes, double[] values, double[] weights, boolean[] resolved) {
            int n = 0;
            double sw = 0;
            double swx = 0;
            double swy = 0;
            for (int i = 0; i < sizes.length; i++) {
                if (usable(sizes, values, resolved, i)) {
                    double w = weights == null ? 1 : weights[i];
                    n++;
                    sw += w;
                    swx += w * Math.log(sizes[i]);
                    swy += w * Math.log(Math.abs(values[i]));
                }
            }
            if (n < MIN_POINTS) {
                return new Line(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double mx = swx / sw;
            double my = swy / sw;
            double sxx = 0;
            double sxy = 0;
            for (int i = 0; i < sizes.length; i++) {
                if (usable(sizes, values, resolved, i)) {
                    double w = weights == null ? 1 : weights[i];
                    double dx = Math.log(sizes[i]) - mx;
                    sxx += w * dx * dx;
                    sxy += w * dx * (Math.log(Math.abs(values[i])) - my);
                }
            }
            if (!(sxx > 0)) {
                throw new IllegalArgumentException("resolved sizes must not all be equal, got N = " + Math.exp(mx));
            }
            double slope = sxy / sxx;
            double intercept = my - slope * mx;
            double squares = 0;
            for (int i = 0; i < sizes.length; i++) {
                if (usable(sizes, values, resolved, i)) {
                    double w = weights == null ? 1 : weights[i];
                    double e = Math.log(Math.abs(values[i])) - intercept - slope * Math.log(sizes[i]);
                    squares += w * e * e;
                }
            }
            return new Line(n, intercept, slope, sxx, squares);
        }
    }

    private static void checkConfidence(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
    }

    private static RateFit notResolved(String statistic, double confidence, int points, int total) {
        return new RateFit(statistic, Double.NaN, Double.NaN, Double.NaN, Double.NaN, confidence, points, total,
                Verdict.NOT_RESOLVED);
    }

    private static boolean usable(double[] sizes, double[] values, boolean[] resolved, int i) {
        return resolved[i] && sizes[i] > 0 && Math.abs(values[i]) > 0;
    }

    private static RateFit withInterval(String statistic, double intercept, double slope, double low, double high,
                                        double confidence, int n, int total) {
        Verdict v = high < 0 ? Verdict.DECAYS
                : low > 0 ? Verdict.GROWS
                : low > -FLAT_EXPONENT ? Verdict.NO_DECAY : Verdict.INCONCLUSIVE;
        return new RateFit(statistic, intercept, slope, low, high, confidence, n, total, v);
    }

    /** The fitted line a·N^exponent at {@code n}; NaN when not resolved. */
    public double predict(double n) {
        return Math.exp(logPrefactor + exponent * Math.log(n));
    }
}
