package org.gequiv.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.random.RandomGenerator;

import org.bytedeco.openblas.global.openblas;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

/**
 * The native eigendecomposition hands DSYEVD one column-major copy of the lower triangle instead of
 * going through LAPACKE's row-major interface (issue 11): checked by definition against that
 * interface, which transposes the lower triangle into a column-major copy itself, on the same
 * matrix — the eigenvalues and eigenvectors must be the same bits, also when the upper triangle
 * differs from the lower (a matrix symmetric only within a tolerance, which both read from the
 * lower triangle alone).
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
}
