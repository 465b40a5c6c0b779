package org.gequiv.spectral;

import java.util.Optional;

import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.ResidentMatrix;

/**
 * Ω and Φ held as dense matrices (from analytic moments, a moments file or {@link
 * KernelCovariance#materialise()}): Ω·V by GEMM through {@link LinearAlgebra} on Ω made resident
 * once. Memory: the N² entries of Ω, shared, not copied, and their resident copy
 * (N² doubles in native memory for OpenBLAS) from the first product on.
 *
 * <p><b>Not thread-safe</b> (the resident copy is made on the first product).
 */
public final class ExplicitCovariance implements CovarianceOperator {

    private final int n;
    private final int d;
    private final double[] omega;
    private final double[] phi;
    private final String[] origin;
    /** Ω where the linear algebra computes, made on the first product. */
    private ResidentRows resident;

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
     * Ω·V on Ω copied once to where the linear algebra computes ({@link LinearAlgebra#resident}:
     * native memory for OpenBLAS, N² doubles beside the heap's, one copy): a product then reads Ω
     * once instead of first copying all of it across JNI (at N = 3072 the copy was 29 − 17 = 12 ms
     * of each 29 ms product, JMH {@code SpectralBenchmark}). The product is V·Ω
     * ({@link ResidentRows}), which is Ω·V for the symmetric Ω; for an Ω symmetric only within
     * {@link org.gequiv.linalg.Covariances#SYMMETRY_TOLERANCE} (a moments file) it is Ωᵀ·V, which
     * differs from Ω·V, as from the lower triangle the eigen path decomposes, by at most that
     * asymmetry.
     */
    @Override
    public void apply(int p, double[] v, double[] out) {
        if (resident == null) {
            resident = new ResidentRows(new ResidentMatrix[] {LinearAlgebra.get().resident(n, n, omega)}, n);
        }
        resident.apply(p, v, out);
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
