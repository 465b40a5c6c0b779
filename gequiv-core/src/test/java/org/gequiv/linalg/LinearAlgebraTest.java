package org.gequiv.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

/** The native implementation against the pure-Java oracle, and both against definitions. */
class LinearAlgebraTest {

    /** Double-precision products of size ≤ 60 with O(1) entries agree to ~1e-13. */
    private static final double TOL = 1e-11;

    private final LinearAlgebra java = new JavaLinearAlgebra();
    private final LinearAlgebra chosen = LinearAlgebra.get();

    private static double[] random(int n, long index) {
        RandomGenerator rng = RandomStreams.stream(42, "linalg-test", index);
        double[] a = new double[n];
        RandomStreams.fillGaussian(rng, a, n);
        return a;
    }

    private static double[] spd(int n, long index) {
        double[] g = random(n * n, index);
        double[] a = new double[n * n];
        new JavaLinearAlgebra().gemm(false, true, n, n, n, 1.0, g, g, 0.0, a);
        for (int i = 0; i < n; i++) {
            a[i * n + i] += n;
        }
        return a;
    }

    @Test
    void nativeLibraryLoadsOnThisPlatform() {
        // CI and developer machines are linux-x86_64, for which the jars bundle OpenBLAS
        assertTrue(chosen.isNative(), "expected native OpenBLAS, fallback reason: " + LinearAlgebra.fallbackReason());
    }

    @Test
    void openBlasIsMappedOnce() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(chosen.isNative() && Files.isReadable(maps), "native OpenBLAS on Linux");
        // each mapped file once, by its path: JavaCPP's two names of the one binary are one path
        // to the kernel only when they are one file (NativeLinearAlgebra.shareOneOpenBlas)
        long binaries = Files.readAllLines(maps).stream()
                .map(line -> line.replaceAll("^.*\\s", ""))
                .filter(path -> path.matches(".*/libopenblas(_nolapack)?\\.so\\.0"))
                .distinct().count();
        assertEquals(1, binaries, "OpenBLAS binaries mapped");
    }

    @Test
    void gemmAgreesForAllTranspositions() {
        int m = 7;
        int n = 5;
        int k = 11;
        for (int ta = 0; ta < 2; ta++) {
            for (int tb = 0; tb < 2; tb++) {
                double[] a = random(m * k, 1);
                double[] b = random(k * n, 2);
                double[] c1 = random(m * n, 3);
                double[] c2 = c1.clone();
                chosen.gemm(ta == 1, tb == 1, m, n, k, 0.7, a, b, 0.3, c1);
                java.gemm(ta == 1, tb == 1, m, n, k, 0.7, a, b, 0.3, c2);
                assertArrayEquals(c2, c1, TOL);
                // and by definition
                double expected = 0.3 * random(m * n, 3)[1 * n + 2];
                for (int l = 0; l < k; l++) {
                    double aik = ta == 1 ? a[l * m + 1] : a[1 * k + l];
                    double blj = tb == 1 ? b[2 * k + l] : b[l * n + 2];
                    expected += 0.7 * aik * blj;
                }
                assertEquals(expected, c1[1 * n + 2], TOL);
            }
        }
    }

    /**
     * Float32 products of k = 11 terms with O(1) entries: each entry carries a rounding error of at
     * most ~k·2⁻²⁴·Σ|a||b| ≈ 11 · 6e-8 · 11 ≈ 7e-6; 2e-5 allows for α, β and a few units of
     * rounding in the comparison.
     */
    private static final double SGEMM_TOL = 2e-5;

    @Test
    void sgemmAgreesWithTheDoublePrecisionDefinition() {
        int m = 7;
        int n = 5;
        int k = 11;
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            for (int ta = 0; ta < 2; ta++) {
                for (int tb = 0; tb < 2; tb++) {
                    double[] a = random(m * k, 1);
                    double[] b = random(k * n, 2);
                    double[] c0 = random(m * n, 3);
                    float[] af = toFloat(a);
                    float[] bf = toFloat(b);
                    float[] cf = toFloat(c0);
                    la.sgemm(ta == 1, tb == 1, m, n, k, 0.7f, af, bf, 0.3f, cf);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double expected = 0.3f * (double) (float) c0[i * n + j];
                            for (int l = 0; l < k; l++) {
                                double ail = ta == 1 ? af[l * m + i] : af[i * k + l];
                                double blj = tb == 1 ? bf[j * k + l] : bf[l * n + j];
                                expected += 0.7f * ail * blj;
                            }
                            assertEquals(expected, cf[i * n + j], SGEMM_TOL, la.name() + " entry " + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    /**
     * SSYRK's upper triangle against the float64 definition, with beta 0 and 1: k = 11 terms of
     * O(1) entries as in {@link #sgemmAgreesWithTheDoublePrecisionDefinition}, so the same
     * {@link #SGEMM_TOL}; the strictly lower triangle is not part of the contract and not read.
     */
    @Test
    void ssyrkUpperAgreesWithTheDoublePrecisionDefinition() {
        int n = 9;
        int k = 11;
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            for (float beta : new float[] {0f, 1f}) {
                float[] af = toFloat(random(k * n, 4));
                float[] c0 = toFloat(random(n * n, 5));
                float[] cf = c0.clone();
                la.ssyrkTransposedUpper(n, k, 0.7f, af, beta, cf);
                for (int i = 0; i < n; i++) {
                    for (int j = i; j < n; j++) {
                        double expected = beta * (double) c0[i * n + j];
                        for (int l = 0; l < k; l++) {
                            expected += 0.7f * (double) af[l * n + i] * af[l * n + j];
                        }
                        assertEquals(expected, cf[i * n + j], SGEMM_TOL, la.name() + " beta " + beta + " entry " + i
                                + "," + j);
                    }
                }
            }
        }
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    /**
     * Float32 storage: the product equals the float64 one within the float32 rounding of the
     * operands and of the k-term sum, at most (k + 3)·2⁻²⁴ times Σ|αa b| + |βc| per entry (a factor 2
     * of margin), on both the GEMV path (n ≤ 4) and the SGEMM path; and it did run in float32.
     */
    @Test
    void floatResidentGemmIsTheProductInFloat32() {
        int m = 9;
        int k = 13;
        double[] a = random(m * k, 15);
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            ResidentMatrix r = la.residentFloat(m, k, a);
            for (int n : new int[] {2, 6}) {
                for (int tb = 0; tb < 2; tb++) {
                    double[] b = random(k * n, 16 + tb);
                    double[] c1 = random(m * n, 18);
                    double[] c2 = c1.clone();
                    la.gemm(r, tb == 1, n, 0.7, b, 0.3, c1);
                    la.gemm(false, tb == 1, m, n, k, 0.7, a, b, 0.3, c2);
                    double largest = 0;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double mag = Math.abs(0.3 * c1[i * n + j]);
                            for (int p = 0; p < k; p++) {
                                mag += Math.abs(0.7 * a[i * k + p] * (tb == 1 ? b[j * k + p] : b[p * n + j]));
                            }
                            double err = Math.abs(c1[i * n + j] - c2[i * n + j]);
                            assertTrue(err <= 2 * (k + 3) * 0x1p-24 * mag, la.name() + " n = " + n + ": " + err);
                            largest = Math.max(largest, err);
                        }
                    }
                    assertTrue(largest > 1e-12, la.name() + ": float32 storage gave float64 results");
                }
            }
        }
    }

    /**
     * The block product of a float32 resident matrix: rows [2, 2 + 5) of a 9 × 13 resident A times
     * the 13 × 6 block at offset 3 of a row-major b with leading dimension 10, on both backends,
     * equals the float64 product of the same float32 operands within the k-term float32 sum,
     * k·2⁻²⁴ times Σ|a b| per entry; nothing outside the block is read (NaN there) and the
     * refusals name the block.
     */
    @Test
    void floatResidentBlockProductIsTheBlockProduct() {
        int rows = 9;
        int k = 13;
        int first = 2;
        int m = 5;
        int n = 6;
        int ld = 10;
        int offset = 3;
        double[] a = random(rows * k, 31);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) a[i];
        }
        double[] g = random(k * ld + offset, 32);
        float[] b = new float[g.length];
        Arrays.fill(b, Float.NaN);
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                b[offset + p * ld + j] = (float) g[offset + p * ld + j];
            }
        }
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            ResidentMatrix r = la.residentFloat(rows, k, a);
            float[] c = new float[m * n + 1];
            la.sgemm(r, first, m, b, offset, ld, n, c);
            double largest = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    double mag = 0;
                    for (int p = 0; p < k; p++) {
                        double t = a[(first + i) * k + p] * b[offset + p * ld + j];
                        exact += t;
                        mag += Math.abs(t);
                    }
                    double err = Math.abs(c[i * n + j] - exact);
                    assertTrue(err <= k * 0x1p-24 * mag, la.name() + " (" + i + ", " + j + "): " + err);
                    largest = Math.max(largest, err);
                }
            }
            assertEquals(0f, c[m * n], la.name() + " wrote past m × n");
            assertTrue(largest > 0, la.name() + ": the product was exact, so the check says nothing");
            assertThrows(IllegalArgumentException.class, () -> la.sgemm(r, 5, 5, b, offset, ld, n, c));
            assertThrows(IllegalArgumentException.class, () -> la.sgemm(r, first, m, b, offset, n - 1, n, c));
            assertThrows(IllegalArgumentException.class, () -> la.sgemm(r, first, m, b, offset + 8, ld, n, c));
            assertThrows(IllegalArgumentException.class, () -> la.sgemm(la.resident(rows, k, a), first, m, b, offset,
                    ld, n, c));
        }
    }

    /**
     * The product with a column block of a float32 resident matrix on the right, A's rows taken
     * from an offset: each entry within the float32 bound k·2⁻²⁴·Σ|a b| of the exact product of
     * the float32 operands, nothing outside A's block read (NaN there), nothing past m × n
     * written, and the refusals name the block.
     */
    @Test
    void floatResidentColumnBlockProductIsTheBlockProduct() {
        int k = 11;
        int cols = 14;
        int first = 3;
        int n = 7;
        int m = 6;
        int offset = 5;
        double[] right = random(k * cols, 41);
        for (int i = 0; i < right.length; i++) {
            right[i] = (float) right[i];
        }
        double[] g = random(offset + m * k + 4, 42);
        float[] a = new float[g.length];
        Arrays.fill(a, Float.NaN);
        for (int i = offset; i < offset + m * k; i++) {
            a[i] = (float) g[i];
        }
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            ResidentMatrix r = la.residentFloat(k, cols, right);
            float[] c = new float[m * n + 1];
            la.sgemm(m, a, offset, r, first, n, c);
            double largest = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    double mag = 0;
                    for (int p = 0; p < k; p++) {
                        double t = a[offset + i * k + p] * right[p * cols + first + j];
                        exact += t;
                        mag += Math.abs(t);
                    }
                    double err = Math.abs(c[i * n + j] - exact);
                    assertTrue(err <= k * 0x1p-24 * mag, la.name() + " (" + i + ", " + j + "): " + err);
                    largest = Math.max(largest, err);
                }
            }
            assertEquals(0f, c[m * n], la.name() + " wrote past m × n");
            assertTrue(largest > 0, la.name() + ": the product was exact, so the check says nothing");
            assertThrows(IllegalArgumentException.class, () -> la.sgemm(m, a, offset, r, cols - n + 1, n, c));
            assertThrows(IllegalArgumentException.class, () -> la.sgemm(m, a, a.length - m * k + 1, r, first, n, c));
            assertThrows(IllegalArgumentException.class, () -> la.sgemm(m + 1, a, offset, r, first, n, c));
            assertThrows(IllegalArgumentException.class, () -> la.sgemm(m, a, offset, la.resident(k, cols, right),
                    first, n, c));
        }
    }

    /**
     * {@link LinearAlgebra#sgemmBatch}: each block C_g of the result within the float32 bound
     * k·2⁻²⁴·Σ|a b| of the exact product of A_g (columns g·strideA … of a, the skew columns NaN so
     * that reading them shows) and B's column block g, with blocks of different widths and a gap
     * between them in B; the refusals name the operand.
     */
    @Test
    void floatBatchProductIsEachBlockProduct() {
        int k = 9;
        int strideA = 12;
        int count = 3;
        int m = 5;
        int[] first = {0, 5, 13};
        int[] width = {4, 7, 2};
        int cols = 16;
        double[] right = random(k * cols, 43);
        for (int i = 0; i < right.length; i++) {
            right[i] = (float) right[i];
        }
        double[] g = random(m * count * strideA, 44);
        float[] a = new float[g.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % strideA < k ? (float) g[i] : Float.NaN;
        }
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            ResidentMatrix r = la.residentFloat(k, cols, right);
            float[] c = new float[m * cols];
            la.sgemmBatch(count, m, a, strideA, r, first, width, c);
            double largest = 0;
            for (int b = 0; b < count; b++) {
                for (int i = 0; i < m; i++) {
                    for (int j = first[b]; j < first[b] + width[b]; j++) {
                        double exact = 0;
                        double mag = 0;
                        for (int p = 0; p < k; p++) {
                            double t = a[i * count * strideA + b * strideA + p] * right[p * cols + j];
                            exact += t;
                            mag += Math.abs(t);
                        }
                        double err = Math.abs(c[i * cols + j] - exact);
                        assertTrue(err <= k * 0x1p-24 * mag, la.name() + " block " + b + " (" + i + ", " + j + "): "
                                + err);
                        largest = Math.max(largest, err);
                    }
                }
            }
            assertTrue(largest > 0, la.name() + ": the products were exact, so the check says nothing");
            assertThrows(IllegalArgumentException.class,
                    () -> la.sgemmBatch(count, m, a, k - 1, r, first, width, c));
            assertThrows(IllegalArgumentException.class,
                    () -> la.sgemmBatch(count, m + 1, a, strideA, r, first, width, c));
            assertThrows(IllegalArgumentException.class,
                    () -> la.sgemmBatch(count, m, a, strideA, r, new int[] {0, 5, 15}, width, c));
            assertThrows(IllegalArgumentException.class,
                    () -> la.sgemmBatch(count, m, a, strideA, r, first, width, new float[m * cols - 1]));
            assertThrows(IllegalArgumentException.class,
                    () -> la.sgemmBatch(count, m, a, strideA, la.resident(k, cols, right), first, width, c));
        }
    }

    @Test
    void residentGemmEqualsPlainGemm() {
        int m = 9;
        int n = 4;
        int k = 13;
        double[] a = random(m * k, 5);
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            ResidentMatrix r = la.resident(m, k, a);
            assertEquals(m, r.rows());
            assertEquals(k, r.cols());
            for (int tb = 0; tb < 2; tb++) {
                double[] b = random(k * n, 6 + tb);
                double[] c1 = random(m * n, 8);
                double[] c2 = c1.clone();
                la.gemm(r, tb == 1, n, 0.7, b, 0.3, c1);
                la.gemm(false, tb == 1, m, n, k, 0.7, a, b, 0.3, c2);
                // the same BLAS call on the same numbers: identical, not merely close
                assertArrayEquals(c2, c1, 0.0, la.name());
            }
            LinearAlgebra other = la == java ? chosen : java;
            if (other != la) {
                assertThrows(IllegalArgumentException.class, () -> other.gemm(r, false, n, 1.0, a, 0.0, new double[m * n]));
            }
        }
    }

    @Test
    void rowBlockProductIsTheProductWithTheStackedBlocks() {
        int m = 5;
        int n = 7;
        int[] rows = {3, 6, 2};
        int k = 11;
        double[] a = random(k * n, 20);
        double[] b = random(m * k, 21);
        double[] expected = new double[m * n];
        java.gemm(false, false, m, n, k, 1.0, b, a, 0.0, expected);
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            ResidentMatrix[] blocks = new ResidentMatrix[rows.length];
            int i0 = 0;
            for (int r = 0; r < rows.length; r++) {
                blocks[r] = la.resident(rows[r], n, Arrays.copyOfRange(a, i0 * n, (i0 + rows[r]) * n));
                i0 += rows[r];
            }
            // C is overwritten, not accumulated into: start from garbage
            double[] c = random(m * n, 22);
            la.gemmRowBlocks(m, b, blocks, c);
            // the same product summed in three parts: equal to round-off of sums of 11 O(1) terms
            assertArrayEquals(expected, c, TOL, la.name());
            ResidentMatrix[] ragged = {blocks[0], la.resident(2, n + 1, random(2 * (n + 1), 23))};
            assertThrows(IllegalArgumentException.class, () -> la.gemmRowBlocks(m, b, ragged, new double[m * (n + 1)]));
            assertThrows(IllegalArgumentException.class, () -> la.gemmRowBlocks(m, new double[m * k - 1], blocks, c));
        }
    }

    /**
     * The product with a symmetric matrix given by its lower triangle is the product with that
     * triangle symmetrised, whatever the strict upper triangle holds (here unrelated numbers): an
     * n of 300 crosses in strips of {@link LinearAlgebra#STREAMED_ROWS} rows (three strips, the last
     * one short), so the result equals the one-GEMM product to round-off of sums of 300 O(1) terms;
     * C is overwritten, and short operands are refused.
     */
    @Test
    void symmetricLowerProductIsTheProductWithTheSymmetrisedLowerTriangle() {
        int m = 5;
        int n = 2 * LinearAlgebra.STREAMED_ROWS + 44;
        double[] a = random(n * n, 30);
        double[] symmetric = a.clone();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                symmetric[i * n + j] = a[j * n + i];
            }
        }
        double[] b = random(m * n, 31);
        double[] expected = new double[m * n];
        java.gemm(false, false, m, n, n, 1.0, b, symmetric, 0.0, expected);
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            double[] c = random(m * n, 32);
            la.gemmSymmetricLower(m, n, b, a, c);
            assertArrayEquals(expected, c, TOL, la.name());
            assertThrows(IllegalArgumentException.class,
                    () -> la.gemmSymmetricLower(m, n, b, new double[n * n - 1], new double[m * n]));
        }
    }

    /**
     * The quadratic form B A Bᵀ of a symmetric A given by its lower triangle is, by definition,
     * B·(B·A)ᵀ with A the symmetrised lower triangle, whatever the strict upper triangle holds (here
     * unrelated numbers). n = 300 crosses in strips of {@link LinearAlgebra#STREAMED_ROWS} rows (the
     * last one short), m = 5 and m = 40 (a block wider than one strip's share); the two computations
     * sum the same n² products in different orders, so each entry agrees within 4n·ε times
     * Σ_ij |b_ri||a_ij||b_sj| (twice the standard γ_{2n} bound of a sum of that length); the result
     * is exactly symmetric, C is overwritten and short operands are refused.
     */
    @Test
    void symmetricLowerQuadraticFormIsBTimesTheProductWithTheSymmetrisedTriangle() {
        int n = 2 * LinearAlgebra.STREAMED_ROWS + 44;
        double[] a = random(n * n, 33);
        double[] symmetric = a.clone();
        double[] absolute = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                symmetric[i * n + j] = a[j * n + i];
            }
        }
        for (int i = 0; i < n * n; i++) {
            absolute[i] = Math.abs(symmetric[i]);
        }
        for (int m : new int[] {5, 40}) {
            double[] b = random(m * n, 34 + m);
            double[] product = new double[m * n];
            java.gemm(false, false, m, n, n, 1.0, b, symmetric, 0.0, product);
            double[] expected = new double[m * m];
            java.gemm(false, true, m, m, n, 1.0, b, product, 0.0, expected);
            double[] absB = new double[m * n];
            for (int i = 0; i < m * n; i++) {
                absB[i] = Math.abs(b[i]);
            }
            double[] absProduct = new double[m * n];
            java.gemm(false, false, m, n, n, 1.0, absB, absolute, 0.0, absProduct);
            double[] bound = new double[m * m];
            java.gemm(false, true, m, m, n, 4.0 * n * Math.ulp(1.0), absB, absProduct, 0.0, bound);
            for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
                double[] c = random(m * m, 35);
                la.quadraticFormSymmetricLower(m, n, b, a, c);
                for (int r = 0; r < m; r++) {
                    for (int s = 0; s < m; s++) {
                        int i = r * m + s;
                        assertEquals(expected[i], c[i], bound[i], la.name() + ", m = " + m + ", entry " + i);
                        assertEquals(c[s * m + r], c[i], 0.0, la.name() + ": exactly symmetric");
                    }
                }
                assertThrows(IllegalArgumentException.class,
                        () -> la.quadraticFormSymmetricLower(m, n, b, a, new double[m * m - 1]));
            }
        }
    }

    @Test
    void projectedRowsAreOrthogonalToTheBasisAndCarryTheirCoefficients() {
        int m = 4;
        int k = 3;
        int n = 12;
        // an orthonormal basis: the orthonormalised rows of a random 3 × 12 matrix
        double[] q = random(k * n, 30);
        assertEquals(k, java.orthonormaliseRows(k, n, q, 1e-12));
        double[] w0 = random(m * n, 31);
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            for (int passes = 1; passes <= 2; passes++) {
                double[] w = w0.clone();
                double[] h = new double[m * k];
                h[0] = 0.5;
                la.projectOutRows(m, k, n, w, q, passes, h);
                // by definition: Q w' = 0, and w0 = w' + (h − h_before) Q
                double[] residual = new double[m * k];
                java.gemm(false, true, m, k, n, 1.0, w, q, 0.0, residual);
                for (double r : residual) {
                    assertEquals(0.0, r, TOL, la.name() + ", " + passes + " pass(es)");
                }
                double[] added = h.clone();
                added[0] -= 0.5;
                double[] rebuilt = w.clone();
                java.gemm(false, false, m, n, k, 1.0, added, q, 1.0, rebuilt);
                assertArrayEquals(w0, rebuilt, TOL, la.name() + ", " + passes + " pass(es)");
            }
        }
    }

    @Test
    void syrkFillsBothTriangles() {
        int n = 6;
        int k = 9;
        double[] a = random(k * n, 4);
        double[] c = new double[n * n];
        double[] expected = new double[n * n];
        chosen.syrkTransposed(n, k, 2.0, a, 0.0, c);
        java.gemm(true, false, n, n, k, 2.0, a, a, 0.0, expected);
        assertArrayEquals(expected, c, TOL);
    }

    @Test
    void rowGramAndLowerTriangularSolveAgreeWithTheirDefinitions() {
        int n = 7;
        int k = 40;
        double[] a = random(n * k, 8);
        double[] expected = new double[n * n];
        java.gemm(false, true, n, n, k, 1.5, a, a, 0.0, expected);
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            double[] c = new double[n * n];
            la.syrk(n, k, 1.5, a, 0.0, c);
            assertArrayEquals(expected, c, TOL, la.name());
            // L⁻¹ B solved, then multiplied back by L
            double[] l = la.cholesky(n, spd(n, 9));
            double[] b = random(n * k, 10);
            double[] x = b.clone();
            la.solveLowerTriangular(n, k, l, x);
            double[] back = new double[n * k];
            java.gemm(false, false, n, k, n, 1.0, l, x, 0.0, back);
            assertArrayEquals(b, back, TOL, la.name());
        }
    }

    /**
     * Pivoted orthonormalisation: rank, orthonormality and span. Rows 0..4 independent, row 5 a
     * combination of rows 0 and 1 (remaining norm ~1e-15 of its own), row 6 zero; a tolerance of
     * 1e-8 keeps 5. Orthonormality to 1e-14: Householder and twice-reorthogonalised
     * Gram–Schmidt both give O(ε·√N) inner products at N = 50.
     */
    @Test
    void orthonormalisedRowsSpanTheIndependentRowsAndDropTheRest() {
        int rows = 7;
        int cols = 50;
        double[] a = random(rows * cols, 11);
        for (int i = 0; i < cols; i++) {
            a[5 * cols + i] = 2 * a[i] - 3 * a[cols + i];
            a[6 * cols + i] = 0;
        }
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            double[] q = a.clone();
            int rank = la.orthonormaliseRows(rows, cols, q, 1e-8);
            assertEquals(5, rank, la.name());
            double[] gram = new double[rank * rank];
            java.gemm(false, true, rank, rank, cols, 1.0, q, q, 0.0, gram);
            for (int i = 0; i < rank; i++) {
                for (int j = 0; j < rank; j++) {
                    assertEquals(i == j ? 1.0 : 0.0, gram[i * rank + j], 1e-14, la.name() + " orthonormality");
                }
            }
            // every original row lies in the span: a_r − Qᵀ(Q a_r) = 0
            double[] coef = new double[rows * rank];
            java.gemm(false, true, rows, rank, cols, 1.0, a, q, 0.0, coef);
            double[] inSpan = new double[rows * cols];
            java.gemm(false, false, rows, cols, rank, 1.0, coef, q, 0.0, inSpan);
            assertArrayEquals(a, inSpan, TOL, la.name() + " span");
        }
    }

    @Test
    void eigendecompositionReproducesItsMatrix() {
        int n = 40;
        double[] a = spd(n, 5);
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            SymmetricEigen e = la.symmetricEigen(n, a);
            for (int j = 1; j < n; j++) {
                assertTrue(e.values()[j] >= e.values()[j - 1], "ascending eigenvalues");
            }
            double[] scaled = e.vectors().clone();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    scaled[i * n + j] *= e.values()[j];
                }
            }
            double[] back = new double[n * n];
            java.gemm(false, true, n, n, n, 1.0, scaled, e.vectors(), 0.0, back);
            assertTrue(DenseMatrices.relativeFrobeniusError(back, a) < 1e-13, la.name());
            double[] gram = new double[n * n];
            java.gemm(true, false, n, n, n, 1.0, e.vectors(), e.vectors(), 0.0, gram);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(i == j ? 1.0 : 0.0, gram[i * n + j], 1e-12, la.name() + " orthonormality");
                }
            }
        }
    }

    /**
     * Uᵀ B without U: by definition (Σ_j p_jc p_je = b_c·b_e and Σ_j λ_j p_jc p_je = b_cᵀ A b_e,
     * whatever the signs and the basis within a cluster), and for the native implementation against
     * Uᵀ B from its own eigenvectors. n = 300 takes DSYTRD's blocked path (blocks beyond 128
     * rows). The two native routes share the reduction and the tridiagonal eigenvectors Z and differ
     * only in where Q is applied, Q·Z or Qᵀ·B: both backward stable, so the projections differ by a
     * few n·ε·‖b_c‖; the eigenvalues are the same numbers.
     */
    @Test
    void eigenProjectionsAreTheComponentsInTheEigenbasis() {
        int n = 300;
        int m = 3;
        double[] a = spd(n, 8);
        double[] b = random(n * m, 9);
        double roundoff = 10 * n * Math.ulp(1.0);
        double norm = 0;
        for (double x : b) {
            norm = Math.max(norm, Math.abs(x));
        }
        double bNorm = norm * Math.sqrt(n);
        double aNorm = Math.sqrt(Arrays.stream(a).map(x -> x * x).sum());
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            EigenProjections e = la.symmetricEigenProjections(n, a, m, b);
            double[] ab = new double[n * m];
            java.gemm(false, false, n, m, n, 1.0, a, b, 0.0, ab);
            for (int c = 0; c < m; c++) {
                for (int f = 0; f < m; f++) {
                    double dot = 0;
                    double form = 0;
                    double projected = 0;
                    double projectedForm = 0;
                    for (int i = 0; i < n; i++) {
                        dot += b[i * m + c] * b[i * m + f];
                        form += b[i * m + c] * ab[i * m + f];
                        projected += e.projection(i, c) * e.projection(i, f);
                        projectedForm += e.values()[i] * e.projection(i, c) * e.projection(i, f);
                    }
                    assertEquals(dot, projected, roundoff * bNorm * bNorm, la.name() + " b_c·b_e");
                    assertEquals(form, projectedForm, roundoff * aNorm * bNorm * bNorm, la.name() + " b_cᵀ A b_e");
                }
            }
        }
        SymmetricEigen full = chosen.symmetricEigen(n, a);
        EigenProjections e = chosen.symmetricEigenProjections(n, a, m, b);
        double[] expected = new double[n * m];
        java.gemm(true, false, n, m, n, 1.0, full.vectors(), b, 0.0, expected);
        assertArrayEquals(full.values(), e.values(), 0.0, "the eigenvalues of symmetricEigen");
        assertArrayEquals(expected, e.projections(), roundoff * bNorm, "Uᵀ B from the eigenvectors");
    }

    @Test
    void choleskyAndSolve() {
        int n = 30;
        double[] a = spd(n, 6);
        double[] l = chosen.cholesky(n, a);
        double[] llt = new double[n * n];
        java.gemm(false, true, n, n, n, 1.0, l, l, 0.0, llt);
        assertTrue(DenseMatrices.relativeFrobeniusError(llt, a) < 1e-14);
        assertArrayEquals(java.cholesky(n, a), l, 1e-12);

        double[] x = random(n * 3, 7);
        double[] b = new double[n * 3];
        java.gemm(false, false, n, 3, n, 1.0, a, x, 0.0, b);
        double[] b2 = b.clone();
        chosen.solveSymmetricPositive(n, 3, a, b);
        java.solveSymmetricPositive(n, 3, a, b2);
        assertArrayEquals(x, b, 1e-12);
        assertArrayEquals(x, b2, 1e-12);
    }

    @Test
    void notPositiveDefiniteIsReported() {
        double[] a = {1, 2, 2, 1};
        for (LinearAlgebra la : new LinearAlgebra[] {chosen, java}) {
            assertThrows(NotPositiveDefiniteException.class, () -> la.cholesky(2, a), la.name());
        }
    }

    /**
     * The eigenvalues without eigenvectors on both sides of {@link NativeLinearAlgebra#TWO_STAGE_EIGENVALUES_ABOVE}
     * (one-stage and two-stage reduction): A = H diag(λ) H with the Householder reflection
     * H = I − 2vvᵀ/‖v‖² has exactly the eigenvalues λ; both reductions are backward stable, so each
     * value is found to a few ε·‖A‖ (1e-12 here, ‖A‖ = 3).
     */
    @Test
    void eigenvaluesOnlyAreTheSpectrumOnBothSidesOfTheTwoStageThreshold() {
        for (int n : new int[] {300, NativeLinearAlgebra.TWO_STAGE_EIGENVALUES_ABOVE + 52}) {
            double[] lambda = new double[n];
            for (int i = 0; i < n; i++) {
                lambda[i] = -1 + 4.0 * i / (n - 1);
            }
            double[] v = random(n, 7);
            double vv = 0;
            for (double x : v) {
                vv += x * x;
            }
            // (H D H)_ij = D_i δ_ij − 2 v_i v_j (D_i + D_j)/vv + 4 v_i v_j (vᵀDv)/vv²
            double vdv = 0;
            for (int i = 0; i < n; i++) {
                vdv += lambda[i] * v[i] * v[i];
            }
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double vij = v[i] * v[j];
                    a[i * n + j] = (i == j ? lambda[i] : 0) - 2 * vij * (lambda[i] + lambda[j]) / vv
                            + 4 * vij * vdv / (vv * vv);
                }
            }
            assertArrayEquals(lambda, chosen.symmetricEigenvalues(n, a), 1e-12, "n = " + n);
        }
    }
}
