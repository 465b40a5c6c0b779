package org.gequiv.online;

import org.gequiv.activation.GaussianIntegrals;
import org.gequiv.model.TeacherInput;

/**
 * The right-hand side of the closed ODEs for the order-parameter densities (docs/theory.md §5.3–§5.5,
 * teacher on the input §5.8), the kernel that the integrators call. Three parts:
 * <ul>
 *   <li>the layout ({@link DensityLayout}): eigenvalue merging, the packing of the densities into
 *       the segmented state, and the linear functionals φ = (Q, R, v) of §5.1;</li>
 *   <li>the model ({@link DensityCoefficients}): from C = [[Q, R], [Rᵀ, T]] and v, the
 *       coefficients of the linear equations of the densities, with the integrals I2/I3/I4
 *       evaluated once per call (they do not depend on ρ);</li>
 *   <li>this kernel: it collects, for every density, its terms as (coefficient, source row) and
 *       sweeps them over τ, so that dy = ρ ⊙ (constant + Σ ρ-terms) + Σ plain terms.</li>
 * </ul>
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

    private final DensityLayout layout;
    private final DensityCoefficients model;
    private final OdeInitialState init;
    private final int k;
    private final int m;
    private final int n;
    private final int pairs;
    private final int outputs;
    private final double[] rho;
    private final double[] noiseScale;
    /** t̃_nm summed over each group, rows of n, (n, m) row-major. */
    private final double[][] tildeT;
    private final double[] tMatrix;
    private final double[] a;
    private final double[] v0;
    private final GaussianIntegrals integrals;

    // scratch
    private final double[] qm;
    private final double[] rm;
    private final double[] vv;
    private final double[] cov;
    private final int maxTerms;
    private final int[] rhoCount;
    private final int[] plainCount;
    private final double[] constant;
    private final double[] rhoCoef;
    private final double[][] rhoSrc;
    private final double[] plainCoef;
    private final double[][] plainSrc;
    private final double[] phiScratch;
    private String nonFinite;
    private long evaluations;

    /**
     * With the default eigenvalue merging ({@link OdeOptions#DEFAULT_EIGENVALUE_MERGING}).
     *
     * @param init       initial densities, constant T, A, δ; the arrays are read, never modified
     * @param integrals  I2/I3/I4 for the (student, teacher) activations, K and M of {@code init}
     * @param eta        learning rate η of the ODE
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
     * @param eta               learning rate η of the ODE (for SGD with mini-batches of B samples,
     *                          η/B: {@link OdeTheory#effectiveLearningRate})
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
        this.layout = new DensityLayout(init, eigenvalueMerging);
        this.k = layout.studentHidden();
        this.m = layout.teacherHidden();
        this.n = layout.size();
        this.pairs = layout.pairs();
        this.outputs = layout.densityRows();
        this.rho = layout.rho();
        this.noiseScale = layout.noiseScale();
        this.a = init.a();
        this.v0 = init.v();
        this.tMatrix = init.t();
        this.integrals = integrals;
        this.model = new DensityCoefficients(k, m, eta, layers == TrainedLayers.BOTH,
                init.teacherInput() == TeacherInput.LATENT, init.delta(), a, integrals);
        this.tildeT = new double[m * m][];
        for (int i = 0; i < m * m; i++) {
            tildeT[i] = new double[n];
            layout.sumGroups(init.tildeT(), i * layout.eigenvalueCount(), tildeT[i]);
        }
        this.qm = new double[k * k];
        this.rm = new double[k * m];
        this.vv = new double[k];
        this.cov = new double[(k + m) * (k + m)];
        this.maxTerms = 2 * (k + m);
        this.rhoCount = new int[outputs];
        this.plainCount = new int[outputs];
        this.constant = new double[outputs];
        this.rhoCoef = new double[outputs * maxTerms];
        this.rhoSrc = new double[outputs * maxTerms][];
        this.plainCoef = new double[outputs * maxTerms];
        this.plainSrc = new double[outputs * maxTerms][];
        this.phiScratch = new double[layout.functionalCount()];
    }

    /** Number of right-hand-side evaluations so far (cost accounting for the integrators). */
    public long evaluations() {
        return evaluations;
    }

    /** Number of entries of the state: (K(K+1)/2 + KM)·{@link #mergedEigenvalues()} + K. */
    public int dimension() {
        return layout.dimension();
    }

    /**
     * A zero state: K(K+1)/2 + KM rows of {@link #mergedEigenvalues()} (the densities, see
     * {@link DensityLayout}) and a last row of K (v).
     */
    public double[][] newState() {
        return layout.newState();
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
        layout.initialState(init, y);
    }

    /**
     * Number of distinct eigenvalues the densities are resolved on after merging (N when none
     * merge; D + 1 for a linear single-layer generator with D &lt; N, N for the non-linear ones).
     */
    public int mergedEigenvalues() {
        return n;
    }

    /**
     * How many densities the eigenvalues {@code rho} become under merging tolerance
     * {@code tolerance} (see {@link OdeOptions#eigenvalueMerging()}).
     */
    public static int mergedEigenvalues(double[] rho, double tolerance) {
        return DensityLayout.group(rho, tolerance)[1].length - 1;
    }

    /** The layout of the state. */
    DensityLayout layout() {
        return layout;
    }

    /**
     * Q (K × K), R (K × M) and v (K) of state {@code y} (docs/theory.md §5.1).
     *
     * @param q overwritten with Q
     * @param r overwritten with R
     * @param v overwritten with v
     */
    public void orderParameters(double[][] y, double[] q, double[] r, double[] v) {
        layout.functionals(y, phiScratch);
        layout.unpack(phiScratch, q, r, v);
    }

    /** ε_g of state {@code y} (docs/theory.md §3.2). Allocates nothing beyond the integrals' scratch. */
    public double generalisationError(double[][] y) {
        orderParameters(y, qm, rm, vv);
        GaussianIntegrals.covariance(k, m, qm, rm, tMatrix, cov);
        return integrals.generalisationError(cov, vv, a);
    }

    /**
     * ε_g from given order parameters (docs/theory.md §3.2), with this system's T and A.
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
        layout.functionals(y, phiScratch);
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
        layout.unpack(phi, qm, rm, vv);
        nonFinite = describeNonFinite();
        GaussianIntegrals.covariance(k, m, qm, rm, tMatrix, cov);
        model.compute(cov, model.trainsSecondLayer() ? vv : v0);
        buildTerms(sources);
        return nonFinite;
    }

    /** dv/dt of the last {@link #prepare}d state (zeros when only the first layer trains). */
    void derivativeOfV(double[] dv) {
        boolean trainSecond = model.trainsSecondLayer();
        for (int i = 0; i < k; i++) {
            dv[i] = trainSecond ? model.secondLayerDerivative(i) : 0.0;
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
     * Collects, for every output density, its terms as (coefficient, source row), the
     * ρ-multiplied ones and the plain ones separately, merging terms that read the same source.
     */
    private void buildTerms(double[][] y) {
        DensityCoefficients c = model;
        double scale = c.teacherSourceScale();
        boolean teacherRho = c.teacherSourceIsRhoWeighted();
        for (int p = 0; p < pairs; p++) {
            int kk = layout.pairK(p);
            int ll = layout.pairL(p);
            int o = p;
            rhoCount[o] = 0;
            plainCount[o] = 0;
            constant[o] = c.noise(kk, ll);
            for (int j = 0; j < k; j++) {
                addTerm(o, true, c.coupling(kk, j), y[layout.qRow(j, ll)]);
                addTerm(o, true, c.coupling(ll, j), y[layout.qRow(j, kk)]);
            }
            for (int nn = 0; nn < m; nn++) {
                addTerm(o, teacherRho, c.teacherCoupling(kk, nn) * scale, y[layout.rRow(ll, nn)]);
                addTerm(o, teacherRho, c.teacherCoupling(ll, nn) * scale, y[layout.rRow(kk, nn)]);
            }
        }
        for (int kk = 0; kk < k; kk++) {
            for (int mm = 0; mm < m; mm++) {
                int o = layout.rRow(kk, mm);
                rhoCount[o] = 0;
                plainCount[o] = 0;
                constant[o] = 0;
                for (int j = 0; j < k; j++) {
                    addTerm(o, true, c.coupling(kk, j), y[layout.rRow(j, mm)]);
                }
                for (int nn = 0; nn < m; nn++) {
                    addTerm(o, teacherRho, c.teacherCoupling(kk, nn) * scale, tildeT[nn * m + mm]);
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
     * so that each pass loads two sources and touches the output once; the constant enters as
     * constant·ρ_g·(Σ_{τ∈g} w_τ) ({@link DensityLayout#noiseScale()}). All operands are indexed by
     * the same τ, so the JIT vectorises these loops.
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
                out[t] = rho[t] * (c0 * x0[t] + c1 * x1[t]) + g * noiseScale[t];
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
}
