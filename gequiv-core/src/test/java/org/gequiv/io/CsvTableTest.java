package org.gequiv.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The numbers of every table: the text they have always had, and exact read-back. */
class CsvTableTest {

    /** How the tables wrote a number before the formatting went through Double.toString. */
    private static String formatted(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.17g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e");
    }

    private static void check(double v) {
        String text = CsvTable.format(v);
        assertEquals(formatted(v), text, "the text of " + v);
        if (!Double.isNaN(v)) {
            assertEquals(v, Double.parseDouble(text), 0.0, "read back");
        }
    }

    @Test
    void sameTextAsFormatterOnAMillionValues() {
        Random rng = new Random(12);
        for (int i = 0; i < 250_000; i++) {
            // every exponent and mantissa: random bits (NaN included)
            check(Double.longBitsToDouble(rng.nextLong()));
            // the values of learning curves: order one, a few digits, small errors
            check(rng.nextGaussian());
            double scale = Math.pow(10, rng.nextInt(40) - 20);
            check(Math.round(rng.nextGaussian() * 1e4) / 1e4 * scale);
            check(rng.nextInt(1 << 20) / (double) (1 << rng.nextInt(30)));
        }
    }

    @Test
    void sameTextAtTheBoundariesOfEachForm() {
        double[] edges = {1e-5, 1e-4, 9.99e-5, 0.1, 0.3, 0.5, 1.5, 123456789012345.6, 1e15, 1e15 + 0.125, 2e15 + 2, 9.5e15,
            1e16, 1.5e16, 99999999999999984.0, 1e17, 1.2345e17, 1e300, 1e-300, 4.9e-324, Double.MIN_NORMAL,
            Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, -0.0, 1e7, 1e-3, 1.0e-3 + 1e-19};
        for (double v : edges) {
            check(v);
            check(-v);
            check(Math.nextUp(v));
            check(Math.nextDown(v));
        }
        for (int p = -330; p <= 310; p++) {
            check(Double.parseDouble("1e" + p));
            check(Double.parseDouble("3.3e" + p));
        }
    }
}
