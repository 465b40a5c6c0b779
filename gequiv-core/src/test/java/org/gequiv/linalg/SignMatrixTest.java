package org.gequiv.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The bit-packed ±a matrix and its table look-up products α·A·Bᵀ. */
class SignMatrixTest {

    /** Unit round-off of float64. */
    private static final double U = 0x1p-53;

    private static double[] signs(int rows, int cols, double a, long seed) {
        Random rng = new Random(seed);
        double[] data = new double[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextBoolean() ? a : -a;
        }
        return data;
    }

    private static double[] gaussian(int length, long seed) {
        Random rng = new Random(seed);
        double[] b = new double[length];
        for (int i = 0; i < length; i++) {
            b[i] = rng.nextGaussian();
        }
        return b;
    }

    private static double[] product(SignMatrix s, int n, double alpha, double[] b) {
        double[] tables = new double[s.tableLength(n)];
        double[] c = new double[s.rows() * n];
        s.tables(n, b, tables);
        s.multiplyRows(0, s.rows(), n, alpha, tables, c);
        return c;
    }

    /**
     * Every entry within the documented (cols/8 + 16)·2⁻⁵³·α·a·Σᵢ|B_ki| of the exact product
     * (summed in BigDecimal, rounded once), for widths that fill the last 8-column group, leave
     * it partly empty, or have a single column.
     */
    @Test
    void productIsTheExactOneToItsStatedRoundOff() {
        for (int cols : new int[] {1, 8, 83, 500}) {
            int rows = 37;
            int n = 3;
            double a = 0.75;
            double alpha = 1 / Math.sqrt(cols);
            double[] data = signs(rows, cols, a, cols);
            double[] b = gaussian(n * cols, 100 + cols);
            SignMatrix s = SignMatrix.of(rows, cols, data).orElseThrow();
            assertEquals(a, s.magnitude(), 0.0);
            double[] c = product(s, n, alpha, b);
            int groups = (cols + 7) / 8;
            for (int p = 0; p < rows; p++) {
                for (int k = 0; k < n; k++) {
                    BigDecimal exact = BigDecimal.ZERO;
                    double absolute = 0;
                    for (int i = 0; i < cols; i++) {
                        exact = exact.add(new BigDecimal(data[p * cols + i]).multiply(new BigDecimal(b[k * cols + i])));
                        absolute += Math.abs(b[k * cols + i]);
                    }
                    double reference = exact.multiply(new BigDecimal(alpha), MathContext.DECIMAL128).doubleValue();
                    double bound = (groups + 16) * U * alpha * a * absolute;
                    assertEquals(reference, c[p * n + k], bound, "entry (" + p + ", " + k + ") at cols = " + cols);
                }
            }
        }
    }

    /**
     * A row's entry is computed alike whatever rows and columns are computed with it (four rows
     * and two columns together, or one entry alone): any split, bit for bit.
     */
    @Test
    void rowBlocksGiveTheWholeProductBitForBit() {
        int rows = 103;
        int cols = 61;
        SignMatrix s = SignMatrix.of(rows, cols, signs(rows, cols, 1.0, 5)).orElseThrow();
        for (int n : new int[] {1, 2, 3}) {
            double[] b = gaussian(n * cols, 6);
            double[] whole = product(s, n, 0.3, b);
            double[] tables = new double[s.tableLength(n)];
            s.tables(n, b, tables);
            for (int block : new int[] {1, 2, 3, 5, 7, 50}) {
                double[] split = new double[rows * n];
                for (int first = 0; first < rows; first += block) {
                    s.multiplyRows(first, Math.min(block, rows - first), n, 0.3, tables, split);
                }
                assertArrayEquals(whole, split, "n = " + n + ", blocks of " + block + " rows");
            }
        }
    }

    /**
     * The prepared product's precomputed indices give multiplyRows's bits, for every n (pairs of
     * columns and an odd one left), row counts not a multiple of four, widths that leave the last
     * group partly empty, any row block and a magnitude other than one.
     */
    @Test
    void preparedProductIsTheLookUpBitForBit() {
        for (int cols : new int[] {1, 8, 61, 500}) {
            int rows = 103;
            SignMatrix s = SignMatrix.of(rows, cols, signs(rows, cols, 0.75, 10 + cols)).orElseThrow();
            for (int n : new int[] {1, 2, 3, 4}) {
                double[] b = gaussian(n * cols, 11 + n);
                double[] tables = new double[s.tableLength(n)];
                s.tables(n, b, tables);
                double[] expected = new double[rows * n];
                s.multiplyRows(0, rows, n, 0.3, tables, expected);
                SignMatrix.Product product = s.product(n);
                assertEquals(n, product.n());
                for (int block : new int[] {1, 5, 8, rows}) {
                    double[] c = new double[rows * n];
                    for (int first = 0; first < rows; first += block) {
                        product.multiplyRows(first, Math.min(block, rows - first), 0.3, tables, c);
                    }
                    assertArrayEquals(expected, c, "cols = " + cols + ", n = " + n + ", blocks of " + block);
                }
            }
        }
        SignMatrix s = SignMatrix.of(3, 9, signs(3, 9, 1.0, 2)).orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> s.product(0));
        double[] tables = new double[s.tableLength(2)];
        assertThrows(IllegalArgumentException.class, () -> s.product(2).multiplyRows(2, 2, 1.0, tables, new double[6]));
        assertThrows(IllegalArgumentException.class, () -> s.product(2).multiplyRows(0, 3, 1.0, tables, new double[5]));
        assertThrows(IllegalArgumentException.class, () -> s.product(2).multiplyRows(0, 3, 1.0, new double[7], new double[6]));
    }

    /** Tables filled in blocks of column groups (as several threads fill them) are the same bits. */
    @Test
    void groupBlocksGiveTheWholeTablesBitForBit() {
        int rows = 7;
        int cols = 61;
        SignMatrix s = SignMatrix.of(rows, cols, signs(rows, cols, 1.0, 8)).orElseThrow();
        assertEquals(8, s.groups());
        for (int n : new int[] {1, 2, 3}) {
            double[] b = gaussian(n * cols, 9);
            double[] whole = new double[s.tableLength(n)];
            s.tables(n, b, whole);
            for (int block : new int[] {1, 3, 8}) {
                double[] split = new double[s.tableLength(n)];
                // filled from the last block to the first: no block may depend on another
                int last = (s.groups() - 1) / block * block;
                for (int first = last; first >= 0; first -= block) {
                    s.tables(n, b, split, first, Math.min(block, s.groups() - first));
                }
                assertArrayEquals(whole, split, "n = " + n + ", blocks of " + block + " groups");
            }
        }
    }

    @Test
    void onlyAllPlusOrMinusOneMagnitudeIsASignMatrix() {
        double[] data = signs(4, 9, 2.0, 1);
        assertTrue(SignMatrix.of(4, 9, data).isPresent());
        double[] zero = data.clone();
        zero[17] = 0.0;
        assertTrue(SignMatrix.of(4, 9, zero).isEmpty());
        double[] twoMagnitudes = data.clone();
        twoMagnitudes[35] = Math.signum(data[35]) * Math.nextUp(2.0);
        assertTrue(SignMatrix.of(4, 9, twoMagnitudes).isEmpty());
        double[] notANumber = data.clone();
        notANumber[3] = Double.NaN;
        assertTrue(SignMatrix.of(4, 9, notANumber).isEmpty());
        assertTrue(SignMatrix.of(1, 2, new double[] {0.0, 0.0}).isEmpty());
        assertTrue(SignMatrix.of(1, 2, new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}).isEmpty());
    }

    @Test
    void refusesRowsOutsideTheMatrixAndShortBuffers() {
        SignMatrix s = SignMatrix.of(3, 9, signs(3, 9, 1.0, 2)).orElseThrow();
        double[] tables = new double[s.tableLength(2)];
        s.tables(2, gaussian(18, 3), tables);
        assertThrows(IllegalArgumentException.class, () -> s.multiplyRows(2, 2, 2, 1.0, tables, new double[6]));
        assertThrows(IllegalArgumentException.class, () -> s.multiplyRows(0, 3, 2, 1.0, tables, new double[5]));
        assertThrows(IllegalArgumentException.class, () -> s.tables(2, new double[17], tables));
        assertThrows(IllegalArgumentException.class, () -> s.tables(2, gaussian(18, 3), tables, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> s.tables(2, gaussian(18, 3), tables, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> SignMatrix.of(2, 2, new double[3]));
    }
}
