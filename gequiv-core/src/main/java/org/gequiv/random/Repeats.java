package org.gequiv.random;

/**
 * Mean and standard error of a quantity over independent repeats (seeds, data sets): the one
 * implementation behind every "± SE" column. The standard error is the sample standard deviation
 * (two-pass, divisor r − 1) over √r, NaN for a single repeat.
 */
public final class Repeats {

    private Repeats() {
    }

    /** The mean of {@code values} (not modified). */
    public static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    /** The standard error of the mean of {@code values} (not modified); NaN for fewer than two. */
    public static double standardError(double[] values) {
        if (values.length < 2) {
            return Double.NaN;
        }
        double m = mean(values);
        double s = 0;
        for (double v : values) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (values.length - 1) / values.length);
    }
}
