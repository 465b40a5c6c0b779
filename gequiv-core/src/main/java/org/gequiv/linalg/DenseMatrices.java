package org.gequiv.linalg;

/** Small helpers on packed row-major matrices that do not need BLAS. */
public final class DenseMatrices {
    private DenseMatrices() {
    }

    /** Mirrors the upper triangle of the square matrix {@code c} into its lower triangle. */
    public static void copyUpperToLower(int n, double[] c) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                c[i * n + j] = c[j * n + i];
            }
        }
    }

    /** The transpose of an {@code m × n} matrix. */
    public static double[] transpose(int m, int n, double[] a) {
        double[] t = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t[j * m + i] = a[i * n + j];
            }
        }
        return t;
    }

    /** {@code ‖a − b‖_F / ‖b‖_F}, relative to the reference {@code b}; NaN when b = 0. */
    public static double relativeFrobeniusError(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("arrays must have equal length, got " + a.length + " and " + b.length);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            num += d * d;
            den += b[i] * b[i];
        }
        return den == 0 ? Double.NaN : Math.sqrt(num / den);
    }

    /**
     * The symmetric positive-semidefinite square root {@code U diag(√max(λ,0)) Uᵀ} of a symmetric
     * matrix, through its eigendecomposition.
     *
     * @param eigen decomposition of the matrix
     */
    public static double[] psdSquareRoot(SymmetricEigen eigen, LinearAlgebra la) {
        int n = eigen.n();
        double[] scaled = eigen.vectors().clone();
        for (int j = 0; j < n; j++) {
            double s = Math.sqrt(Math.max(eigen.values()[j], 0.0));
            for (int i = 0; i < n; i++) {
                scaled[i * n + j] *= s;
            }
        }
        double[] root = new double[n * n];
        la.gemm(false, true, n, n, n, 1.0, scaled, eigen.vectors(), 0.0, root);
        return root;
    }
}
