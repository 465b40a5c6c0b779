package org.gequiv.spectral;

import java.util.Optional;

import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.SymmetricResident;

/**
 * Ω and Φ held as dense matrices (from analytic moments, a moments file or {@link
 * KernelCovariance#materialise()}): Ω·V by GEMM through {@link LinearAlgebra} on Ω made resident
 * once as its lower row blocks. Memory: the N² entries of Ω, shared, not copied, and their resident
 * lower half (N²/2 doubles in native memory for OpenBLAS) from the first product on.
 *
 * <p><b>Not thread-safe</b> (one scratch block per instance).
 */
public final class ExplicitCovariance implements CovarianceOperator {

    private final int n;
    private final int d;
    private final double[] omega;
    private final double[] phi;
    private final String[] origin;
    /** Ω in lower row blocks where the linear algebra computes, made on the first product. */
    private SymmetricResident resident;

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

    /**
     * Ω·V on Ω copied once to where the linear algebra computes, as its lower row blocks
     * ({@link LinearAlgebra#residentSymmetric}: native memory for OpenBLAS, N²/2 doubles beside the
     * heap's), in blocks of {@link #symmetricBlockRows(int)} rows: a product then reads half of Ω
     * once instead of first copying all of it across JNI.
     */
    @Override
    public void apply(int p, double[] v, double[] out) {
        if (resident == null) {
            resident = LinearAlgebra.get().residentSymmetric(n, symmetricBlockRows(n));
            resident.setRows(0, n, omega);
        }
        resident.multiply(p, v, out);
    }

    /**
     * Rows per lower block of a resident symmetric Ω: the largest power of two with a block of at
     * most 2¹⁷ doubles (1 MB, so that its second, transposed read comes from cache), within
     * [16, 256] (256 divides the kernel's {@link KernelCovariance#ROW_BLOCK}).
     */
    static int symmetricBlockRows(int n) {
        int rows = 256;
        while (rows > 16 && (long) rows * n > (1L << 17)) {
            rows /= 2;
        }
        return rows;
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
