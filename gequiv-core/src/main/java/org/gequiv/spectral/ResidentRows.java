package org.gequiv.spectral;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.ResidentMatrix;

/**
 * A symmetric N × N matrix held where the linear algebra computes ({@link LinearAlgebra#resident}),
 * as row blocks of {@code blockRows} rows (the last may be shorter), so that Ω·V reads Ω once, one
 * GEMM per block, instead of copying it across on every product. Not thread-safe: one scratch
 * block, as the operators that hold it.
 */
final class ResidentRows {

    private final ResidentMatrix[] blocks;
    private final int blockRows;
    private final int n;
    private double[] scratch;

    /**
     * @param blocks    block b holds rows b·blockRows .. min(N, (b + 1)·blockRows) − 1
     * @param blockRows rows per block but the last
     * @param n         N
     */
    ResidentRows(ResidentMatrix[] blocks, int blockRows, int n) {
        this.blocks = blocks;
        this.blockRows = blockRows;
        this.n = n;
    }

    /** {@link CovarianceOperator#apply}: {@code out} ← Ω·v_c for the p vectors of v, each of length N. */
    void apply(int p, double[] v, double[] out) {
        LinearAlgebra la = LinearAlgebra.get();
        if (scratch == null || scratch.length < blockRows * p) {
            scratch = new double[blockRows * p];
        }
        for (int b = 0; b < blocks.length; b++) {
            int i0 = b * blockRows;
            int count = blocks[b].rows();
            // (rows × N)·(p × N)ᵀ: entries i0 .. i0 + count of every Ω v_c, as count × p
            la.gemm(blocks[b], true, p, 1.0, v, 0.0, scratch);
            for (int a = 0; a < count; a++) {
                for (int c = 0; c < p; c++) {
                    out[c * n + i0 + a] = scratch[a * p + c];
                }
            }
        }
    }
}
