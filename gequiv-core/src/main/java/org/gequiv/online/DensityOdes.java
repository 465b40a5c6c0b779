package org.gequiv.online;

import org.gequiv.activation.GaussianIntegrals;
import org.gequiv.model.TeacherInput;

/**
 * The right-hand side of the closed ODEs for the order-parameter densities (theory.md §5.3–§5.5,
 * teacher on the input §5.8) on a segmented state.
 *
 * <p>State layout ({@link #newState()}, one row per density): the densities q_kl(ρ_τ) for k ≤ l,
 * pair by pair (pair (k,l) in row-major order of the upper triangle, rows of N); then r_km(ρ_τ)
 * for (k, m) row-major, rows of N; then one row holding v. Separate rows, rather than one flat
 * vector, let every loop address all its operands with the same index, which HotSpot turns into
 * SIMD code (about 3× faster here). Q, R and v are linear functionals φ of the state (§5.1),
 * recomputed at every call; the integrals I2/I3/I4 are evaluated once per call from C = [[Q, R], [Rᵀ, T]] —
 * they do not depend on ρ — and the densities then evolve linearly:
 * <pre>
 *   dr_km(ρ) = ρ Σ_j C_kj r_jm(ρ) + Σ_n D_kn s_nm(ρ)
 *   dq_kl(ρ) = ρ [Σ_j (C_kj q_jl + C_lj q_jk) + η² v_k v_l E_kl] + Σ_n (D_kn s'_ln + D_ln s'_kn)
 *   dv_k     = η [Σ_n A_n I2(k, n) − Σ_j v_j I2(k, j)]          (zero when only the first layer trains)
 * </pre>
 * with the coefficients C, D, E collecting the terms of §5.3–§5.4, s = t̃/√δ and s' = r/√δ for the
 * teacher on the latent, s = ρ t and s' = ρ r for the teacher on the input.
 *
 * <p>Given φ, the right-hand side is local in τ. {@link #derivatives} evaluates it in one go;
 * the package-private {@code prepare}/{@code densityBlock} pair evaluates it block by block of τ,
 * which {@link DensityDormandPrince} fuses with its stage combinations.
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
    /** The merged eigenvalues ρ_g, ascending; {@link #n} of them. */
    private final double[] rho;
    /**
     * ρ_g times the noise weight of g, the sum of {@link OdeInitialState#noiseWeights()} over its
     * members (the constant term of §5.4 is per τ; with the default weights, the group size).
     */
    private final double[] rhoTimesCount;
    /** Number of entries per density row of the initial state (its nodes). */
    private final int eigenvalueCount;
    /**
     * N, the number of directions the nodes stand for (the denominators of Q and R):
     * {@link OdeInitialState#directions()}, equal to {@link #eigenvalueCount} for eigen-directions.
     */
    private final double directions;
    /** τ's of group g: members[memberStart[g] .. memberStart[g + 1]). */
    private final int[] memberStart;
    private final int[] members;
    /** t̃_nm summed over each group, rows of n, (n, m) row-major. */
    private final double[][] tildeT;
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
    private final double[] plainCoef;
    private final double[][] plainSrc;
    /** Whether functional o is ρ-weighted (Q; R for the teacher on the input) or a plain sum. */
    private final boolean[] rhoWeighted;
    private final double[] functionalScale;
    private final double[] phiScratch;
    private String nonFinite;
    private long evaluations;

    /**
     * With the default eigenvalue merging ({@link OdeOptions#DEFAULT_EIGENVALUE_MERGING}).
     *
     * @param init       initial densities, constant T, A, δ; the arrays are read, never modified
     * @param integrals  I2/I3/I4 for the (student, teacher) activations, K and M of {@code init}
     * @param eta        learning rate η
     * @param layers     whether v evolves
     */
    public DensityOdes(OdeInitialState init, GaussianIntegrals integrals, double eta, TrainedLayers layers) {
        this(init, integrals, eta, layers, OdeOptions.DEFAULT_EIGENVALUE_MERGING);
    }

    /**
     * @param init              initial densities, constant T, A, δ; the arrays are read, never
     *                          modified
     * @param integrals         I2/I3/I4 for the (student, teacher) activations, K and M of
     *                          {@code init}
     * @param eta               learning rate η
     * @param layers            whether v evolves
     * @param eigenvalueMerging eigenvalues within this times max |ρ| of the smallest of their run
     *                          share one density, the sum of theirs (see
     *                          {@link OdeOptions#eigenvalueMerging()}); 0 merges only equal ones,
     *                          a negative value none (every τ keeps its density, in input order)
     */
    public DensityOdes(OdeInitialState init, GaussianIntegrals integrals, double eta, TrainedLayers layers,
                       double eigenvalueMerging) {
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
        this.eigenvalueCount = init.size();
        this.directions = init.directions();
        double[] rhoAll = init.rho();
        Merging merging = Merging.of(rhoAll, eigenvalueMerging);
        this.members = merging.members();
        this.memberStart = merging.starts();
        this.n = memberStart.length - 1;
        this.rho = new double[n];
        this.rhoTimesCount = new double[n];
        sumGroups(rhoAll, 0, rho);
        // [spectral, issue 14] the constant term carries the summed noise weight of the group
        // (1 per eigen-direction, so the group size as before; 0 on block-Gauss nodes)
        double[] weightSum = new double[n];
        sumGroups(init.noiseWeights(), 0, weightSum);
        for (int g = 0; g < n; g++) {
            int count = memberStart[g + 1] - memberStart[g];
            rho[g] /= count;
            rhoTimesCount[g] = rho[g] * weightSum[g];
        }
        this.pairs = k * (k + 1) / 2;
        this.dim = (pairs + k * m) * n + k;
        this.eta = eta;
        this.trainSecond = layers == TrainedLayers.BOTH;
        this.latent = init.teacherInput() == TeacherInput.LATENT;
        this.invSqrtDelta = 1.0 / Math.sqrt(init.delta());
        this.tildeT = new double[m * m][];
        for (int i = 0; i < m * m; i++) {
            tildeT[i] = new double[n];
            sumGroups(init.tildeT(), i * eigenvalueCount, tildeT[i]);
        }
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
        this.plainCoef = new double[outputs * maxTerms];
        this.plainSrc = new double[outputs * maxTerms][];
        this.rhoWeighted = new boolean[outputs];
        this.functionalScale = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            boolean density = o < pairs;
            rhoWeighted[o] = density || !latent;
            functionalScale[o] = density || !latent ? 1.0 / directions
                    : 1.0 / (directions * Math.sqrt(init.delta()));
        }
        this.phiScratch = new double[outputs + k];
    }

    /** Number of {@link #derivatives} calls so far (cost accounting for the integrators). */
    public long evaluations() {
        return evaluations;
    }

    /** Number of entries of the state: (K(K+1)/2 + KM)·{@link #mergedEigenvalues()} + K. */
    public int dimension() {
        return dim;
    }

    /**
     * A zero state: K(K+1)/2 + KM rows of {@link #mergedEigenvalues()} (the densities) and a last
     * row of K (v).
     */
    public double[][] newState() {
        double[][] y = new double[outputs + 1][];
        for (int i = 0; i < outputs; i++) {
            y[i] = new double[n];
        }
        y[outputs] = new double[k];
        return y;
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

    /** Writes the initial state into {@code y} (shaped as {@link #newState()}). */
    public void initialState(double[][] y) {
        double[] q = init.q();
        double[] r = init.r();
        for (int p = 0; p < pairs; p++) {
            sumGroups(q, (pairK[p] * k + pairL[p]) * eigenvalueCount, y[p]);
        }
        for (int i = 0; i < k * m; i++) {
            sumGroups(r, i * eigenvalueCount, y[pairs + i]);
        }
        System.arraycopy(v0, 0, y[outputs], 0, k);
    }

    /**
     * Number of distinct eigenvalues the densities are resolved on after merging (N when none
     * merge; D + 1 for a single-layer generator with D &lt; N).
     */
    public int mergedEigenvalues() {
        return n;
    }

    /** target[g] = Σ_{τ ∈ g} density[offset + τ]. */
    private void sumGroups(double[] density, int offset, double[] target) {
        for (int g = 0; g < n; g++) {
            double sum = 0;
            for (int i = memberStart[g]; i < memberStart[g + 1]; i++) {
                sum += density[offset + members[i]];
            }
            target[g] = sum;
        }
    }

    /**
     * How many densities the eigenvalues {@code rho} become under merging tolerance
     * {@code tolerance} (see {@link OdeOptions#eigenvalueMerging()}).
     */
    public static int mergedEigenvalues(double[] rho, double tolerance) {
        return Merging.of(rho, tolerance).starts().length - 1;
    }

    /** Groups of eigenvalues: τ's of group g are members[starts[g] .. starts[g + 1]). */
    private record Merging(int[] members, int[] starts) {

        static Merging of(double[] rho, double tolerance) {
            OdeOptions.checkEigenvalueMerging(tolerance);
            int count = rho.length;
            boolean merge = tolerance >= 0;
            int[] members = merge ? ascendingOrder(rho) : java.util.stream.IntStream.range(0, count).toArray();
            double maxAbs = 0;
            for (double x : rho) {
                maxAbs = Math.max(maxAbs, Math.abs(x));
            }
            // a run of sorted eigenvalues within gap of its smallest is one group
            double gap = tolerance * maxAbs;
            int[] starts = new int[count + 1];
            int groups = 0;
            for (int i = 0; i < count; i++) {
                if (i == 0 || !merge || rho[members[i]] - rho[members[starts[groups - 1]]] > gap) {
                    starts[groups++] = i;
                }
            }
            starts[groups] = count;
            return new Merging(members, java.util.Arrays.copyOf(starts, groups + 1));
        }
    }

    /** The permutation that sorts {@code x} ascending (stable). */
    private static int[] ascendingOrder(double[] x) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (i, j) -> Double.compare(x[i], x[j]));
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /**
     * Q (K × K), R (K × M) and v (K) of state {@code y} (theory.md §5.1).
     *
     * @param q overwritten with Q
     * @param r overwritten with R
     * @param v overwritten with v
     */
    public void orderParameters(double[][] y, double[] q, double[] r, double[] v) {
        functionals(y, phiScratch);
        unpack(phiScratch, q, r, v);
    }

    /**
     * Number of linear functionals of the state through which the densities are coupled (and which
     * the output needs): the K(K+1)/2 entries Q_kl, k ≤ l, then the KM entries of R, then v.
     */
    int functionalCount() {
        return outputs + k;
    }

    /** Number of density rows of the state (the row of v follows them). */
    int densityRows() {
        return outputs;
    }

    /** The length of each density row: {@link #mergedEigenvalues()}. */
    int size() {
        return n;
    }

    /**
     * φ(y) = (Q_kl for k ≤ l, R_km, v_k) — linear in y, so the functionals of a linear combination
     * of states are the same combination of their functionals.
     */
    void functionals(double[][] y, double[] phi) {
        for (int o = 0; o < outputs; o++) {
            phi[o] = partialFunctional(y[o], o, 0, n) * functionalScale[o];
        }
        System.arraycopy(y[outputs], 0, phi, outputs, k);
    }

    /**
     * The unscaled part of functional {@code o} (a density row) from τ in [from, to): Σ ρ_τ x_τ or
     * Σ x_τ; multiplied by {@link #functionalScale(int)} once the sum over all blocks is complete.
     */
    double partialFunctional(double[] row, int o, int from, int to) {
        return rhoWeighted[o] ? weightedSum(rho, row, from, to) : sum(row, from, to);
    }

    /** The factor that turns the summed {@link #partialFunctional} of row o into Q or R. */
    double functionalScale(int o) {
        return functionalScale[o];
    }

    /** Q, R and v from the functionals φ. */
    void unpack(double[] phi, double[] q, double[] r, double[] v) {
        for (int p = 0; p < pairs; p++) {
            q[pairK[p] * k + pairL[p]] = phi[p];
            q[pairL[p] * k + pairK[p]] = phi[p];
        }
        System.arraycopy(phi, pairs, r, 0, k * m);
        System.arraycopy(phi, outputs, v, 0, k);
    }

    /** ε_g of state {@code y} (theory.md §3.2). Allocates nothing beyond the integrals' scratch. */
    public double generalisationError(double[][] y) {
        orderParameters(y, qm, rm, vv);
        GaussianIntegrals.covariance(k, m, qm, rm, tMatrix, cov);
        return integrals.generalisationError(cov, vv, a);
    }

    /**
     * ε_g from given order parameters (theory.md §3.2), with this system's T and A.
     *
     * @param q Q (K × K), not modified
     * @param r R (K × M), not modified
     * @param v v (K), not modified
     */
    public double generalisationError(double[] q, double[] r, double[] v) {
        GaussianIntegrals.covariance(k, m, q, r, tMatrix, cov);
        return integrals.generalisationError(cov, v, a);
    }

    /**
     * The name and value of the first non-finite entry of Q, R or v (for example
     * {@code "Q_0_1 = NaN"}), or null when all are finite.
     */
    public String firstNonFinite(double[] q, double[] r, double[] v) {
        System.arraycopy(q, 0, qm, 0, k * k);
        System.arraycopy(r, 0, rm, 0, k * m);
        System.arraycopy(v, 0, vv, 0, k);
        return describeNonFinite();
    }

    /**
     * The name and value of the first non-finite order parameter of {@code y} (for example
     * {@code "Q_0_1 = NaN"}), or null when Q, R and v are all finite.
     */
    public String firstNonFinite(double[][] y) {
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
    public void derivatives(double[][] y, double[][] dy) {
        functionals(y, phiScratch);
        prepare(phiScratch, y);
        // blocks of τ keep the output chunk and the sources in L1 across the few passes per output
        for (int b = 0; b < n; b += BLOCK) {
            densityBlock(dy, b, Math.min(b + BLOCK, n));
        }
        derivativeOfV(dy[outputs]);
    }

    /**
     * Sets up the derivative at a state with functionals φ whose density rows are {@code sources}
     * (the rows need not be filled yet: {@link #densityBlock} reads them block by block): evaluates
     * the integrals and the coefficients. Returns the first non-finite order parameter, or null.
     * Counts as one evaluation.
     */
    String prepare(double[] phi, double[][] sources) {
        evaluations++;
        unpack(phi, qm, rm, vv);
        nonFinite = describeNonFinite();
        GaussianIntegrals.covariance(k, m, qm, rm, tMatrix, cov);
        computeCoefficients(trainSecond ? vv : v0);
        buildTerms(sources);
        return nonFinite;
    }

    /** dv/dt of the last {@link #prepare}d state (zeros when only the first layer trains). */
    void derivativeOfV(double[] dv) {
        for (int i = 0; i < k; i++) {
            dv[i] = trainSecond ? dvScratch[i] : 0.0;
        }
    }

    /**
     * Block size of τ for {@link #densityBlock}: the output chunk and the sources stay in L1 across
     * the few passes per output.
     */
    static int blockSize() {
        return BLOCK;
    }

    /**
     * Σ_{i ∈ [from, to)} w_i x_i with four independent accumulators: a single running sum is bound
     * by the latency of the floating-point add and is several times slower at N = 3072.
     */
    static double weightedSum(double[] w, double[] x, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += w[i] * x[i];
            s1 += w[i + 1] * x[i + 1];
            s2 += w[i + 2] * x[i + 2];
            s3 += w[i + 3] * x[i + 3];
        }
        for (; i < to; i++) {
            s0 += w[i] * x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ_{i ∈ [from, to)} x_i, four accumulators (see {@link #weightedSum}). */
    static double sum(double[] x, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < to; i++) {
            s0 += x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Collects, for every output density, its terms as (coefficient, source row), the
     * ρ-multiplied ones and the plain ones separately, merging terms that read the same source.
     */
    private void buildTerms(double[][] y) {
        int rRow = pairs;
        for (int p = 0; p < pairs; p++) {
            int kk = pairK[p];
            int ll = pairL[p];
            int o = p;
            rhoCount[o] = 0;
            plainCount[o] = 0;
            constant[o] = coefG[kk * k + ll];
            for (int j = 0; j < k; j++) {
                addTerm(o, true, coefC[kk * k + j], y[pairIndex[j * k + ll]]);
                addTerm(o, true, coefC[ll * k + j], y[pairIndex[j * k + kk]]);
            }
            double scale = latent ? invSqrtDelta : 1.0;
            for (int nn = 0; nn < m; nn++) {
                addTerm(o, !latent, coefD[kk * m + nn] * scale, y[rRow + ll * m + nn]);
                addTerm(o, !latent, coefD[ll * m + nn] * scale, y[rRow + kk * m + nn]);
            }
        }
        for (int kk = 0; kk < k; kk++) {
            for (int mm = 0; mm < m; mm++) {
                int o = pairs + kk * m + mm;
                rhoCount[o] = 0;
                plainCount[o] = 0;
                constant[o] = 0;
                for (int j = 0; j < k; j++) {
                    addTerm(o, true, coefC[kk * k + j], y[rRow + j * m + mm]);
                }
                double scale = latent ? invSqrtDelta : 1.0;
                for (int nn = 0; nn < m; nn++) {
                    addTerm(o, !latent, coefD[kk * m + nn] * scale, tildeT[nn * m + mm]);
                }
            }
        }
    }

    private void addTerm(int o, boolean rhoTerm, double c, double[] src) {
        int base = o * maxTerms;
        int count = rhoTerm ? rhoCount[o] : plainCount[o];
        double[] coefs = rhoTerm ? rhoCoef : plainCoef;
        double[][] arrays = rhoTerm ? rhoSrc : plainSrc;
        for (int i = 0; i < count; i++) {
            if (arrays[base + i] == src) {
                coefs[base + i] += c;
                return;
            }
        }
        coefs[base + count] = c;
        arrays[base + count] = src;
        if (rhoTerm) {
            rhoCount[o]++;
        } else {
            plainCount[o]++;
        }
    }

    /**
     * dy = ρ ⊙ (constant + Σ ρ-terms) + Σ plain terms on the τ-block [b, end), two terms per pass
     * so that each pass loads two sources and touches the output once. All operands are indexed
     * by the same τ, so the JIT vectorises these loops.
     */
    void densityBlock(double[][] dy, int b, int end) {
        for (int o = 0; o < outputs; o++) {
            double[] out = dy[o];
            int base = o * maxTerms;
            int nr = rhoCount[o];
            double g = constant[o];
            // first pass: constant and up to two ρ-terms
            double c0 = nr > 0 ? rhoCoef[base] : 0.0;
            double[] x0 = nr > 0 ? rhoSrc[base] : rho;
            double c1 = nr > 1 ? rhoCoef[base + 1] : 0.0;
            double[] x1 = nr > 1 ? rhoSrc[base + 1] : x0;
            for (int t = b; t < end; t++) {
                out[t] = rho[t] * (c0 * x0[t] + c1 * x1[t]) + g * rhoTimesCount[t];
            }
            for (int i = 2; i < nr; i += 2) {
                c0 = rhoCoef[base + i];
                x0 = rhoSrc[base + i];
                c1 = i + 1 < nr ? rhoCoef[base + i + 1] : 0.0;
                x1 = i + 1 < nr ? rhoSrc[base + i + 1] : x0;
                for (int t = b; t < end; t++) {
                    out[t] += rho[t] * (c0 * x0[t] + c1 * x1[t]);
                }
            }
            int np = plainCount[o];
            for (int i = 0; i < np; i += 2) {
                c0 = plainCoef[base + i];
                x0 = plainSrc[base + i];
                c1 = i + 1 < np ? plainCoef[base + i + 1] : 0.0;
                x1 = i + 1 < np ? plainSrc[base + i + 1] : x0;
                for (int t = b; t < end; t++) {
                    out[t] += c0 * x0[t] + c1 * x1[t];
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
