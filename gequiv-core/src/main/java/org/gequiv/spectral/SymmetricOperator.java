package org.gequiv.spectral;

import org.gequiv.linalg.LinearAlgebra;

/**
 * A symmetric linear map of R^N applied to blocks of vectors: the only access to Ω that block
 * Lanczos needs (docs/theory.md §5.12). Vectors are rows: a block of p vectors is a row-major p × N
 * array.
 */
public interface SymmetricOperator {

    /**
     * The symmetric Ω held as a row-major N × N array of which only the lower triangle is read (not
     * copied, never modified): products by {@link LinearAlgebra#gemmSymmetricLower}, quadratic forms
     * by {@link LinearAlgebra#quadraticFormSymmetricLower}. That triangle is the matrix LAPACK's
     * lower-triangle eigensolvers decompose, so the Lanczos paths integrate exactly the Ω of the
     * eigen paths (§5.12, and §6's {@code erm.TeacherQuadrature}), also for a moments or covariance
     * file symmetric only within {@link org.gequiv.linalg.Covariances#SYMMETRY_TOLERANCE}; and each
     * product reads half of Ω from memory. Thread-safe.
     *
     * @throws IllegalArgumentException if N &lt; 1 or {@code omega} does not have N² entries
     */
    static SymmetricOperator ofLowerTriangle(int n, double[] omega) {
        if (n < 1 || omega == null || omega.length != (long) n * n) {
            throw new IllegalArgumentException("omega must be N × N with N >= 1, got N = " + n + " and "
                    + (omega == null ? "null" : omega.length + " entries"));
        }
        return new SymmetricOperator() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public void apply(int p, double[] v, double[] out) {
                LinearAlgebra.get().gemmSymmetricLower(p, n, v, omega, out);
            }

            @Override
            public void quadraticForm(int p, double[] v, double[] out) {
                LinearAlgebra.get().quadraticFormSymmetricLower(p, n, v, omega, out);
            }
        };
    }

    /** N. */
    int dimension();

    /**
     * Row i of {@code out} ← Ω·(row i of {@code v}), for i &lt; p.
     *
     * @param p   number of vectors ≥ 1
     * @param v   p × N, not modified
     * @param out p × N, overwritten
     */
    void apply(int p, double[] v, double[] out);

    /**
     * {@code out} ← V Ω Vᵀ (p × p, both triangles, exactly symmetric) for the rows of {@code v}: the
     * projected matrix of a block, all that a last block Lanczos step needs of Ω
     * ({@link BlockLanczos#lastStep}). This default computes it from {@link #apply}, ½(V (ΩV)ᵀ +
     * its transpose); an operator that can form it for less (from a triangle of Ω, half the
     * flops: {@link #ofLowerTriangle}) overrides it.
     *
     * @param p   number of vectors ≥ 1
     * @param v   p × N, not modified
     * @param out p × p, overwritten
     */
    default void quadraticForm(int p, double[] v, double[] out) {
        int n = dimension();
        double[] w = new double[p * n];
        apply(p, v, w);
        LinearAlgebra.get().gemm(false, true, p, p, n, 1.0, v, w, 0.0, out);
        for (int r = 0; r < p; r++) {
            for (int c = 0; c < r; c++) {
                double mean = 0.5 * (out[r * p + c] + out[c * p + r]);
                out[r * p + c] = mean;
                out[c * p + r] = mean;
            }
        }
    }
}
