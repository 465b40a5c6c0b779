package org.gequiv.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.random.RandomGenerator;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

/**
 * The native eigendecomposition hands DSYEVD one column-major copy of the lower triangle instead of
 * going through LAPACKE's row-major interface (issue 11): checked by definition against that
 * interface, which transposes the lower triangle into a column-major copy itself, on the same
 * matrix — the eigenvalues and eigenvectors must be the same bits, also when the upper triangle
 * differs from the lower (a matrix symmetric only within a tolerance, which both read from the
 * lower triangle alone). The resident variant ({@link LinearAlgebra#symmetricEigenResident}) must
 * give {@link LinearAlgebra#symmetricEigen}'s eigenvalues and eigenvectors bit for bit, in the
 * fresh native memory and in the result buffer a DSYRK of that size left on the thread, and its
 * product with rows the bits of the heap product with those eigenvectors.
 */
class NativeSymmetricEigenTest {

    @Test
    void sameBitsAsLapackesRowMajorInterface() {
        LinearAlgebra la = LinearAlgebra.get();
        assumeTrue(la.isNative(), "native OpenBLAS");
        RandomGenerator rng = RandomStreams.stream(7, "eigen-test");
        for (int n : new int[] {1, 2, 63, 64, 65, 300}) {
            for (boolean exactlySymmetric : new boolean[] {true, false}) {
                double[] a = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        double v = rng.nextGaussian();
                        a[i * n + j] = v;
                        // the upper triangle off by up to 1e-9 relative, which LAPACK must not read
                        a[j * n + i] = exactlySymmetric || i == j ? v : v * (1 + 1e-9 * rng.nextGaussian());
                    }
                }
                double[] reference = a.clone();
                double[] values = new double[n];
                int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'L', n, reference,
                        n, values);
                assumeTrue(info == 0, "reference decomposition");
                double[] before = a.clone();
                SymmetricEigen eigen = la.symmetricEigen(n, a);
                assertArrayEquals(values, eigen.values(), 0.0, "eigenvalues, n = " + n);
                assertArrayEquals(reference, eigen.vectors(), 0.0, "eigenvectors, n = " + n);
                assertArrayEquals(before, a, 0.0, "the input is not modified");
            }
        }
    }

    @Test
    void residentEigenvectorsAreSymmetricEigensBitForBit() {
        LinearAlgebra nativeLa = LinearAlgebra.get();
        RandomGenerator rng = RandomStreams.stream(7, "resident-eigen-test");
        for (LinearAlgebra la : new LinearAlgebra[] {nativeLa, new JavaLinearAlgebra()}) {
            for (int n : new int[] {1, 2, 63, 64, 65, 130, 300}) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean afterSyrk = variant % 2 == 1;
                    // an exactly symmetric matrix is copied whole, another by its lower triangle
                    boolean exactlySymmetric = variant >= 2;
                    double[] a = new double[n * n];
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j <= i; j++) {
                            double v = rng.nextGaussian();
                            a[i * n + j] = v;
                            a[j * n + i] = i == j || exactlySymmetric ? v : v * (1 + 1e-9 * rng.nextGaussian());
                        }
                    }
                    if (afterSyrk) {
                        // leaves this thread's native result buffer at n² entries or more, which the
                        // resident decomposition then takes over
                        double[] f = new double[n * 3];
                        RandomStreams.fillGaussian(rng, f, f.length);
                        la.syrkUpper(n, 3, 1.0, f, 0.0, new double[n * n]);
                    }
                    double[] before = a.clone();
                    SymmetricEigen heap = la.symmetricEigen(n, a);
                    ResidentEigen resident = la.symmetricEigenResident(n, a, exactlySymmetric);
                    String what = la.name() + ", n = " + n + (afterSyrk ? " after a DSYRK" : "")
                            + (exactlySymmetric ? ", exactly symmetric" : "");
                    assertBits(heap.values(), resident.values(), what + ": eigenvalues");
                    assertBits(heap.vectors(), copyOut(la, resident.vectors(), n), what + ": eigenvectors");
                    assertArrayEquals(before, a, 0.0, what + ": the input is not modified");
                    int m = 3;
                    double[] rows = new double[m * n];
                    RandomStreams.fillGaussian(rng, rows, rows.length);
                    double[] expected = new double[m * n];
                    la.gemm(false, false, m, n, n, 1.0, rows, heap.vectors(), 0.0, expected);
                    double[] projected = new double[m * n];
                    la.gemmRowBlocks(m, rows, new ResidentMatrix[] {resident.vectors()}, projected);
                    assertBits(expected, projected, what + ": rows · U");
                }
            }
        }
    }

    /**
     * Released eigenvectors refuse any further product, and their native memory goes back to the
     * thread: the next decomposition of that size on the thread works in the same memory.
     */
    @Test
    void releasedEigenvectorsAreRefusedAndTheirMemoryReusedByTheThread() {
        LinearAlgebra la = LinearAlgebra.get();
        int n = 90;
        double[] a = new double[n * n];
        RandomGenerator rng = RandomStreams.stream(7, "released-eigen-test");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = rng.nextGaussian();
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        ResidentEigen first = la.symmetricEigenResident(n, a, true);
        Object memory = first.vectors().storage(la);
        first.close();
        first.close();
        assertThrows(IllegalStateException.class, () -> la.gemmRowBlocks(1, new double[n],
                new ResidentMatrix[] {first.vectors()}, new double[n]));
        ResidentEigen second = la.symmetricEigenResident(n, a, true);
        if (memory instanceof DoublePointer released) {
            assertEquals(released.address(), ((DoublePointer) second.vectors().storage(la)).address(),
                    "the thread's buffer, taken again");
        }
        assertBits(la.symmetricEigen(n, a).vectors(), copyOut(la, second.vectors(), n), "after reuse");
        second.close();
    }

    private static double[] copyOut(LinearAlgebra la, ResidentMatrix u, int n) {
        Object storage = u.storage(la);
        if (storage instanceof double[] heap) {
            return heap.clone();
        }
        double[] out = new double[n * n];
        ((DoublePointer) storage).get(out, 0, n * n);
        return out;
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                assertEquals(expected[i], actual[i], 0.0, what + " at " + i);
                throw new AssertionError(what + " at " + i + ": sign of zero differs");
            }
        }
    }
}
