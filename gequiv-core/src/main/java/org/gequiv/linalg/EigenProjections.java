package org.gequiv.linalg;

/**
 * The eigenvalues of a symmetric matrix {@code A = U diag(values) Uᵀ} and the components
 * {@code Uᵀ B} of the columns of a matrix B in its eigenbasis, without the eigenvectors
 * ({@link LinearAlgebra#symmetricEigenProjections}).
 *
 * @param n           matrix size
 * @param m           columns of B
 * @param values      eigenvalues in ascending order (length n)
 * @param projections {@code Uᵀ B}, row-major {@code n × m}: entry {@code j·m + c} is
 *                    {@code u_j · b_c}, the component of column c of B along the eigenvector of
 *                    {@code values[j]}; its sign is that eigenvector's (as arbitrary as the sign of
 *                    an eigenvector), its square is not
 */
public record EigenProjections(int n, int m, double[] values, double[] projections) {
    public EigenProjections {
        if (values.length != n || projections.length != (long) n * m) {
            throw new IllegalArgumentException("eigen projection arrays must have lengths n and n·m, got "
                    + values.length + " and " + projections.length + " for n = " + n + ", m = " + m);
        }
    }

    /** {@code u_j · b_c}. */
    public double projection(int j, int c) {
        return projections[j * m + c];
    }
}
