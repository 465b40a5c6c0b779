package org.gequiv.online;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.gequiv.generator.Moments;
import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.ResidentEigen;
import org.gequiv.linalg.ResidentMatrix;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.validation.InvalidInputException;

/**
 * Initial conditions of the order-parameter ODEs (docs/theory.md §5.1, §5.7): the eigenvalues ρ_τ of Ω
 * and the densities q_kl(ρ_τ), r_km(ρ_τ), t̃_nm(ρ_τ) over the N eigen-directions, plus the constant
 * T, A, the initial v and δ = D/N.
 *
 * <p>Teacher on the latent (§5.7): q = w̃_k w̃_l, r = w̃_k θ̃_m, {@code tildeT} = θ̃_n θ̃_m with
 * w̃_kτ = w_k·e_τ and θ̃_mτ = (Φθ_m)·e_τ; T = θθᵀ/D; then Q = ⟨ρ q⟩, R = ⟨r⟩/√δ.
 * Teacher on the input (§5.8): θ̂_mτ = θ_m·e_τ replaces θ̃, {@code tildeT} holds t_nm(ρ) = θ̂_n θ̂_m,
 * T = ⟨ρ t⟩ = θΩθᵀ/N and R = ⟨ρ r⟩; δ is then not used by the equations.
 *
 * <p>Densities are flat, C order, the layout of the {@code .npz} of issue 3: q is (K, K, N) with
 * q_kl(τ) at {@code (k·K + l)·N + τ}; r is (K, M, N); tildeT is (M, M, N). The record does not
 * copy its arrays; treat them as read-only.
 *
 * @param studentHidden K
 * @param teacherHidden M
 * @param teacherInput  what the teacher acts on; fixes the meaning of {@code tildeT} and of R
 * @param rho           eigenvalues ρ_τ of Ω (N)
 * @param q             q_kl(ρ_τ), (K, K, N)
 * @param r             r_km(ρ_τ), (K, M, N)
 * @param tildeT        t̃_nm(ρ_τ) (latent) or t_nm(ρ_τ) (input), (M, M, N)
 * @param t             T, M × M
 * @param a             teacher second layer A (M)
 * @param v             initial student second layer v (K)
 * @param delta         δ = D/N &gt; 0
 * @param noiseWeights  w_τ ≥ 0 (N), the weight of direction τ in the constant η²ρ term of dq
 *                      (§5.4): 1 for an eigen-direction of Ω (null gives that default); a
 *                      quadrature over the spectrum puts its node weights here. Merging equal
 *                      eigenvalues sums their weights. Copied; {@link #noiseWeights()} returns a copy
 */
public record OdeInitialState(int studentHidden, int teacherHidden, TeacherInput teacherInput, double[] rho,
                              double[] q, double[] r, double[] tildeT, double[] t, double[] a, double[] v,
                              double delta, double[] noiseWeights) {

    public OdeInitialState {
        if (studentHidden < 1 || teacherHidden < 1) {
            throw new IllegalArgumentException("K and M must be >= 1, got K = " + studentHidden + ", M = "
                    + teacherHidden);
        }
        if (teacherInput == null) {
            throw new IllegalArgumentException("teacher input must be given");
        }
        int n = rho.length;
        if (n < 1) {
            throw new IllegalArgumentException("rho must have N >= 1 eigenvalues, got 0");
        }
        int k = studentHidden;
        int m = teacherHidden;
        checkLength("q", q, (long) k * k * n, "(K, K, N) = (" + k + ", " + k + ", " + n + ")");
        checkLength("r", r, (long) k * m * n, "(K, M, N) = (" + k + ", " + m + ", " + n + ")");
        checkLength("tildet", tildeT, (long) m * m * n, "(M, M, N) = (" + m + ", " + m + ", " + n + ")");
        checkLength("T", t, (long) m * m, "(M, M) = (" + m + ", " + m + ")");
        checkLength("A", a, m, "(M,) = (" + m + ",)");
        checkLength("v", v, k, "(K,) = (" + k + ",)");
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("delta must be finite and > 0, got " + delta);
        }
        checkFinite("rho", rho);
        checkFinite("q", q);
        checkFinite("r", r);
        checkFinite("tildet", tildeT);
        checkFinite("T", t);
        checkFinite("A", a);
        checkFinite("v", v);
        if (noiseWeights == null) {
            noiseWeights = new double[n];
            java.util.Arrays.fill(noiseWeights, 1.0);
        } else {
            checkLength("noiseWeights", noiseWeights, n, "(N,) = (" + n + ",)");
            noiseWeights = noiseWeights.clone();
            for (int i = 0; i < n; i++) {
                if (!(noiseWeights[i] >= 0) || !Double.isFinite(noiseWeights[i])) {
                    throw new InvalidInputException("noiseWeights", "noiseWeights must be finite and >= 0, got "
                            + noiseWeights[i] + " at index " + i);
                }
            }
            double total = 0;
            for (double w : noiseWeights) {
                total += w;
            }
            if (!(total > 0)) {
                throw new InvalidInputException("noiseWeights", "noiseWeights must have a positive sum, got " + total);
            }
        }
    }

    /** With the default noise weights, 1 for every eigen-direction. */
    public OdeInitialState(int studentHidden, int teacherHidden, TeacherInput teacherInput, double[] rho, double[] q,
                           double[] r, double[] tildeT, double[] t, double[] a, double[] v, double delta) {
        this(studentHidden, teacherHidden, teacherInput, rho, q, r, tildeT, t, a, v, delta, null);
    }

    /** A copy of this state with explicit noise weights (see the record parameters). */
    public OdeInitialState withNoiseWeights(double[] weights) {
        return new OdeInitialState(studentHidden, teacherHidden, teacherInput, rho, q, r, tildeT, t, a, v, delta,
                weights);
    }

    /** The weights w_τ of the constant term of dq (a copy). */
    @Override
    public double[] noiseWeights() {
        return noiseWeights.clone();
    }

    private static void checkLength(String name, double[] x, long expected, String shape) {
        if (x == null || x.length != expected) {
            throw new IllegalArgumentException(name + " must have shape " + shape + " (" + expected + " entries), got "
                    + (x == null ? "null" : x.length + " entries"));
        }
    }

    private static void checkFinite(String name, double[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(name + " must be finite, got " + x[i] + " at flat index " + i);
            }
        }
    }

    /** Number of directions (eigen-directions of Ω, or the nodes of a quadrature). */
    public int size() {
        return rho.length;
    }

    /**
     * N, the number of directions of the input space the entries stand for: Σ {@link #noiseWeights()},
     * which is {@link #size()} for eigen-directions. Q, R and T̃ are means over N (docs/theory.md
     * §5.1); a quadrature (§5.12) has fewer nodes than directions.
     */
    public double directions() {
        double s = 0;
        for (double w : noiseWeights) {
            s += w;
        }
        return s;
    }

    /** Q = ⟨ρ q⟩ (K × K, docs/theory.md §5.1). */
    public double[] orderQ() {
        int n = size();
        int k = studentHidden;
        double[] out = new double[k * k];
        for (int i = 0; i < k * k; i++) {
            double s = 0;
            for (int tau = 0; tau < n; tau++) {
                s += rho[tau] * q[i * n + tau];
            }
            out[i] = s / directions();
        }
        return out;
    }

    /** R = ⟨r⟩/√δ (latent) or ⟨ρ r⟩ (input), K × M. */
    public double[] orderR() {
        int n = size();
        double[] out = new double[studentHidden * teacherHidden];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int tau = 0; tau < n; tau++) {
                s += (teacherInput == TeacherInput.LATENT ? 1.0 : rho[tau]) * r[i * n + tau];
            }
            double dims = directions();
            out[i] = teacherInput == TeacherInput.LATENT ? s / dims / Math.sqrt(delta) : s / dims;
        }
        return out;
    }

    /** T̃ = ⟨t̃⟩ (latent; M × M). For the teacher on the input this is ⟨t⟩. */
    public double[] orderTildeT() {
        int n = size();
        double[] out = new double[teacherHidden * teacherHidden];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int tau = 0; tau < n; tau++) {
                s += tildeT[i * n + tau];
            }
            out[i] = s / directions();
        }
        return out;
    }

    /**
     * Initial state of {@code problem}'s teacher and student on a generator with moments
     * {@code moments} (docs/theory.md §5.7, §5.8): eigendecomposes Ω with {@link LinearAlgebra#get()},
     * projects the student and the teacher, and derives δ = D/N. Costs one N × N symmetric
     * eigendecomposition.
     *
     * @throws IllegalArgumentException when the moments do not fit the problem's dimensions, Ω is
     *                                  not symmetric, or Ω has an eigenvalue below −1e-8·‖Ω‖₂
     */
    public static OdeInitialState fromProblem(OnlineProblem problem, Moments moments) {
        return fromProblem(problem, moments, seconds -> { });
    }

    /**
     * As {@link #fromProblem(OnlineProblem, Moments)}, handing the wall seconds of the
     * eigendecomposition alone (the LAPACK call, without the checks, copies and projections around
     * it) to {@code eigendecompositionSeconds}: the set-up of issue 11 is measured without it.
     */
    public static OdeInitialState fromProblem(OnlineProblem problem, Moments moments,
                                              java.util.function.DoubleConsumer eigendecompositionSeconds) {
        return fromWeights(problem.spec().teacherInput(), problem.teacher(), problem.student(), moments,
                eigendecompositionSeconds);
    }

    /** As {@link #fromProblem}, from explicit networks (the teacher on {@code teacherInput}). */
    public static OdeInitialState fromWeights(TeacherInput teacherInput, TwoLayerNetwork teacher,
                                              TwoLayerNetwork student, Moments moments) {
        return fromWeights(teacherInput, teacher, student, moments, seconds -> { });
    }

    private static OdeInitialState fromWeights(TeacherInput teacherInput, TwoLayerNetwork teacher,
                                               TwoLayerNetwork student, Moments moments,
                                               java.util.function.DoubleConsumer eigendecompositionSeconds) {
        int n = moments.inputDimension();
        int d = moments.latentDimension();
        int k = student.hidden();
        int m = teacher.hidden();
        if (student.inputDim() != n) {
            throw new IllegalArgumentException("student input dimension must be N = " + n + ", got "
                    + student.inputDim());
        }
        int teacherDim = teacherInput == TeacherInput.LATENT ? d : n;
        if (teacher.inputDim() != teacherDim) {
            throw new IllegalArgumentException("teacher input dimension must be " + teacherDim + " (teacher on the "
                    + teacherInput.id() + "), got " + teacher.inputDim());
        }
        double[] omega = moments.omega();
        // the one covariance check (finite, symmetric, then PSD on the eigenvalues computed anyway);
        // an Ω its producer already knows finite and exactly symmetric is not read again
        if (!moments.omegaChecked()) {
            org.gequiv.linalg.Covariances.checkFiniteSymmetric(moments.omegaField(), moments.omegaSource(), omega, n);
        }
        LinearAlgebra la = LinearAlgebra.get();
        long t0 = System.nanoTime();
        // U stays with the BLAS: it is only multiplied, once, below
        ResidentEigen eigen = la.symmetricEigenResident(n, omega, moments.omegaChecked());
        eigendecompositionSeconds.accept((System.nanoTime() - t0) / 1e9);
        double[] rho = eigen.values().clone();
        org.gequiv.linalg.Covariances.checkEigenvalues(moments.omegaField(), moments.omegaSource(), rho);

        // [w̃; θ̃] = [W; B] U in one product with the resident U: row k of w̃
        // holds w_k·e_τ; B = θ Φᵀ for the teacher on the latent (and T = θθᵀ/D), θ on the input
        double[] theta = teacher.firstLayer();
        double[] t = new double[m * m];
        double[] rows = new double[(k + m) * n];
        System.arraycopy(student.firstLayer(), 0, rows, 0, k * n);
        if (teacherInput == TeacherInput.LATENT) {
            double[] thetaPhi = new double[m * n];
            la.gemm(false, true, m, n, d, 1.0, theta, moments.phi(), 0.0, thetaPhi);
            System.arraycopy(thetaPhi, 0, rows, k * n, m * n);
            t = teacher.firstLayerOverlap();
        } else {
            System.arraycopy(theta, 0, rows, k * n, m * n);
        }
        double[] projected = new double[(k + m) * n];
        la.gemmRowBlocks(k + m, rows, new ResidentMatrix[] {eigen.vectors()}, projected);
        // U is not needed again: its N² doubles go back to this thread's scratch at once
        eigen.close();
        double[] wt = java.util.Arrays.copyOfRange(projected, 0, k * n);
        double[] bt = java.util.Arrays.copyOfRange(projected, k * n, (k + m) * n);
        double[] q = outer(k, k, n, wt, wt);
        double[] r = outer(k, m, n, wt, bt);
        double[] tt = outer(m, m, n, bt, bt);
        if (teacherInput == TeacherInput.INPUT) {
            // T = ⟨ρ t⟩ = θΩθᵀ/N, exactly consistent with the densities
            for (int i = 0; i < m * m; i++) {
                double s = 0;
                for (int tau = 0; tau < n; tau++) {
                    s += rho[tau] * tt[i * n + tau];
                }
                t[i] = s / n;
            }
        }
        return new OdeInitialState(k, m, teacherInput, rho, q, r, tt, t, teacher.secondLayer().clone(),
                student.secondLayer().clone(), (double) d / n);
    }

    private static double[] outer(int k, int m, int n, double[] x, double[] y) {
        double[] out = new double[k * m * n];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < m; j++) {
                int o = (i * m + j) * n;
                for (int tau = 0; tau < n; tau++) {
                    out[o + tau] = x[i * n + tau] * y[j * n + tau];
                }
            }
        }
        return out;
    }

    /** Reads a latent-teacher initial state from an {@code .npz} (see {@link #fromNpz(Path, TeacherInput)}). */
    public static OdeInitialState fromNpz(Path path) throws IOException {
        return fromNpz(path, TeacherInput.LATENT);
    }

    /**
     * Reads an initial state from an {@code .npz}; see {@link #fromArchive}. The ρ_τ are the
     * eigenvalues of the covariance Ω, so they must be finite and not below
     * −{@link org.gequiv.linalg.Covariances#NEGATIVE_EIGENVALUE_TOLERANCE}·max|ρ| (docs/theory.md §5.1).
     *
     * @throws org.gequiv.validation.InvalidInputException for the field {@code init} with source
     *         {@code FILE:rho}, naming the first non-finite or the most negative ρ and its index
     */
    public static OdeInitialState fromNpz(Path path, TeacherInput teacherInput) throws IOException {
        NpzArchive npz = NpzArchive.read(path);
        if (npz.has("rho")) {
            org.gequiv.linalg.Covariances.checkEigenvalues("init", path + ":rho", npz.get("rho").data());
        }
        return fromArchive(npz, teacherInput);
    }

    /**
     * The initial state held in an archive with keys {@code rho} (N), {@code q} (K,K,N), {@code r}
     * (K,M,N), {@code tildet} (M,M,N), {@code T} (M,M), {@code A} (M), {@code v} (K) and the scalar
     * {@code delta} (issue 3). K, M and N are taken from {@code v}, {@code A} and {@code rho}.
     *
     * @throws IllegalArgumentException naming the file, the key, the expected and the found shape
     *                                  when a key is missing or the shapes disagree
     */
    public static OdeInitialState fromArchive(NpzArchive npz, TeacherInput teacherInput) {
        int n = npz.require("rho", -1).shape()[0];
        int k = npz.require("v", -1).shape()[0];
        int m = npz.require("A", -1).shape()[0];
        NpyArray q = npz.require("q", k, k, n);
        NpyArray r = npz.require("r", k, m, n);
        NpyArray tt = npz.require("tildet", m, m, n);
        NpyArray t = npz.require("T", m, m);
        double delta = npz.scalar("delta");
        try {
            return new OdeInitialState(k, m, teacherInput, npz.get("rho").data(), q.data(), r.data(), tt.data(),
                    t.data(), npz.get("A").data(), npz.get("v").data(), delta);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(npz.source() + ": " + e.getMessage(), e);
        }
    }

    /** The arrays under the keys of {@link #fromArchive}, for {@link NpzArchive#write}. */
    public Map<String, NpyArray> toArrays() {
        int n = size();
        int k = studentHidden;
        int m = teacherHidden;
        Map<String, NpyArray> out = new LinkedHashMap<>();
        out.put("rho", NpyArray.vector(rho.clone()));
        out.put("q", new NpyArray(new int[] {k, k, n}, q.clone()));
        out.put("r", new NpyArray(new int[] {k, m, n}, r.clone()));
        out.put("tildet", new NpyArray(new int[] {m, m, n}, tildeT.clone()));
        out.put("T", new NpyArray(new int[] {m, m}, t.clone()));
        out.put("A", NpyArray.vector(a.clone()));
        out.put("v", NpyArray.vector(v.clone()));
        out.put("delta", NpyArray.scalar(delta));
        return out;
    }

    /** Writes {@link #toArrays()} to {@code path} (deflated when {@code compress}). */
    public void writeNpz(Path path, boolean compress) throws IOException {
        NpzArchive.write(path, toArrays(), compress);
    }
}
