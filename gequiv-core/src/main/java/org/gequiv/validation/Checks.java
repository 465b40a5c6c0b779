package org.gequiv.validation;

/**
 * The checks shared by every spec: each throws an {@link InvalidInputException} for the named field
 * with the message form {@code "<field> must be <constraint>, got <value>"}, and returns the value
 * so that a compact constructor can check and assign in one expression.
 */
public final class Checks {

    private Checks() {
    }

    /** {@code value} ≥ {@code minimum}. */
    public static int atLeast(String field, int value, int minimum) {
        if (value < minimum) {
            throw new InvalidInputException(field, field + " must be >= " + minimum + ", got " + value);
        }
        return value;
    }

    /** {@code value} ≥ {@code minimum}. */
    public static long atLeast(String field, long value, long minimum) {
        if (value < minimum) {
            throw new InvalidInputException(field, field + " must be >= " + minimum + ", got " + value);
        }
        return value;
    }

    /** A finite {@code value} &gt; 0. */
    public static double positive(String field, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new InvalidInputException(field, field + " must be finite and > 0, got " + value);
        }
        return value;
    }

    /** A finite {@code value} ≥ 0. */
    public static double nonNegative(String field, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new InvalidInputException(field, field + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** A finite {@code value}. */
    public static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidInputException(field, field + " must be finite, got " + value);
        }
        return value;
    }

    /** A non-null {@code value}. */
    public static <T> T given(String field, T value) {
        if (value == null) {
            throw new InvalidInputException(field, field + " must be given");
        }
        return value;
    }

    /**
     * Strictly ascending, finite times in [0, {@code maxTime}] (with a relative slack of 1e-12 at
     * the top, for times computed from {@code maxTime}); at least one. Returns the array itself.
     */
    public static double[] ascendingTimes(String field, double[] times, double maxTime) {
        if (times == null || times.length == 0) {
            throw new InvalidInputException(field, field + " must list at least one time, got none");
        }
        for (int i = 0; i < times.length; i++) {
            double t = times[i];
            if (!(t >= 0) || !(t <= maxTime * (1 + 1e-12)) || (i > 0 && !(t > times[i - 1]))) {
                throw new InvalidInputException(field, field + " must be finite, >= 0, <= " + maxTime
                        + " and strictly ascending, got " + java.util.Arrays.toString(times));
            }
        }
        return times;
    }

    /** A finite {@code value} in the closed interval [{@code low}, {@code high}]. */
    public static double within(String field, double value, double low, double high) {
        if (!(value >= low && value <= high)) {
            throw new InvalidInputException(field, field + " must be in [" + low + ", " + high + "], got " + value);
        }
        return value;
    }
}
