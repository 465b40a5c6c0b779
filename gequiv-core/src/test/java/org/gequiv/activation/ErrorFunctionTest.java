package org.gequiv.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import org.junit.jupiter.api.Test;

/**
 * {@link ErrorFunction}: closed forms (zeros, signs, limits), a published value, and the largest
 * error in ulps against a 40-digit reference on a dense grid of [0, 6.5] with both sides of every
 * break point of the piecewise approximation.
 */
class ErrorFunctionTest {

    /** Digits of the reference: far beyond the 17 a double carries. */
    private static final MathContext REFERENCE = new MathContext(40, RoundingMode.HALF_EVEN);
    /**
     * fdlibm's documented accuracy: under one ulp. Measured (Java 17, this grid and the small
     * arguments below): 0.668 ulp at x = 7.7e-5; on the grid of [0, 6.5] alone 0.634 ulp at
     * x = 0.0723 (the sum x + x·P/Q of the first interval).
     */
    private static final double MAX_ULPS = 1.0;
    /** Grid step: 1/512, i.e. 3329 points on [0, 6.5]. */
    private static final double STEP = 1.0 / 512;
    /** The interval ends of the approximation, where a mistake in a branch would show first. */
    private static final double[] BREAKS = {0x1p-28, 0.84375, 1.25, 1.0 / 0.35, 6.0};

    @Test
    void zerosSignsAndLimitsAreExact() {
        assertEquals(0.0, ErrorFunction.erf(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(ErrorFunction.erf(-0.0)));
        assertEquals(1.0, ErrorFunction.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, ErrorFunction.erf(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, ErrorFunction.erf(6.0));
        assertEquals(1.0, ErrorFunction.erf(Double.MAX_VALUE));
        assertEquals(-1.0, ErrorFunction.erf(-30.0));
        assertTrue(Double.isNaN(ErrorFunction.erf(Double.NaN)));
        // erf x ≈ (2/√π) x below 2⁻²⁸, down to the subnormals
        double tiny = Double.MIN_NORMAL * 3;
        assertEquals(2.0 / Math.sqrt(Math.PI) * tiny, ErrorFunction.erf(tiny), Math.ulp(tiny));
        assertTrue(ErrorFunction.erf(Double.MIN_VALUE) > 0);
    }

    @Test
    void isOddBitForBit() {
        for (int i = 0; i <= 6.5 / STEP; i++) {
            double x = i * STEP;
            assertEquals(Double.doubleToRawLongBits(-ErrorFunction.erf(x)),
                    Double.doubleToRawLongBits(ErrorFunction.erf(-x)), "x = " + x);
        }
    }

    @Test
    void matchesAPublishedValue() {
        // erf 1 = 0.8427007929497148693412206350826… (Abramowitz and Stegun, table 7.1; OEIS A099286)
        assertEquals(0.8427007929497148693412206350826, ErrorFunction.erf(1.0), Math.ulp(0.84));
        // erf(1/√2) = P(|ξ| < 1) = 0.6826894921370858971704650912640…
        assertEquals(0.6826894921370858971704650912640, ErrorFunction.erf(Math.sqrt(0.5)), 2 * Math.ulp(0.68));
    }

    @Test
    void withinOneUlpOfAHighPrecisionReferenceOnADenseGrid() {
        double worst = 0;
        double worstAt = 0;
        int points = (int) Math.round(6.5 / STEP);
        for (int i = 0; i <= points + 2 * BREAKS.length; i++) {
            double x;
            if (i <= points) {
                x = i * STEP;
            } else {
                int b = (i - points - 1) / 2;
                x = (i - points - 1) % 2 == 0 ? Math.nextDown(BREAKS[b]) : BREAKS[b];
            }
            double ulps = errorInUlps(x);
            if (ulps > worst) {
                worst = ulps;
                worstAt = x;
            }
        }
        // small arguments, log-spaced through the first interval's lower end
        for (double x = 0x1p-40; x < 0.1; x *= 1.37) {
            double ulps = errorInUlps(x);
            if (ulps > worst) {
                worst = ulps;
                worstAt = x;
            }
        }
        assertTrue(worst < MAX_ULPS, "largest error " + worst + " ulp at x = " + worstAt);
    }

    /** |erf_double(x) − erf(x)| in ulps of the binade that holds the true value. */
    private static double errorInUlps(double x) {
        BigDecimal exact = referenceErf(x);
        double rounded = exact.doubleValue();
        // the ulp of the binade of the exact value: below a power of two that rounds up to it, half
        double below = new BigDecimal(rounded).compareTo(exact) > 0 ? Math.nextDown(rounded) : rounded;
        double ulp = Math.ulp(below);
        BigDecimal error = new BigDecimal(ErrorFunction.erf(x)).subtract(exact).abs();
        return error.divide(new BigDecimal(ulp), REFERENCE).doubleValue();
    }

    /**
     * erf x = (2/√π) e^{−x²} Σₙ 2ⁿ x^{2n+1}/(2n+1)!! for x ≥ 0: every term positive, so no
     * cancellation at any x, and e^{x²} by its Taylor series (positive terms too).
     */
    private static BigDecimal referenceErf(double x) {
        if (x == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, REFERENCE);
        BigDecimal twoX2 = x2.add(x2);
        BigDecimal term = bx;
        BigDecimal sum = bx;
        for (int n = 1; ; n++) {
            term = term.multiply(twoX2, REFERENCE).divide(BigDecimal.valueOf(2L * n + 1), REFERENCE);
            sum = sum.add(term, REFERENCE);
            if (n > 2 * x2.doubleValue() && term.compareTo(sum.movePointLeft(42)) < 0) {
                break;
            }
        }
        BigDecimal expX2 = BigDecimal.ONE;
        BigDecimal t = BigDecimal.ONE;
        for (int k = 1; ; k++) {
            t = t.multiply(x2, REFERENCE).divide(BigDecimal.valueOf(k), REFERENCE);
            expX2 = expX2.add(t, REFERENCE);
            if (k > 2 * x2.doubleValue() && t.compareTo(expX2.movePointLeft(42)) < 0) {
                break;
            }
        }
        return sum.multiply(TWO_OVER_SQRT_PI, REFERENCE).divide(expX2, REFERENCE);
    }

    private static final BigDecimal TWO_OVER_SQRT_PI = BigDecimal.valueOf(2).divide(
            new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899863")
                    .sqrt(REFERENCE), REFERENCE);
}
