package org.gequiv.linalg;

import static org.bytedeco.openblas.global.openblas.CblasLeft;
import static org.bytedeco.openblas.global.openblas.CblasLower;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * {@link LinearAlgebra} through OpenBLAS's CBLAS and LAPACKE (bytedeco bundled natives).
 *
 * <p>GEMM and SYRK go through per-thread native buffers that grow and are kept: JavaCPP's double[]
 * overloads copy every whole array into freshly allocated native memory and back again on each
 * call, so an 80 MB test set multiplied 200 times cost 4 million page faults and most of a
 * simulation's run time; here only the m·k, k·n and m·n entries in use are copied, inputs are
 * not copied back, and the memory is touched once.
 */
final class NativeLinearAlgebra implements LinearAlgebra {

    /** One thread's native operands of {@link #gemm} and {@link #syrkTransposed}, grown on demand, never shrunk. */
    private static final class NativeOperands {
        private DoublePointer a = new DoublePointer(0);
        private DoublePointer b = new DoublePointer(0);
        private DoublePointer c = new DoublePointer(0);
        private DoublePointer stage = new DoublePointer(0);
        private double[] strip = new double[0];

        /** Operand A holding x[0, size). */
        DoublePointer a(double[] x, long size) {
            a = filled(a, x, size);
            return a;
        }

        /** Operand B holding x[0, size). */
        DoublePointer b(double[] x, long size) {
            b = filled(b, x, size);
            return b;
        }

        /**
         * Scratch of {@code size} entries, contents unspecified, in operand B's memory: the m × m
         * result of {@link #quadraticFormSymmetricLower}, which has no operand B.
         */
        DoublePointer form(long size) {
            b = grown(b, Math.max(1, size));
            return b;
        }

        /** Heap scratch of at least {@code size} entries for a column of a diagonal block of {@link #gemmSymmetricLower}. */
        double[] strip(int size) {
            if (strip.length < size) {
                strip = new double[size];
            }
            return strip;
        }

        /** Scratch of {@code size} entries for the strips of {@link #gemmSymmetricLower}, contents unspecified. */
        DoublePointer stage(long size) {
            stage = grown(stage, size);
            return stage;
        }

        /**
         * Native memory of at least {@code size} entries handed over to the caller, who then owns it:
         * this thread's result buffer C when it is large enough — its pages were touched by an
         * earlier product of that size (the DSYRK F Fᵀ behind an analytic Ω, before the
         * eigendecomposition of that Ω), where fresh memory costs a page fault per 4 KB (≈ 40 ms
         * for 75 MB, issue 11) — and C starts again empty; fresh memory otherwise. Contents unspecified.
         */
        DoublePointer takeResult(long size) {
            if (c.capacity() < size) {
                return new DoublePointer(Math.max(1, size));
            }
            DoublePointer taken = c;
            c = new DoublePointer(0);
            return taken;
        }

        /** Takes back memory handed out by {@link #takeResult} (or any other): kept as C when larger, freed otherwise. */
        void adopt(DoublePointer p) {
            if (p.capacity() > c.capacity()) {
                c.close();
                c = p;
            } else {
                p.close();
            }
        }

        /** Result C of {@code size} entries, holding x[0, size) when the product accumulates into it. */
        DoublePointer c(double[] x, long size, boolean accumulate) {
            c = grown(c, size);
            if (accumulate) {
                put(c, x, size);
            }
            return c;
        }

        /**
         * Before A and B of one product are filled: when B does not fit its buffer but fits A's, and
         * A is the smaller operand, the two buffers trade places (A's then grows less than B's would
         * have, if at all), so that a large operand lands in memory whose
         * pages an earlier large operand already touched (the DSYRK's F, then Φ of the latent
         * teacher's θΦᵀ: 38 MB of fresh memory at N = 3072, D = 1536, issue 11). Which buffer holds
         * which operand changes no result.
         */
        void fit(long sizeA, long sizeB) {
            if (b.capacity() < sizeB && a.capacity() >= sizeB && sizeA < sizeB) {
                DoublePointer t = a;
                a = b;
                b = t;
            }
        }

        private static DoublePointer filled(DoublePointer p, double[] x, long size) {
            DoublePointer q = grown(p, Math.max(1, size));
            put(q, x, size);
            return q;
        }

        private static DoublePointer grown(DoublePointer p, long size) {
            if (p.capacity() >= size) {
                return p;
            }
            p.close();
            // grow geometrically: block sizes vary from call to call
            return new DoublePointer(Math.max(size, p.capacity() + p.capacity() / 2));
        }
    }

    /** A pointer to an offset inside another's memory, which it neither owns nor frees; re-aimed without allocating. */
    private static final class FloatView extends FloatPointer {
        FloatView at(FloatPointer base, long offset) {
            address = base.address();
            capacity = base.capacity();
            limit = capacity;
            position = offset;
            return this;
        }
    }

    /** The float32 operands of {@link #sgemm}, as {@link NativeOperands}. */
    private static final class FloatOperands {
        /** This thread's view into a resident matrix. */
        private final FloatView view = new FloatView();
        private FloatPointer a = new FloatPointer(0);
        private FloatPointer b = new FloatPointer(0);
        private FloatPointer c = new FloatPointer(0);

        FloatPointer a(float[] x, long size) {
            a = grown(a, Math.max(1, size));
            a.put(x, 0, (int) size);
            return a;
        }

        FloatPointer b(float[] x, long size) {
            b = grown(b, Math.max(1, size));
            b.put(x, 0, (int) size);
            return b;
        }

        FloatPointer c(float[] x, long size, boolean accumulate) {
            c = grown(c, size);
            if (accumulate) {
                c.put(x, 0, (int) size);
            }
            return c;
        }

        /** Operand B holding the k × n block of x at offset with leading dimension ld, packed (ld = n in native memory). */
        FloatPointer block(float[] x, int offset, int ld, int k, int n) {
            long size = (long) k * n;
            b = grown(b, Math.max(1, size));
            if (ld == n) {
                b.position(0).put(x, offset, (int) size);
            } else {
                for (int p = 0; p < k; p++) {
                    b.position((long) p * n).put(x, offset + p * ld, n);
                }
            }
            b.position(0);
            return b;
        }

        /** Java-side float32 scratch for widening and narrowing, grown as needed. */
        private float[] scratch = new float[0];

        float[] scratch(long size) {
            if (scratch.length < size) {
                scratch = new float[(int) Math.max(size, scratch.length + scratch.length / 2)];
            }
            return scratch;
        }

        private static FloatPointer grown(FloatPointer p, long size) {
            if (p.capacity() >= size) {
                return p;
            }
            p.close();
            return new FloatPointer(Math.max(size, p.capacity() + p.capacity() / 2));
        }
    }

    /**
     * Entries of a copy between the heap and native memory above which it is split across the
     * common ForkJoinPool: 1 MB, so that only the large operands of the set-up (F, Φ, Ω: 38–75 MB
     * at N = 3072, each fresh page a fault) are split, where a serial copy leaves the other core idle.
     */
    private static final int PARALLEL_COPY = 1 << 17;

    /** {@code p[0, size) ← x[0, size)}, in parallel chunks above {@link #PARALLEL_COPY} entries. */
    private static void put(DoublePointer p, double[] x, long size) {
        if (size <= PARALLEL_COPY) {
            p.put(x, 0, (int) size);
            return;
        }
        copyInParallel(size, (offset, length) -> new DoublePointer(p).position(offset).put(x, offset, length));
    }

    /** {@code x[0, size) ← p[0, size)}, in parallel chunks above {@link #PARALLEL_COPY} entries. */
    private static void get(DoublePointer p, double[] x, long size) {
        if (size <= PARALLEL_COPY) {
            p.get(x, 0, (int) size);
            return;
        }
        copyInParallel(size, (offset, length) -> new DoublePointer(p).position(offset).get(x, offset, length));
    }

    /** A copy of the entries [offset, offset + length) between the heap and native memory. */
    @FunctionalInterface
    private interface ChunkCopy {
        void copy(int offset, int length);
    }

    /** {@code copy} over [0, size) in chunks of {@link #PARALLEL_COPY} entries on the common ForkJoinPool. */
    private static void copyInParallel(long size, ChunkCopy copy) {
        int chunks = (int) ((size + PARALLEL_COPY - 1) / PARALLEL_COPY);
        java.util.stream.IntStream.range(0, chunks).parallel().forEach(chunk -> {
            long offset = (long) chunk * PARALLEL_COPY;
            copy.copy((int) offset, (int) Math.min(PARALLEL_COPY, size - offset));
        });
    }

    private static final ThreadLocal<FloatOperands> FLOAT_OPERANDS = ThreadLocal.withInitial(FloatOperands::new);

    private static final ThreadLocal<NativeOperands> OPERANDS = ThreadLocal.withInitial(NativeOperands::new);

    private static final byte LOWER = (byte) 'L';
    private static final byte VECTORS = (byte) 'V';
    private static final byte VALUES_ONLY = (byte) 'N';
    private static final byte LEFT = (byte) 'L';
    private static final byte TRANSPOSE = (byte) 'T';
    /** DSTEDC's COMPZ = 'I': the eigenvectors of the tridiagonal matrix itself. */
    private static final byte TRIDIAGONAL_VECTORS = (byte) 'I';

    private NativeLinearAlgebra() {
    }

    static NativeLinearAlgebra load() {
        shareOneOpenBlas();
        Loader.load(openblas.class);
        // a tiny product proves that the library really runs on this machine
        double[] c = new double[1];
        openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1,
                1.0, new double[] {2.0}, 1, new double[] {3.0}, 1, 0.0, c, 1);
        if (c[0] != 6.0) {
            throw new IllegalStateException("OpenBLAS self-test failed: 2·3 = " + c[0]);
        }
        return new NativeLinearAlgebra();
    }

    /** The bundled OpenBLAS binary, which JavaCPP's openblas preset extracts under two names. */
    private static final String OPENBLAS_FILE = "libopenblas.so.0";
    private static final String NOLAPACK_FILE = "libopenblas_nolapack.so.0";

    /**
     * Makes the two names under which JavaCPP caches the one bundled OpenBLAS binary one file, so
     * that it is mapped and initialised once. The openblas preset inherits the nolapack preset,
     * whose JNI library (needed for {@code blas_set_num_threads}) links {@code
     * libopenblas_nolapack.so.0}, and JavaCPP extracts the same 37 MB binary a second time under
     * that name: two copies were mapped, each with its own start-up, thread pool and thread count.
     * The dynamic linker maps a file only once, whatever name it is opened by, so a hard link
     * leaves one copy; its size and time stamp are the extracted file's, which JavaCPP accepts as
     * up to date. Linux with the bundled library only (an {@code org.bytedeco.openblas.load}
     * choice is left alone); on any failure the two copies stay, which changes no result.
     */
    private static void shareOneOpenBlas() {
        String platform = Loader.getPlatform();
        if (!platform.startsWith("linux") || !System.getProperty("org.bytedeco.openblas.load", "").isEmpty()
                || !System.getProperty("org.bytedeco.openblas_nolapack.load", "").isEmpty()) {
            return;
        }
        try {
            File extracted = Loader.cacheResource(openblas.class,
                    "/org/bytedeco/openblas/" + platform + "/" + OPENBLAS_FILE);
            if (extracted == null) {
                return;
            }
            Path library = extracted.toPath();
            Path twin = library.resolveSibling(NOLAPACK_FILE);
            if (Files.exists(twin) && Files.isSameFile(library, twin)) {
                return;
            }
            // linked under a private name and renamed over the twin: a concurrent start sees
            // either the old copy or the link, never a missing or partial file
            Path link = library.resolveSibling(NOLAPACK_FILE + "." + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(link);
            Files.createLink(link, library);
            Files.move(link, twin, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // a read-only cache, a file system without hard links: JavaCPP's two copies, same results
        }
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public boolean isNative() {
        return true;
    }

    @Override
    public int nativeThreads() {
        int threads = org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
        if (threads >= 1) {
            return threads;
        }
        // never set in this process: OpenBLAS started from its environment variable or the core count
        for (String variable : new String[] {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"}) {
            try {
                int fromEnvironment = Integer.parseInt(System.getenv().getOrDefault(variable, "").trim());
                if (fromEnvironment >= 1) {
                    return fromEnvironment;
                }
            } catch (NumberFormatException e) {
                // not set or not a number: OpenBLAS ignores it too
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void setNativeThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double alpha, double[] a, double[] b, double beta, double[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        long sizeA = (long) m * k;
        long sizeB = (long) k * n;
        long sizeC = (long) m * n;
        checkOperands("gemm", m, n, k, a.length, b.length, c.length);
        NativeOperands operands = OPERANDS.get();
        DoublePointer result = operands.c(c, sizeC, beta != 0.0);
        operands.fit(sizeA, sizeB);
        openblas.cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, operands.a(a, sizeA), Math.max(1, lda),
                operands.b(b, sizeB), Math.max(1, ldb), beta, result, Math.max(1, n));
        get(result, c, sizeC);
    }

    /** Refuses GEMM operands shorter than m × k, k × n and m × n (in the double and the float path). */
    private static void checkOperands(String routine, int m, int n, int k, int lengthA, int lengthB, int lengthC) {
        if (lengthA < (long) m * k || lengthB < (long) k * n || lengthC < (long) m * n) {
            throw new IllegalArgumentException(routine + " operands too short for m = " + m + ", n = " + n + ", k = "
                    + k + ": lengths " + lengthA + ", " + lengthB + ", " + lengthC);
        }
    }

    @Override
    public ResidentMatrix resident(int rows, int cols, double[] data) {
        long size = (long) rows * cols;
        if (data.length < size) {
            throw new IllegalArgumentException("resident matrix data too short for " + rows + " × " + cols + ": length "
                    + data.length);
        }
        DoublePointer p = new DoublePointer(Math.max(1, size));
        p.put(data, 0, (int) size);
        return new ResidentMatrix(rows, cols, p, this);
    }

    @Override
    public void gemmRowBlocks(int m, double[] b, ResidentMatrix[] blocks, double[] c) {
        int k = ResidentMatrix.checkRowBlocks(m, b.length, blocks, c.length);
        int n = blocks[0].cols();
        if (m == 0 || n == 0) {
            return;
        }
        NativeOperands operands = OPERANDS.get();
        DoublePointer left = operands.a(b, (long) m * k);
        DoublePointer result = operands.c(c, (long) m * n, false);
        int i0 = 0;
        try {
            for (ResidentMatrix block : blocks) {
                if (!(block.storage(this) instanceof DoublePointer rowsOfA)) {
                    throw new IllegalArgumentException("gemmRowBlocks needs float64 resident blocks (resident)");
                }
                // C += B[:, i0 … i0 + rows) · A_b: the columns of B that meet this block's rows
                left.position(i0);
                openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, block.rows(), 1.0, left,
                        Math.max(1, k), rowsOfA, Math.max(1, n), i0 == 0 ? 0.0 : 1.0, result, Math.max(1, n));
                i0 += block.rows();
            }
        } finally {
            left.position(0);
        }
        result.get(c, 0, m * n);
    }

    @Override
    public void gemmSymmetricLower(int m, int n, double[] b, double[] a, double[] c) {
        if (b.length < (long) m * n || a.length < (long) n * n || c.length < (long) m * n) {
            throw new IllegalArgumentException("gemmSymmetricLower operands too short for m = " + m + ", n = " + n
                    + ": lengths " + b.length + ", " + a.length + ", " + c.length);
        }
        if (m == 0 || n == 0) {
            return;
        }
        NativeOperands operands = OPERANDS.get();
        DoublePointer left = operands.a(b, (long) m * n);
        DoublePointer result = operands.c(c, (long) m * n, false);
        long size = (long) m * n;
        result.position(0).limit(size);
        result.zero();
        result.limit(result.capacity());
        int block = Math.min(n, STREAMED_ROWS);
        DoublePointer stage = operands.stage((long) block * n);
        try {
            for (int i0 = 0; i0 < n; i0 += block) {
                int rows = Math.min(block, n - i0);
                int i1 = i0 + rows;
                // the strip's lower part S = A[i0 … i1, 0 … i1), its diagonal block symmetric
                stageLowerStrip(a, n, i0, rows, 1.0, stage, operands.strip(rows));
                // C[:, 0 … i1) += B[:, i0 … i1) · S
                left.position(i0);
                result.position(0);
                openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, i1, rows, 1.0, left, n, stage,
                        i1, 1.0, result, n);
                if (i0 > 0) {
                    // C[:, i0 … i1) += B[:, 0 … i0) · S[:, 0 … i0)ᵀ, the upper triangle's share
                    left.position(0);
                    result.position(i0);
                    openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, rows, i0, 1.0, left, n, stage,
                            i1, 1.0, result, n);
                }
            }
        } finally {
            left.position(0);
            result.position(0);
            stage.position(0);
        }
        result.get(c, 0, m * n);
    }

    /**
     * Stages S = A[i0 … i0 + rows, 0 … i0 + rows) of the symmetric A (n × n, only its lower triangle
     * read) with row stride i0 + rows: left of the diagonal block straight from the heap, the
     * diagonal block made symmetric from its lower triangle and multiplied by {@code diagonalScale}
     * (1 for the product, ½ for the quadratic form's A = L + Lᵀ; both exact), through {@code column}
     * (≥ rows entries); leaves {@code stage} at position 0.
     */
    private static void stageLowerStrip(double[] a, int n, int i0, int rows, double diagonalScale,
                                        DoublePointer stage, double[] column) {
        int i1 = i0 + rows;
        for (int q = 0; q < rows; q++) {
            int row = (i0 + q) * n;
            stage.position((long) q * i1);
            stage.put(a, row, i0);
            for (int col = 0; col < rows; col++) {
                column[col] = diagonalScale * (col <= q ? a[row + i0 + col] : a[(i0 + col) * n + i0 + q]);
            }
            stage.position((long) q * i1 + i0);
            stage.put(column, 0, rows);
        }
        stage.position(0);
    }

    @Override
    public void quadraticFormSymmetricLower(int m, int n, double[] b, double[] a, double[] c) {
        if (b.length < (long) m * n || a.length < (long) n * n || c.length < (long) m * m) {
            throw new IllegalArgumentException("quadraticFormSymmetricLower operands too short for m = " + m + ", n = "
                    + n + ": lengths " + b.length + ", " + a.length + ", " + c.length);
        }
        if (m == 0) {
            return;
        }
        if (n == 0) {
            java.util.Arrays.fill(c, 0, m * m, 0.0);
            return;
        }
        NativeOperands operands = OPERANDS.get();
        DoublePointer left = operands.a(b, (long) m * n);
        // Y = B·L, L the strict lower part of A plus half of each diagonal block, so that A = L + Lᵀ
        DoublePointer half = operands.c(c, (long) m * n, false);
        long size = (long) m * n;
        half.position(0).limit(size);
        half.zero();
        half.limit(half.capacity());
        int block = Math.min(n, STREAMED_ROWS);
        DoublePointer stage = operands.stage((long) block * n);
        DoublePointer form = operands.form((long) m * m);
        try {
            for (int i0 = 0; i0 < n; i0 += block) {
                int rows = Math.min(block, n - i0);
                int i1 = i0 + rows;
                // the strip's lower part, its diagonal block symmetric and halved (exact in binary
                // floating point)
                stageLowerStrip(a, n, i0, rows, 0.5, stage, operands.strip(rows));
                // Y[:, 0 … i1) += B[:, i0 … i1) · S
                left.position(i0);
                half.position(0);
                openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, i1, rows, 1.0, left, n, stage,
                        i1, 1.0, half, n);
            }
            left.position(0);
            half.position(0);
            // C = Y Bᵀ + B Yᵀ, lower triangle
            openblas.cblas_dsyr2k(CblasRowMajor, CblasLower, CblasNoTrans, m, n, 1.0, half, n, left, n, 0.0, form,
                    m);
            form.get(c, 0, m * m);
        } finally {
            left.position(0);
            half.position(0);
            stage.position(0);
        }
        for (int r = 0; r < m; r++) {
            for (int s2 = 0; s2 < r; s2++) {
                c[s2 * m + r] = c[r * m + s2];
            }
        }
    }

    @Override
    public ResidentMatrix residentFloat(int rows, int cols, double[] data) {
        long size = (long) rows * cols;
        if (data.length < size) {
            throw new IllegalArgumentException("resident matrix data too short for " + rows + " × " + cols + ": length "
                    + data.length);
        }
        FloatPointer p = new FloatPointer(Math.max(1, size));
        float[] row = new float[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) data[i * cols + j];
            }
            p.position((long) i * cols).put(row, 0, cols);
        }
        p.position(0);
        return new ResidentMatrix(rows, cols, p, this);
    }

    /** Up to this many columns of op(B), a resident product is that many GEMVs: SGEMM packs all of A first. */
    private static final int GEMV_COLUMNS = 4;

    @Override
    public void gemm(ResidentMatrix a, boolean transB, int n, double alpha, double[] b, double beta, double[] c) {
        int m = a.rows();
        int k = a.cols();
        if (m == 0 || n == 0) {
            return;
        }
        long sizeB = (long) k * n;
        long sizeC = (long) m * n;
        if (b.length < sizeB || c.length < sizeC) {
            throw new IllegalArgumentException("gemm operands too short for m = " + m + ", n = " + n + ", k = " + k
                    + ": lengths " + b.length + ", " + c.length);
        }
        if (a.storage(this) instanceof FloatPointer f) {
            floatResidentGemm(f, m, k, transB, n, alpha, b, beta, c);
            return;
        }
        NativeOperands operands = OPERANDS.get();
        DoublePointer result = operands.c(c, sizeC, beta != 0.0);
        openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k, alpha,
                (DoublePointer) a.storage(this), Math.max(1, k), operands.b(b, sizeB), Math.max(1, transB ? k : n),
                beta, result, Math.max(1, n));
        result.get(c, 0, (int) sizeC);
    }

    /** {@link #gemm(ResidentMatrix, boolean, int, double, double[], double, double[])} on float32 storage. */
    private static void floatResidentGemm(FloatPointer a, int m, int k, boolean transB, int n, double alpha,
                                          double[] b, double beta, double[] c) {
        long sizeB = (long) k * n;
        long sizeC = (long) m * n;
        FloatOperands operands = FLOAT_OPERANDS.get();
        float[] scratch = operands.scratch(Math.max(sizeB, sizeC));
        for (int i = 0; i < sizeB; i++) {
            scratch[i] = (float) b[i];
        }
        FloatPointer fb = operands.b(scratch, sizeB);
        if (beta != 0.0) {
            for (int i = 0; i < sizeC; i++) {
                scratch[i] = (float) c[i];
            }
        }
        FloatPointer fc = operands.c(scratch, sizeC, beta != 0.0);
        if (n <= GEMV_COLUMNS) {
            for (int j = 0; j < n; j++) {
                // column j of op(B): row j of B (unit stride) when transposed, else column j (stride n)
                fb.position(transB ? (long) j * k : j);
                fc.position(j);
                openblas.cblas_sgemv(CblasRowMajor, CblasNoTrans, m, k, (float) alpha, a, Math.max(1, k), fb,
                        transB ? 1 : n, (float) beta, fc, n);
            }
            fb.position(0);
            fc.position(0);
        } else {
            openblas.cblas_sgemm(CblasRowMajor, CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                    (float) alpha, a, Math.max(1, k), fb, Math.max(1, transB ? k : n), (float) beta, fc, Math.max(1, n));
        }
        fc.get(scratch, 0, (int) sizeC);
        for (int i = 0; i < sizeC; i++) {
            c[i] = scratch[i];
        }
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, float[] b, float beta, float[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        long sizeA = (long) m * k;
        long sizeB = (long) k * n;
        long sizeC = (long) m * n;
        checkOperands("sgemm", m, n, k, a.length, b.length, c.length);
        FloatOperands operands = FLOAT_OPERANDS.get();
        FloatPointer result = operands.c(c, sizeC, beta != 0f);
        openblas.cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, operands.a(a, sizeA), Math.max(1, lda),
                operands.b(b, sizeB), Math.max(1, ldb), beta, result, Math.max(1, n));
        result.get(c, 0, (int) sizeC);
    }

    @Override
    public void sgemm(ResidentMatrix a, int firstRow, int m, float[] b, int offsetB, int ldb, int n, float[] c) {
        int k = a.cols();
        a.checkBlock(firstRow, m, b.length, offsetB, ldb, n, c.length);
        if (!(a.storage(this) instanceof FloatPointer f)) {
            throw new IllegalArgumentException("sgemm needs a float32 resident matrix (residentFloat)");
        }
        if (m == 0 || n == 0) {
            return;
        }
        FloatOperands operands = FLOAT_OPERANDS.get();
        FloatPointer fb = operands.block(b, offsetB, ldb, k, n);
        FloatPointer fc = operands.c(c, (long) m * n, false);
        // the shared resident pointer's position must not move (other threads use it): a per-thread view
        FloatPointer rows = operands.view.at(f, (long) firstRow * k);
        openblas.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1f, rows, Math.max(1, k), fb,
                Math.max(1, n), 0f, fc, Math.max(1, n));
        fc.get(c, 0, m * n);
    }

    @Override
    public void sgemm(int m, float[] a, int offsetA, ResidentMatrix b, int firstCol, int n, float[] c) {
        b.checkColumns(m, a.length, offsetA, firstCol, n, c.length);
        if (!(b.storage(this) instanceof FloatPointer f)) {
            throw new IllegalArgumentException("sgemm needs a float32 resident matrix (residentFloat)");
        }
        int k = b.rows();
        if (m == 0 || n == 0) {
            return;
        }
        FloatOperands operands = FLOAT_OPERANDS.get();
        // A's block is packed (lda = k): one copy; B's columns are a view at firstCol with B's row length
        FloatPointer left = operands.block(a, offsetA, k, m, k);
        FloatPointer fc = operands.c(c, (long) m * n, false);
        FloatPointer columns = operands.view.at(f, firstCol);
        openblas.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1f, left, Math.max(1, k), columns,
                Math.max(1, b.cols()), 0f, fc, Math.max(1, n));
        fc.get(c, 0, m * n);
    }

    @Override
    public void sgemmBatch(int count, int m, float[] a, int strideA, ResidentMatrix b, int[] firstCol, int[] width,
                           float[] c) {
        b.checkBatch(count, m, a.length, strideA, firstCol, width, c.length);
        if (!(b.storage(this) instanceof FloatPointer f)) {
            throw new IllegalArgumentException("sgemmBatch needs a float32 resident matrix (residentFloat)");
        }
        int k = b.rows();
        int n = b.cols();
        if (count == 0 || m == 0 || n == 0) {
            return;
        }
        FloatOperands operands = FLOAT_OPERANDS.get();
        FloatPointer left = operands.a(a, (long) count * m * strideA);
        FloatPointer fc = operands.c(c, (long) m * n, false);
        int lda = count * strideA;
        for (int g = 0; g < count; g++) {
            if (width[g] > 0) {
                // the operands' own pointers are this thread's, so their positions may move; B's through the view
                left.position((long) g * strideA);
                fc.position(firstCol[g]);
                openblas.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, width[g], k, 1f, left, lda,
                        operands.view.at(f, firstCol[g]), n, 0f, fc, n);
            }
        }
        left.position(0);
        fc.position(0);
        fc.get(c, 0, m * n);
    }

    @Override
    public void projectOutRows(int m, int k, int n, double[] w, double[] q, int passes, double[] h) {
        if (w.length < (long) m * n || q.length < (long) k * n || h.length < (long) m * k || passes < 0) {
            throw new IllegalArgumentException("projectOutRows operands too short for m = " + m + ", k = " + k
                    + ", n = " + n + " (or passes " + passes + " < 0): lengths " + w.length + ", " + q.length + ", "
                    + h.length);
        }
        if (m == 0 || k == 0 || n == 0 || passes == 0) {
            return;
        }
        NativeOperands operands = OPERANDS.get();
        DoublePointer rows = operands.a(w, (long) m * n);
        DoublePointer basis = operands.b(q, (long) k * n);
        DoublePointer coefficients = operands.c(h, (long) m * k, false);
        double[] c = new double[m * k];
        for (int pass = 0; pass < passes; pass++) {
            openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, k, n, 1.0, rows, n, basis, n, 0.0,
                    coefficients, k);
            openblas.cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, -1.0, coefficients, k, basis, n,
                    1.0, rows, n);
            coefficients.get(c, 0, m * k);
            for (int i = 0; i < m * k; i++) {
                h[i] += c[i];
            }
        }
        rows.get(w, 0, m * n);
    }

    @Override
    public void syrkTransposed(int n, int k, double alpha, double[] a, double beta, double[] c) {
        dsyrk(CblasTrans, n, k, alpha, a, beta, c);
        DenseMatrices.copyUpperToLower(n, c);
    }

    @Override
    public void syrk(int n, int k, double alpha, double[] a, double beta, double[] c) {
        dsyrk(CblasNoTrans, n, k, alpha, a, beta, c);
        DenseMatrices.copyUpperToLower(n, c);
    }

    @Override
    public void syrkUpper(int n, int k, double alpha, double[] a, double beta, double[] c) {
        dsyrk(CblasNoTrans, n, k, alpha, a, beta, c);
    }

    /**
     * DSYRK into the upper triangle (the lower comes back with whatever the native buffer held):
     * {@code A} is {@code k × n} for {@code CblasTrans} (C = AᵀA) and {@code n × k} for
     * {@code CblasNoTrans} (C = A Aᵀ), row-major.
     */
    private void dsyrk(int trans, int n, int k, double alpha, double[] a, double beta, double[] c) {
        if (n == 0) {
            return;
        }
        long sizeA = (long) n * k;
        long sizeC = (long) n * n;
        if (a.length < sizeA || c.length < sizeC) {
            throw new IllegalArgumentException("syrk operands too short for n = " + n + ", k = " + k + ": lengths "
                    + a.length + ", " + c.length);
        }
        NativeOperands operands = OPERANDS.get();
        DoublePointer result = operands.c(c, sizeC, beta != 0.0);
        int lda = trans == CblasTrans ? n : k;
        openblas.cblas_dsyrk(CblasRowMajor, CblasUpper, trans, n, k, alpha, operands.a(a, sizeA), Math.max(1, lda),
                beta, result, Math.max(1, n));
        get(result, c, sizeC);
    }

    @Override
    public void solveLowerTriangular(int n, int nrhs, double[] l, double[] b) {
        if (n == 0 || nrhs == 0) {
            return;
        }
        long sizeL = (long) n * n;
        long sizeB = (long) n * nrhs;
        if (l.length < sizeL || b.length < sizeB) {
            throw new IllegalArgumentException("trsm operands too short for n = " + n + ", nrhs = " + nrhs
                    + ": lengths " + l.length + ", " + b.length);
        }
        NativeOperands operands = OPERANDS.get();
        DoublePointer result = operands.c(b, sizeB, true);
        openblas.cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, n, nrhs, 1.0,
                operands.a(l, sizeL), n, result, nrhs);
        result.get(b, 0, (int) sizeB);
    }

    @Override
    public int orthonormaliseRows(int rows, int cols, double[] a, double tolerance) {
        checkOrthonormaliseArguments(rows, cols, a, tolerance);
        if (rows == 0) {
            return 0;
        }
        // row-major rows × cols is column-major cols × rows: the rows are the columns LAPACK pivots
        int[] pivots = new int[rows];
        double[] tau = new double[rows];
        int info = openblas.LAPACKE_dgeqp3(LAPACK_COL_MAJOR, cols, rows, a, cols, pivots, tau);
        if (info != 0) {
            throw new ArithmeticException("pivoted QR (LAPACKE_dgeqp3) failed, info = " + info);
        }
        int rank = 0;
        while (rank < rows && Math.abs(a[rank * cols + rank]) > tolerance) {
            rank++;
        }
        if (rank > 0) {
            info = openblas.LAPACKE_dorgqr(LAPACK_COL_MAJOR, cols, rank, rank, a, cols, tau);
            if (info != 0) {
                throw new ArithmeticException("forming Q (LAPACKE_dorgqr) failed, info = " + info);
            }
        }
        return rank;
    }

    static void checkOrthonormaliseArguments(int rows, int cols, double[] a, double tolerance) {
        if (rows < 0 || rows > cols || a.length < (long) rows * cols) {
            throw new IllegalArgumentException("rows must be in [0, cols] with rows·cols entries, got " + rows
                    + " × " + cols + " and " + a.length + " entries");
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        }
    }

    @Override
    public void ssyrkTransposedUpper(int n, int k, float alpha, float[] a, float beta, float[] c) {
        if (n == 0) {
            return;
        }
        long sizeA = (long) k * n;
        long sizeC = (long) n * n;
        if (a.length < sizeA || c.length < sizeC) {
            throw new IllegalArgumentException("ssyrk operands too short for n = " + n + ", k = " + k + ": lengths "
                    + a.length + ", " + c.length);
        }
        FloatOperands operands = FLOAT_OPERANDS.get();
        FloatPointer result = operands.c(c, sizeC, beta != 0f);
        openblas.cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, n, k, alpha, operands.a(a, sizeA), Math.max(1, n),
                beta, result, Math.max(1, n));
        // one bulk copy: the lower triangle comes back with whatever the native buffer held
        result.get(c, 0, (int) sizeC);
    }

    @Override
    public SymmetricEigen symmetricEigen(int n, double[] a) {
        if (n < 0 || a.length < (long) n * n) {
            throw new IllegalArgumentException("a must hold n × n = " + n + " × " + n + " entries, got " + a.length);
        }
        double[] values = new double[n];
        double[] vectors = new double[n * n];
        if (n == 0) {
            return new SymmetricEigen(n, values, vectors);
        }
        // what LAPACKE's row-major interface does — the lower triangle transposed into a column-major
        // copy, DSYEVD on it, the eigenvectors transposed back — with one native buffer and no other
        // copy (issue 11: a.clone(), JNI's copies of the array both ways and LAPACKE's two transposes
        // and its second N² buffer were six passes over Ω around the decomposition): the same input
        // to the same routine, so the same bits
        try (DoublePointer work = new DoublePointer((long) n * n); DoublePointer eigenvalues = new DoublePointer(n)) {
            java.nio.DoubleBuffer buffer = work.asBuffer();
            lowerToColumnMajor(n, a, buffer);
            int info = openblas.LAPACKE_dsyevd(LAPACK_COL_MAJOR, VECTORS, LOWER, n, work, n, eigenvalues);
            if (info != 0) {
                throw new ArithmeticException("symmetric eigendecomposition (LAPACKE_dsyevd) failed, info = " + info);
            }
            eigenvalues.get(values);
            // column j of the column-major result is eigenvector j: component i to vectors[i·n + j]
            for (int ib = 0; ib < n; ib += DenseMatrices.TILE) {
                int iEnd = Math.min(n, ib + DenseMatrices.TILE);
                for (int jb = 0; jb < n; jb += DenseMatrices.TILE) {
                    int jEnd = Math.min(n, jb + DenseMatrices.TILE);
                    for (int i = ib; i < iEnd; i++) {
                        int row = i * n;
                        for (int j = jb; j < jEnd; j++) {
                            vectors[row + j] = buffer.get(j * n + i);
                        }
                    }
                }
            }
        }
        return new SymmetricEigen(n, values, vectors);
    }

    /** {@link ResidentMatrix#release()} of a matrix of this implementation. */
    void recycle(Object storage) {
        if (storage instanceof DoublePointer p) {
            OPERANDS.get().adopt(p);
        } else if (storage instanceof FloatPointer f) {
            f.close();
        }
    }

    @Override
    public ResidentEigen symmetricEigenResident(int n, double[] a, boolean exactlySymmetric) {
        if (n < 1 || a.length < (long) n * n) {
            throw new IllegalArgumentException("a must hold n × n = " + n + " × " + n + " entries with n >= 1, got "
                    + a.length);
        }
        double[] values = new double[n];
        DoublePointer work = OPERANDS.get().takeResult((long) n * n);
        try (DoublePointer eigenvalues = new DoublePointer(n)) {
            java.nio.DoubleBuffer buffer = work.asBuffer();
            // the column-major lower triangle that symmetricEigen hands DSYEVD, and the same call: the
            // same bits. Row-major a is column-major aᵀ, whose lower triangle is a's upper one: for an
            // exactly symmetric a that is a's lower triangle, so one bulk copy of the whole matrix does
            if (exactlySymmetric) {
                put(work, a, (long) n * n);
            } else {
                lowerToColumnMajor(n, a, buffer);
            }
            int info = openblas.LAPACKE_dsyevd(LAPACK_COL_MAJOR, VECTORS, LOWER, n, work, n, eigenvalues);
            if (info != 0) {
                throw new ArithmeticException("symmetric eigendecomposition (LAPACKE_dsyevd) failed, info = " + info);
            }
            eigenvalues.get(values);
            // column-major U is row-major Uᵀ: transposed where it lies, it is the row-major U of symmetricEigen
            transposeInPlace(n, buffer);
        }
        return new ResidentEigen(n, values, new ResidentMatrix(n, n, work, this));
    }

    /**
     * Writes the lower triangle of the row-major {@code a} into the column-major {@code buffer}
     * (entry (i, j ≤ i) to {@code j·n + i}), tile by tile so that both sides stay in the cache, the
     * blocks of {@link DenseMatrices#TILE} columns on the common ForkJoinPool (each writes its own
     * columns); the strict upper triangle of the buffer is left as it was (LAPACK's lower-triangle
     * routines do not read it).
     */
    private static void lowerToColumnMajor(int n, double[] a, java.nio.DoubleBuffer buffer) {
        int t = DenseMatrices.TILE;
        java.util.stream.IntStream.range(0, (n + t - 1) / t).parallel().forEach(block -> {
            java.nio.DoubleBuffer own = buffer.duplicate();
            int jb = block * t;
            int jEnd = Math.min(n, jb + t);
            for (int ib = jb; ib < n; ib += t) {
                int iEnd = Math.min(n, ib + t);
                for (int j = jb; j < jEnd; j++) {
                    int column = j * n;
                    for (int i = Math.max(ib, j); i < iEnd; i++) {
                        own.put(column + i, a[i * n + j]);
                    }
                }
            }
        });
    }

    /**
     * Transposes the square {@code n × n} matrix in {@code buffer} in place: each pair of mirrored
     * {@link DenseMatrices#TILE} tiles is read into two heap tiles by bulk row reads, and written
     * back swapped and transposed by bulk row writes (a diagonal tile onto itself). The block rows
     * of tiles run on the common ForkJoinPool; each pair of tiles is one task's alone.
     */
    private static void transposeInPlace(int n, java.nio.DoubleBuffer buffer) {
        int t = DenseMatrices.TILE;
        java.util.stream.IntStream.range(0, (n + t - 1) / t).parallel().forEach(block -> {
            java.nio.DoubleBuffer own = buffer.duplicate();
            double[] upper = new double[t * t];
            double[] lower = new double[t * t];
            double[] line = new double[t];
            int ib = block * t;
            int rows = Math.min(t, n - ib);
            for (int jb = ib; jb < n; jb += t) {
                int cols = Math.min(t, n - jb);
                // tile (ib, jb) as rows × cols, and its mirror (jb, ib) as cols × rows
                for (int r = 0; r < rows; r++) {
                    own.get((ib + r) * n + jb, upper, r * cols, cols);
                }
                if (jb != ib) {
                    for (int r = 0; r < cols; r++) {
                        own.get((jb + r) * n + ib, lower, r * rows, rows);
                    }
                }
                double[] mirror = jb == ib ? upper : lower;
                // new tile (ib, jb): entry (r, c) is the mirror's (c, r); new tile (jb, ib) is upper's transpose
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        line[c] = mirror[c * rows + r];
                    }
                    own.put((ib + r) * n + jb, line, 0, cols);
                }
                if (jb != ib) {
                    for (int r = 0; r < cols; r++) {
                        for (int c = 0; c < rows; c++) {
                            line[c] = upper[c * cols + r];
                        }
                        own.put((jb + r) * n + ib, line, 0, rows);
                    }
                }
            }
        });
    }

    @Override
    public EigenProjections symmetricEigenProjections(int n, double[] a, int m, double[] b) {
        if (a.length < (long) n * n || b.length < (long) n * m) {
            throw new IllegalArgumentException("eigen projection operands too short for n = " + n + ", m = " + m
                    + ": lengths " + a.length + ", " + b.length);
        }
        double[] values = new double[n];
        double[] projections = new double[n * m];
        if (n == 0) {
            return new EigenProjections(n, m, values, projections);
        }
        // the steps of DSYEVD (reduction, Qᵀ, divide and conquer) with Qᵀ applied to B instead of
        // Q to the tridiagonal's eigenvectors: the reduced matrix holds the reflectors of Q until
        // DORMTR has used them, then the eigenvectors Z of T
        double[] work = java.util.Arrays.copyOf(a, n * n);
        double[] offDiagonal = new double[Math.max(1, n - 1)];
        double[] tau = new double[Math.max(1, n - 1)];
        int info = openblas.LAPACKE_dsytrd(LAPACK_ROW_MAJOR, LOWER, n, work, n, values, offDiagonal, tau);
        if (info != 0) {
            throw new ArithmeticException("tridiagonal reduction (LAPACKE_dsytrd) failed, info = " + info);
        }
        double[] reducedB = java.util.Arrays.copyOf(b, n * m);
        if (m > 0) {
            info = openblas.LAPACKE_dormtr(LAPACK_ROW_MAJOR, LEFT, LOWER, TRANSPOSE, n, m, work, n, tau, reducedB, m);
            if (info != 0) {
                throw new ArithmeticException("applying the reduction (LAPACKE_dormtr) failed, info = " + info);
            }
        }
        info = openblas.LAPACKE_dstedc(LAPACK_ROW_MAJOR, TRIDIAGONAL_VECTORS, n, values, offDiagonal, work, n);
        if (info != 0) {
            throw new ArithmeticException("tridiagonal eigendecomposition (LAPACKE_dstedc) failed, info = " + info);
        }
        if (m > 0) {
            gemm(true, false, n, m, n, 1.0, work, reducedB, 0.0, projections);
        }
        return new EigenProjections(n, m, values, projections);
    }

    /**
     * Above this n the eigenvalues come from the two-stage reduction (dense → band by BLAS-3, band →
     * tridiagonal), below from the one-stage dsytrd, half of whose flops are memory-bound
     * matrix–vector products. Thread CPU time at one BLAS thread on the sign generator's Ω (load 6,
     * 3 runs each): n = 1000 0.07 against 0.08–0.09 s, 1500 0.19–0.20 against 0.21–0.22, 2000 0.46–0.48
     * against 0.47–0.49, 2500 1.17–1.19 against 0.93–0.97, 3000 2.37–2.53 against 1.54–1.58; the two
     * sets of eigenvalues differ by ≤ 3e-14 (docs/theory.md §5.12, "ERM (§6)").
     */
    static final int TWO_STAGE_EIGENVALUES_ABOVE = 2048;

    @Override
    public double[] symmetricEigenvalues(int n, double[] a) {
        double[] work = a.clone();
        double[] values = new double[n];
        if (n > 0) {
            int info = n > TWO_STAGE_EIGENVALUES_ABOVE
                    ? openblas.LAPACKE_dsyevd_2stage(LAPACK_ROW_MAJOR, VALUES_ONLY, LOWER, n, work, n, values)
                    : openblas.LAPACKE_dsyevd(LAPACK_ROW_MAJOR, VALUES_ONLY, LOWER, n, work, n, values);
            if (info != 0) {
                throw new ArithmeticException("symmetric eigenvalues (LAPACKE_dsyevd" + (n > TWO_STAGE_EIGENVALUES_ABOVE
                        ? "_2stage" : "") + ") failed, info = " + info);
            }
        }
        return values;
    }

    @Override
    public double[] cholesky(int n, double[] a) {
        double[] l = a.clone();
        if (n == 0) {
            return l;
        }
        int info = openblas.LAPACKE_dpotrf(LAPACK_ROW_MAJOR, LOWER, n, l, n);
        throwIfNotPositive(info, n);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                l[i * n + j] = 0.0;
            }
        }
        return l;
    }

    @Override
    public void solveSymmetricPositive(int n, int nrhs, double[] a, double[] b) {
        if (n == 0 || nrhs == 0) {
            return;
        }
        double[] l = a.clone();
        int info = openblas.LAPACKE_dpotrf(LAPACK_ROW_MAJOR, LOWER, n, l, n);
        throwIfNotPositive(info, n);
        info = openblas.LAPACKE_dpotrs(LAPACK_ROW_MAJOR, LOWER, n, nrhs, l, n, b, nrhs);
        if (info != 0) {
            throw new ArithmeticException("Cholesky solve (LAPACKE_dpotrs) failed, info = " + info);
        }
    }

    private static void throwIfNotPositive(int info, int n) {
        if (info > 0) {
            throw new NotPositiveDefiniteException("matrix of size " + n
                    + " is not positive definite: leading minor of order " + info + " is not positive", info);
        }
        if (info < 0) {
            throw new IllegalArgumentException("LAPACKE_dpotrf rejected argument " + (-info));
        }
    }
}
