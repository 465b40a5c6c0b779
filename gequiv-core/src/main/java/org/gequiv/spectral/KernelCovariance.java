package org.gequiv.spectral;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.gequiv.activation.HermiteCoefficients;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.activation.GaussianKernel;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.parallel.Futures;

/**
 * Matrix-free Ω·V and Φθ for a random generator whose Ω is analytic (docs/theory.md §2.3–§2.4), the
 * single-layer and the deep random generators of {@link DeepRandomGenerator}, without storing Ω.
 *
 * <p>The last layer maps h_{L−1} (covariance Σ, H × H) through F_L (N × H), so the pre-activation
 * covariance is P = F_L Σ F_Lᵀ and Ω its Gaussian kernel:
 * <ul>
 *   <li>rule {@code exact}: Ω_ij = Cov(σ(u_i), σ(u_j)) for (u_i, u_j) ~ N(0, P restricted to i, j),
 *       Ω_ii = Var σ(u_i) ({@link GaussianKernel}, the same functions as
 *       {@link DeepRandomGenerator#analyticMoments()}); Ω·V is evaluated in blocks of
 *       {@link #ROW_BLOCK} rows: P_block = (F_L Σ)_block F_Lᵀ by GEMM, the kernel entry by entry,
 *       then V·Ω_blockᵀ by GEMM — O(N²(H + p)) time per product, O(N·(H + {@link #ROW_BLOCK}))
 *       memory;</li>
 *   <li>rule {@code linearised}: Ω = κ1² P off the diagonal and Var σ on it, so
 *       Ω·v = κ1² F_L (Σ (F_Lᵀ v)) + (Var σ − κ1² P_ii) v — O(N·H·p) per product.</li>
 * </ul>
 * Φ = E σ′(u_i) · F_L · Cov(h_{L−1}, c) (N × D, stored). Results do not depend on the thread count
 * (every block is computed whole by one thread, in a fixed order).
 *
 * <p>Immutable and thread-safe: every call allocates its own block buffers (one set per worker,
 * O(N·{@link #ROW_BLOCK}) entries).
 */
public final class KernelCovariance implements CovarianceOperator {

    /** Rows of Ω evaluated per block. */
    public static final int ROW_BLOCK = 256;

    private final int n;
    private final int d;
    private final int h;
    private final CovarianceRule rule;
    private final GaussianKernel kernels;
    /** F_L, N × H. */
    private final double[] f;
    /** F_L Σ, N × H. */
    private final double[] fs;
    /** Σ, H × H. */
    private final double[] sigma;
    /** P_ii. */
    private final double[] variance;
    /** Ω_ii. */
    private final double[] diagonal;
    /** Series coefficients per unit (null for closed-form kernels). */
    private final double[][] series;
    private final double kappa1;
    /** Φ, N × D. */
    private final double[] phi;
    private final int threads;
    /** Where Ω comes from, for the messages of {@link #resident()}. */
    private final String origin;

    private KernelCovariance(DeepRandomGenerator generator, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.origin = "analytic moments of " + generator.id() + " (" + generator.activation().id() + ", rule "
                + generator.rule().id() + "): omega";
        LinearAlgebra la = LinearAlgebra.get();
        DeepRandomGenerator.LastLayerInput input = generator.lastLayerInput();
        this.n = generator.inputDimension();
        this.d = generator.latentDimension();
        this.h = input.width();
        this.rule = generator.rule();
        this.kernels = new GaussianKernel(generator.activation());
        HermiteCoefficients kappa = generator.activation().hermite();
        this.kappa1 = kappa.kappa1();
        this.f = generator.layerWeights(generator.depth() - 1);
        this.sigma = input.covariance();
        this.fs = new double[n * h];
        la.gemm(false, false, n, h, h, 1.0, f, sigma, 0.0, fs);
        this.variance = new double[n];
        this.diagonal = new double[n];
        this.series = new double[n][];
        double[] k = new double[n * d];
        la.gemm(false, false, n, d, h, 1.0, f, input.cross(), 0.0, k);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < h; c++) {
                s += fs[i * h + c] * f[i * h + c];
            }
            variance[i] = s;
            double slope;
            if (rule == CovarianceRule.LINEARISED) {
                diagonal[i] = kappa.variance();
                slope = kappa1;
            } else {
                diagonal[i] = kernels.variance(s);
                series[i] = kernels.seriesCoefficients(s);
                slope = kernels.slope(s);
            }
            for (int j = 0; j < d; j++) {
                k[i * d + j] *= slope;
            }
        }
        this.phi = k;
    }

    /** The analytic Ω and Φ of {@code generator}, on one thread. */
    public static KernelCovariance of(DeepRandomGenerator generator) {
        return new KernelCovariance(generator, 1);
    }

    /** As {@link #of(DeepRandomGenerator)}, evaluating row blocks on {@code threads} threads. */
    public static KernelCovariance of(DeepRandomGenerator generator, int threads) {
        return new KernelCovariance(generator, threads);
    }

    @Override
    public int dimension() {
        return n;
    }

    @Override
    public int latentDimension() {
        return d;
    }

    /** Field and name of an analytic Ω in refusals. */
    static final String[] ANALYTIC_ORIGIN = {org.gequiv.generator.Moments.OMEGA_FIELD_ANALYTIC,
            org.gequiv.generator.Moments.OMEGA_SOURCE_ANALYTIC};

    @Override
    public String[] omegaOrigin() {
        return ANALYTIC_ORIGIN.clone();
    }

    /** Not held: this operator is matrix-free. */
    @Override
    public Optional<double[]> explicitOmega() {
        return Optional.empty();
    }

    @Override
    public void applyPhi(int m, double[] theta, double[] out) {
        LinearAlgebra.get().gemm(false, true, m, n, d, 1.0, theta, phi, 0.0, out);
    }

    /** Φ, N × D (a copy). */
    public double[] phi() {
        return phi.clone();
    }

    @Override
    public void apply(int p, double[] v, double[] out) {
        if (rule == CovarianceRule.LINEARISED) {
            applyLinearised(p, v, out);
            return;
        }
        int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
        if (threads == 1 || blocks == 1) {
            double[][] scratch = newScratch(p);
            for (int b = 0; b < blocks; b++) {
                productBlock(b, p, v, out, scratch);
            }
            return;
        }
        forEachBlock(blocks, p, (b, scratch) -> productBlock(b, p, v, out, scratch));
    }

    /** {N, tr Ω, ‖Ω‖_F²}; the last by one pass over the kernel blocks (the cost of one product). */
    @Override
    public double[] powerTraces() {
        double trace = 0;
        for (double x : diagonal) {
            trace += x;
        }
        int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
        double[] perBlock = new double[blocks];
        if (rule == CovarianceRule.LINEARISED) {
            // Ω = κ1² F Σ Fᵀ + Δ with Δ diagonal: ‖Ω‖_F² = κ1⁴ tr(Σ G Σ G) + Σ_i (2κ1² P_ii Δ_i + Δ_i²),
            // G = Fᵀ F, without forming the N × N matrix
            LinearAlgebra la = LinearAlgebra.get();
            double[] g = new double[h * h];
            la.gemm(true, false, h, h, n, 1.0, f, f, 0.0, g);
            double[] sg = new double[h * h];
            la.gemm(false, false, h, h, h, 1.0, sigma, g, 0.0, sg);
            double low = 0;
            for (int a = 0; a < h; a++) {
                for (int b = 0; b < h; b++) {
                    low += sg[a * h + b] * sg[b * h + a];
                }
            }
            double k2 = kappa1 * kappa1;
            double frobenius = k2 * k2 * low;
            for (int i = 0; i < n; i++) {
                double delta = diagonal[i] - k2 * variance[i];
                frobenius += 2 * k2 * variance[i] * delta + delta * delta;
            }
            return new double[] {n, trace, frobenius};
        }
        forEachBlock(blocks, 0, (b, scratch) -> {
            int i0 = b * ROW_BLOCK;
            int rows = Math.min(ROW_BLOCK, n - i0);
            kernelBlock(i0, rows, scratch);
            double s = 0;
            for (int i = 0; i < rows * n; i++) {
                s += scratch[1][i] * scratch[1][i];
            }
            perBlock[b] = s;
        });
        double frobenius = 0;
        for (double s : perBlock) {
            frobenius += s;
        }
        return new double[] {n, trace, frobenius};
    }

    /** Ω as a dense N × N matrix, evaluated once block by block (N² doubles). */
    public ExplicitCovariance materialise() {
        double[] omega = new double[Math.multiplyExact(n, n)];
        if (rule == CovarianceRule.LINEARISED) {
            double[] p = new double[n * n];
            LinearAlgebra.get().gemm(false, true, n, n, h, 1.0, fs, f, 0.0, p);
            for (int i = 0; i < n * n; i++) {
                omega[i] = kappa1 * kappa1 * p[i];
            }
            for (int i = 0; i < n; i++) {
                omega[i * n + i] = diagonal[i];
            }
        } else {
            int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
            forEachBlock(blocks, 0, (b, scratch) -> {
                int i0 = b * ROW_BLOCK;
                int rows = Math.min(ROW_BLOCK, n - i0);
                kernelBlock(i0, rows, scratch);
                System.arraycopy(scratch[1], 0, omega, i0 * n, rows * n);
            });
        }
        return ExplicitCovariance.analytic(n, d, omega, phi);
    }

    /**
     * Ω evaluated once from the kernel, row block by row block, into memory where the linear
     * algebra computes ({@link LinearAlgebra#resident}: native memory for OpenBLAS), so that the
     * Java heap never holds it whole: N² doubles once, then every Ω·V at the speed of one read
     * of Ω instead of one kernel evaluation per entry (the matrix-free {@link #apply} costs
     * N²·(H + p) multiply-adds and N² kernel evaluations per product). Every entry is checked
     * finite as it is formed; {N, tr Ω, ‖Ω‖_F²} are accumulated on the way. The resident operator
     * is as thread-safe as this one (its products keep no state of their own).
     *
     * @throws org.gequiv.validation.InvalidInputException (field {@code generator}) naming the
     *                                                     first non-finite entry
     */
    public CovarianceOperator resident() {
        int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
        org.gequiv.linalg.ResidentMatrix[] rows = new org.gequiv.linalg.ResidentMatrix[blocks];
        double[] perBlock = new double[blocks];
        LinearAlgebra la = LinearAlgebra.get();
        forEachBlock(blocks, 0, (b, scratch) -> {
            int i0 = b * ROW_BLOCK;
            int count = Math.min(ROW_BLOCK, n - i0);
            if (rule == CovarianceRule.LINEARISED) {
                linearisedBlock(i0, count, scratch);
            } else {
                kernelBlock(i0, count, scratch);
            }
            double sum = 0;
            for (int i = 0; i < count * n; i++) {
                sum += scratch[1][i] * scratch[1][i];
            }
            org.gequiv.linalg.Covariances.checkFinite("generator", origin + " rows " + i0 + ".." + (i0 + count - 1),
                    scratch[1], count, n);
            perBlock[b] = sum;
            rows[b] = la.resident(count, n, scratch[1]);
        });
        double trace = 0;
        for (double x : diagonal) {
            trace += x;
        }
        double frobenius = 0;
        for (double x : perBlock) {
            frobenius += x;
        }
        return new ResidentOmega(rows, new double[] {n, trace, frobenius});
    }

    /** scratch[1] ← rows i0 .. i0 + rows of the linearised Ω = κ1² P off the diagonal, Var σ on it. */
    private void linearisedBlock(int i0, int rows, double[][] scratch) {
        double[] gRows = scratch[0];
        double[] block = scratch[1];
        System.arraycopy(fs, i0 * h, gRows, 0, rows * h);
        LinearAlgebra.get().gemm(false, true, rows, n, h, kappa1 * kappa1, gRows, f, 0.0, block);
        for (int a = 0; a < rows; a++) {
            block[a * n + i0 + a] = diagonal[i0 + a];
        }
    }

    /** Ω held in resident row blocks (see {@link #resident()}); Φ shared with this operator. */
    private final class ResidentOmega implements CovarianceOperator {
        private final ResidentRows rows;
        private final double[] traces;

        ResidentOmega(org.gequiv.linalg.ResidentMatrix[] rows, double[] traces) {
            this.rows = new ResidentRows(rows, n);
            this.traces = traces;
        }

        @Override
        public int dimension() {
            return n;
        }

        @Override
        public int latentDimension() {
            return d;
        }

        @Override
        public void apply(int p, double[] v, double[] out) {
            rows.apply(p, v, out);
        }

        @Override
        public void applyPhi(int m, double[] theta, double[] out) {
            KernelCovariance.this.applyPhi(m, theta, out);
        }

        @Override
        public String[] omegaOrigin() {
            return ANALYTIC_ORIGIN.clone();
        }

        /** Not on the heap: held where the linear algebra computes. */
        @Override
        public Optional<double[]> explicitOmega() {
            return Optional.empty();
        }

        @Override
        public double[] powerTraces() {
            return traces.clone();
        }
    }

    private interface BlockTask {
        void run(int block, double[][] scratch);
    }

    private void forEachBlock(int blocks, int p, BlockTask task) {
        if (threads == 1) {
            double[][] scratch = newScratch(p);
            for (int b = 0; b < blocks; b++) {
                task.run(b, scratch);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    double[][] scratch = newScratch(p);
                    for (int b = worker; b < blocks; b += threads) {
                        task.run(b, scratch);
                    }
                }));
            }
            for (Future<?> future : futures) {
                Futures.await(future, "kernel block of Ω");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** {F_L Σ rows, Ω block (rows × N), V·Ω_blockᵀ (p × rows)}. */
    private double[][] newScratch(int p) {
        return new double[][] {new double[ROW_BLOCK * h], new double[ROW_BLOCK * n], new double[Math.max(1, p) * ROW_BLOCK]};
    }

    /** scratch[1] ← rows i0 .. i0 + rows of Ω. */
    private void kernelBlock(int i0, int rows, double[][] scratch) {
        double[] gRows = scratch[0];
        double[] block = scratch[1];
        System.arraycopy(fs, i0 * h, gRows, 0, rows * h);
        LinearAlgebra.get().gemm(false, true, rows, n, h, 1.0, gRows, f, 0.0, block);
        for (int a = 0; a < rows; a++) {
            int i = i0 + a;
            double vi = variance[i];
            double[] si = series[i];
            int o = a * n;
            for (int j = 0; j < n; j++) {
                block[o + j] = kernels.covariance(vi, variance[j], block[o + j], si, series[j]);
            }
            block[o + i] = diagonal[i];
        }
    }

    private void productBlock(int b, int p, double[] v, double[] out, double[][] scratch) {
        int i0 = b * ROW_BLOCK;
        int rows = Math.min(ROW_BLOCK, n - i0);
        kernelBlock(i0, rows, scratch);
        double[] prod = scratch[2];
        LinearAlgebra.get().gemm(false, true, p, rows, n, 1.0, v, scratch[1], 0.0, prod);
        for (int c = 0; c < p; c++) {
            System.arraycopy(prod, c * rows, out, c * n + i0, rows);
        }
    }

    private void applyLinearised(int p, double[] v, double[] out) {
        LinearAlgebra la = LinearAlgebra.get();
        double[] fv = new double[p * h];
        // rows: (F_Lᵀ v)ᵀ = vᵀ F_L, then Σ, then F_L
        la.gemm(false, false, p, h, n, 1.0, v, f, 0.0, fv);
        double[] sfv = new double[p * h];
        la.gemm(false, false, p, h, h, 1.0, fv, sigma, 0.0, sfv);
        la.gemm(false, true, p, n, h, kappa1 * kappa1, sfv, f, 0.0, out);
        for (int c = 0; c < p; c++) {
            for (int i = 0; i < n; i++) {
                out[c * n + i] += (diagonal[i] - kappa1 * kappa1 * variance[i]) * v[c * n + i];
            }
        }
    }
}
