package org.gequiv.spectral;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.ResidentMatrix;

/**
 * A symmetric N × N matrix held where the linear algebra computes ({@link LinearAlgebra#resident}),
 * as row blocks (one block, or several when they are formed apart, as the kernel's), so that Ω·V
 * reads Ω once instead of copying it across on every product. The product is taken as V·Ω
 * ({@link LinearAlgebra#gemmRowBlocks}), which for the symmetric Ω is Ω·V with the vectors as rows:
 * one copy of V across, Ω the right operand of the GEMM (at N = 3072, one BLAS thread, 12–21 %
 * faster than Ω·Vᵀ block by block for 4 to 128 vectors, docs/theory.md §5.12) and the result
 * already in the rows the Lanczos process wants. Stateless beyond its blocks.
 */
final class ResidentRows {

    private final ResidentMatrix[] blocks;
    private final int n;

    /**
     * @param blocks the rows of Ω in order, each N wide, together N rows
     * @param n      N
     */
    ResidentRows(ResidentMatrix[] blocks, int n) {
        int rows = 0;
        for (ResidentMatrix block : blocks) {
            rows += block.rows();
        }
        if (rows != n) {
            throw new IllegalArgumentException("row blocks must hold N = " + n + " rows, got " + rows);
        }
        this.blocks = blocks.clone();
        this.n = n;
    }

    /** {@link CovarianceOperator#apply}: {@code out} ← Ω·v_c for the p vectors of v, each of length N. */
    void apply(int p, double[] v, double[] out) {
        LinearAlgebra.get().gemmRowBlocks(p, v, blocks, out);
    }
}
