package org.gequiv.linalg;

/**
 * A symmetric {@code n × n} matrix S held where its {@link LinearAlgebra} computes as its lower row
 * blocks only: block b holds rows i0 = b·blockRows … i0 + count − 1 and columns 0 … i0 + count − 1
 * (its diagonal block in full), about n²/2 entries in all. A product reads each block twice, once
 * as itself and once transposed, one right after the other so that the second read comes from
 * cache; a memory-bound product with a few vectors then moves half the bytes of a product with the
 * full matrix (issue 14: the Ω·V of block Lanczos), and the matrix takes half the memory.
 *
 * <p>Obtain one from {@link LinearAlgebra#residentSymmetric}; fill every block once with
 * {@link #setRows} (distinct blocks may be filled from different threads), then multiply. Not
 * thread-safe for products (the implementation's scratch is per thread, but a product must not
 * overlap the filling of a block).
 */
public abstract class SymmetricResident {

    private final int n;
    private final int blockRows;

    SymmetricResident(int n, int blockRows) {
        if (n < 1 || blockRows < 1) {
            throw new IllegalArgumentException("n and block rows must be >= 1, got " + n + " and " + blockRows);
        }
        this.n = n;
        this.blockRows = blockRows;
    }

    /** n. */
    public final int dimension() {
        return n;
    }

    /** Rows per block (all but the last). */
    public final int blockRows() {
        return blockRows;
    }

    /** Number of blocks, ⌈n / blockRows⌉. */
    public final int blocks() {
        return (n + blockRows - 1) / blockRows;
    }

    /**
     * Stores rows {@code firstRow … firstRow + count − 1} of S from their full rows: only the
     * columns up to the end of each row's block are kept.
     *
     * @param firstRow a multiple of {@link #blockRows()}
     * @param count    a multiple of {@link #blockRows()}, or reaching n
     * @param rows     {@code count × n} row-major, not modified and not retained
     */
    public final void setRows(int firstRow, int count, double[] rows) {
        if (firstRow < 0 || count < 1 || firstRow + count > n || firstRow % blockRows != 0
                || (count % blockRows != 0 && firstRow + count != n) || rows.length < (long) count * n) {
            throw new IllegalArgumentException("rows must start and end on blocks of " + blockRows + " within n = "
                    + n + " with count·n entries, got rows " + firstRow + " + " + count + " and " + rows.length
                    + " entries");
        }
        for (int i0 = firstRow; i0 < firstRow + count; i0 += blockRows) {
            int rowsInBlock = Math.min(blockRows, n - i0);
            store(i0 / blockRows, i0 + rowsInBlock, rowsInBlock, rows, (i0 - firstRow) * n);
        }
    }

    /**
     * Row c of {@code out} ← S·(row c of {@code v}) for c &lt; p: OUT = V·S with the vectors as
     * rows.
     *
     * @param v   {@code p × n}, not modified
     * @param out {@code p × n}, overwritten
     */
    public final void multiply(int p, double[] v, double[] out) {
        if (p < 1 || v.length < (long) p * n || out.length < (long) p * n) {
            throw new IllegalArgumentException("product needs p >= 1 and p·n entries, got p = " + p + ", lengths "
                    + v.length + " and " + out.length);
        }
        product(p, v, out);
    }

    /**
     * Keeps block {@code block}: {@code rows} rows of {@code width} = i0 + rows leading columns, read
     * from {@code source} at {@code offset} with row stride n.
     */
    abstract void store(int block, int width, int rows, double[] source, int offset);

    /** {@link #multiply} after the checks. */
    abstract void product(int p, double[] v, double[] out);
}
