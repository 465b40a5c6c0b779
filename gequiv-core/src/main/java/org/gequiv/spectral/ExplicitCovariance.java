package org.gequiv.spectral;

import java.util.Optional;

import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;

/**
 * Ω and Φ held as dense matrices (from analytic moments, a moments file or {@link
 * KernelCovariance#materialise()}): Ω·V by GEMM through {@link LinearAlgebra}, in row blocks of Ω
 * so that the native operands stay small at large N. Memory: the N² entries of Ω, shared, not
 * copied.
 *
 * <p><b>Not thread-safe</b> (one scratch block per instance).
 */
public final class ExplicitCovariance implements CovarianceOperator {

    /** Rows of Ω per GEMM when Ω is larger than {@link #SINGLE_CALL_ENTRIES}. */
    static final int ROW_BLOCK = 512;
    /** Up to this many entries Ω goes to one GEMM call. */
    static final long SINGLE_CALL_ENTRIES = 4096L * 4096L;

    private final int n;
    private final int d;
    private final double[] omega;
    private final double[] phi;
    private final String[] origin;
    private double[] rows;
    private double[] outBlock;

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

    @Override
    public void apply(int p, double[] v, double[] out) {
        LinearAlgebra la = LinearAlgebra.get();
        if ((long) n * n <= SINGLE_CALL_ENTRIES) {
            // V Ω = (Ω V ᵀ)ᵀ since Ω is symmetric: rows of the result are Ω v_i
            la.gemm(false, false, p, n, n, 1.0, v, omega, 0.0, out);
            return;
        }
        int b = ROW_BLOCK;
        if (rows == null) {
            rows = new double[b * n];
        }
        if (outBlock == null || outBlock.length < p * b) {
            outBlock = new double[p * b];
        }
        for (int i0 = 0; i0 < n; i0 += b) {
            int rowsHere = Math.min(b, n - i0);
            System.arraycopy(omega, i0 * n, rows, 0, rowsHere * n);
            // (p × N)·(rows × N)ᵀ = the entries i0 .. i0 + rowsHere of every Ω v
            la.gemm(false, true, p, rowsHere, n, 1.0, v, rows, 0.0, outBlock);
            for (int c = 0; c < p; c++) {
                System.arraycopy(outBlock, c * rowsHere, out, c * n + i0, rowsHere);
            }
        }
    }

    @Override
    public double[] powerTraces() {
        double trace = 0;
        double frobenius = 0;
        for (int i = 0; i < n; i++) {
            trace += omega[i * n + i];
            int o = i * n;
            for (int j = 0; j < n; j++) {
                frobenius += omega[o + j] * omega[o + j];
            }
        }
        return new double[] {n, trace, frobenius};
    }

    @Override
    public void applyPhi(int m, double[] theta, double[] out) {
        LinearAlgebra.get().gemm(false, true, m, n, d, 1.0, theta, phi, 0.0, out);
    }
}
