package org.gequiv.spectral;

/**
 * A symmetric linear map of R^N applied to blocks of vectors: the only access to Ω that block
 * Lanczos needs (docs/theory.md §5.12). Vectors are rows: a block of p vectors is a row-major p × N
 * array.
 */
public interface SymmetricOperator {

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
}
