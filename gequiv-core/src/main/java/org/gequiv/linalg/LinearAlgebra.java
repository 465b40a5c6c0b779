package org.gequiv.linalg;

/**
 * Dense linear algebra on flat, row-major {@code double[]} matrices.
 *
 * <p>Two implementations stand behind this facade: {@link NativeLinearAlgebra} (OpenBLAS and
 * LAPACKE from the bundled-native jars) and {@link JavaLinearAlgebra} (EJML), which is used
 * automatically when the natives cannot be loaded, and which serves as test oracle. Obtain the
 * process-wide instance with {@link #get()}.
 *
 * <p>All matrices are packed: an {@code m × n} matrix occupies exactly {@code m·n} entries, entry
 * {@code (i, j)} at index {@code i·n + j}. Unless a method says otherwise its inputs are not
 * modified. Implementations are thread-safe.
 */
public interface LinearAlgebra {

    /** Short name of the implementation, for provenance (for example {@code "openblas"}). */
    String name();

    /** Whether this implementation runs native BLAS/LAPACK code. */
    boolean isNative();

    /**
     * {@code C ← alpha·op(A)·op(B) + beta·C}, where {@code op(A)} is {@code m × k} and {@code op(B)}
     * is {@code k × n}.
     *
     * @param a {@code m × k} (or {@code k × m} when {@code transA}), not modified
     * @param b {@code k × n} (or {@code n × k} when {@code transB}), not modified
     * @param c {@code m × n}, overwritten with the result
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double alpha, double[] a, double[] b, double beta, double[] c);

    /**
     * The {@code rows × cols} matrix {@code data} (row-major, not modified and not retained) copied
     * once to where this implementation computes, for {@link #gemm(ResidentMatrix, boolean, int,
     * double, double[], double, double[])}.
     */
    ResidentMatrix resident(int rows, int cols, double[] data);

    /**
     * {@link #resident} with the entries rounded to float32: half the memory, and half the memory
     * traffic of every product with it. {@link #gemm(ResidentMatrix, boolean, int, double,
     * double[], double, double[])} then computes in float32 (B and C rounded to float32, products
     * and sums in float32, C widened back), with a relative error of about √k·2⁻²⁴ per entry of
     * the result: for products whose rounding is far below the noise of what they estimate, such
     * as the test-set fields of the online simulation (a Monte-Carlo average over the test set).
     */
    ResidentMatrix residentFloat(int rows, int cols, double[] data);

    /**
     * {@code C ← alpha·A·op(B) + beta·C} with the resident {@code A} ({@code m × k}, m and k its
     * shape) and {@code op(B)} of shape {@code k × n}; the same product as {@link #gemm} without
     * copying A again.
     *
     * @param b {@code k × n} (or {@code n × k} when {@code transB}), not modified
     * @param c {@code m × n}, overwritten with the result
     */
    void gemm(ResidentMatrix a, boolean transB, int n, double alpha, double[] b, double beta, double[] c);

    /**
     * {@code C ← B·A} for the {@code K × n} matrix A held as resident row blocks
     * {@code A = [A_0; A_1; …]} (block b holds the next {@code blocks[b].rows()} rows, every block
     * n columns, K = Σ rows) and the {@code m × K} matrix B: one copy of B and C across, one GEMM
     * per block accumulating into C, with A as the right operand. For a symmetric A this is
     * {@code (A·Bᵀ)ᵀ}: the products of A with the m rows of B, as rows, without a transposition.
     *
     * @param b {@code m × K}, not modified
     * @param c {@code m × n}, overwritten
     * @throws IllegalArgumentException for blocks of different widths, float32 blocks or short operands
     */
    void gemmRowBlocks(int m, double[] b, ResidentMatrix[] blocks, double[] c);

    /**
     * {@code C ← B·A} for the {@code m × n} B and the symmetric {@code n × n} A given by its lower
     * triangle (entries (i, j), j ≤ i; the strict upper triangle is not read), both on the heap: the
     * products of A with the m rows of B, as rows. This is the matrix that LAPACK's lower-triangle
     * eigensolvers decompose, exactly symmetric whatever the upper triangle holds. The native
     * implementation moves the lower part of each strip of {@link #STREAMED_ROWS} rows through one
     * cache-sized scratch, with two GEMMs per strip (the strip, and its strictly lower part
     * transposed), so that a large A (Ω of a moments file, docs/theory.md §5.12) is held once, on the
     * heap, and each product reads half of it from memory (at N = 3072, one BLAS thread, load 7:
     * 4 vectors 12–16 ms against 16–21 ms for the whole matrix streamed and 11–12 ms for a
     * resident copy; 20 to 128 vectors as the whole matrix streamed).
     *
     * @param b {@code m × n}, not modified
     * @param a {@code n × n}, lower triangle read, not modified
     * @param c {@code m × n}, overwritten
     * @throws IllegalArgumentException for operands shorter than their shapes
     */
    default void gemmSymmetricLower(int m, int n, double[] b, double[] a, double[] c) {
        if (b.length < (long) m * n || a.length < (long) n * n || c.length < (long) m * n) {
            throw new IllegalArgumentException("gemmSymmetricLower operands too short for m = " + m + ", n = " + n
                    + ": lengths " + b.length + ", " + a.length + ", " + c.length);
        }
        java.util.Arrays.fill(c, 0, m * n, 0.0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double aij = a[i * n + j];
                for (int r = 0; r < m; r++) {
                    c[r * n + j] += b[r * n + i] * aij;
                    if (j < i) {
                        c[r * n + i] += b[r * n + j] * aij;
                    }
                }
            }
        }
    }

    /** Rows of A per strip of {@link #gemmSymmetricLower}: 128 rows of 3072 are 3 MB, within the L3 cache. */
    int STREAMED_ROWS = 128;

    /**
     * {@code C ← B·A·Bᵀ} (m × m, both triangles, exactly symmetric) for the {@code m × n} B and the
     * symmetric {@code n × n} A given by its lower triangle, as in {@link #gemmSymmetricLower}: the
     * projected matrix of the m rows of B without the product B·A itself (the last block step of
     * block Lanczos needs only its diagonal block, docs/theory.md §5.12, "Fewer vectors through Ω").
     * With A = L + Lᵀ, L the strictly lower triangle plus half the diagonal (the native
     * implementation: plus half of each diagonal block of {@link #STREAMED_ROWS} rows, read from the
     * lower triangle), B A Bᵀ = Y Bᵀ + B Yᵀ with Y = B·L: m·n² flops for Y, half of those of B·A,
     * and 2m²n for the rank-2k update (DSYR2K). Equal to B·(B·A)ᵀ to round-off.
     *
     * @param b {@code m × n}, not modified
     * @param a {@code n × n}, lower triangle read, not modified
     * @param c {@code m × m}, overwritten
     * @throws IllegalArgumentException for operands shorter than their shapes
     */
    default void quadraticFormSymmetricLower(int m, int n, double[] b, double[] a, double[] c) {
        if (b.length < (long) m * n || a.length < (long) n * n || c.length < (long) m * m) {
            throw new IllegalArgumentException("quadraticFormSymmetricLower operands too short for m = " + m + ", n = "
                    + n + ": lengths " + b.length + ", " + a.length + ", " + c.length);
        }
        double[] y = new double[m * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double aij = a[i * n + j];
                for (int r = 0; r < m; r++) {
                    y[r * n + j] += b[r * n + i] * aij;
                }
            }
            double half = 0.5 * a[i * n + i];
            for (int r = 0; r < m; r++) {
                y[r * n + i] += b[r * n + i] * half;
            }
        }
        for (int r = 0; r < m; r++) {
            for (int s = 0; s <= r; s++) {
                double acc = 0;
                for (int k = 0; k < n; k++) {
                    acc += y[r * n + k] * b[s * n + k] + b[r * n + k] * y[s * n + k];
                }
                c[r * m + s] = acc;
                c[s * m + r] = acc;
            }
        }
    }

    /**
     * Single-precision {@code C ← alpha·op(A)·op(B) + beta·C}, the float32 counterpart of
     * {@link #gemm} with the same shapes and layout (SGEMM: products and sums in float32, for the
     * float32 generators of {@code org.gequiv.generator.deep}).
     *
     * @param a {@code m × k} (or {@code k × m} when {@code transA}), not modified
     * @param b {@code k × n} (or {@code n × k} when {@code transB}), not modified
     * @param c {@code m × n}, overwritten with the result
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float alpha, float[] a, float[] b, float beta, float[] c);

    /**
     * Single-precision {@code C ← A[firstRow … firstRow+m−1, :]·B} with the float32 resident
     * {@code A} ({@link #residentFloat}, k = its columns) and the {@code k × n} block of {@code b}
     * whose entry (p, j) is {@code b[offsetB + p·ldb + j]}: a row block of a matrix kept in the BLAS's
     * memory times a column block of a larger row-major matrix, without copying either whole (the
     * float32 transposed convolutions of {@code org.gequiv.generator.deep}, one block of output
     * channels and samples at a time). Products and sums in float32, as {@link #sgemm}.
     *
     * @param b not modified
     * @param c {@code m × n} packed, overwritten
     */
    void sgemm(ResidentMatrix a, int firstRow, int m, float[] b, int offsetB, int ldb, int n, float[] c);

    /**
     * Single-precision {@code C ← A·B[:, firstCol … firstCol+n−1]} with the {@code m × k} matrix A
     * packed row-major in {@code a} from {@code offsetA} and the float32 resident {@code B}
     * ({@link #residentFloat}, k = its rows): the resident operand on the right, so that C comes
     * out with one row per row of A (the pixel-major float32 transposed convolutions of {@code
     * org.gequiv.generator.deep}: a block of pixels times a block of output channels). Only A's
     * block and C cross to the BLAS. Products and sums in float32, as {@link #sgemm}.
     *
     * @param a not modified
     * @param c {@code m × n} packed, overwritten
     */
    void sgemm(int m, float[] a, int offsetA, ResidentMatrix b, int firstCol, int n, float[] c);

    /**
     * A batch of single-precision products with one resident right operand: for g = 0 … count − 1,
     * {@code C_g ← A_g·B_g} with B_g the columns {@code firstCol[g] … firstCol[g] + width[g] − 1} of
     * the resident {@code k × n} matrix B, A_g the columns {@code g·strideA … g·strideA + k − 1} of
     * the row-major {@code m × count·strideA} matrix {@code a} (the A_g side by side, each followed
     * by {@code strideA − k} columns that are not read), and C_g written into
     * the same columns of the row-major {@code m × n} matrix {@code c} as B_g occupies in B (columns
     * of c in no block hold unspecified values on return). For the Winograd transposed convolutions of {@code
     * org.gequiv.generator.deep}, a row of a is one tile's 25 transformed inputs and a row of c its
     * 36 products. The native implementation copies a across and c back once for the batch instead
     * of once per product. Products and sums in float32, as {@link #sgemm}.
     *
     * @param a        at least {@code m·count·strideA} entries, not modified
     * @param strideA  columns of a per product, at least k
     * @param firstCol first column of B of each product, not modified
     * @param width    columns of each product, not modified
     * @param c        at least {@code m·n} entries, overwritten
     */
    void sgemmBatch(int count, int m, float[] a, int strideA, ResidentMatrix b, int[] firstCol, int[] width, float[] c);

    /**
     * Classical Gram–Schmidt by GEMM, {@code passes} times: the components of the {@code m} rows of
     * W along the {@code k} orthonormal rows of Q are removed, C = W Qᵀ then W ← W − C Q per pass,
     * and each pass's C ({@code m × k}) is added to {@code h} in pass order. The same GEMMs as
     * {@link #gemm} in that order; the native implementation copies W and Q across once for all
     * passes instead of for every product (the reorthogonalisation of block Lanczos,
     * docs/theory.md §5.12, against a basis of up to a few hundred vectors of length N).
     *
     * @param w {@code m × n} (may be longer), overwritten with the projected rows
     * @param q {@code k × n} (may be longer), not modified
     * @param h at least {@code m × k}, added to
     */
    default void projectOutRows(int m, int k, int n, double[] w, double[] q, int passes, double[] h) {
        if (m == 0 || k == 0) {
            return;
        }
        double[] c = new double[m * k];
        for (int pass = 0; pass < passes; pass++) {
            gemm(false, true, m, k, n, 1.0, w, q, 0.0, c);
            gemm(false, false, m, n, k, -1.0, c, q, 1.0, w);
            for (int i = 0; i < m * k; i++) {
                h[i] += c[i];
            }
        }
    }

    /**
     * {@code C ← alpha·AᵀA + beta·C} for {@code A} of shape {@code k × n}; both triangles of the
     * {@code n × n} result are filled.
     *
     * @param a {@code k × n}, not modified
     * @param c {@code n × n}, overwritten
     */
    void syrkTransposed(int n, int k, double alpha, double[] a, double beta, double[] c);

    /**
     * {@code C ← alpha·A Aᵀ + beta·C} for {@code A} of shape {@code n × k}: the Gram matrix of the
     * rows of A (DSYRK); both triangles of the {@code n × n} result are filled.
     *
     * @param a {@code n × k}, not modified
     * @param c {@code n × n}, overwritten
     */
    void syrk(int n, int k, double alpha, double[] a, double beta, double[] c);

    /**
     * {@link #syrk} computing the upper triangle only: entries {@code (i, j ≥ i)} of
     * {@code C = alpha·A Aᵀ + beta·C} are written, the strictly lower triangle of {@code c} holds
     * unspecified values on return, for callers that read one triangle and write both themselves
     * (the analytic moments of {@code org.gequiv.generator.DeepRandomGenerator}).
     *
     * @param a {@code n × k}, not modified
     * @param c {@code n × n}, upper triangle overwritten, lower triangle unspecified
     */
    void syrkUpper(int n, int k, double alpha, double[] a, double beta, double[] c);

    /**
     * {@code B ← L⁻¹ B} for the lower-triangular {@code n × n} {@code L} with nonzero diagonal
     * (DTRSM, left side, no transpose): the rows of B become combinations of the rows of B, as in the
     * Cholesky-QR {@code Q = L⁻¹ W} of rows W with Gram matrix {@code L Lᵀ}. Only the lower
     * triangle of {@code l} is read.
     *
     * @param l {@code n × n}, not modified
     * @param b {@code n × nrhs}, overwritten with the solution
     */
    void solveLowerTriangular(int n, int nrhs, double[] l, double[] b);

    /**
     * Replaces the rows of the {@code rows × cols} matrix {@code a} (rows ≤ cols) by an orthonormal
     * basis of the span of the rows that are numerically independent: QR with column pivoting of
     * {@code aᵀ} (LAPACK DGEQP3, then DORGQR), whose greedy pivot takes at each step the row with the
     * largest norm left after removing the rows already taken; the rank r is the number of pivots
     * whose remaining norm |R_ii| exceeds {@code tolerance}, and the first r rows of {@code a} are
     * then the first r columns of Q, orthonormal to working precision, spanning the pivot rows.
     * The remaining rows are left unspecified.
     *
     * @param a         {@code rows × cols}, overwritten
     * @param tolerance absolute threshold ≥ 0 on the remaining norm of a row
     * @return r, the number of rows kept
     */
    int orthonormaliseRows(int rows, int cols, double[] a, double tolerance);

    /**
     * Single-precision {@code C ← alpha·AᵀA + beta·C} for {@code A} of shape {@code k × n} (SSYRK:
     * products and sums in float32), computing the upper triangle only: entries {@code (i, j)} with
     * {@code j ≥ i} of the {@code n × n} result are written, the strictly lower triangle of
     * {@code c} holds unspecified values on return (for the float32 block products of the moment
     * estimator, docs/theory.md §7.2, which adds the upper triangle into float64 sums).
     *
     * @param a {@code k × n}, not modified
     * @param c {@code n × n}, upper triangle overwritten, lower triangle unspecified
     */
    void ssyrkTransposedUpper(int n, int k, float alpha, float[] a, float beta, float[] c);

    /**
     * Eigendecomposition of a symmetric {@code n × n} matrix (only its lower triangle is read).
     * Eigenvalues ascend; eigenvector {@code j} is column {@code j} of the returned vectors.
     *
     * @param a symmetric matrix, not modified
     */
    SymmetricEigen symmetricEigen(int n, double[] a);

    /**
     * {@link #symmetricEigen} with the eigenvectors left where this implementation computes
     * ({@link ResidentEigen}): the same eigenvalues and eigenvectors, bit for bit, for a consumer
     * that multiplies by U and does not read it (the projections of the ODEs' initial state,
     * docs/theory.md §5.7). Only the lower triangle of {@code a} is read, unless the caller says
     * that {@code a} is exactly symmetric.
     *
     * @param a                symmetric matrix, not modified
     * @param exactlySymmetric whether the caller knows every a_ij to be the same number as a_ji (an
     *                         analytic Ω, {@code Moments.omegaChecked}): the native implementation then
     *                         copies {@code a} whole in one bulk copy instead of its lower triangle
     *                         entry by entry (the same input to LAPACK, so the same bits). Passing
     *                         true for a matrix that is not exactly symmetric decomposes its upper
     *                         triangle instead
     */
    default ResidentEigen symmetricEigenResident(int n, double[] a, boolean exactlySymmetric) {
        SymmetricEigen eigen = symmetricEigen(n, a);
        return new ResidentEigen(n, eigen.values(), resident(n, n, eigen.vectors()));
    }

    /**
     * The eigenvalues of a symmetric {@code n × n} matrix {@code A = U diag(λ) Uᵀ} (only its lower
     * triangle is read), ascending, and {@code Uᵀ B} for an {@code n × m} matrix B: the components
     * of B's columns along the eigenvectors, for consumers that need those and not the eigenvectors
     * (the ERM teacher weights t_i = (u_i·b)², docs/theory.md §6.2). The native implementation
     * reduces A to a tridiagonal {@code T = Qᵀ A Q} (DSYTRD), applies {@code Qᵀ} to B (DORMTR) and
     * solves {@code T = Z Λ Zᵀ} by divide and conquer (DSTEDC), so that {@code Uᵀ B = Zᵀ (Qᵀ B)};
     * it skips the {@code 2n³} flops of forming {@code U = Q Z}, which are what
     * {@link #symmetricEigen} (DSYEVD: the same three steps with U formed) spends besides. The
     * eigenvalues are then {@link #symmetricEigen}'s bit for bit, and the projections agree with
     * {@code Uᵀ B} formed from its eigenvectors to round-off, O(n·ε·‖b_c‖) per entry.
     *
     * @param a symmetric matrix, not modified
     * @param b {@code n × m}, row-major, not modified
     */
    default EigenProjections symmetricEigenProjections(int n, double[] a, int m, double[] b) {
        if (b.length < (long) n * m) {
            throw new IllegalArgumentException("b must have n·m = " + ((long) n * m) + " entries, got " + b.length);
        }
        SymmetricEigen eigen = symmetricEigen(n, a);
        double[] projections = new double[n * m];
        gemm(true, false, n, m, n, 1.0, eigen.vectors(), b, 0.0, projections);
        return new EigenProjections(n, m, eigen.values(), projections);
    }

    /**
     * Eigenvalues only of a symmetric {@code n × n} matrix (only its lower triangle is read),
     * ascending: the tridiagonal reduction without accumulating the eigenvectors (issue 14, the
     * plain spectral measure of {@code org.gequiv.spectral}).
     *
     * @param a symmetric matrix, not modified
     */
    default double[] symmetricEigenvalues(int n, double[] a) {
        return symmetricEigen(n, a).values();
    }

    /**
     * Lower Cholesky factor {@code L} with {@code A = L Lᵀ}; the strictly upper triangle of the
     * result is zero.
     *
     * @param a symmetric positive-definite matrix, not modified
     * @throws NotPositiveDefiniteException if a leading minor is not positive
     */
    double[] cholesky(int n, double[] a);

    /**
     * Solves {@code A X = B} for symmetric positive-definite {@code A} through its Cholesky
     * factorisation.
     *
     * @param a {@code n × n}, not modified
     * @param b {@code n × nrhs}, overwritten with the solution X
     * @throws NotPositiveDefiniteException if {@code A} is not positive definite
     */
    void solveSymmetricPositive(int n, int nrhs, double[] a, double[] b);

    /** Threads the native BLAS uses (process-wide); 1 for the pure-Java implementation. */
    default int nativeThreads() {
        return 1;
    }

    /**
     * Sets the threads of the native BLAS, a process-wide setting (no effect on the pure-Java
     * implementation). Results do not depend on it; speed does: small products on a busy machine
     * run faster on one thread.
     */
    default void setNativeThreads(int threads) {
    }

    /** The process-wide implementation: native when it loads, EJML otherwise. */
    static LinearAlgebra get() {
        return LinearAlgebraProvider.INSTANCE.implementation();
    }

    /**
     * Starts choosing (and loading) the process-wide implementation of {@link #get()} on a daemon
     * thread and returns at once, so that a command can overlap the native library's load (mapping
     * and relocating the 37 MB OpenBLAS, its self-test, its thread pool: ≈ 0.1 s of wall time at
     * start-up, issue 11) with work that needs no linear algebra, such as drawing a generator's
     * weights. The choice is the same as without it: it happens once, in the provider's class
     * initialisation, and a {@link #get()} that comes first or meanwhile waits for it.
     */
    static void loadInBackground() {
        Thread loader = new Thread(LinearAlgebra::get, "gequiv-linear-algebra-load");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Why the native implementation is not in use, or {@code null} when it is. The command line
     * announces this once on stderr; the library never prints.
     */
    static String fallbackReason() {
        return LinearAlgebraProvider.INSTANCE.fallbackReason();
    }
}
