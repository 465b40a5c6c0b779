package org.gequiv.linalg;

/**
 * The eigendecomposition {@code A = U diag(values) Uᵀ} of a symmetric matrix with the eigenvectors
 * kept where its {@link LinearAlgebra} computes (native memory for OpenBLAS), for a consumer that
 * only multiplies by U: the N² entries of U are then neither copied to the heap nor copied back
 * for the product (two passes over 75 MB at N = 3072, issue 11). U is the matrix of
 * {@link SymmetricEigen#vectors()}, the same bits, row-major {@code n × n} with component i of
 * eigenvector j at (i, j); {@code B·U} is {@link LinearAlgebra#gemmRowBlocks
 * gemmRowBlocks(m, b, new ResidentMatrix[] {vectors}, c)}, the same product, with the same
 * operands, as {@link LinearAlgebra#gemm gemm(false, false, m, n, n, 1, b, U, 0, c)}. Release U
 * ({@link #close()}) once the products are done: N² doubles of native memory that the collector
 * would free only when it next runs.
 *
 * @param n       matrix size
 * @param values  eigenvalues in ascending order (length n)
 * @param vectors U, resident, {@code n × n}
 */
public record ResidentEigen(int n, double[] values, ResidentMatrix vectors) implements AutoCloseable {
    public ResidentEigen {
        if (values.length != n || vectors.rows() != n || vectors.cols() != n) {
            throw new IllegalArgumentException("eigen parts must have length n and shape n × n, got " + values.length
                    + " and " + vectors.rows() + " × " + vectors.cols() + " for n = " + n);
        }
    }

    /** {@link ResidentMatrix#release()} of the eigenvectors. */
    @Override
    public void close() {
        vectors.release();
    }
}
