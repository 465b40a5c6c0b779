package org.gequiv.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

/** The tiled mirrors and the symmetric entry map against their definitions, at sizes off the tile grid. */
class DenseMatricesTest {

    private static double[] random(int n, long index) {
        double[] a = new double[n];
        RandomStreams.fillGaussian(RandomStreams.stream(7, "dense-matrices-test", index), a, n);
        return a;
    }

    @Test
    void mirrorsCopyOneTriangleIntoTheOther() {
        for (int n : new int[] {1, 63, 64, 65, 150}) {
            double[] a = random(n * n, n);
            double[] upper = a.clone();
            double[] lower = a.clone();
            DenseMatrices.copyUpperToLower(n, upper);
            DenseMatrices.copyLowerToUpper(n, lower);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int high = Math.min(i, j) * n + Math.max(i, j);
                    int low = Math.max(i, j) * n + Math.min(i, j);
                    assertEquals(a[high], upper[i * n + j], 0.0, "upper to lower, n = " + n);
                    assertEquals(a[low], lower[i * n + j], 0.0, "lower to upper, n = " + n);
                }
            }
        }
    }

    @Test
    void symmetricMapAppliesTheFunctionOnceToEachUpperEntryAndNeverReadsTheLowerTriangle() {
        for (int n : new int[] {1, 64, 150}) {
            double[] a = random(n * n, 100 + n);
            double[] c = a.clone();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    c[i * n + j] = Double.NaN;
                }
            }
            AtomicIntegerArray calls = new AtomicIntegerArray(n * n);
            DenseMatrices.mapUpperSymmetric(n, c, (i, j, v) -> {
                calls.incrementAndGet(i * n + j);
                return 3 * v + i - 2 * j;
            });
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int high = Math.min(i, j) * n + Math.max(i, j);
                    double expected = 3 * a[high] + Math.min(i, j) - 2 * Math.max(i, j);
                    assertEquals(expected, c[i * n + j], 0.0, "entry (" + i + ", " + j + "), n = " + n);
                    assertEquals(j >= i ? 1 : 0, calls.get(i * n + j), "calls at (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void scaledRowsAreTheProductsEntryByEntryAndReportANonFiniteEntry() {
        // row counts around the block of 64 rows; the source itself as the output too
        for (int rows : new int[] {1, 63, 64, 65, 200}) {
            int cols = 7;
            double[] a = random(rows * cols, 200 + rows);
            double[] scale = random(rows, 300 + rows);
            double[] out = new double[rows * cols];
            assertTrue(DenseMatrices.scaleRows(rows, cols, a, scale, out), "finite, rows = " + rows);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(a[i * cols + j] * scale[i], out[i * cols + j], 0.0, "(" + i + ", " + j + ")");
                }
            }
            double[] inPlace = a.clone();
            assertTrue(DenseMatrices.scaleRows(rows, cols, inPlace, scale, inPlace), "in place, rows = " + rows);
            assertArrayEquals(out, inPlace, 0.0, "in place, rows = " + rows);
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
                double[] broken = a.clone();
                broken[(rows - 1) * cols + 3] = bad;
                assertFalse(DenseMatrices.scaleRows(rows, cols, broken, scale, out), bad + ", rows = " + rows);
            }
            // a finite entry times a finite scale can overflow: that too is reported
            double[] huge = a.clone();
            huge[0] = Double.MAX_VALUE;
            double[] twice = scale.clone();
            twice[0] = 2;
            assertFalse(DenseMatrices.scaleRows(rows, cols, huge, twice, out), "overflow, rows = " + rows);
        }
    }

    @Test
    void upperSyrkIsTheUpperTriangleOfTheGramMatrixOfTheRows() {
        int n = 70;
        int k = 9;
        double[] a = random(n * k, 1);
        double[] full = new double[n * n];
        double[] upper = new double[n * n];
        LinearAlgebra la = LinearAlgebra.get();
        la.syrk(n, k, 1.0, a, 0.0, full);
        la.syrkUpper(n, k, 1.0, a, 0.0, upper);
        DenseMatrices.copyUpperToLower(n, upper);
        assertArrayEquals(full, upper, 0.0);
        double[] expected = new double[n * n];
        new JavaLinearAlgebra().gemm(false, true, n, n, k, 1.0, a, a, 0.0, expected);
        assertArrayEquals(expected, full, 1e-12);
    }
}
