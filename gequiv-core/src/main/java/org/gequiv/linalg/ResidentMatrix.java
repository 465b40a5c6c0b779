package org.gequiv.linalg;

/**
 * A packed row-major {@code rows × cols} matrix copied once to where its {@link LinearAlgebra}
 * computes (native memory for OpenBLAS, the Java array itself for EJML), for an operand that is
 * multiplied many times without changing: a test set multiplied by the student's weights at every
 * recorded time (issue 11) would otherwise cross JNI, tens of megabytes, on every product. Obtain
 * one from {@link LinearAlgebra#resident}; use it only with the implementation that made it.
 * Its entries never change; its native memory is released when it becomes unreachable, or at once
 * by {@link #release()}.
 */
public final class ResidentMatrix {

    private final int rows;
    private final int cols;
    /** The implementation's copy; null once released. */
    private volatile Object storage;
    private final LinearAlgebra owner;

    ResidentMatrix(int rows, int cols, Object storage, LinearAlgebra owner) {
        this.rows = rows;
        this.cols = cols;
        this.storage = storage;
        this.owner = owner;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The implementation's copy, checked to belong to {@code la} and not to be released. */
    Object storage(LinearAlgebra la) {
        if (la != owner) {
            throw new IllegalArgumentException("resident matrix of " + owner.name() + " used with " + la.name());
        }
        Object s = storage;
        if (s == null) {
            throw new IllegalStateException("resident matrix " + rows + " × " + cols + " used after release()");
        }
        return s;
    }

    /**
     * Hands the memory back now instead of when this matrix becomes unreachable (native memory is
     * not heap, so the collector, which frees it, may not run for a long time): the native
     * implementation keeps it as the calling thread's scratch for the next products when it is larger
     * than what that thread holds (as the eigendecomposition of {@link ResidentEigen} takes it), and
     * frees it otherwise. Any later product with this matrix is refused. Call it once no product with
     * it is running; a second call does nothing.
     */
    public void release() {
        Object s = storage;
        storage = null;
        if (s != null && owner instanceof NativeLinearAlgebra nativeOwner) {
            nativeOwner.recycle(s);
        }
    }

    /**
     * Refuses the operands of {@link LinearAlgebra#gemmRowBlocks} (both backends): no blocks,
     * blocks of different widths, or B and C shorter than m × K and m × n.
     *
     * @return K, the rows of all blocks together
     */
    static int checkRowBlocks(int m, int lengthB, ResidentMatrix[] blocks, int lengthC) {
        if (blocks == null || blocks.length == 0) {
            throw new IllegalArgumentException("row blocks must be at least one, got none");
        }
        int n = blocks[0].cols;
        long k = 0;
        for (ResidentMatrix block : blocks) {
            if (block.cols != n) {
                throw new IllegalArgumentException("row blocks must all have " + n + " columns, got " + block.cols);
            }
            k += block.rows;
        }
        if (m < 0 || lengthB < m * k || lengthC < (long) m * n) {
            throw new IllegalArgumentException("gemmRowBlocks operands too short for m = " + m + ", K = " + k + ", n = "
                    + n + ": lengths " + lengthB + ", " + lengthC);
        }
        return (int) k;
    }

    /** Refuses a row block outside A or a B block outside b of {@link LinearAlgebra#sgemm(ResidentMatrix, int, int, float[], int, int, int, float[])} (both backends). */
    void checkBlock(int firstRow, int m, int lengthB, int offsetB, int ldb, int n,
                    int lengthC) {
        int k = cols;
        if (firstRow < 0 || m < 0 || n < 0 || firstRow + (long) m > rows) {
            throw new IllegalArgumentException("rows must lie in [0, " + rows + "), got " + firstRow + " + " + m);
        }
        if (k > 0 && n > 0 && (offsetB < 0 || ldb < n || offsetB + (long) (k - 1) * ldb + n > lengthB)) {
            throw new IllegalArgumentException("B block of " + k + " × " + n + " at " + offsetB + " with ldb " + ldb
                    + " must lie inside b, got length " + lengthB);
        }
        if (lengthC < (long) m * n) {
            throw new IllegalArgumentException("c must hold m × n = " + m + " × " + n + ", got " + lengthC);
        }
    }

    /** Refuses a column block outside B, or A and C too short, of {@link LinearAlgebra#sgemm(int, float[], int, ResidentMatrix, int, int, float[])} (both backends). */
    void checkColumns(int m, int lengthA, int offsetA, int firstCol, int n, int lengthC) {
        if (m < 0 || firstCol < 0 || n < 0 || firstCol + (long) n > cols) {
            throw new IllegalArgumentException("columns must lie in [0, " + cols + "), got " + firstCol + " + " + n
                    + " (m = " + m + ")");
        }
        if (offsetA < 0 || offsetA + (long) m * rows > lengthA) {
            throw new IllegalArgumentException("A block of " + m + " × " + rows + " at " + offsetA
                    + " must lie inside a, got length " + lengthA);
        }
        if (lengthC < (long) m * n) {
            throw new IllegalArgumentException("c must hold m × n = " + m + " × " + n + ", got " + lengthC);
        }
    }
    /**
     * Refuses the operands of {@link LinearAlgebra#sgemmBatch} (both backends): column blocks
     * outside B, or A and C too short.
     */
    void checkBatch(int count, int m, int lengthA, int strideA, int[] firstCol, int[] width, int lengthC) {
        if (count < 0 || m < 0 || strideA < rows || firstCol.length < count || width.length < count) {
            throw new IllegalArgumentException("batch must have count >= 0, m >= 0, strideA >= k = " + rows
                    + " and count column blocks, got count " + count + ", m " + m + ", strideA " + strideA + ", "
                    + firstCol.length + " and " + width.length + " blocks");
        }
        for (int g = 0; g < count; g++) {
            if (firstCol[g] < 0 || width[g] < 0 || firstCol[g] + (long) width[g] > cols) {
                throw new IllegalArgumentException("columns must lie in [0, " + cols + "), got " + firstCol[g] + " + "
                        + width[g] + " (product " + g + ")");
            }
        }
        if (lengthA < (long) count * m * strideA || lengthC < (long) m * cols) {
            throw new IllegalArgumentException("batch operands too short for count = " + count + ", m = " + m + ", k = "
                    + rows + ", n = " + cols + ": lengths " + lengthA + ", " + lengthC);
        }
    }
}
