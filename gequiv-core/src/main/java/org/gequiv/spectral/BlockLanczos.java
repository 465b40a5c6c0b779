package org.gequiv.spectral;

import java.util.Arrays;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.NotPositiveDefiniteException;

/**
 * Block Lanczos with full reorthogonalisation and deflation (docs/theory.md §5.12): from a start block
 * X (p vectors of R^N) builds an orthonormal basis Q = [Q_1 … Q_m] of the block Krylov space
 * span{X, ΩX, …, Ω^{m−1}X} and the projected matrix T_m = Qᵀ Ω Q, block tridiagonal with blocks
 * A_i (p_i × p_i) on the diagonal and B_i (p_{i+1} × p_i) below it, and X = Q_1 B_0.
 *
 * <p>Every new block W is orthogonalised twice against the whole basis (classical block
 * Gram–Schmidt by GEMM, W ← W − Qᵀ(Q W) as row blocks, "twice is enough"), then within itself
 * by Cholesky QR: the Gram matrix G = W Wᵀ (SYRK), G = L Lᵀ (POTRF), W ← L⁻¹ W (TRSM). Cholesky QR
 * is used only where the Gram matrix resolves the block: every Cholesky pivot L_ii (the norm of row
 * i left after the rows before it) above both the deflation threshold and
 * {@link #CHOLESKY_RESOLUTION} times the largest row norm; otherwise (a direction near or below the
 * threshold, or a nearly dependent block) the block goes through Householder QR with column
 * pivoting ({@link LinearAlgebra#orthonormaliseRows}), which drops the directions whose remaining
 * norm falls below {@code deflationTolerance}·‖Ω‖ (‖Ω‖ estimated by the largest ‖Ω q‖ met), so the
 * block sizes p_i can shrink. Either way one more pass follows — against the basis by GEMM and
 * within the block by a Cholesky QR of a Gram matrix that is then the identity to
 * {@link #FINAL_PASS_LIMIT} (else the block is redone by Householder) — because dividing by a small
 * pivot magnifies what the first passes left of the basis. All of it is BLAS-3 or LAPACK; no
 * Java loop of length N runs per pair of vectors. When a block deflates to nothing the Krylov space
 * is invariant under Ω and the quadrature is exact ({@link #exhausted()}). T_m is kept as the
 * Rayleigh quotient Qᵀ Ω Q, entries of the reorthogonalisation included.
 *
 * <p>The basis is stored as rows, vector after vector ((Σ p_i) × N, row-major), so that every product
 * with it is one GEMM on a contiguous leading part of one array.
 * <p>Memory: the basis, (Σ p_i) × N doubles; time per block step: one Ω·V plus O(N·p·Σp_i).
 * The decomposition can be extended ({@link #extend}); the Gauss rule of any number of completed
 * steps is available ({@link #gaussRule(int)}), since T_m is the leading block of T_{m'} for
 * m ≤ m'. <b>Not thread-safe.</b>
 */
public final class BlockLanczos {

    /** Default deflation threshold, relative to ‖Ω‖. */
    public static final double DEFAULT_DEFLATION_TOLERANCE = 1e-10;

    /**
     * Smallest Cholesky pivot, relative to the largest row norm, at which the block is
     * orthonormalised from its Gram matrix. The Gram matrix carries each pivot to an absolute error
     * of about √ε·‖W‖ ≈ 1.5e-8·‖W‖, so a pivot of 1e-6·‖W‖ is known to ~1 % (enough to compare it
     * with the deflation threshold), and the condition number ≲ 1e6 this implies leaves Cholesky QR an
     * orthogonality loss of ε·κ² ≲ 1e-4, which the final pass removes.
     */
    static final double CHOLESKY_RESOLUTION = 1e-6;

    /**
     * Largest |G − I| entry of the final pass's Gram matrix accepted as "already orthonormal": its
     * Cholesky QR then restores orthogonality to working precision. 1e-2 is far above the ≲ 1e-4
     * left by an accepted first pass and far below the O(1) of a pass that lost orthogonality.
     */
    static final double FINAL_PASS_LIMIT = 1e-2;

    /**
     * Fewest vectors of a declared last step that {@link #extendTogether} takes out of the shared
     * product and computes from its own quadratic form ({@link SymmetricOperator#quadraticForm}):
     * apart, the step reads Ω once more but does half the flops of its share of the product. At
     * N = 3072 (explicit Ω, one BLAS thread, thread CPU, best of 12) the quadratic form of p
     * vectors costs 11.6 ms at p = 32 and 28.5 ms at 108, against 12.6 and 44.6 ms that they add to
     * the 20-vector product of the rule and the probes (14.7 → 27.3 and 59.3 ms for 52 and 128
     * vectors): 32 is where it starts to pay. It keeps the 4-vector probe groups and a fixed-m rule
     * on the shared product and takes the 108-vector deflation block of the default case out
     * (docs/theory.md §5.12, "Fewer vectors through Ω").
     */
    static final int WIDE_LAST_STEP = 32;

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
    /** Scratch of the block steps, grown on demand: current block, Ω·block, its copy before QR, coefficients. */
    private double[] current = new double[0];
    private double[] product = new double[0];
    private double[] projectedScratch = new double[0];
    private double[] saved = new double[0];
    private double[] coefficients = new double[0];
    private double[] passCoefficients = new double[0];
    private double[] gram = new double[0];
    /** Blocks that went through pivoted Householder QR instead of Cholesky QR (for tests). */
    private int pivotedBlocks;
    /** Steps beyond which the process is never extended ({@link #lastStep}). */
    private int lastStep = Integer.MAX_VALUE;

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
        int rank = orthonormalise(x, p, deflationTolerance * scale, null, null);
        appendBlock(x, rank);
        // X = Q_1 B_0: B_0[r][c] = q_r · x_c
        this.firstBlock = rank;
        this.b0 = new double[rank * p];
        LinearAlgebra.get().gemm(false, true, rank, p, n, 1.0, basis, start, 0.0, b0);
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

    /**
     * Largest ‖Ω q‖ over the basis vectors multiplied by Ω so far (a lower bound of ‖Ω‖₂; a last
     * step by quadratic form, {@link #lastStep}, adds none).
     */
    public double normEstimate() {
        return normEstimate;
    }

    /**
     * Runs block steps until {@code totalSteps} are complete or the space is exhausted.
     *
     * @return the completed steps
     */
    public int extend(int totalSteps) {
        int pi;
        while ((pi = pendingVectors(totalSteps)) > 0) {
            current = atLeast(current, pi * n);
            pendingBlock(current, 0);
            if (steps + 1 == lastStep) {
                // alone the step reads Ω anyway: the quadratic form is never dearer than the product
                completeLastStep(current);
                continue;
            }
            product = atLeast(product, pi * n);
            op.apply(pi, current, product);
            completeStep(product);
        }
        return steps;
    }

    /**
     * Extends every process to its target number of steps (or until its space is exhausted) with one
     * Ω product per round for the blocks of all the processes that still step: a product of
     * p_1 + p_2 + … vectors reads Ω once where separate products would read it once per process
     * (at N = 3072 one product of 20 vectors cost 37 ms against 17 + 31 ms for 4 and 16 apart).
     * The exception is a declared last step of at least {@link #WIDE_LAST_STEP} vectors: it needs
     * only its quadratic form, computed apart at half the flops of its share of the product. The
     * result is each process's own decomposition: a product's rows do not depend on the other rows
     * of the block beyond the last bits of the GEMM.
     *
     * @param op         the operator every process was started on
     * @param processes  the processes, extended in place
     * @param totalSteps the target of each process
     * @throws IllegalArgumentException if a process runs on another operator or the lengths differ
     */
    public static void extendTogether(SymmetricOperator op, BlockLanczos[] processes, int[] totalSteps) {
        if (processes.length != totalSteps.length) {
            throw new IllegalArgumentException("one target per process needed, got " + processes.length
                    + " processes and " + totalSteps.length + " targets");
        }
        for (BlockLanczos process : processes) {
            if (process.op != op) {
                throw new IllegalArgumentException("every process must run on the given operator");
            }
        }
        int n = op.dimension();
        double[] block = new double[0];
        double[] products = new double[0];
        while (true) {
            int total = 0;
            for (int i = 0; i < processes.length; i++) {
                if (processes[i].wideLastStep(totalSteps[i])) {
                    processes[i].extend(totalSteps[i]);
                }
                total += processes[i].pendingVectors(totalSteps[i]);
            }
            if (total == 0) {
                return;
            }
            block = atLeast(block, total * n);
            products = atLeast(products, total * n);
            int row = 0;
            for (int i = 0; i < processes.length; i++) {
                int pi = processes[i].pendingVectors(totalSteps[i]);
                if (pi > 0) {
                    processes[i].pendingBlock(block, row);
                    row += pi;
                }
            }
            op.apply(total, block, products);
            row = 0;
            for (int i = 0; i < processes.length; i++) {
                int pi = processes[i].pendingVectors(totalSteps[i]);
                if (pi > 0) {
                    processes[i].completeStep(products, row);
                    row += pi;
                }
            }
        }
    }

    /**
     * Vectors of the block the next step multiplies by Ω: p_i of the last block, or 0 when
     * {@code totalSteps} are complete or the space is exhausted.
     */
    public int pendingVectors(int totalSteps) {
        return steps < Math.min(totalSteps, lastStep) && !exhausted ? blockStart[steps + 1] - blockStart[steps] : 0;
    }

    /**
     * Declares that this process will not run beyond {@code finalSteps} steps (a rule of that many
     * steps is all its caller needs): the step that completes them computes only its entries of T
     * and skips what only a next step needs — the Gram–Schmidt passes, the QR of the residual block
     * and B_m (at N = 3072 about 0.9 GFlop on the 108-vector deflation block). Stepping alone
     * ({@link #extend}), or apart from a shared product when it is wide ({@link #extendTogether},
     * {@link #WIDE_LAST_STEP}), it needs only A_m = Q_m Ω Q_mᵀ, the quadratic form of its block
     * ({@link SymmetricOperator#quadraticForm}: half the flops of Ω Q_m on an explicit Ω), and
     * keeps B_{m−1} of the step before as its coupling (0 to the earlier blocks); riding on a
     * shared product it takes A_m and the couplings from one projection of that product on the
     * basis. Either way the entries of T differ from those of an undeclared run by O(ε‖Ω‖).
     * Later {@link #extend} calls stop there.
     *
     * @throws IllegalArgumentException if {@code finalSteps} &lt; {@link #steps()} or &lt; 1
     */
    public void lastStep(int finalSteps) {
        if (finalSteps < Math.max(1, steps)) {
            throw new IllegalArgumentException("final steps must be >= max(1, completed steps " + steps + "), got "
                    + finalSteps);
        }
        lastStep = finalSteps;
    }

    /** Whether the next step is the declared last one with at least {@link #WIDE_LAST_STEP} vectors. */
    private boolean wideLastStep(int totalSteps) {
        return pendingVectors(totalSteps) >= WIDE_LAST_STEP && steps + 1 == lastStep;
    }

    /**
     * Copies the block the next step multiplies (the last basis block, {@link #pendingVectors} rows
     * of N) into {@code into} from row {@code row} on.
     */
    public void pendingBlock(double[] into, int row) {
        int off = blockStart[steps];
        System.arraycopy(basis, off * n, into, row * n, (blockStart[steps + 1] - off) * n);
    }

    /**
     * Completes the next step with its product: rows {@code row} … of {@code products} hold Ω times
     * the rows of {@link #pendingBlock} (not modified).
     */
    public void completeStep(double[] products, int row) {
        int pi = blockStart[steps + 1] - blockStart[steps];
        product = atLeast(product, pi * n);
        System.arraycopy(products, row * n, product, 0, pi * n);
        completeStep(product);
    }

    /**
     * The declared last step from the quadratic form of its block alone ({@link #lastStep}): A_m
     * into T, the couplings already there (B_{m−1}, set by the step before), ‖Ω‖'s estimate not
     * updated (no later step uses it).
     *
     * @param block the last block's rows ({@link #pendingBlock}), not modified
     */
    private void completeLastStep(double[] block) {
        int off = blockStart[steps];
        int pi = blockStart[steps + 1] - off;
        gram = atLeast(gram, pi * pi);
        op.quadraticForm(pi, block, gram);
        for (int r = 0; r < pi; r++) {
            System.arraycopy(gram, r * pi, t, (off + r) * tCapacity + off, pi);
        }
        steps++;
    }

    /** The rest of a block step once w = Ω·(last block) is known; w is overwritten. */
    private void completeStep(double[] w) {
        int off = blockStart[steps];
        int pi = blockStart[steps + 1] - off;
        for (int c = 0; c < pi; c++) {
            normEstimate = Math.max(normEstimate, Math.sqrt(dot(w, c * n, w, c * n, n)));
        }
        int prev = basisSize;
        coefficients = atLeast(coefficients, pi * prev);
        double[] h = coefficients;
        boolean last = steps + 1 == lastStep;
        int rank = 0;
        double[] projected = null;
        if (last) {
            LinearAlgebra.get().gemm(false, true, pi, prev, n, 1.0, w, basis, 0.0, h);
        } else {
            projectedScratch = atLeast(projectedScratch, pi * n);
            projected = projectedScratch;
            rank = orthonormalise(w, pi, deflationTolerance * normEstimate, h, projected);
        }
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
        if (last) {
            return;
        }
        if (rank == 0) {
            exhausted = true;
            return;
        }
        // B_i[r][c] = q_new,r · Ω q_c = q_new,r · (Ω q_c with its basis components removed)
        gram = atLeast(gram, rank * pi);
        LinearAlgebra.get().gemm(false, true, rank, pi, n, 1.0, w, projected, 0.0, gram);
        for (int r = 0; r < rank; r++) {
            for (int c = 0; c < pi; c++) {
                double b = gram[r * pi + c];
                t[(prev + r) * tCapacity + off + c] = b;
                t[(off + c) * tCapacity + prev + r] = b;
            }
        }
        appendBlock(w, rank);
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

    /** The whole basis so far, Σ p_i rows of N (the last block included), a copy (for tests). */
    double[] basisRows() {
        return Arrays.copyOf(basis, basisSize * n);
    }

    /** T over the whole basis so far, basisSize × basisSize (the last diagonal block still zero), a copy. */
    double[] projectedMatrix() {
        double[] out = new double[basisSize * basisSize];
        for (int i = 0; i < basisSize; i++) {
            System.arraycopy(t, i * tCapacity, out, i * basisSize, basisSize);
        }
        return out;
    }

    /** Number of vectors in the basis, the last block included. */
    int basisSize() {
        return basisSize;
    }

    /** Blocks orthonormalised by pivoted Householder QR rather than Cholesky QR. */
    int pivotedBlocks() {
        return pivotedBlocks;
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
     * themselves, compacting the kept ones to the front (class comment: CGS2 by GEMM, Cholesky QR or
     * pivoted Householder QR, a final pass).
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
            Arrays.fill(h, 0, count * basisSize, 0.0);
            LinearAlgebra.get().projectOutRows(count, basisSize, n, w, basis, 2, h);
        }
        if (projected != null) {
            System.arraycopy(w, 0, projected, 0, count * n);
        }
        saved = atLeast(saved, count * n);
        System.arraycopy(w, 0, saved, 0, count * n);
        LinearAlgebra la = LinearAlgebra.get();
        int rank = choleskyQr(w, count, tol);
        boolean householder = rank < 0;
        if (householder) {
            pivotedBlocks++;
            rank = la.orthonormaliseRows(count, n, w, tol);
        }
        if (rank > 0 && !finalPass(w, rank)) {
            if (householder) {
                throw new ArithmeticException("block Lanczos: a Householder-orthonormalised block of " + rank
                        + " vectors is not orthonormal after its final pass (N = " + n + ")");
            }
            // the Gram matrix hid a loss of orthogonality: redo the block by Householder
            pivotedBlocks++;
            System.arraycopy(saved, 0, w, 0, count * n);
            rank = la.orthonormaliseRows(count, n, w, tol);
            if (rank > 0 && !finalPass(w, rank)) {
                throw new ArithmeticException("block Lanczos: a Householder-orthonormalised block of " + rank
                        + " vectors is not orthonormal after its final pass (N = " + n + ")");
            }
        }
        return rank;
    }

    /**
     * Cholesky QR of the first {@code count} rows of {@code w}: W ← L⁻¹ W with W Wᵀ = L Lᵀ, when the
     * Gram matrix resolves the block ({@link #CHOLESKY_RESOLUTION}) and no pivot is at or below
     * {@code tol}.
     *
     * @return count when done, 0 when every row norm is at most {@code tol} (the whole block
     *         deflates; w unchanged), −1 when the block needs pivoted QR (w unchanged)
     */
    private int choleskyQr(double[] w, int count, double tol) {
        LinearAlgebra la = LinearAlgebra.get();
        gram = atLeast(gram, count * count);
        la.syrk(count, n, 1.0, w, 0.0, gram);
        double largest = 0;
        for (int i = 0; i < count; i++) {
            largest = Math.max(largest, gram[i * count + i]);
        }
        largest = Math.sqrt(largest);
        if (!(largest > tol)) {
            return 0;
        }
        double[] l;
        try {
            l = la.cholesky(count, count * count == gram.length ? gram : Arrays.copyOf(gram, count * count));
        } catch (NotPositiveDefiniteException dependent) {
            return -1;
        }
        double floor = Math.max(tol, CHOLESKY_RESOLUTION * largest);
        for (int i = 0; i < count; i++) {
            if (!(l[i * count + i] > floor)) {
                return -1;
            }
        }
        la.solveLowerTriangular(count, n, l, w);
        return count;
    }

    /**
     * The final pass over the first {@code rank} rows of {@code w}, nearly orthonormal already: once
     * more against the basis, then a Cholesky QR of a Gram matrix within {@link #FINAL_PASS_LIMIT}
     * of the identity.
     *
     * @return false when the Gram matrix is not that close to the identity (w then unspecified)
     */
    private boolean finalPass(double[] w, int rank) {
        LinearAlgebra la = LinearAlgebra.get();
        if (basisSize > 0) {
            passCoefficients = atLeast(passCoefficients, rank * basisSize);
            Arrays.fill(passCoefficients, 0, rank * basisSize, 0.0);
            LinearAlgebra.get().projectOutRows(rank, basisSize, n, w, basis, 1, passCoefficients);
        }
        gram = atLeast(gram, rank * rank);
        la.syrk(rank, n, 1.0, w, 0.0, gram);
        for (int i = 0; i < rank; i++) {
            for (int j = 0; j < rank; j++) {
                double deviation = gram[i * rank + j] - (i == j ? 1.0 : 0.0);
                if (!(Math.abs(deviation) <= FINAL_PASS_LIMIT)) {
                    return false;
                }
            }
        }
        double[] l;
        try {
            l = la.cholesky(rank, rank * rank == gram.length ? gram : Arrays.copyOf(gram, rank * rank));
        } catch (NotPositiveDefiniteException cannotHappenNearTheIdentity) {
            return false;
        }
        la.solveLowerTriangular(rank, n, l, w);
        return true;
    }

    private static double[] atLeast(double[] a, int size) {
        return a.length >= size ? a : new double[Math.max(size, a.length + a.length / 2)];
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
