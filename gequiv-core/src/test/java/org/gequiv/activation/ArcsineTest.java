package org.gequiv.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * {@link Arcsine#asin} is {@link StrictMath#asin} bit for bit (a check by definition: the same
 * fdlibm algorithm): on every branch — tiny (|x| &lt; 2⁻²⁷), the rational fit below 0.5, the two
 * forms above it split at 0.975, ±1, beyond ±1, NaN, ±0 — on a dense neighbourhood (±2000 ulps) of
 * each branch boundary, and on 10⁶ random arguments spread over the whole of [−1, 1] and 10⁶ of
 * the size of the correlations 1/√D of the sign generator's Ω. Raw bits are compared, so that the
 * sign of a zero and the NaN counts too.
 */
class ArcsineTest {

    private static void same(double x) {
        long expected = Double.doubleToRawLongBits(StrictMath.asin(x));
        long actual = Double.doubleToRawLongBits(Arcsine.asin(x));
        if (expected != actual) {
            // NaN payloads aside, every bit must agree
            boolean bothNaN = Double.isNaN(StrictMath.asin(x)) && Double.isNaN(Arcsine.asin(x));
            if (!bothNaN) {
                assertEquals(StrictMath.asin(x), Arcsine.asin(x), 0.0, "asin(" + x + ")");
                throw new AssertionError("asin(" + x + "): sign of zero differs");
            }
        }
    }

    @Test
    void specialArgumentsAndBranchBoundaries() {
        for (double x : new double[] {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1.0000000000000002,
                2.0, -3.5}) {
            same(x);
        }
        // the boundaries the high word decides: 2⁻²⁷, 0.5, 0.975 (0x3FEF3333 as a high word), 1
        double[] edges = {0x1p-27, 0.5, Double.longBitsToDouble(0x3FEF333300000000L), 1.0};
        for (double edge : edges) {
            for (int k = -2000; k <= 2000; k++) {
                double x = Double.longBitsToDouble(Double.doubleToRawLongBits(edge) + k);
                same(x);
                same(-x);
            }
        }
    }

    @Test
    void randomArgumentsOverTheDomainAndAtTheSizeOfSmallCorrelations() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 1_000_000; i++) {
            same(2 * rng.nextDouble() - 1);
            same(0.03 * rng.nextGaussian());
        }
        // arguments spread over binary exponents down to 2⁻⁴⁰
        for (int i = 0; i < 200_000; i++) {
            same((rng.nextBoolean() ? 1 : -1) * Math.scalb(1 + rng.nextDouble(), -1 - rng.nextInt(40)));
        }
    }
}
