package org.gequiv.equivalence;

import java.util.random.RandomGenerator;

import org.gequiv.generator.Moments;
import org.gequiv.linalg.DenseMatrices;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.NotPositiveDefiniteException;
import org.gequiv.model.TeacherInput;
import org.gequiv.random.RandomStreams;

/**
 * The Gaussian law N(μ, C) of the local fields (λ, ν) that the Gaussian equivalence predicts from
 * a generator's moments (docs/theory.md §2.1):
 * <pre>
 *   C = [[Q, R], [Rᵀ, T]],  Q = W Ω Wᵀ/N,
 *   latent teacher:  R = W Φ θᵀ/√(N D),  T = θ θᵀ/D,
 *   teacher on x:    R = W Ω θᵀ/N,       T = θ Ω θᵀ/N,
 * </pre>
 * and mean μ_λ = W(E x − x₀)/√N (μ_ν = θ(E x − x₀)/√N for a teacher on x, 0 on the latent),
 * where x₀ is the centring vector subtracted from every sample (normally E x, giving μ = 0).
 *
 * <p>The record does not copy its arrays: they are views, to be treated as read-only.
 *
 * @param students   K
 * @param teachers   M
 * @param mean       μ, length K + M
 * @param covariance C, (K + M) × (K + M) row-major, symmetric
 */
public record GaussianFieldLaw(int students, int teachers, double[] mean, double[] covariance) {

    public GaussianFieldLaw {
        int d = students + teachers;
        if (students < 1 || teachers < 0) {
            throw new IllegalArgumentException("students must be >= 1 and teachers >= 0, got " + students + ", " + teachers);
        }
        if (mean.length != d || covariance.length != d * d) {
            throw new IllegalArgumentException("mean and covariance must have " + d + " and " + d * d
                    + " entries, got " + mean.length + " and " + covariance.length);
        }
    }

    /** K + M. */
    public int dimension() {
        return students + teachers;
    }

    /** The law predicted by {@code moments} for {@code weights} when samples are centred by {@code centring}. */
    public static GaussianFieldLaw fromMoments(Moments moments, FieldWeights weights, double[] centring) {
        int n = weights.inputDimension();
        int dLatent = weights.latentDimension();
        if (moments.inputDimension() != n || moments.latentDimension() != dLatent) {
            throw new IllegalArgumentException("moments must have N = " + n + ", D = " + dLatent + ", got N = "
                    + moments.inputDimension() + ", D = " + moments.latentDimension());
        }
        if (centring.length != n) {
            throw new IllegalArgumentException("centring must have length N = " + n + ", got " + centring.length);
        }
        LinearAlgebra la = LinearAlgebra.get();
        int kk = weights.students();
        int mm = weights.teachers();
        int dim = kk + mm;
        double[] w = weights.student();
        double[] theta = weights.teacher();
        double[] omega = moments.omega();

        double[] wOmega = new double[kk * n];
        la.gemm(false, false, kk, n, n, 1.0, w, omega, 0.0, wOmega);
        double[] q = new double[kk * kk];
        la.gemm(false, true, kk, kk, n, 1.0 / n, wOmega, w, 0.0, q);
        double[] r = new double[kk * mm];
        double[] t = new double[mm * mm];
        double[] shift = new double[n];
        for (int i = 0; i < n; i++) {
            shift[i] = moments.mean()[i] - centring[i];
        }
        double[] mu = new double[dim];
        project(w, kk, n, shift, mu, 0);
        if (mm > 0) {
            if (weights.teacherInput() == TeacherInput.LATENT) {
                double[] wPhi = new double[kk * dLatent];
                la.gemm(false, false, kk, dLatent, n, 1.0, w, moments.phi(), 0.0, wPhi);
                la.gemm(false, true, kk, mm, dLatent, 1.0 / Math.sqrt((double) n * dLatent), wPhi, theta, 0.0, r);
                la.gemm(false, true, mm, mm, dLatent, 1.0 / dLatent, theta, theta, 0.0, t);
            } else {
                la.gemm(false, true, kk, mm, n, 1.0 / n, wOmega, theta, 0.0, r);
                double[] thetaOmega = new double[mm * n];
                la.gemm(false, false, mm, n, n, 1.0, theta, omega, 0.0, thetaOmega);
                la.gemm(false, true, mm, mm, n, 1.0 / n, thetaOmega, theta, 0.0, t);
                project(theta, mm, n, shift, mu, kk);
            }
        }
        double[] c = new double[dim * dim];
        for (int a = 0; a < kk; a++) {
            for (int b = 0; b < kk; b++) {
                // symmetrise: Q is symmetric in exact arithmetic, the two GEMM orders round differently
                c[a * dim + b] = 0.5 * (q[a * kk + b] + q[b * kk + a]);
            }
            for (int m = 0; m < mm; m++) {
                c[a * dim + kk + m] = r[a * mm + m];
                c[(kk + m) * dim + a] = r[a * mm + m];
            }
        }
        for (int m = 0; m < mm; m++) {
            for (int l = 0; l < mm; l++) {
                c[(kk + m) * dim + kk + l] = 0.5 * (t[m * mm + l] + t[l * mm + m]);
            }
        }
        return new GaussianFieldLaw(kk, mm, mu, c);
    }

    private static void project(double[] rows, int count, int n, double[] v, double[] out, int offset) {
        double scale = 1.0 / Math.sqrt(n);
        for (int k = 0; k < count; k++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += rows[k * n + i] * v[i];
            }
            out[offset + k] = s * scale;
        }
    }

    /** C_aa, the variance of field {@code a}. */
    public double variance(int a) {
        return covariance[a * dimension() + a];
    }

    /** uᵀ C u for a direction u of length K + M. */
    public double quadraticForm(double[] u) {
        int d = dimension();
        double s = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                s += u[a] * covariance[a * d + b] * u[b];
            }
        }
        return s;
    }

    /**
     * A factor L with L Lᵀ = C: the Cholesky factor, or the symmetric square root when C is only
     * positive semi-definite (for example a teacher that duplicates a student).
     */
    double[] factor() {
        int d = dimension();
        LinearAlgebra la = LinearAlgebra.get();
        try {
            return la.cholesky(d, covariance);
        } catch (NotPositiveDefiniteException e) {
            return DenseMatrices.psdSquareRoot(la.symmetricEigen(d, covariance), la);
        }
    }

    /**
     * Fills rows {@code [first, first + count)} of the P × (K + M) array {@code out} with independent
     * draws μ + L z, z from {@code rng}.
     *
     * @param factor from {@link #factor()}
     * @param z      scratch of length ≥ K + M
     */
    void sampleRows(RandomGenerator rng, double[] factor, int first, int count, double[] out, double[] z) {
        int d = dimension();
        for (int p = first; p < first + count; p++) {
            RandomStreams.fillGaussian(rng, z, d);
            for (int a = 0; a < d; a++) {
                double s = mean[a];
                for (int b = 0; b < d; b++) {
                    s += factor[a * d + b] * z[b];
                }
                out[p * d + a] = s;
            }
        }
    }
}
