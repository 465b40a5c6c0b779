package org.gequiv.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Pure-Java {@link LinearAlgebra} through EJML: the fallback when the natives do not load, and the
 * oracle for tests at small sizes. Roughly ten times slower than OpenBLAS at N = 3072.
 */
public final class JavaLinearAlgebra implements LinearAlgebra {

    @Override
    public String name() {
        return "ejml";
    }

    @Override
    public boolean isNative() {
        return false;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double alpha, double[] a, double[] b, double beta, double[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        DMatrixRMaj ma = DMatrixRMaj.wrap(transA ? k : m, transA ? m : k, a);
        DMatrixRMaj mb = DMatrixRMaj.wrap(transB ? n : k, transB ? k : n, b);
        DMatrixRMaj product = new DMatrixRMaj(m, n);
        if (!transA && !transB) {
            CommonOps_DDRM.mult(alpha, ma, mb, product);
        } else if (transA && !transB) {
            CommonOps_DDRM.multTransA(alpha, ma, mb, product);
        } else if (!transA) {
            CommonOps_DDRM.multTransB(alpha, ma, mb, product);
        } else {
            CommonOps_DDRM.multTransAB(alpha, ma, mb, product);
        }
        double[] p = product.data;
        for (int i = 0; i < m * n; i++) {
            c[i] = (beta == 0.0 ? 0.0 : beta * c[i]) + p[i];
        }
    }

    /** The decomposition's own eigenvector array as the resident matrix: nothing else holds it. */
    @Override
    public ResidentEigen symmetricEigenResident(int n, double[] a, boolean exactlySymmetric) {
        SymmetricEigen eigen = symmetricEigen(n, a);
        return new ResidentEigen(n, eigen.values(), new ResidentMatrix(n, n, eigen.vectors(), this));
    }

    @Override
    public ResidentMatrix resident(int rows, int cols, double[] data) {
        return new ResidentMatrix(rows, cols, java.util.Arrays.copyOf(data, rows * cols), this);
    }

    @Override
    public void gemmRowBlocks(int m, double[] b, ResidentMatrix[] blocks, double[] c) {
        int k = ResidentMatrix.checkRowBlocks(m, b.length, blocks, c.length);
        int n = blocks[0].cols();
        int i0 = 0;
        for (ResidentMatrix block : blocks) {
            if (!(block.storage(this) instanceof double[] rowsOfA)) {
                throw new IllegalArgumentException("gemmRowBlocks needs float64 resident blocks (resident)");
            }
            int rows = block.rows();
            double[] columnsOfB = new double[m * rows];
            for (int r = 0; r < m; r++) {
                System.arraycopy(b, r * k + i0, columnsOfB, r * rows, rows);
            }
            gemm(false, false, m, n, rows, 1.0, columnsOfB, rowsOfA, i0 == 0 ? 0.0 : 1.0, c);
            i0 += rows;
        }
    }

    @Override
    public ResidentMatrix residentFloat(int rows, int cols, double[] data) {
        float[] f = new float[rows * cols];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return new ResidentMatrix(rows, cols, f, this);
    }

    @Override
    public void gemm(ResidentMatrix a, boolean transB, int n, double alpha, double[] b, double beta, double[] c) {
        Object storage = a.storage(this);
        if (storage instanceof double[] d) {
            gemm(false, transB, a.rows(), n, a.cols(), alpha, d, b, beta, c);
            return;
        }
        // float32 storage (the fallback only): float32 operands, sums in float32 as SGEMM's
        float[] f = (float[]) storage;
        int m = a.rows();
        int k = a.cols();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += f[i * k + p] * (float) (transB ? b[j * k + p] : b[p * n + j]);
                }
                float prior = beta == 0.0 ? 0f : (float) beta * (float) c[i * n + j];
                c[i * n + j] = (float) alpha * s + prior;
            }
        }
    }

    /** Plain loops in float32 (the fallback only; OpenBLAS's SGEMM is what runs normally). */
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, float[] b, float beta, float[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        float[] row = new float[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(row, 0f);
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[p * m + i] : a[i * k + p];
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        row[j] += aip * b[j * k + p];
                    }
                } else {
                    int off = p * n;
                    for (int j = 0; j < n; j++) {
                        row[j] += aip * b[off + j];
                    }
                }
            }
            int off = i * n;
            for (int j = 0; j < n; j++) {
                c[off + j] = (beta == 0f ? 0f : beta * c[off + j]) + alpha * row[j];
            }
        }
    }

    /** Plain loops in float32 on the fallback's float32 copy, summed over p in order as {@link #sgemm}. */
    @Override
    public void sgemm(ResidentMatrix a, int firstRow, int m, float[] b, int offsetB, int ldb, int n, float[] c) {
        a.checkBlock(firstRow, m, b.length, offsetB, ldb, n, c.length);
        if (!(a.storage(this) instanceof float[] f)) {
            throw new IllegalArgumentException("sgemm needs a float32 resident matrix (residentFloat)");
        }
        int k = a.cols();
        for (int i = 0; i < m; i++) {
            int row = i * n;
            java.util.Arrays.fill(c, row, row + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = f[(firstRow + i) * k + p];
                int from = offsetB + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[row + j] += aip * b[from + j];
                }
            }
        }
    }

    /** Plain loops in float32 on the fallback's float32 copy, summed over p in order as {@link #sgemm}. */
    @Override
    public void sgemm(int m, float[] a, int offsetA, ResidentMatrix b, int firstCol, int n, float[] c) {
        b.checkColumns(m, a.length, offsetA, firstCol, n, c.length);
        if (!(b.storage(this) instanceof float[] f)) {
            throw new IllegalArgumentException("sgemm needs a float32 resident matrix (residentFloat)");
        }
        int k = b.rows();
        int ld = b.cols();
        for (int i = 0; i < m; i++) {
            int row = i * n;
            java.util.Arrays.fill(c, row, row + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = a[offsetA + i * k + p];
                int from = p * ld + firstCol;
                for (int j = 0; j < n; j++) {
                    c[row + j] += aip * f[from + j];
                }
            }
        }
    }

    /** Plain loops in float32 on the fallback's float32 copy, summed over p in order as {@link #sgemm}. */
    @Override
    public void sgemmBatch(int count, int m, float[] a, int strideA, ResidentMatrix b, int[] firstCol, int[] width,
                           float[] c) {
        b.checkBatch(count, m, a.length, strideA, firstCol, width, c.length);
        if (!(b.storage(this) instanceof float[] f)) {
            throw new IllegalArgumentException("sgemmBatch needs a float32 resident matrix (residentFloat)");
        }
        int k = b.rows();
        int ld = b.cols();
        int lda = count * strideA;
        for (int g = 0; g < count; g++) {
            int n = width[g];
            int col = firstCol[g];
            for (int i = 0; i < m; i++) {
                int row = i * ld + col;
                java.util.Arrays.fill(c, row, row + n, 0f);
                for (int p = 0; p < k; p++) {
                    float aip = a[i * lda + g * strideA + p];
                    int from = p * ld + col;
                    for (int j = 0; j < n; j++) {
                        c[row + j] += aip * f[from + j];
                    }
                }
            }
        }
    }

    @Override
    public void syrkTransposed(int n, int k, double alpha, double[] a, double beta, double[] c) {
        gemm(true, false, n, n, k, alpha, a, a, beta, c);
        // enforce exact symmetry, as the native SYRK does
        DenseMatrices.copyUpperToLower(n, c);
    }

    /** Plain loops in float32 over the upper triangle (the fallback only). */
    @Override
    public void ssyrkTransposedUpper(int n, int k, float alpha, float[] a, float beta, float[] c) {
        float[] row = new float[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(row, i, n, 0f);
            for (int p = 0; p < k; p++) {
                int off = p * n;
                float api = a[off + i];
                for (int j = i; j < n; j++) {
                    row[j] += api * a[off + j];
                }
            }
            int off = i * n;
            for (int j = i; j < n; j++) {
                c[off + j] = (beta == 0f ? 0f : beta * c[off + j]) + alpha * row[j];
            }
        }
    }

    @Override
    public void syrk(int n, int k, double alpha, double[] a, double beta, double[] c) {
        gemm(false, true, n, n, k, alpha, a, a, beta, c);
        DenseMatrices.copyUpperToLower(n, c);
    }

    @Override
    public void syrkUpper(int n, int k, double alpha, double[] a, double beta, double[] c) {
        gemm(false, true, n, n, k, alpha, a, a, beta, c);
    }

    /** Forward substitution by rows: row i of B ← (row i − Σ_{j&lt;i} L_ij row j) / L_ii. */
    @Override
    public void solveLowerTriangular(int n, int nrhs, double[] l, double[] b) {
        for (int i = 0; i < n; i++) {
            int oi = i * nrhs;
            for (int j = 0; j < i; j++) {
                double lij = l[i * n + j];
                if (lij != 0.0) {
                    int oj = j * nrhs;
                    for (int c = 0; c < nrhs; c++) {
                        b[oi + c] -= lij * b[oj + c];
                    }
                }
            }
            double inv = 1.0 / l[i * n + i];
            for (int c = 0; c < nrhs; c++) {
                b[oi + c] *= inv;
            }
        }
    }

    /**
     * The same greedy pivot as DGEQP3 (largest remaining norm first) by modified Gram–Schmidt,
     * each kept row orthogonalised twice against the rows before it ("twice is enough"), so that
     * the kept rows are orthonormal to working precision as Householder's are.
     */
    @Override
    public int orthonormaliseRows(int rows, int cols, double[] a, double tolerance) {
        NativeLinearAlgebra.checkOrthonormaliseArguments(rows, cols, a, tolerance);
        double[] norms = new double[rows];
        for (int r = 0; r < rows; r++) {
            norms[r] = Math.sqrt(dot(a, r * cols, a, r * cols, cols));
        }
        int rank = 0;
        while (rank < rows) {
            int best = rank;
            for (int r = rank + 1; r < rows; r++) {
                if (norms[r] > norms[best]) {
                    best = r;
                }
            }
            if (!(norms[best] > tolerance)) {
                break;
            }
            if (best != rank) {
                for (int i = 0; i < cols; i++) {
                    double x = a[rank * cols + i];
                    a[rank * cols + i] = a[best * cols + i];
                    a[best * cols + i] = x;
                }
                norms[best] = norms[rank];
            }
            int o = rank * cols;
            for (int pass = 0; pass < 2; pass++) {
                for (int e = 0; e < rank; e++) {
                    double coefficient = dot(a, e * cols, a, o, cols);
                    for (int i = 0; i < cols; i++) {
                        a[o + i] -= coefficient * a[e * cols + i];
                    }
                }
            }
            double inv = 1.0 / Math.sqrt(dot(a, o, a, o, cols));
            for (int i = 0; i < cols; i++) {
                a[o + i] *= inv;
            }
            for (int r = rank + 1; r < rows; r++) {
                double coefficient = dot(a, o, a, r * cols, cols);
                for (int i = 0; i < cols; i++) {
                    a[r * cols + i] -= coefficient * a[o + i];
                }
                norms[r] = Math.sqrt(dot(a, r * cols, a, r * cols, cols));
            }
            rank++;
        }
        return rank;
    }

    private static double dot(double[] x, int xo, double[] y, int yo, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += x[xo + i] * y[yo + i];
        }
        return s;
    }

    @Override
    public SymmetricEigen symmetricEigen(int n, double[] a) {
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                m.data[i * n + j] = a[i * n + j];
                m.data[j * n + i] = a[i * n + j];
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(m)) {
            throw new ArithmeticException("symmetric eigendecomposition (EJML) failed for n = " + n);
        }
        Integer[] order = new Integer[n];
        double[] raw = new double[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
            raw[j] = eig.getEigenvalue(j).real;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(raw[x], raw[y]));
        double[] values = new double[n];
        double[] vectors = new double[n * n];
        for (int j = 0; j < n; j++) {
            values[j] = raw[order[j]];
            DMatrixRMaj v = eig.getEigenVector(order[j]);
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += v.data[i] * v.data[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                vectors[i * n + j] = v.data[i] / norm;
            }
        }
        return new SymmetricEigen(n, values, vectors);
    }

    @Override
    public double[] cholesky(int n, double[] a) {
        DMatrixRMaj m = DMatrixRMaj.wrap(n, n, a.clone());
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        if (!chol.decompose(m)) {
            throw new NotPositiveDefiniteException("matrix of size " + n + " is not positive definite", 0);
        }
        DMatrixRMaj l = chol.getT(null);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                l.data[i * n + j] = 0.0;
            }
        }
        return l.data;
    }

    @Override
    public void solveSymmetricPositive(int n, int nrhs, double[] a, double[] b) {
        double[] l = cholesky(n, a);
        // forward substitution L Y = B, then back substitution Lᵀ X = Y, column by column of B
        for (int col = 0; col < nrhs; col++) {
            for (int i = 0; i < n; i++) {
                double s = b[i * nrhs + col];
                for (int j = 0; j < i; j++) {
                    s -= l[i * n + j] * b[j * nrhs + col];
                }
                b[i * nrhs + col] = s / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = b[i * nrhs + col];
                for (int j = i + 1; j < n; j++) {
                    s -= l[j * n + i] * b[j * nrhs + col];
                }
                b[i * nrhs + col] = s / l[i * n + i];
            }
        }
    }
}
