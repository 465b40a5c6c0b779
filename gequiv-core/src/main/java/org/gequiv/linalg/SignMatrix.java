package org.gequiv.linalg;

import java.util.Optional;

/**
 * A {@code rows × cols} matrix A = a·S whose entries are all +a or −a (S ∈ {−1, +1}, a &gt; 0), kept
 * as one bit per entry, and its products C = α·A·Bᵀ with a few rows of B by table look-up (the
 * "four Russians" method): the fixed test set of the online simulation on a sign generator
 * (docs/theory.md §1.1, §1.4), 10⁴ × 500 entries in 625 kB instead of the 20 MB of float32, so
 * that the test-set fields at each recorded time no longer read the test set from main memory
 * (issue 11).
 *
 * <p>Column i of A is bit {@code i mod 8} of byte {@code i / 8} of its row. For a row of B and byte
 * group j the table holds, for each of the 256 bit patterns, Σ over the group's columns of
 * ±B (+ where the bit is set); row p of C is then α·a times the sum of one table entry per group,
 * in group order. The entries of A are exact, the tables and sums are float64: each entry of C
 * is within about (cols/8 + 16)·2⁻⁵³·α·a·Σᵢ|B_ki| of the exact product (a float32 SGEMV, by
 * comparison, is within about cols·2⁻²⁴ of the same), and it is computed the same way whichever
 * rows are computed together, so a product split into row blocks gives the same C for any split.
 *
 * <p>Immutable and thread-safe; the tables and results are caller-supplied buffers.
 */
public final class SignMatrix {

    /** Bits per look-up group: 2⁸ table entries per group and row of B. */
    private static final int GROUP = 8;
    private static final int PATTERNS = 1 << GROUP;

    private final int rows;
    private final int cols;
    private final int groups;
    private final double magnitude;
    /** Row p's bits at bytes [p·groups, (p+1)·groups); bit set for +a. */
    private final byte[] bits;

    private SignMatrix(int rows, int cols, double magnitude, byte[] bits) {
        this.rows = rows;
        this.cols = cols;
        this.groups = (cols + GROUP - 1) / GROUP;
        this.magnitude = magnitude;
        this.bits = bits;
    }

    /**
     * The {@code rows × cols} row-major {@code data} (not modified, not retained) as a sign
     * matrix, or empty when its entries are not all ±a for one finite a &gt; 0 (then it has no
     * such exact form).
     */
    public static Optional<SignMatrix> of(int rows, int cols, double[] data) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("rows and cols must be >= 1, got " + rows + " × " + cols);
        }
        long size = (long) rows * cols;
        if (data.length < size) {
            throw new IllegalArgumentException("data must hold rows × cols = " + size + " entries, got " + data.length);
        }
        long groupCount = (cols + GROUP - 1) / GROUP;
        if (rows * groupCount > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        double a = Math.abs(data[0]);
        if (!(a > 0) || a == Double.POSITIVE_INFINITY) {
            return Optional.empty();
        }
        int groups = (int) groupCount;
        byte[] bits = new byte[rows * groups];
        // without a branch per entry (signs are random, so a branch mispredicts half the time): each
        // byte is assembled from the comparisons, and one flag per row says whether all were ±a
        for (int p = 0; p < rows; p++) {
            int row = p * cols;
            int out = p * groups;
            boolean signs = true;
            for (int j = 0; j < groups; j++) {
                int first = row + j * GROUP;
                int width = Math.min(GROUP, cols - j * GROUP);
                int b = 0;
                for (int bit = 0; bit < width; bit++) {
                    double v = data[first + bit];
                    boolean plus = v == a;
                    signs &= plus | v == -a;
                    b |= (plus ? 1 : 0) << bit;
                }
                bits[out + j] = (byte) b;
            }
            if (!signs) {
                return Optional.empty();
            }
        }
        return Optional.of(new SignMatrix(rows, cols, a, bits));
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** a: every entry is +a or −a. */
    public double magnitude() {
        return magnitude;
    }

    /** The length of the table buffer of {@link #tables} for a product with {@code n} rows of B. */
    public int tableLength(int n) {
        return n * groups * PATTERNS;
    }

    /** The look-up groups of 8 columns (the last one may be narrower): ⌈cols/8⌉. */
    public int groups() {
        return groups;
    }

    /**
     * Fills {@code tables} for products with the {@code n × cols} row-major {@code b} (not
     * modified): once per B, before {@link #multiplyRows} of any row block. Entry (j, pattern, k)
     * at {@code (j·256 + pattern)·n + k}: the n rows' entries of one look-up share a cache line.
     *
     * @param tables at least {@link #tableLength}(n) entries, overwritten
     */
    public void tables(int n, double[] b, double[] tables) {
        tables(n, b, tables, 0, groups);
    }

    /**
     * The entries of groups {@code firstGroup … firstGroup + count − 1} of {@link #tables(int,
     * double[], double[])}, the others not touched: each group's entries are computed alike
     * whichever groups are filled together, so tables filled in group blocks by several threads
     * are the same bits.
     *
     * @param tables at least {@link #tableLength}(n) entries, those of the given groups overwritten
     */
    public void tables(int n, double[] b, double[] tables, int firstGroup, int count) {
        if (n < 0 || b.length < (long) n * cols || tables.length < (long) tableLength(n)) {
            throw new IllegalArgumentException("b must hold n × cols = " + n + " × " + cols + " and tables "
                    + tableLength(Math.max(0, n)) + " entries, got " + b.length + " and " + tables.length);
        }
        if (firstGroup < 0 || count < 0 || firstGroup + (long) count > groups) {
            throw new IllegalArgumentException("groups must lie in [0, " + groups + "), got " + firstGroup + " + " + count);
        }
        for (int j = firstGroup; j < firstGroup + count; j++) {
            int first = j * GROUP;
            int width = Math.min(GROUP, cols - first);
            int group = j * PATTERNS * n;
            for (int k = 0; k < n; k++) {
                int row = k * cols + first;
                // pattern 0: every column −; each further pattern adds 2·b of its lowest set bit
                double none = 0;
                for (int bit = 0; bit < width; bit++) {
                    none -= b[row + bit];
                }
                tables[group + k] = none;
                for (int pattern = 1; pattern < PATTERNS; pattern++) {
                    int low = Integer.numberOfTrailingZeros(pattern);
                    double step = low < width ? 2 * b[row + low] : 0.0;
                    tables[group + pattern * n + k] = tables[group + (pattern & (pattern - 1)) * n + k] + step;
                }
            }
        }
    }

    /**
     * Rows {@code firstRow … firstRow + count − 1} of C = α·A·Bᵀ (rows × n, row-major), from the
     * {@link #tables} of B: entry (p, k) at {@code c[p·n + k]}; the other entries of {@code c}
     * are not touched.
     */
    public void multiplyRows(int firstRow, int count, int n, double alpha, double[] tables, double[] c) {
        if (firstRow < 0 || count < 0 || firstRow + (long) count > rows) {
            throw new IllegalArgumentException("rows must lie in [0, " + rows + "), got " + firstRow + " + " + count);
        }
        if (n < 0 || tables.length < (long) tableLength(n) || c.length < (long) (firstRow + count) * n) {
            throw new IllegalArgumentException("tables must hold " + tableLength(Math.max(0, n)) + " and c "
                    + (long) (firstRow + count) * n + " entries, got " + tables.length + " and " + c.length);
        }
        double scale = alpha * magnitude;
        int end = firstRow + count;
        int p = firstRow;
        for (; p + 3 < end; p += 4) {
            int k = 0;
            for (; k + 1 < n; k += 2) {
                fourRowsTwoColumns(p, k, n, scale, tables, c);
            }
            if (k < n) {
                for (int q = p; q < p + 4; q++) {
                    oneEntry(q, k, n, scale, tables, c);
                }
            }
        }
        for (; p < end; p++) {
            for (int k = 0; k < n; k++) {
                oneEntry(p, k, n, scale, tables, c);
            }
        }
    }

    /**
     * Entries (p … p+3, k … k+1) of C: eight independent chains of additions (one chain alone
     * waits on each addition), two look-ups per cache line.
     */
    private void fourRowsTwoColumns(int p, int k, int n, double scale, double[] tables, double[] c) {
        int r0 = p * groups;
        int r1 = r0 + groups;
        int r2 = r1 + groups;
        int r3 = r2 + groups;
        double a0 = 0;
        double a1 = 0;
        double b0 = 0;
        double b1 = 0;
        double c0 = 0;
        double c1 = 0;
        double d0 = 0;
        double d1 = 0;
        int stride = PATTERNS * n;
        for (int j = 0, t = k; j < groups; j++, t += stride) {
            int i0 = t + (bits[r0 + j] & 0xff) * n;
            int i1 = t + (bits[r1 + j] & 0xff) * n;
            int i2 = t + (bits[r2 + j] & 0xff) * n;
            int i3 = t + (bits[r3 + j] & 0xff) * n;
            a0 += tables[i0];
            a1 += tables[i0 + 1];
            b0 += tables[i1];
            b1 += tables[i1 + 1];
            c0 += tables[i2];
            c1 += tables[i2 + 1];
            d0 += tables[i3];
            d1 += tables[i3 + 1];
        }
        c[p * n + k] = scale * a0;
        c[p * n + k + 1] = scale * a1;
        c[(p + 1) * n + k] = scale * b0;
        c[(p + 1) * n + k + 1] = scale * b1;
        c[(p + 2) * n + k] = scale * c0;
        c[(p + 2) * n + k + 1] = scale * c1;
        c[(p + 3) * n + k] = scale * d0;
        c[(p + 3) * n + k + 1] = scale * d1;
    }

    /** Entry (p, k) of C: the same sum, in the same group order, as {@link #fourRowsTwoColumns}. */
    private void oneEntry(int p, int k, int n, double scale, double[] tables, double[] c) {
        int r = p * groups;
        int stride = PATTERNS * n;
        double s = 0;
        for (int j = 0, t = k; j < groups; j++, t += stride) {
            s += tables[t + (bits[r + j] & 0xff) * n];
        }
        c[p * n + k] = scale * s;
    }

    /**
     * This matrix prepared for products with B of {@code n} rows: each entry's table index
     * precomputed, {@code 4·⌈rows/4⌉ · groups} ints (4 bytes per 8 entries, against the one byte
     * of the bits), built once (the online simulation's test set: at every recorded time, issue 11).
     *
     * @throws IllegalArgumentException when n &lt; 1, or the product's indices would not fit in an
     *                                  int array
     */
    public Product product(int n) {
        if (n < 1 || (long) groups * PATTERNS * n > Integer.MAX_VALUE
                || ((rows + 3L) / 4) * 4 * groups > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n must be >= 1 with groups · 256 · n and rows · groups within an int, got n = "
                    + n + " at " + rows + " rows × " + groups + " groups");
        }
        return new Product(n);
    }

    /**
     * The products C = α·A·Bᵀ of this matrix with B of {@code n} rows, from the same
     * {@link SignMatrix#tables} and with the same bits as {@link SignMatrix#multiplyRows} (the same
     * table entries added in the same group order, scaled alike), but each look-up's table index
     * {@code (j·256 + pattern)·n} read from a precomputed int instead of decoded from the byte
     * (mask, multiply, add) in the inner loop, and the indices of the four rows that the loop
     * takes together side by side, so one group's four indices are one sequential read: ≈ 0.60 →
     * 0.48 ms thread CPU per product at 10⁴ × 500, n = 2 (docs/performance-history.md). Immutable
     * and thread-safe; the tables and results are caller-supplied.
     */
    public final class Product {
        private final int n;
        /**
         * Row p = 4q + i, group j at {@code (q·groups + j)·4 + i}: the table index of its
         * pattern's entry for column 0 (rows past the last are 0, never read).
         */
        private final int[] indices;

        private Product(int n) {
            this.n = n;
            this.indices = new int[(rows + 3) / 4 * 4 * groups];
            for (int p = 0; p < rows; p++) {
                int quad = p / 4 * groups * 4 + p % 4;
                for (int j = 0; j < groups; j++) {
                    indices[quad + 4 * j] = (j * PATTERNS + (bits[p * groups + j] & 0xff)) * n;
                }
            }
        }

        /** The rows of B this product is for. */
        public int n() {
            return n;
        }

        /**
         * Rows {@code firstRow … firstRow + count − 1} of C, as {@link SignMatrix#multiplyRows}
         * with this product's n, bit for bit.
         *
         * @param tables {@link SignMatrix#tables} of B, not modified
         * @param c      entry (p, k) at {@code c[p·n + k]} overwritten for the given rows, the others not touched
         */
        public void multiplyRows(int firstRow, int count, double alpha, double[] tables, double[] c) {
            if (firstRow < 0 || count < 0 || firstRow + (long) count > rows) {
                throw new IllegalArgumentException("rows must lie in [0, " + rows + "), got " + firstRow + " + " + count);
            }
            if (tables.length < (long) tableLength(n) || c.length < (long) (firstRow + count) * n) {
                throw new IllegalArgumentException("tables must hold " + tableLength(n) + " and c "
                        + (long) (firstRow + count) * n + " entries, got " + tables.length + " and " + c.length);
            }
            double scale = alpha * magnitude;
            int end = firstRow + count;
            int p = firstRow;
            // rows before the first whole group of four, then whole groups, then the rest
            for (; p < end && p % 4 != 0; p++) {
                oneRow(p, scale, tables, c);
            }
            for (; p + 3 < end; p += 4) {
                int k = 0;
                for (; k + 1 < n; k += 2) {
                    fourRowsTwoColumns(p, k, scale, tables, c);
                }
                if (k < n) {
                    for (int q = p; q < p + 4; q++) {
                        oneEntry(q, k, scale, tables, c);
                    }
                }
            }
            for (; p < end; p++) {
                oneRow(p, scale, tables, c);
            }
        }

        /** {@link SignMatrix#fourRowsTwoColumns} from the precomputed indices; p is a multiple of 4. */
        private void fourRowsTwoColumns(int p, int k, double scale, double[] tables, double[] c) {
            int[] o = indices;
            double a0 = 0;
            double a1 = 0;
            double b0 = 0;
            double b1 = 0;
            double c0 = 0;
            double c1 = 0;
            double d0 = 0;
            double d1 = 0;
            for (int j = 0, at = p * groups; j < groups; j++, at += 4) {
                int i0 = o[at] + k;
                int i1 = o[at + 1] + k;
                int i2 = o[at + 2] + k;
                int i3 = o[at + 3] + k;
                a0 += tables[i0];
                a1 += tables[i0 + 1];
                b0 += tables[i1];
                b1 += tables[i1 + 1];
                c0 += tables[i2];
                c1 += tables[i2 + 1];
                d0 += tables[i3];
                d1 += tables[i3 + 1];
            }
            c[p * n + k] = scale * a0;
            c[p * n + k + 1] = scale * a1;
            c[(p + 1) * n + k] = scale * b0;
            c[(p + 1) * n + k + 1] = scale * b1;
            c[(p + 2) * n + k] = scale * c0;
            c[(p + 2) * n + k + 1] = scale * c1;
            c[(p + 3) * n + k] = scale * d0;
            c[(p + 3) * n + k + 1] = scale * d1;
        }

        private void oneRow(int p, double scale, double[] tables, double[] c) {
            for (int k = 0; k < n; k++) {
                oneEntry(p, k, scale, tables, c);
            }
        }

        /** {@link SignMatrix#oneEntry} from the precomputed indices. */
        private void oneEntry(int p, int k, double scale, double[] tables, double[] c) {
            double s = 0;
            for (int j = 0, at = p / 4 * groups * 4 + p % 4; j < groups; j++, at += 4) {
                s += tables[indices[at] + k];
            }
            c[p * n + k] = scale * s;
        }
    }
}
