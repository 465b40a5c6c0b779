package org.gequiv.spectral;

import java.util.Optional;

import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;

/**
 * Ω and Φ held as dense matrices (from analytic moments, a moments file or {@link
 * KernelCovariance#materialise()}): Ω·V by GEMM through {@link LinearAlgebra#gemmSymmetricLower},
 * which reads the lower triangle of the heap's Ω in cache-sized strips. Memory: the N² entries of Ω, shared, not copied,
 * held once (issue 14; a resident copy in native memory, the earlier design, held them twice for
 * a product 2–3 ms faster at N = 3072, and its 75 MB of fresh pages cost as much as that saved
 * over a whole set-up, docs/theory.md §5.12).
 *
 * <p>Stateless beyond the shared arrays; thread-safe.
 */
public final class ExplicitCovariance implements CovarianceOperator {

    private final int n;
    private final int d;
    private final double[] omega;
    private final double[] phi;
    private final String[] origin;
    /** The products and quadratic forms, on Ω's lower triangle. */
    private final SymmetricOperator lower;

    /**
     * @param n     N
     * @param d     D
     * @param omega Ω, N × N row-major symmetric, not copied, never modified
     * @param phi   Φ, N × D row-major, not copied, never modified
     */
    public ExplicitCovariance(int n, int d, double[] omega, double[] phi) {
        this(n, d, omega, phi, new String[] {"moments", "omega"});
    }

    private ExplicitCovariance(int n, int d, double[] omega, double[] phi, String[] origin) {
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("N and D must be >= 1, got N = " + n + ", D = " + d);
        }
        if (omega == null || omega.length != (long) n * n) {
            throw new IllegalArgumentException("omega must have N² = " + ((long) n * n) + " entries, got "
                    + (omega == null ? "null" : omega.length));
        }
        if (phi == null || phi.length != (long) n * d) {
            throw new IllegalArgumentException("phi must have N·D = " + ((long) n * d) + " entries, got "
                    + (phi == null ? "null" : phi.length));
        }
        this.n = n;
        this.d = d;
        this.omega = omega;
        this.phi = phi;
        this.origin = origin;
        this.lower = SymmetricOperator.ofLowerTriangle(n, omega);
    }

    /** The Ω and Φ of {@code moments} (shared, not copied). */
    public static ExplicitCovariance of(Moments moments) {
        return new ExplicitCovariance(moments.inputDimension(), moments.latentDimension(), moments.omega(),
                moments.phi(), new String[] {moments.omegaField(), moments.omegaSource()});
    }

    /** Analytic Ω and Φ (refused under {@link Moments#OMEGA_FIELD_ANALYTIC}), shared, not copied. */
    static ExplicitCovariance analytic(int n, int d, double[] omega, double[] phi) {
        return new ExplicitCovariance(n, d, omega, phi, KernelCovariance.ANALYTIC_ORIGIN);
    }

    @Override
    public String[] omegaOrigin() {
        return origin.clone();
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
    public Optional<double[]> explicitOmega() {
        return Optional.of(omega);
    }

    /**
     * Ω·V with the vectors as rows, as V·Ω on the lower triangle of Ω
     * ({@link SymmetricOperator#ofLowerTriangle}): the symmetric matrix that the eigen path
     * decomposes, exactly, and half of Ω read from memory per product.
     */
    @Override
    public void apply(int p, double[] v, double[] out) {
        lower.apply(p, v, out);
    }

    /** V Ω Vᵀ from the same lower triangle as {@link #apply}: half the flops of the product. */
    @Override
    public void quadraticForm(int p, double[] v, double[] out) {
        lower.quadraticForm(p, v, out);
    }

    @Override
    public double[] powerTraces() {
        // of the lower triangle, the matrix the products use (apply): half of Ω read
        double trace = 0;
        double offDiagonal = 0;
        for (int i = 0; i < n; i++) {
            int o = i * n;
            trace += omega[o + i];
            for (int j = 0; j < i; j++) {
                offDiagonal += omega[o + j] * omega[o + j];
            }
        }
        double diagonal = 0;
        for (int i = 0; i < n; i++) {
            diagonal += omega[i * n + i] * omega[i * n + i];
        }
        return new double[] {n, trace, 2 * offDiagonal + diagonal};
    }

    @Override
    public void applyPhi(int m, double[] theta, double[] out) {
        LinearAlgebra.get().gemm(false, true, m, n, d, 1.0, theta, phi, 0.0, out);
    }
}
