package org.gequiv.spectral;

import java.util.Arrays;

import org.gequiv.linalg.LinearAlgebra;

/**
 * Block Lanczos with full reorthogonalisation and deflation (docs/theory.md §5.12): from a start block
 * X (p vectors of R^N) builds an orthonormal basis Q = [Q_1 … Q_m] of the block Krylov space
 * span{X, ΩX, …, Ω^{m−1}X} and the projected matrix T_m = Qᵀ Ω Q, block tridiagonal with blocks
 * A_i (p_i × p_i) on the diagonal and B_i (p_{i+1} × p_i) below it, and X = Q_1 B_0.
 *
 * <p>Every new block is orthogonalised twice against the whole basis (classical Gram–Schmidt by
 * GEMM, "twice is enough"), then by modified Gram–Schmidt with column pivoting within itself;
 * directions whose remaining norm falls below {@code deflationTolerance}·‖Ω‖ (‖Ω‖ estimated by the
 * largest ‖Ω q‖ met) are dropped, so the block sizes p_i can shrink. When a block deflates to
 * nothing the Krylov space is invariant under Ω and the quadrature is exact
 * ({@link #exhausted()}). T_m is kept as the Rayleigh quotient Qᵀ Ω Q, entries of the
 * reorthogonalisation included.
 *
 * <p>Memory: the basis, (Σ p_i) × N doubles; time per block step: one Ω·V plus O(N·p·Σp_i).
 * The decomposition can be extended ({@link #extend}); the Gauss rule of any number of completed
 * steps is available ({@link #gaussRule(int)}), since T_m is the leading block of T_{m'} for
 * m ≤ m'. <b>Not thread-safe.</b>
 */
public final class BlockLanczos {

    /** Default deflation threshold, relative to ‖Ω‖. */
    public static final double DEFAULT_DEFLATION_TOLERANCE = 1e-10;

    private final SymmetricOperator op;
    private final int n;
    private final int p;
    private final double deflationTolerance;
    /** Basis vectors as rows, (capacity) × N. */
    private double[] basis;
    private int basisSize;
    /** T as a dense symmetric matrix of side {@link #tCapacity}. */
    private double[] t;
    private int tCapacity;
    /** Start offsets of the blocks in the basis; blockStart[i + 1] − blockStart[i] = p_i. */
    private int[] blockStart;
    private int steps;
    private final double[] b0;
    private final int firstBlock;
    private double normEstimate;
    private boolean exhausted;

    /**
     * Starts the decomposition from the rows of {@code start}.
     *
     * @param op                 Ω
     * @param p                  number of start vectors ≥ 1
     * @param start              p × N, not modified
     * @param deflationTolerance relative threshold in (0, 1) below which a direction is dropped
     * @throws IllegalArgumentException if the start block is zero or the shapes disagree
     */
    public BlockLanczos(SymmetricOperator op, int p, double[] start, double deflationTolerance) {
        if (p < 1) {
            throw new IllegalArgumentException("block size must be >= 1, got " + p);
        }
        this.op = op;
        this.n = op.dimension();
        this.p = p;
        if (start == null || start.length != (long) p * n) {
            throw new IllegalArgumentException("start block must have p·N = " + ((long) p * n) + " entries, got "
                    + (start == null ? "null" : start.length));
        }
        if (!(deflationTolerance > 0 && deflationTolerance < 1)) {
            throw new IllegalArgumentException("deflation tolerance must be in (0, 1), got " + deflationTolerance);
        }
        this.deflationTolerance = deflationTolerance;
        this.basis = new double[Math.max(1, 4 * p) * n];
        this.blockStart = new int[16];
        this.tCapacity = 4 * p;
        this.t = new double[tCapacity * tCapacity];
        double scale = 0;
        for (int c = 0; c < p; c++) {
            scale = Math.max(scale, Math.sqrt(dot(start, c * n, start, c * n, n)));
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("start block must be finite and nonzero, got largest norm " + scale);
        }
        double[] x = start.clone();
        double[] kept = x.clone();
        int rank = orthonormalise(x, p, deflationTolerance * scale, null, null);
        appendBlock(x, rank);
        // X = Q_1 B_0: B_0[r][c] = q_r · x_c
        this.firstBlock = rank;
        this.b0 = new double[rank * p];
        for (int r = 0; r < rank; r++) {
            for (int c = 0; c < p; c++) {
                b0[r * p + c] = dot(basis, r * n, kept, c * n, n);
            }
        }
    }

    /** Starts from {@code start} with {@link #DEFAULT_DEFLATION_TOLERANCE}. */
    public BlockLanczos(SymmetricOperator op, int p, double[] start) {
        this(op, p, start, DEFAULT_DEFLATION_TOLERANCE);
    }

    /** p, the number of start vectors. */
    public int blockSize() {
        return p;
    }

    /** Completed block steps m (blocks whose diagonal A_i is known). */
    public int steps() {
        return steps;
    }

    /** Whether the Krylov space was found invariant: further steps add nothing, every rule is exact. */
    public boolean exhausted() {
        return exhausted;
    }

    /** Size of T_m, Σ_{i &lt; m} p_i. */
    public int size(int blockSteps) {
        return blockStart[Math.min(blockSteps, steps)];
    }

    /** Largest ‖Ω q‖ over the basis vectors so far (a lower bound of ‖Ω‖₂). */
    public double normEstimate() {
        return normEstimate;
    }

    /**
     * Runs block steps until {@code totalSteps} are complete or the space is exhausted.
     *
     * @return the completed steps
     */
    public int extend(int totalSteps) {
        while (steps < totalSteps && !exhausted) {
            int off = blockStart[steps];
            int pi = blockStart[steps + 1] - off;
            double[] cur = Arrays.copyOfRange(basis, off * n, (off + pi) * n);
            double[] w = new double[pi * n];
            op.apply(pi, cur, w);
            for (int c = 0; c < pi; c++) {
                normEstimate = Math.max(normEstimate, Math.sqrt(dot(w, c * n, w, c * n, n)));
            }
            int prev = basisSize;
            double[] h = new double[pi * prev];
            double[] projected = new double[pi * n];
            int rank = orthonormalise(w, pi, deflationTolerance * normEstimate, h, projected);
            ensureT(prev + rank);
            // Rayleigh quotient Qᵀ Ω q_c against the basis so far; the diagonal block symmetrised
            for (int c = 0; c < pi; c++) {
                int col = off + c;
                for (int r = 0; r < off; r++) {
                    t[r * tCapacity + col] = h[c * prev + r];
                    t[col * tCapacity + r] = h[c * prev + r];
                }
                for (int r = 0; r < pi; r++) {
                    t[(off + r) * tCapacity + col] = 0.5 * (h[c * prev + off + r] + h[r * prev + off + c]);
                }
            }
            steps++;
            if (rank == 0) {
                exhausted = true;
                break;
            }
            // B_i[r][c] = q_new,r · Ω q_c = q_new,r · (Ω q_c with its basis components removed)
            for (int r = 0; r < rank; r++) {
                for (int c = 0; c < pi; c++) {
                    double b = dot(w, r * n, projected, c * n, n);
                    t[(prev + r) * tCapacity + off + c] = b;
                    t[(off + c) * tCapacity + prev + r] = b;
                }
            }
            appendBlock(w, rank);
        }
        return steps;
    }

    /**
     * The block Gauss rule of the first {@code blockSteps} completed steps (docs/theory.md §5.12): the
     * eigenvalues θ_j of T_m and the projections y_j = B_0ᵀ (S_j restricted to the first block), so
     * that Σ_j f(θ_j) y_j y_jᵀ ≈ Xᵀ f(Ω) X, exactly for polynomials of degree ≤ 2m − 1 (every
     * degree when {@link #exhausted()} and m = {@link #steps()}).
     *
     * @throws IllegalArgumentException if {@code blockSteps} is not in [1, steps()]
     */
    public BlockGaussRule gaussRule(int blockSteps) {
        org.gequiv.linalg.SymmetricEigen eig = ritz(blockSteps);
        int s = eig.n();
        double[] y = new double[s * p];
        for (int j = 0; j < s; j++) {
            for (int c = 0; c < p; c++) {
                double acc = 0;
                for (int r = 0; r < firstBlock; r++) {
                    acc += b0[r * p + c] * eig.vectors()[r * s + j];
                }
                y[j * p + c] = acc;
            }
        }
        boolean exact = exhausted && blockSteps == steps;
        return new BlockGaussRule(p, blockSteps, eig.values().clone(), y, exact);
    }

    /**
     * The block Gauss rule of the first {@code blockSteps} steps for the orthonormal start basis Q_1
     * itself ({@link #startBasis()}) instead of X: projections S_{1:p_1, j}, so that
     * Σ_j f(θ_j) y_j y_jᵀ ≈ Q_1ᵀ f(Ω) Q_1 and Σ_j f(θ_j) ‖y_j‖² ≈ tr(Q_1ᵀ f(Ω) Q_1), with the same
     * exactness as {@link #gaussRule(int)}; block size p_1.
     */
    public BlockGaussRule startBasisRule(int blockSteps) {
        org.gequiv.linalg.SymmetricEigen eig = ritz(blockSteps);
        int s = eig.n();
        double[] y = new double[s * firstBlock];
        for (int j = 0; j < s; j++) {
            for (int r = 0; r < firstBlock; r++) {
                y[j * firstBlock + r] = eig.vectors()[r * s + j];
            }
        }
        return new BlockGaussRule(firstBlock, blockSteps, eig.values().clone(), y, exhausted && blockSteps == steps);
    }

    /** Q_1, the orthonormalised start block: p_1 × N rows (a copy). */
    public double[] startBasis() {
        return Arrays.copyOf(basis, firstBlock * n);
    }

    /** The eigendecomposition of T_m (Ritz values and the coefficients of the Ritz vectors). */
    private org.gequiv.linalg.SymmetricEigen ritz(int blockSteps) {
        if (blockSteps < 1 || blockSteps > steps) {
            throw new IllegalArgumentException("block steps must be in [1, " + steps + "], got " + blockSteps);
        }
        int s = blockStart[blockSteps];
        double[] tm = new double[s * s];
        for (int i = 0; i < s; i++) {
            System.arraycopy(t, i * tCapacity, tm, i * s, s);
        }
        return LinearAlgebra.get().symmetricEigen(s, tm);
    }

    /**
     * Orthonormalises the first {@code count} rows of {@code w} against the basis and among
     * themselves, compacting the kept ones to the front.
     *
     * @param w         rows, overwritten: the first (returned) rows become the new orthonormal vectors
     * @param tol       absolute norm below which a remaining direction is dropped
     * @param h         count × basisSize, overwritten with the basis coefficients Qᵀ w_c; or null
     *                  when the basis is empty
     * @param projected null, or count × N, overwritten with w after the basis components are removed
     * @return the number of vectors kept
     */
    private int orthonormalise(double[] w, int count, double tol, double[] h, double[] projected) {
        if (basisSize > 0) {
            Arrays.fill(h, 0.0);
            projectOut(w, count, h);
            projectOut(w, count, h);
        }
        if (projected != null) {
            System.arraycopy(w, 0, projected, 0, count * n);
        }
        double[] norms = new double[count];
        for (int c = 0; c < count; c++) {
            norms[c] = Math.sqrt(dot(w, c * n, w, c * n, n));
        }
        int rank = 0;
        while (rank < count) {
            int best = rank;
            for (int c = rank + 1; c < count; c++) {
                if (norms[c] > norms[best]) {
                    best = c;
                }
            }
            if (!(norms[best] > tol)) {
                break;
            }
            swapRows(w, rank, best);
            double tmp = norms[rank];
            norms[rank] = norms[best];
            norms[best] = tmp;
            scaleRow(w, rank, 1.0 / norms[rank]);
            for (int c = rank + 1; c < count; c++) {
                double a = dot(w, rank * n, w, c * n, n);
                axpyRow(w, c, -a, w, rank);
                norms[c] = Math.sqrt(dot(w, c * n, w, c * n, n));
            }
            rank++;
        }
        if (rank > 0) {
            // one more pass against the basis and within the block keeps directions that lost many
            // digits orthogonal to working precision
            if (basisSize > 0) {
                projectOut(w, rank, new double[rank * basisSize]);
            }
            for (int c = 0; c < rank; c++) {
                for (int e = 0; e < c; e++) {
                    axpyRow(w, c, -dot(w, e * n, w, c * n, n), w, e);
                }
                scaleRow(w, c, 1.0 / Math.sqrt(dot(w, c * n, w, c * n, n)));
            }
        }
        return rank;
    }

    /** w_c ← w_c − Σ_r (q_r·w_c) q_r for the basis rows q_r; adds the coefficients to h. */
    private void projectOut(double[] w, int count, double[] h) {
        LinearAlgebra la = LinearAlgebra.get();
        // the operands may be longer than the rows used: GEMM reads only the leading rows
        double[] c = new double[count * basisSize];
        la.gemm(false, true, count, basisSize, n, 1.0, w, basis, 0.0, c);
        la.gemm(false, false, count, n, basisSize, -1.0, c, basis, 1.0, w);
        for (int i = 0; i < c.length; i++) {
            h[i] += c[i];
        }
    }

    private void swapRows(double[] w, int a, int b) {
        if (a == b) {
            return;
        }
        for (int i = 0; i < n; i++) {
            double x = w[a * n + i];
            w[a * n + i] = w[b * n + i];
            w[b * n + i] = x;
        }
    }

    private void scaleRow(double[] w, int row, double s) {
        for (int i = 0; i < n; i++) {
            w[row * n + i] *= s;
        }
    }

    /** x_row ← x_row + a·y_src. */
    private void axpyRow(double[] x, int row, double a, double[] y, int src) {
        int xo = row * n;
        int yo = src * n;
        for (int i = 0; i < n; i++) {
            x[xo + i] += a * y[yo + i];
        }
    }

    private static double dot(double[] x, int xo, double[] y, int yo, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += x[xo + i] * y[yo + i];
        }
        return s;
    }

    private void appendBlock(double[] rows, int count) {
        int needed = (basisSize + count) * n;
        if (basis.length < needed) {
            basis = Arrays.copyOf(basis, Math.max(needed, basis.length * 2));
        }
        System.arraycopy(rows, 0, basis, basisSize * n, count * n);
        if (blockStart.length < steps + 3) {
            blockStart = Arrays.copyOf(blockStart, blockStart.length * 2);
        }
        basisSize += count;
        blockStart[steps + 1] = basisSize;
    }

    private void ensureT(int size) {
        if (size <= tCapacity) {
            return;
        }
        int cap = Math.max(size, 2 * tCapacity);
        double[] grown = new double[cap * cap];
        for (int i = 0; i < tCapacity; i++) {
            System.arraycopy(t, i * tCapacity, grown, i * cap, tCapacity);
        }
        t = grown;
        tCapacity = cap;
    }
}
