package org.gequiv.online;

import org.gequiv.activation.GaussianIntegrals;
import org.gequiv.model.TeacherInput;

/**
 * The right-hand side of the closed ODEs for the order-parameter densities (theory.md §5.3–§5.5,
 * teacher on the input §5.8) on a flat state vector.
 *
 * <p>State layout ({@link #dimension()} entries): the densities q_kl(ρ_τ) for k ≤ l, pair by pair
 * (pair (k,l) in row-major order of the upper triangle, N entries each); then r_km(ρ_τ) for
 * (k, m) row-major, N entries each; then v_k. Q and R are recomputed from the densities at every
 * call (§5.1), the integrals I2/I3/I4 are evaluated once per call from C = [[Q, R], [Rᵀ, T]] —
 * they do not depend on ρ — and the densities then evolve linearly:
 * <pre>
 *   dr_km(ρ) = ρ Σ_j C_kj r_jm(ρ) + Σ_n D_kn s_nm(ρ)
 *   dq_kl(ρ) = ρ [Σ_j (C_kj q_jl + C_lj q_jk) + η² v_k v_l E_kl] + Σ_n (D_kn s'_ln + D_ln s'_kn)
 *   dv_k     = η [Σ_n A_n I2(k, n) − Σ_j v_j I2(k, j)]          (zero when only the first layer trains)
 * </pre>
 * with the coefficients C, D, E collecting the terms of §5.3–§5.4, s = t̃/√δ and s' = r/√δ for the
 * teacher on the latent, s = ρ t and s' = ρ r for the teacher on the input.
 *
 * <p>{@link #derivatives} allocates nothing. Instances hold scratch space: <b>not thread-safe</b>.
 */
public final class DensityOdes {

    /** τ-block length: the output chunk and ~20 source chunks fit in L1 together. */
    private static final int BLOCK = 256;

    private final int k;
    private final int m;
    private final int n;
    private final int pairs;
    private final int dim;
    private final double eta;
    private final boolean trainSecond;
    private final boolean latent;
    private final double invSqrtDelta;
    private final double[] rho;
    private final double[] tildeT;
    private final double[] tMatrix;
    private final double[] a;
    private final double[] v0;
    private final GaussianIntegrals integrals;
    private final int[] pairIndex;
    private final int[] pairK;
    private final int[] pairL;
    private final OdeInitialState init;

    // scratch
    private final double[] qm;
    private final double[] rm;
    private final double[] vv;
    private final double[] cov;
    private final double[] coefC;
    private final double[] coefD;
    private final double[] coefG;
    private final double[] dvScratch;
    private final int outputs;
    private final int maxTerms;
    private final int[] rhoCount;
    private final int[] plainCount;
    private final double[] constant;
    private final double[] rhoCoef;
    private final double[][] rhoSrc;
    private final int[] rhoOff;
    private final double[] plainCoef;
    private final double[][] plainSrc;
    private final int[] plainOff;
    private String nonFinite;
    private long evaluations;

    /**
     * @param init       initial densities, constant T, A, δ; the arrays are read, never modified
     * @param integrals  I2/I3/I4 for the (student, teacher) activations, K and M of {@code init}
     * @param eta        learning rate η
     * @param layers     whether v evolves
     */
    public DensityOdes(OdeInitialState init, GaussianIntegrals integrals, double eta, TrainedLayers layers) {
        if (integrals.studentHidden() != init.studentHidden() || integrals.teacherHidden() != init.teacherHidden()) {
            throw new IllegalArgumentException("integrals must be for K = " + init.studentHidden() + ", M = "
                    + init.teacherHidden() + ", got K = " + integrals.studentHidden() + ", M = "
                    + integrals.teacherHidden());
        }
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + eta);
        }
        this.init = init;
        this.k = init.studentHidden();
        this.m = init.teacherHidden();
        this.n = init.size();
        this.pairs = k * (k + 1) / 2;
        this.dim = (pairs + k * m) * n + k;
        this.eta = eta;
        this.trainSecond = layers == TrainedLayers.BOTH;
        this.latent = init.teacherInput() == TeacherInput.LATENT;
        this.invSqrtDelta = 1.0 / Math.sqrt(init.delta());
        this.rho = init.rho();
        this.tildeT = init.tildeT();
        this.tMatrix = init.t();
        this.a = init.a();
        this.v0 = init.v();
        this.integrals = integrals;
        this.pairIndex = new int[k * k];
        this.pairK = new int[pairs];
        this.pairL = new int[pairs];
        int p = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                pairIndex[i * k + j] = p;
                pairIndex[j * k + i] = p;
                pairK[p] = i;
                pairL[p] = j;
                p++;
            }
        }
        this.qm = new double[k * k];
        this.rm = new double[k * m];
        this.vv = new double[k];
        this.cov = new double[(k + m) * (k + m)];
        this.coefC = new double[k * k];
        this.coefD = new double[k * m];
        this.coefG = new double[k * k];
        this.dvScratch = new double[k];
        this.outputs = pairs + k * m;
        this.maxTerms = 2 * (k + m);
        this.rhoCount = new int[outputs];
        this.plainCount = new int[outputs];
        this.constant = new double[outputs];
        this.rhoCoef = new double[outputs * maxTerms];
        this.rhoSrc = new double[outputs * maxTerms][];
        this.rhoOff = new int[outputs * maxTerms];
        this.plainCoef = new double[outputs * maxTerms];
        this.plainSrc = new double[outputs * maxTerms][];
        this.plainOff = new int[outputs * maxTerms];
    }

    /** Number of {@link #derivatives} calls so far (cost accounting for the integrators). */
    public long evaluations() {
        return evaluations;
    }

    /** Length of the state vector. */
    public int dimension() {
        return dim;
    }

    /** K. */
    public int studentHidden() {
        return k;
    }

    /** M. */
    public int teacherHidden() {
        return m;
    }

    /** The integrals in use. */
    public GaussianIntegrals integrals() {
        return integrals;
    }

    /** Writes the initial state into {@code y} (length {@link #dimension()}). */
    public void initialState(double[] y) {
        double[] q = init.q();
        double[] r = init.r();
        for (int p = 0; p < pairs; p++) {
            System.arraycopy(q, (pairK[p] * k + pairL[p]) * n, y, p * n, n);
        }
        System.arraycopy(r, 0, y, pairs * n, k * m * n);
        System.arraycopy(v0, 0, y, (pairs + k * m) * n, k);
    }

    /**
     * Q (K × K), R (K × M) and v (K) of state {@code y} (theory.md §5.1).
     *
     * @param q overwritten with Q
     * @param r overwritten with R
     * @param v overwritten with v
     */
    public void orderParameters(double[] y, double[] q, double[] r, double[] v) {
        double invN = 1.0 / n;
        for (int p = 0; p < pairs; p++) {
            double s = weightedSum(rho, y, p * n, n) * invN;
            q[pairK[p] * k + pairL[p]] = s;
            q[pairL[p] * k + pairK[p]] = s;
        }
        int rOff = pairs * n;
        for (int i = 0; i < k * m; i++) {
            int o = rOff + i * n;
            r[i] = latent ? sum(y, o, n) * invN * invSqrtDelta : weightedSum(rho, y, o, n) * invN;
        }
        System.arraycopy(y, (pairs + k * m) * n, v, 0, k);
    }

    /** ε_g of state {@code y} (theory.md §3.2). Allocates nothing beyond the integrals' scratch. */
    public double generalisationError(double[] y) {
        orderParameters(y, qm, rm, vv);
        GaussianIntegrals.covariance(k, m, qm, rm, tMatrix, cov);
        return integrals.generalisationError(cov, vv, a);
    }

    /**
     * The name and value of the first non-finite order parameter of {@code y} (for example
     * {@code "Q_0_1 = NaN"}), or null when Q, R and v are all finite.
     */
    public String firstNonFinite(double[] y) {
        orderParameters(y, qm, rm, vv);
        return describeNonFinite();
    }

    /**
     * The non-finite order parameter met by the last {@link #derivatives} call, or null if Q, R and
     * v were finite there.
     */
    public String lastNonFinite() {
        return nonFinite;
    }

    private String describeNonFinite() {
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                if (!Double.isFinite(qm[i * k + j])) {
                    return "Q_" + i + "_" + j + " = " + qm[i * k + j];
                }
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < m; j++) {
                if (!Double.isFinite(rm[i * m + j])) {
                    return "R_" + i + "_" + j + " = " + rm[i * m + j];
                }
            }
        }
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(vv[i])) {
                return "v_" + i + " = " + vv[i];
            }
        }
        return null;
    }

    /**
     * dy/dt at state {@code y}. Allocation-free.
     *
     * @param y  state, not modified
     * @param dy overwritten with the derivative
     */
    public void derivatives(double[] y, double[] dy) {
        evaluations++;
        orderParameters(y, qm, rm, vv);
        nonFinite = describeNonFinite();
        GaussianIntegrals.covariance(k, m, qm, rm, tMatrix, cov);
        double[] v = trainSecond ? vv : v0;
        computeCoefficients(v);

        // blocks of τ keep the output chunk and the sources in L1 across the few passes per output
        buildTerms(y);
        for (int b = 0; b < n; b += BLOCK) {
            densityBlock(dy, b, Math.min(BLOCK, n - b));
        }
        int vOff = (pairs + k * m) * n;
        for (int i = 0; i < k; i++) {
            dy[vOff + i] = trainSecond ? dvScratch[i] : 0.0;
        }
    }

    /**
     * Σ_i w_i x_{off+i} with four independent accumulators: a single running sum is bound by the
     * latency of the floating-point add and is several times slower at N = 3072.
     */
    static double weightedSum(double[] w, double[] x, int off, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += w[i] * x[off + i];
            s1 += w[i + 1] * x[off + i + 1];
            s2 += w[i + 2] * x[off + i + 2];
            s3 += w[i + 3] * x[off + i + 3];
        }
        for (; i < len; i++) {
            s0 += w[i] * x[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ_i x_{off+i}, four accumulators (see {@link #weightedSum}). */
    static double sum(double[] x, int off, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += x[off + i];
            s1 += x[off + i + 1];
            s2 += x[off + i + 2];
            s3 += x[off + i + 3];
        }
        for (; i < len; i++) {
            s0 += x[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Collects, for every output density, its terms as (coefficient, source array, offset), the
     * ρ-multiplied ones and the plain ones separately, merging terms that read the same source.
     */
    private void buildTerms(double[] y) {
        int rOff = pairs * n;
        for (int p = 0; p < pairs; p++) {
            int kk = pairK[p];
            int ll = pairL[p];
            int o = p;
            rhoCount[o] = 0;
            plainCount[o] = 0;
            constant[o] = coefG[kk * k + ll];
            for (int j = 0; j < k; j++) {
                addTerm(o, true, coefC[kk * k + j], y, pairIndex[j * k + ll] * n);
                addTerm(o, true, coefC[ll * k + j], y, pairIndex[j * k + kk] * n);
            }
            double scale = latent ? invSqrtDelta : 1.0;
            for (int nn = 0; nn < m; nn++) {
                addTerm(o, !latent, coefD[kk * m + nn] * scale, y, rOff + (ll * m + nn) * n);
                addTerm(o, !latent, coefD[ll * m + nn] * scale, y, rOff + (kk * m + nn) * n);
            }
        }
        for (int kk = 0; kk < k; kk++) {
            for (int mm = 0; mm < m; mm++) {
                int o = pairs + kk * m + mm;
                rhoCount[o] = 0;
                plainCount[o] = 0;
                constant[o] = 0;
                for (int j = 0; j < k; j++) {
                    addTerm(o, true, coefC[kk * k + j], y, rOff + (j * m + mm) * n);
                }
                double scale = latent ? invSqrtDelta : 1.0;
                for (int nn = 0; nn < m; nn++) {
                    addTerm(o, !latent, coefD[kk * m + nn] * scale, tildeT, (nn * m + mm) * n);
                }
            }
        }
    }

    private void addTerm(int o, boolean rhoTerm, double c, double[] src, int off) {
        int base = o * maxTerms;
        int count = rhoTerm ? rhoCount[o] : plainCount[o];
        double[] coefs = rhoTerm ? rhoCoef : plainCoef;
        double[][] arrays = rhoTerm ? rhoSrc : plainSrc;
        int[] offs = rhoTerm ? rhoOff : plainOff;
        for (int i = 0; i < count; i++) {
            if (arrays[base + i] == src && offs[base + i] == off) {
                coefs[base + i] += c;
                return;
            }
        }
        coefs[base + count] = c;
        arrays[base + count] = src;
        offs[base + count] = off;
        if (rhoTerm) {
            rhoCount[o]++;
        } else {
            plainCount[o]++;
        }
    }

    /**
     * dy = ρ ⊙ (constant + Σ ρ-terms) + Σ plain terms on one τ-block, two terms per pass so that
     * each pass loads two sources and touches the output once.
     */
    private void densityBlock(double[] dy, int b, int len) {
        for (int o = 0; o < outputs; o++) {
            int out = o * n + b;
            int base = o * maxTerms;
            int nr = rhoCount[o];
            double g = constant[o];
            // first pass: constant and up to two ρ-terms
            double c0 = nr > 0 ? rhoCoef[base] : 0.0;
            double[] x0 = nr > 0 ? rhoSrc[base] : rho;
            int o0 = nr > 0 ? rhoOff[base] + b : b;
            double c1 = nr > 1 ? rhoCoef[base + 1] : 0.0;
            double[] x1 = nr > 1 ? rhoSrc[base + 1] : x0;
            int o1 = nr > 1 ? rhoOff[base + 1] + b : o0;
            for (int t = 0; t < len; t++) {
                dy[out + t] = rho[b + t] * (g + c0 * x0[o0 + t] + c1 * x1[o1 + t]);
            }
            for (int i = 2; i < nr; i += 2) {
                c0 = rhoCoef[base + i];
                x0 = rhoSrc[base + i];
                o0 = rhoOff[base + i] + b;
                c1 = i + 1 < nr ? rhoCoef[base + i + 1] : 0.0;
                x1 = i + 1 < nr ? rhoSrc[base + i + 1] : x0;
                o1 = i + 1 < nr ? rhoOff[base + i + 1] + b : o0;
                for (int t = 0; t < len; t++) {
                    dy[out + t] += rho[b + t] * (c0 * x0[o0 + t] + c1 * x1[o1 + t]);
                }
            }
            int np = plainCount[o];
            for (int i = 0; i < np; i += 2) {
                c0 = plainCoef[base + i];
                x0 = plainSrc[base + i];
                o0 = plainOff[base + i] + b;
                c1 = i + 1 < np ? plainCoef[base + i + 1] : 0.0;
                x1 = i + 1 < np ? plainSrc[base + i + 1] : x0;
                o1 = i + 1 < np ? plainOff[base + i + 1] + b : o0;
                for (int t = 0; t < len; t++) {
                    dy[out + t] += c0 * x0[o0 + t] + c1 * x1[o1 + t];
                }
            }
        }
    }


    /**
     * The coefficients of §5.3–§5.5 from the integrals at the current C:
     * C_kj (ρ-multiplied coupling of the densities), D_kn (teacher source), G_kl = η² v_k v_l E_kl
     * and dv.
     */
    private void computeCoefficients(double[] v) {
        GaussianIntegrals in = integrals;
        double[] c = cov;
        int d = k + m;
        for (int i = 0; i < k; i++) {
            double qii = c[i * d + i];
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
                dvScratch[i] = eta * s;
            }
        }
    }
}
