package org.gequiv.linalg;

/**
 * Eigendecomposition {@code A = U diag(values) Uᵀ} of a symmetric matrix.
 *
 * @param n       matrix size
 * @param values  eigenvalues in ascending order (length n)
 * @param vectors orthonormal eigenvectors as the columns of a row-major {@code n × n} matrix:
 *                component {@code i} of eigenvector {@code j} is {@code vectors[i·n + j]}
 */
public record SymmetricEigen(int n, double[] values, double[] vectors) {
    public SymmetricEigen {
        if (values.length != n || vectors.length != (long) n * n) {
            throw new IllegalArgumentException("eigen arrays must have lengths n and n², got "
                    + values.length + " and " + vectors.length + " for n = " + n);
        }
    }

    /** Component {@code i} of eigenvector {@code j}. */
    public double vector(int i, int j) {
        return vectors[i * n + j];
    }
}
