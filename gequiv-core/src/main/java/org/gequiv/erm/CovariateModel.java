package org.gequiv.erm;

import org.gequiv.linalg.Covariances;
import org.gequiv.validation.Checks;

/**
 * A Gaussian covariate model reduced to what the saddle point needs (docs/theory.md §6.1–§6.2), before
 * any decomposition: Ω = E[v vᵀ] (d × d), the teacher direction b = Φ_GCMᵀθ in student space, ρ and
 * γ = p/d. Two ways lead from it to {@link Spectra}: the eigendecomposition ({@link #spectra()}, the
 * reference: t_i = (u_i·b)² for every eigenvector) and the Lanczos quadrature
 * ({@link #quadrature()}: Ω's eigenvalues alone, and the Gauss rule of the spectral measure of b).
 *
 * <p>Holds its arrays without copying them (they can be N² doubles); never modifies them.
 *
 * @param d      the student dimension
 * @param omega  Ω, d × d row-major, symmetric (the lower triangle is what both paths read)
 * @param b      Φ_GCMᵀθ, length d
 * @param rho    ρ = θᵀΨθ/p
 * @param gamma  γ = p/d
 * @param field  the spec field named when Ω is refused
 * @param source the file and key or a description of Ω (may be null)
 */
public record CovariateModel(int d, double[] omega, double[] b, double rho, double gamma, String field,
                             String source) {

    public CovariateModel {
        Spectra.requirePositive("d", d);
        Spectra.requireLength("omega", omega, (long) d * d, d + " × " + d);
        Spectra.requireLength("b", b, d, Integer.toString(d));
        Checks.given("field", field);
    }

    /**
     * The model of the covariances of the GCM (docs/theory.md §6.1–§6.2): ρ = θᵀΨθ/p, b = Φᵀθ, γ = p/d,
     * with Φ, Ψ and θ checked here (finite; Ψ a covariance) and Ω checked where it is decomposed.
     *
     * @param phi    Φ = E[u vᵀ], p × d row-major; not modified
     * @param psi    Ψ = E[u uᵀ], p × p row-major; not modified
     * @param theta  θ, length p; not modified
     * @param field  the spec field carried by the exceptions
     * @param origin the file the arrays come from (sources then read {@code FILE:omega} and so on), or null
     */
    public static CovariateModel ofCovariances(int d, int p, double[] omega, double[] phi, double[] psi,
                                               double[] theta, String field, String origin) {
        Spectra.requirePositive("d", d);
        Spectra.requirePositive("p", p);
        Spectra.requireLength("omega", omega, (long) d * d, d + " × " + d);
        Spectra.requireLength("phi", phi, (long) p * d, p + " × " + d + " (p × d, E[u vᵀ])");
        Spectra.requireLength("psi", psi, (long) p * p, p + " × " + p);
        Spectra.requireLength("theta", theta, p, Integer.toString(p));
        // Ω is checked by spectra() or quadrature(), before and after its decomposition
        Covariances.checkFinite(field, key(origin, "phi"), phi, p, d);
        Covariances.validate(field, key(origin, "psi"), psi, p);
        Covariances.checkFinite(field, key(origin, "theta"), theta, p, 1);
        double rho = 0;
        for (int a = 0; a < p; a++) {
            double s = 0;
            for (int b = 0; b < p; b++) {
                s += psi[a * p + b] * theta[b];
            }
            rho += theta[a] * s;
        }
        rho /= p;
        // b = Φᵀθ, the student-space direction of the teacher
        double[] b = new double[d];
        for (int a = 0; a < p; a++) {
            double th = theta[a];
            int row = a * d;
            for (int j = 0; j < d; j++) {
                b[j] += th * phi[row + j];
            }
        }
        return new CovariateModel(d, omega, b, rho, (double) p / d, field, key(origin, "omega"));
    }

    private static String key(String origin, String key) {
        return origin == null ? key : origin + ":" + key;
    }

    /** The spectra from the eigendecomposition of Ω ({@link Spectra#fromEigenbasis}). */
    public Spectra spectra() {
        return Spectra.fromEigenbasis(d, omega, b, rho, gamma, field, source);
    }

    /**
     * The Lanczos quadrature of the spectra: Ω checked as the eigen path checks it (finite,
     * symmetric; positive semi-definite on its eigenvalues), its eigenvalues computed without
     * eigenvectors, and a single-vector Lanczos process started from b.
     */
    public TeacherQuadrature quadrature() {
        Covariances.checkFiniteSymmetric(field, source, omega, d);
        Covariances.checkFinite(field, source == null ? "b" : source + " (teacher direction b)", b, d, 1);
        return new TeacherQuadrature(d, omega, b, rho, gamma, field, source);
    }
}
