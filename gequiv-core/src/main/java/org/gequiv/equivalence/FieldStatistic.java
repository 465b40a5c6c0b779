package org.gequiv.equivalence;

/**
 * One diagnostic of the local fields beside its Monte-Carlo floor (docs/theory.md §2.5).
 *
 * @param name        for example {@code w1_lambda_1}, {@code ks_slice_3}, {@code covariance_error}
 * @param value       the statistic for the generator's fields (skewness and excess kurtosis keep
 *                    their sign; every other statistic is non-negative)
 * @param floor       mean of |statistic| over replicates of as many samples of the exact Gaussian
 *                    N(μ, C): what sampling noise alone produces
 * @param floorSpread standard deviation of |statistic| over those replicates (of one statistic,
 *                    not of their mean)
 * @param resolved    whether |value| exceeds the floor clearly, |value| &gt; floor + k·floorSpread
 *                    (k = {@link FieldDiagnosticsSpec#resolutionSigmas()}); a statistic that is not
 *                    resolved says only that the fields are Gaussian to within sampling noise
 */
public record FieldStatistic(String name, double value, double floor, double floorSpread, boolean resolved) {

    /** |value|, the size of the deviation from the Gaussian prediction. */
    public double magnitude() {
        return Math.abs(value);
    }
}
