package org.gequiv.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.openblas.global.openblas;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

/**
 * The native operand buffers (issue 11): operands larger than the parallel-copy threshold cross to
 * native memory and back in chunks on the pool, and a product whose B does not fit its buffer takes
 * over A's when that one is larger. Neither may change a bit: each product is compared with the
 * same CBLAS call on JavaCPP's own copies of the arrays, before and after a large DSYRK has left
 * large buffers on the thread.
 */
class NativeOperandsTest {

    @Test
    void largeOperandsGiveTheBitsOfTheSameCblasCall() {
        LinearAlgebra la = LinearAlgebra.get();
        assumeTrue(la.isNative(), "native OpenBLAS");
        // 400 × 400 = 160 000 entries, above the 2^17 of a parallel copy; m = 3 rows on the left
        int m = 3;
        int n = 400;
        int k = 400;
        double[] a = random(m * k, 1);
        double[] b = random(k * n, 2);
        double[] f = random(n * 500, 3);
        for (int round = 0; round < 2; round++) {
            double[] expected = new double[m * n];
            openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, m, n, k, 1.0, a, k,
                    b, k, 0.0, expected, n);
            double[] c = new double[m * n];
            la.gemm(false, true, m, n, k, 1.0, a, b, 0.0, c);
            assertBits(expected, c, "A·Bᵀ, round " + round);
            // accumulating into a large C: C crosses both ways
            double[] big = random(k * n, 4);
            double[] bigExpected = big.clone();
            openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasTrans, openblas.CblasNoTrans, k, n, m, 0.5, a, k,
                    random(m * n, 5), n, 1.0, bigExpected, n);
            la.gemm(true, false, k, n, m, 0.5, a, random(m * n, 5), 1.0, big);
            assertBits(bigExpected, big, "C + Aᵀ·B into a large C, round " + round);
            // a large DSYRK leaves large A and C buffers on this thread for the next round
            double[] gram = new double[n * n];
            la.syrk(n, 500, 1.0, f, 0.0, gram);
            double[] gramExpected = new double[n * n];
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasNoTrans, n, 500, 1.0, f,
                    500, 0.0, gramExpected, n);
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    assertBits(gramExpected[i * n + j], gram[i * n + j], "F Fᵀ (" + i + ", " + j + ")");
                    assertBits(gramExpected[i * n + j], gram[j * n + i], "F Fᵀ mirrored (" + j + ", " + i + ")");
                }
            }
        }
    }

    @Test
    void aLargeBTakesOverTheBufferThatALargeALeft() throws InterruptedException {
        LinearAlgebra la = LinearAlgebra.get();
        assumeTrue(la.isNative(), "native OpenBLAS");
        int m = 2;
        int n = 3000;
        int d = 60;
        double[] theta = random(m * d, 6);
        double[] phi = random(n * d, 7);
        double[] f = random(n * d, 8);
        double[] expected = new double[m * n];
        openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, m, n, d, 1.0, theta, d,
                phi, d, 0.0, expected, n);
        double[] c = new double[m * n];
        Throwable[] failure = new Throwable[1];
        // a fresh thread has empty buffers: the DSYRK grows A to N·D, then θΦᵀ's B (N·D) takes A's buffer
        Thread t = new Thread(() -> {
            try {
                la.syrkUpper(n, d, 1.0, f, 0.0, new double[n * n]);
                la.gemm(false, true, m, n, d, 1.0, theta, phi, 0.0, c);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        assertBits(expected, c, "θΦᵀ after a DSYRK of F");
    }

    private static double[] random(int size, long index) {
        double[] x = new double[size];
        RandomStreams.fillGaussian(RandomStreams.stream(5, "native-operands-test", index), x, size);
        return x;
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertBits(expected[i], actual[i], what + " at " + i);
        }
    }

    private static void assertBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                what + ": " + expected + " against " + actual);
    }
}
