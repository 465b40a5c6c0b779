package org.gequiv.linalg;

/** {@link SymmetricResident} on the Java heap, for {@link JavaLinearAlgebra}: plain loops. */
final class JavaSymmetricResident extends SymmetricResident {

    private final double[][] lower;

    JavaSymmetricResident(int n, int blockRows) {
        super(n, blockRows);
        this.lower = new double[blocks()][];
    }

    @Override
    void store(int block, int width, int rows, double[] source, int offset) {
        int n = dimension();
        double[] l = new double[rows * width];
        for (int a = 0; a < rows; a++) {
            System.arraycopy(source, offset + a * n, l, a * width, width);
        }
        lower[block] = l;
    }

    @Override
    void product(int p, double[] v, double[] out) {
        int n = dimension();
        java.util.Arrays.fill(out, 0, p * n, 0.0);
        for (int b = 0; b < lower.length; b++) {
            double[] l = lower[b];
            if (l == null) {
                throw new IllegalStateException("block " + b + " of the symmetric matrix was never set");
            }
            int i0 = b * blockRows();
            int rows = Math.min(blockRows(), n - i0);
            int width = i0 + rows;
            for (int c = 0; c < p; c++) {
                int vo = c * n;
                for (int a = 0; a < rows; a++) {
                    int lo = a * width;
                    double s = 0;
                    for (int j = 0; j < width; j++) {
                        s += l[lo + j] * v[vo + j];
                    }
                    out[vo + i0 + a] += s;
                    // the transposed part: row i0 + a of S left of the block, as column i0 + a
                    double x = v[vo + i0 + a];
                    for (int j = 0; j < i0; j++) {
                        out[vo + j] += x * l[lo + j];
                    }
                }
            }
        }
    }
}
