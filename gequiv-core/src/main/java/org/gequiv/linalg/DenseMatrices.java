package org.gequiv.linalg;

/** Small helpers on packed row-major matrices that do not need BLAS. */
public final class DenseMatrices {
    private DenseMatrices() {
    }

    /**
     * Side of the square tiles in which the mirrors and {@link #mapUpperSymmetric} walk a matrix:
     * a 64 × 64 tile and its mirror image (64 KB) stay in the L2 cache, where a whole row mirrored
     * into a column touches n cache lines and n pages.
     */
    static final int TILE = 64;

    /** Mirrors the upper triangle of the square matrix {@code c} into its lower triangle. */
    public static void copyUpperToLower(int n, double[] c) {
        mirror(n, c, true);
    }

    /** Mirrors the lower triangle of the square matrix {@code c} into its upper triangle. */
    public static void copyLowerToUpper(int n, double[] c) {
        mirror(n, c, false);
    }

    /**
     * Copies each entry (i, j &lt; i) to (j, i) or back, tile by tile ({@link #TILE}); the direction
     * is loop-invariant, so the JIT hoists the test out of the inner loop.
     */
    private static void mirror(int n, double[] c, boolean upperToLower) {
        for (int ib = 0; ib < n; ib += TILE) {
            for (int jb = 0; jb <= ib; jb += TILE) {
                int iEnd = Math.min(ib + TILE, n);
                for (int i = ib; i < iEnd; i++) {
                    int jEnd = Math.min(jb + TILE, i);
                    for (int j = jb; j < jEnd; j++) {
                        if (upperToLower) {
                            c[i * n + j] = c[j * n + i];
                        } else {
                            c[j * n + i] = c[i * n + j];
                        }
                    }
                }
            }
        }
    }

    /** A function of one entry {@code (i, j)} of a matrix and its value. */
    @FunctionalInterface
    public interface EntryFunction {
        double apply(int i, int j, double value);
    }

    /**
     * Replaces each entry {@code (i, j ≥ i)} of the upper triangle of the square matrix {@code c}
     * by {@code f(i, j, c_ij)} and writes the same number at {@code (j, i)}, in place: the result
     * is symmetric by construction and the strictly lower triangle is never read. The tiles of the
     * upper triangle run on the common ForkJoinPool (every core); each entry is computed once, by
     * one thread, from its own value only, so the result does not depend on the thread count.
     *
     * @param c {@code n × n}, overwritten
     * @param f called once per upper entry, from several threads at once
     * @return whether every new entry is finite (checked in the same pass, so that a caller that
     *         must refuse a non-finite matrix does not read all of it again, issue 11)
     */
    public static boolean mapUpperSymmetric(int n, double[] c, EntryFunction f) {
        int tiles = (n + TILE - 1) / TILE;
        int[] tileRow = new int[tiles * (tiles + 1) / 2];
        int[] tileColumn = new int[tileRow.length];
        int pair = 0;
        for (int ib = 0; ib < tiles; ib++) {
            for (int jb = ib; jb < tiles; jb++) {
                tileRow[pair] = ib * TILE;
                tileColumn[pair] = jb * TILE;
                pair++;
            }
        }
        // v − v is 0 for a finite v and NaN otherwise: a sum of them stays 0 exactly when all are;
        // every tile is mapped (no short cut at the first non-finite one), then the tiles' flags summed
        return java.util.stream.IntStream.range(0, tileRow.length).parallel().map(t -> {
            int ib = tileRow[t];
            int jb = tileColumn[t];
            int iEnd = Math.min(ib + TILE, n);
            int jEnd = Math.min(jb + TILE, n);
            double zero = 0;
            for (int i = ib; i < iEnd; i++) {
                int row = i * n;
                for (int j = Math.max(jb, i); j < jEnd; j++) {
                    double v = f.apply(i, j, c[row + j]);
                    c[row + j] = v;
                    c[j * n + i] = v;
                    zero += v - v;
                }
            }
            return zero == 0 ? 0 : 1;
        }).sum() == 0;
    }

    /** Rows of a block of {@link #scaleRows}: 64 rows of D = 1536 are 0.8 MB read and written. */
    static final int ROW_BLOCK = 64;

    /**
     * {@code out[i·cols + j] = a[i·cols + j]·scale[i]}: the rows of the {@code rows × cols} matrix
     * {@code a} scaled, in blocks of {@link #ROW_BLOCK} rows on the common ForkJoinPool (every
     * core). Each entry is one product computed once, so the result does not depend on the thread
     * count.
     *
     * @param a     {@code rows × cols}, not modified (may be {@code out})
     * @param scale {@code rows}, not modified
     * @param out   {@code rows × cols}, overwritten
     * @return whether every entry of {@code out} is finite (checked in the same pass, as
     *         {@link #mapUpperSymmetric} does, so that a caller that must refuse a non-finite
     *         result does not read it again)
     */
    public static boolean scaleRows(int rows, int cols, double[] a, double[] scale, double[] out) {
        if (a.length < (long) rows * cols || out.length < (long) rows * cols || scale.length < rows) {
            throw new IllegalArgumentException("scaleRows operands too short for " + rows + " × " + cols
                    + ": lengths " + a.length + ", " + scale.length + ", " + out.length);
        }
        int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        return java.util.stream.IntStream.range(0, blocks).parallel().map(b -> {
            int end = Math.min(rows, (b + 1) * ROW_BLOCK);
            double zero = 0;
            for (int i = b * ROW_BLOCK; i < end; i++) {
                double s = scale[i];
                int row = i * cols;
                for (int j = row; j < row + cols; j++) {
                    double v = a[j] * s;
                    out[j] = v;
                    zero += v - v;
                }
            }
            return zero == 0 ? 0 : 1;
        }).sum() == 0;
    }

    /** The transpose of an {@code m × n} matrix. */
    public static double[] transpose(int m, int n, double[] a) {
        double[] t = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t[j * m + i] = a[i * n + j];
            }
        }
        return t;
    }

    /** {@code ‖a − b‖_F / ‖b‖_F}, relative to the reference {@code b}; NaN when b = 0. */
    public static double relativeFrobeniusError(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("arrays must have equal length, got " + a.length + " and " + b.length);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            num += d * d;
            den += b[i] * b[i];
        }
        return den == 0 ? Double.NaN : Math.sqrt(num / den);
    }

    /**
     * The symmetric positive-semidefinite square root {@code U diag(√max(λ,0)) Uᵀ} of a symmetric
     * matrix, through its eigendecomposition.
     *
     * @param eigen decomposition of the matrix
     */
    public static double[] psdSquareRoot(SymmetricEigen eigen, LinearAlgebra la) {
        int n = eigen.n();
        double[] scaled = eigen.vectors().clone();
        for (int j = 0; j < n; j++) {
            double s = Math.sqrt(Math.max(eigen.values()[j], 0.0));
            for (int i = 0; i < n; i++) {
                scaled[i * n + j] *= s;
            }
        }
        double[] root = new double[n * n];
        la.gemm(false, true, n, n, n, 1.0, scaled, eigen.vectors(), 0.0, root);
        return root;
    }
}
