package org.gequiv.moments;

import java.util.ArrayList;
import java.util.List;
import org.gequiv.linalg.LinearAlgebra;

/**
 * Running sums of a moment estimate: counts, means and the centred second-moment sums
 * M_xx = Σ (x − x̄)(x − x̄)ᵀ and M_xc = Σ (x − x̄)(c − c̄)ᵀ. Blocks are merged with Chan et al.'s
 * pairwise update, so every sum is over centred data and nothing cancels catastrophically.
 * Not thread-safe.
 */
final class MomentState {

    final int n;
    final int d;
    long count;
    long blocksDone;
    final double[] meanC;
    final double[] meanX;
    final double[] m2xx;
    final double[] m2xc;
    final List<ConvergenceRecord> log = new ArrayList<>();
    /** Whether only the upper triangle of m2xx is current ({@link #mergeProducts}). */
    private boolean upperOnly;

    MomentState(int n, int d) {
        this.n = n;
        this.d = d;
        this.meanC = new double[d];
        this.meanX = new double[n];
        this.m2xx = new double[n * n];
        this.m2xc = new double[n * d];
    }

    /**
     * Merges a block whose rows have already been centred on its own means.
     *
     * @param m          rows in the block
     * @param blockMeanC block mean of c, length D, not modified
     * @param blockMeanX block mean of x, length N, not modified
     * @param centredC   m × D centred latents, not modified
     * @param centredX   m × N centred inputs, not modified
     */
    void merge(LinearAlgebra la, int m, double[] blockMeanC, double[] blockMeanX,
               double[] centredC, double[] centredX) {
        // within-block sums straight into the running sums (beta = 1): no N × N temporary
        la.syrkTransposed(n, m, 1.0, centredX, 1.0, m2xx);
        la.gemm(true, false, n, d, m, 1.0, centredX, centredC, 1.0, m2xc);
        long total = count + m;
        // between-block correction δδᵀ·n_a·n_b/(n_a+n_b); zero for the first block
        double w = (double) count * m / total;
        double f = (double) m / total;
        if (count > 0) {
            for (int i = 0; i < n; i++) {
                double dxi = (blockMeanX[i] - meanX[i]) * w;
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    m2xx[row + j] += dxi * (blockMeanX[j] - meanX[j]);
                }
                int rowc = i * d;
                for (int j = 0; j < d; j++) {
                    m2xc[rowc + j] += dxi * (blockMeanC[j] - meanC[j]);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            meanX[i] += (blockMeanX[i] - meanX[i]) * f;
        }
        for (int j = 0; j < d; j++) {
            meanC[j] += (blockMeanC[j] - meanC[j]) * f;
        }
        count = total;
        blocksDone++;
    }

    /**
     * Merges a block from its float32 products (docs/theory.md §7.2, float32 block products): the
     * block's Σ x̃x̃ᵀ and Σ x̃c̃ᵀ of its centred rows rounded to float32, formed in float32 by
     * whoever drew the block, are widened exactly and added to the float64 sums; the between-block
     * correction and the means stay in float64. Only the upper triangle of M_xx is updated;
     * {@link #symmetrise} restores the lower one (every reader of M_xx calls it).
     *
     * @param m          rows in the block
     * @param blockMeanC block mean of c, length D, not modified
     * @param blockMeanX block mean of x, length N, not modified
     * @param productXX  N × N Σ x̃x̃ᵀ of the block, upper triangle read, not modified
     * @param productXC  N × D Σ x̃c̃ᵀ of the block, not modified
     */
    void mergeProducts(int m, double[] blockMeanC, double[] blockMeanX, float[] productXX, float[] productXC) {
        long total = count + m;
        double w = (double) count * m / total;
        double f = (double) m / total;
        for (int i = 0; i < n; i++) {
            int row = i * n;
            // the between-block correction δδᵀ·n_a·n_b/(n_a+n_b) is zero for the first block (w = 0)
            double dxi = (blockMeanX[i] - meanX[i]) * w;
            for (int j = i; j < n; j++) {
                m2xx[row + j] += productXX[row + j] + dxi * (blockMeanX[j] - meanX[j]);
            }
            int rowc = i * d;
            for (int j = 0; j < d; j++) {
                m2xc[rowc + j] += productXC[rowc + j] + dxi * (blockMeanC[j] - meanC[j]);
            }
        }
        for (int i = 0; i < n; i++) {
            meanX[i] += (blockMeanX[i] - meanX[i]) * f;
        }
        for (int j = 0; j < d; j++) {
            meanC[j] += (blockMeanC[j] - meanC[j]) * f;
        }
        count = total;
        blocksDone++;
        upperOnly = true;
    }

    /** Copies the upper triangle of M_xx to the lower after {@link #mergeProducts}; idempotent. */
    void symmetrise() {
        if (upperOnly) {
            org.gequiv.linalg.DenseMatrices.copyUpperToLower(n, m2xx);
            upperOnly = false;
        }
    }

    /** Ω̂ = M_xx / (P − 1). */
    double[] omega() {
        symmetrise();
        return scaled(m2xx, 1.0 / (count - 1));
    }

    /** Φ̂ = M_xc / (P − 1). */
    double[] phi() {
        return scaled(m2xc, 1.0 / (count - 1));
    }

    private static double[] scaled(double[] a, double s) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * s;
        }
        return out;
    }
}
