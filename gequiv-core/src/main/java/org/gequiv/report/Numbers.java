package org.gequiv.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How the report writes numbers for people: {@link #DISPLAY_DIGITS} significant digits, plain
 * notation between 10⁻⁴ and 10⁶, scientific outside, "–" for a missing value. The CSV files keep
 * every digit; a number on the page is the CSV number rounded by {@link #display}. Stateless.
 */
public final class Numbers {

    /** Significant digits of a number on the page. */
    public static final int DISPLAY_DIGITS = 4;

    /** What the page shows for a missing value (NaN). */
    public static final String MISSING = "–";

    private Numbers() {
    }

    /** {@code v} with {@link #DISPLAY_DIGITS} significant digits. */
    public static String display(double v) {
        return significant(v, DISPLAY_DIGITS);
    }

    /** {@code v} with {@code digits} significant digits (half-even rounding), trailing zeros dropped. */
    public static String significant(double v, int digits) {
        if (Double.isNaN(v)) {
            return MISSING;
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (v == 0) {
            return "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return minus(Long.toString((long) v));
        }
        BigDecimal b = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN));
        double a = Math.abs(b.doubleValue());
        String s;
        if (a >= 1e-4 && a < 1e6) {
            s = b.stripTrailingZeros().toPlainString();
        } else {
            s = String.format(Locale.ROOT, "%." + (digits - 1) + "e", b.doubleValue());
            s = s.replaceFirst("\\.?0+e", "e").replaceFirst("e\\+?(-?)0*(\\d)", "e$1$2");
        }
        return minus(s);
    }

    /** {@code v} as a percentage with {@code digits} significant digits, for example "2.1 %". */
    public static String percent(double v, int digits) {
        return Double.isNaN(v) ? MISSING : significant(100 * v, digits) + " %";
    }

    /** "m ± s" with the error to two significant digits and the mean to the same decimal place. */
    public static String withError(double mean, double error) {
        if (!Double.isFinite(error) || error <= 0 || !Double.isFinite(mean)) {
            return significant(mean, 3);
        }
        int exponent = (int) Math.floor(Math.log10(error)) - 1;
        BigDecimal m = new BigDecimal(mean).setScale(-exponent, RoundingMode.HALF_EVEN);
        BigDecimal e = new BigDecimal(error).setScale(-exponent, RoundingMode.HALF_EVEN);
        if (exponent >= 0) {
            m = m.setScale(0, RoundingMode.HALF_EVEN);
            e = e.setScale(0, RoundingMode.HALF_EVEN);
        }
        return minus(m.toPlainString()) + " ± " + e.toPlainString();
    }

    /** The parse of a number written by {@link #display} (for checks of a page against its files). */
    public static double parse(String text) {
        String t = text.trim();
        if (t.equals(MISSING)) {
            return Double.NaN;
        }
        return Double.parseDouble(t.replace('−', '-').replace("∞", "Infinity"));
    }

    private static String minus(String s) {
        return s.startsWith("-") ? "−" + s.substring(1) : s;
    }
}
