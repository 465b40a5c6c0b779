package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Spectra from covariances (docs/theory.md §6.2) and the pairing defect of reference-values.md §3. */
class SpectraTest {

    /** A random orthogonal n × n matrix (Gram–Schmidt of a Gaussian matrix), row-major. */
    static double[] randomOrthogonal(int n, long seed) {
        Random r = new Random(seed);
        double[] q = new double[n * n];
        for (int j = 0; j < n; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextGaussian();
            }
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i] * q[i * n + k];
                }
                for (int i = 0; i < n; i++) {
                    v[i] -= dot * q[i * n + k];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i * n + j] = v[i] / norm;
            }
        }
        return q;
    }

    /** U diag(values) Uᵀ. */
    static double[] compose(int n, double[] u, double[] values) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += u[i * n + k] * values[k] * u[j * n + k];
                }
                a[i * n + j] = s;
            }
        }
        return a;
    }

    static double[] identity(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 1;
        }
        return a;
    }

    @Test
    void teacherWeightsLiveInOmegasOwnEigenbasis() {
        // Ω = U diag(4, 1, 3, 2) Uᵀ (eigenvector order not sorted) and Φ = I, θ = 2·u_1, the
        // eigenvector of ω = 1. ΦᵀθθᵀΦ = 4 u_1u_1ᵀ commutes with Ω. The right pairing puts t = 4 on
        // ω = 1; pairing sorted spectra by index would put it on ω = 4 (reference-values.md §3).
        int n = 4;
        double[] u = randomOrthogonal(n, 11);
        double[] omega = compose(n, u, new double[] {4, 1, 3, 2});
        double[] theta = new double[n];
        for (int i = 0; i < n; i++) {
            theta[i] = 2 * u[i * n + 1];
        }
        Spectra s = Spectra.fromCovariances(n, n, omega, identity(n), identity(n), theta);
        double[] w = s.omega();
        double[] t = s.t();
        for (int i = 0; i < n; i++) {
            double expected = Math.abs(w[i] - 1.0) < 1e-9 ? 4.0 : 0.0;
            assertEquals(expected, t[i], 1e-12, "t at omega " + w[i]);
        }
        assertEquals(1.0, s.rho(), 1e-12);

        // the defect changes the physics: the correctly paired spectra reproduce the hand-built
        // diagonal model, the sorted-index pairing does not
        SaddlePointSolver solver = new SaddlePointSolver();
        Spectra right = new Spectra(new double[] {1, 2, 3, 4}, new double[] {4, 0, 0, 0}, 1.0, 1.0);
        Spectra wrong = new Spectra(new double[] {1, 2, 3, 4}, new double[] {0, 0, 0, 4}, 1.0, 1.0);
        double fromCov = solver.solve(ErmLoss.RIDGE, s, 1.0, 0.1, 0.0, null).testError();
        assertEquals(solver.solve(ErmLoss.RIDGE, right, 1.0, 0.1, 0.0, null).testError(), fromCov, 1e-9);
        double wrongError = solver.solve(ErmLoss.RIDGE, wrong, 1.0, 0.1, 0.0, null).testError();
        assertTrue(Math.abs(wrongError - fromCov) > 0.01, "wrong pairing differs: " + wrongError + " vs " + fromCov);
    }

    @Test
    void spectraAreInvariantUnderARotationOfTheStudentSpace() {
        // (Ω, Φ) → (QΩQᵀ, ΦQᵀ) describes the same problem in rotated coordinates
        int d = 6;
        int p = 3;
        Random r = new Random(5);
        double[] u = randomOrthogonal(d, 1);
        double[] omega = compose(d, u, new double[] {0.5, 1, 1.5, 2, 2.5, 3});
        double[] phi = new double[p * d];
        for (int i = 0; i < phi.length; i++) {
            phi[i] = 0.3 * r.nextGaussian();
        }
        double[] theta = {1.0, -0.5, 0.7};
        double[] q = randomOrthogonal(d, 2);
        double[] omegaRot = new double[d * d];
        double[] phiRot = new double[p * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        s += q[i * d + a] * omega[a * d + b] * q[j * d + b];
                    }
                }
                omegaRot[i * d + j] = s;
            }
        }
        for (int a = 0; a < p; a++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += phi[a * d + k] * q[j * d + k];
                }
                phiRot[a * d + j] = s;
            }
        }
        Spectra s1 = Spectra.fromCovariances(d, p, omega, phi, identity(p), theta);
        Spectra s2 = Spectra.fromCovariances(d, p, omegaRot, phiRot, identity(p), theta);
        double[] w1 = s1.omega();
        double[] w2 = s2.omega();
        double[] t1 = s1.t();
        double[] t2 = s2.t();
        for (int i = 0; i < d; i++) {
            assertEquals(w1[i], w2[i], 1e-12);
            assertEquals(t1[i], t2[i], 1e-12);
        }
        assertEquals(0.5, s1.gamma(), 0.0);
    }

    /**
     * The teacher weights from the projection of b alone equal the previous formula, t_i = (u_i·b)²
     * with u_i the eigenvectors of LinearAlgebra.symmetricEigen, on the default single-layer Ω at
     * d = 1000: the eigenvalues are the same numbers, and |Δ(u_i·b)| ≤ 10·d·ε·‖b‖ (backward-stable
     * reductions applied in two orders, see LinearAlgebraTest) bounds |Δt_i| by 2·|u_i·b|·that ≤
     * 20·d·ε·‖b‖² (the measured difference is 4e-14 at ‖b‖² ≈ 1e3).
     */
    @Test
    void teacherWeightsEqualTheSquaredProjectionsOnTheEigenvectors() {
        int d = 1000;
        int latent = 100;
        org.gequiv.generator.Moments m = org.gequiv.generator.DeepRandomGenerator.singleLayer(latent, d,
                org.gequiv.activation.StandardActivation.SIGN, org.gequiv.generator.CovarianceRule.EXACT, 0)
                .analyticMoments().orElseThrow();
        Random r = new Random(3);
        double[] b = new double[d];
        for (int a = 0; a < latent; a++) {
            double theta = r.nextGaussian();
            for (int i = 0; i < d; i++) {
                b[i] += m.phi()[i * latent + a] * theta;
            }
        }
        double bSquared = 0;
        for (double x : b) {
            bSquared += x * x;
        }
        Spectra s = Spectra.fromEigenbasis(d, m.omega(), b, 1.0, 0.1);
        org.gequiv.linalg.SymmetricEigen eigen = org.gequiv.linalg.LinearAlgebra.get().symmetricEigen(d, m.omega());
        double tolerance = 20 * d * Math.ulp(1.0) * bSquared;
        double[] t = s.t();
        double[] omega = s.omega();
        for (int i = 0; i < d; i++) {
            double projection = 0;
            for (int j = 0; j < d; j++) {
                projection += eigen.vector(j, i) * b[j];
            }
            assertEquals(Math.max(0, eigen.values()[i]), omega[i], 0.0, "omega_" + i);
            assertEquals(projection * projection, t[i], tolerance, "t_" + i);
        }
    }

    @Test
    void badInputIsRejectedWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Spectra(new double[] {1, -0.5}, new double[] {1, 1}, 1, 1));
        assertTrue(e.getMessage().startsWith("omega must be positive semi-definite"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got eigenvalue -0.5 at index 1 of 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Spectra(new double[] {1, 2}, new double[] {1}, 1, 1));
        assertTrue(e.getMessage().startsWith("t must have the length of omega"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Spectra.fromCovariances(3, 2, new double[9], new double[5], new double[4], new double[2]));
        assertTrue(e.getMessage().startsWith("phi must have shape 2 × 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Spectra(new double[] {1}, new double[] {1}, 0, 1));
        assertTrue(e.getMessage().startsWith("rho must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Spectra(new double[] {1, 2}, new double[] {2, 2}, 1.0, 1.0));
        assertTrue(e.getMessage().startsWith("rho must be >= <t/omega>/gamma = 1.5"), e.getMessage());
        // round-off negatives (relative 1e-14) are clipped rather than rejected
        assertEquals(0.0, new Spectra(new double[] {1, -1e-14}, new double[] {1, 0}, 1, 1).omega()[1], 0.0);

        SaddlePointSolver solver = new SaddlePointSolver();
        Spectra s = Spectra.isotropic(2);
        e = assertThrows(IllegalArgumentException.class, () -> solver.solve(ErmLoss.RIDGE, s, 0.5, 0.0, 0.0, null));
        assertTrue(e.getMessage().startsWith("lambda must be > 0 for ridge at alpha <= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> solver.solve(ErmLoss.RIDGE, s, 2, -1, 0.0, null));
        assertTrue(e.getMessage().startsWith("lambda must be finite and >= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> solver.solve(ErmLoss.LOGISTIC, s, 2, 0, 0.0, null));
        assertTrue(e.getMessage().startsWith("lambda must be > 0 for the logistic loss"), e.getMessage());
        // ridge without penalty above α = 1 is well posed: the least-squares solution
        assertTrue(solver.solve(ErmLoss.RIDGE, s, 2, 0, 0.0, null).converged());
    }
}
