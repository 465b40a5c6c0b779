package org.gequiv.online;

import org.gequiv.activation.GaussianIntegrals;

/**
 * The model of the density ODEs (docs/theory.md §5.3–§5.5, teacher on the input §5.8): given the
 * covariance C = [[Q, R], [Rᵀ, T]] of the fields and the second layer v, the coefficients through
 * which the densities evolve linearly,
 * <pre>
 *   dr_km(ρ) = ρ Σ_j C_kj r_jm(ρ) + Σ_n D_kn s_nm(ρ)
 *   dq_kl(ρ) = ρ [Σ_j (C_kj q_jl + C_lj q_jk) + G_kl] + Σ_n (D_kn s'_ln + D_ln s'_kn)
 *   dv_k     = η [Σ_n A_n I2(k, n) − Σ_j v_j I2(k, j)]          (zero when only the first layer trains)
 * </pre>
 * with s = t̃/√δ, s' = r/√δ for the teacher on the latent and s = ρ t, s' = ρ r on the input
 * ({@link #teacherSourceScale()}, {@link #teacherSourceIsRhoWeighted()}), and G_kl = η² v_k v_l E_kl
 * the constant (noise) term of §5.4, E_kl = Σ_{c,d} w_c w_d I4(k, l, c, d) with w = (v, −A).
 * The I2/I3/I4 depend on C only, not on ρ, so one evaluation serves every density.
 *
 * <p>Holds the coefficients of the last {@link #compute} call: not thread-safe; allocates nothing.
 */
final class DensityCoefficients {

    private final int k;
    private final int m;
    private final double eta;
    private final boolean trainSecond;
    private final boolean latent;
    private final double invSqrtDelta;
    private final double[] a;
    private final GaussianIntegrals integrals;
    private final double[] coefC;
    private final double[] coefD;
    private final double[] coefG;
    private final double[] dv;

    /**
     * @param k          K
     * @param m          M
     * @param eta        learning rate η of the ODE (for mini-batches the caller passes η/B,
     *                   see {@link OdeTheory#effectiveLearningRate})
     * @param trainSecond whether v evolves
     * @param latent     teacher on the latent (§5.3–§5.5) rather than on the input (§5.8)
     * @param delta      δ = D/N
     * @param a          teacher second layer A (M), read at every call, not modified
     * @param integrals  I2/I3/I4 for the activations
     */
    DensityCoefficients(int k, int m, double eta, boolean trainSecond, boolean latent, double delta, double[] a,
                        GaussianIntegrals integrals) {
        this.k = k;
        this.m = m;
        this.eta = eta;
        this.trainSecond = trainSecond;
        this.latent = latent;
        this.invSqrtDelta = 1.0 / Math.sqrt(delta);
        this.a = a;
        this.integrals = integrals;
        this.coefC = new double[k * k];
        this.coefD = new double[k * m];
        this.coefG = new double[k * k];
        this.dv = new double[k];
    }

    /** Whether v evolves. */
    boolean trainsSecondLayer() {
        return trainSecond;
    }

    /** The factor of the teacher sources t̃ and r of D_kn: 1/√δ (latent) or 1 (input). */
    double teacherSourceScale() {
        return latent ? invSqrtDelta : 1.0;
    }

    /** Whether the teacher sources carry a factor ρ (teacher on the input, §5.8). */
    boolean teacherSourceIsRhoWeighted() {
        return !latent;
    }

    /** C_kj of the last {@link #compute}. */
    double coupling(int kk, int j) {
        return coefC[kk * k + j];
    }

    /** D_kn of the last {@link #compute}. */
    double teacherCoupling(int kk, int nn) {
        return coefD[kk * m + nn];
    }

    /** G_kl = η² v_k v_l E_kl of the last {@link #compute}. */
    double noise(int kk, int ll) {
        return coefG[kk * k + ll];
    }

    /** dv_k of the last {@link #compute} (meaningful only when the second layer trains). */
    double secondLayerDerivative(int kk) {
        return dv[kk];
    }

    /**
     * Evaluates the integrals at covariance {@code c} and the coefficients of §5.3–§5.5.
     *
     * @param c the (K+M) × (K+M) covariance, not modified
     * @param v the second layer in the equations (the frozen initial v when only the first layer
     *          trains), not modified
     */
    void compute(double[] c, double[] v) {
        GaussianIntegrals in = integrals;
        int d = k + m;
        for (int i = 0; i < k; i++) {
            double qii = c[i * d + i];
            // the j = k term of §5.3 ("third line"), then the j ≠ k sum and the teacher terms
            double diag = -eta * v[i] * v[i] * in.i3(c, i, i, i) / qii;
            for (int j = 0; j < k; j++) {
                if (j == i) {
                    continue;
                }
                double qjj = c[j * d + j];
                double qij = c[i * d + j];
                double det = qjj * qii - qij * qij;
                double i3iij = in.i3(c, i, i, j);
                double i3ijj = in.i3(c, i, j, j);
                double pre = -eta * v[i] * v[j] / det;
                diag += pre * (qjj * i3iij - qij * i3ijj);
                coefC[i * k + j] = pre * (qii * i3ijj - qij * i3iij);
            }
            for (int nn = 0; nn < m; nn++) {
                int tn = k + nn;
                double tnn = c[tn * d + tn];
                double rin = c[i * d + tn];
                double det = qii * tnn - rin * rin;
                double i3iin = in.i3(c, i, i, tn);
                double i3inn = in.i3(c, i, tn, tn);
                double pre = eta * v[i] * a[nn] / det;
                diag += pre * (tnn * i3iin - rin * i3inn);
                coefD[i * m + nn] = pre * (qii * i3inn - rin * i3iin);
            }
            coefC[i * k + i] = diag;
        }
        // E_kl with the output weights w = (v, −A): Σ_{c,d} w_c w_d I4(k,l,c,d), I4 symmetric in (c,d)
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double e = 0;
                for (int x = 0; x < d; x++) {
                    double wx = x < k ? v[x] : -a[x - k];
                    e += wx * wx * in.i4(c, i, j, x, x);
                    for (int z = x + 1; z < d; z++) {
                        double wz = z < k ? v[z] : -a[z - k];
                        e += 2 * wx * wz * in.i4(c, i, j, x, z);
                    }
                }
                double g = eta * eta * v[i] * v[j] * e;
                coefG[i * k + j] = g;
                coefG[j * k + i] = g;
            }
        }
        if (trainSecond) {
            for (int i = 0; i < k; i++) {
                double s = 0;
                for (int nn = 0; nn < m; nn++) {
                    s += a[nn] * in.i2(c, i, k + nn);
                }
                for (int j = 0; j < k; j++) {
                    s -= v[j] * in.i2(c, i, j);
                }
                dv[i] = eta * s;
            }
        }
    }
}
