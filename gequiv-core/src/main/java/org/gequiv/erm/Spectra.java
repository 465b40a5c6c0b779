package org.gequiv.erm;

import java.util.Arrays;

import org.gequiv.linalg.Covariances;
import org.gequiv.linalg.EigenProjections;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;

/**
 * The scalar inputs of the saddle-point equations (docs/theory.md §6.2): the eigenvalues ω_i of the
 * student covariance Ω = E[v vᵀ], the teacher weights t_i = (Uᵀ Φᵀ θ θᵀ Φ U)_ii in Ω's own
 * eigenbasis U, ρ = θᵀΨθ/p and γ = p/d, with Φ = E[u vᵀ] the GCM cross-covariance (p × d).
 *
 * <p>ω_i and t_i belong together index by index: t_i is the squared projection of Φᵀθ on the
 * eigenvector of ω_i. Never build t from the separately sorted eigenvalues of ΦᵀθθᵀΦ
 * (reference-values.md §3); {@link #fromCovariances} does it the right way.
 *
 * <p>The averages ⟨·⟩ of the equations run over the nodes i with their plain weights w_i and
 * normaliser d = Σ_i w_i. From the eigendecomposition every node is an eigenvalue with w_i = 1
 * ({@code weights} null). From the Lanczos quadrature (docs/theory.md §5.12, "ERM (§6)";
 * {@link TeacherQuadrature}) the nodes are the d eigenvalues of Ω with w_i = 1 and t_i = 0, which
 * carry the plain averages exactly, followed by the Gauss nodes of the teacher's spectral measure
 * Σ_i t_i δ(ω − ω_i) with their weights t_j and w_j = 0: ⟨g(ω)⟩ = (1/d) Σ_i w_i g(ω_i) and
 * ⟨t h(ω)⟩ = (1/d) Σ_i t_i h(ω_i) both hold whatever the split.
 *
 * <p>Immutable; the accessors return copies.
 *
 * @param omega   nodes ω_i ≥ 0: the eigenvalues of Ω, then any Gauss nodes of the teacher measure
 * @param t       teacher weights t_i ≥ 0 (the length of omega)
 * @param rho     ρ &gt; 0
 * @param gamma   γ = p/d &gt; 0
 * @param weights plain weights w_i ≥ 0 of the nodes (the length of omega, Σ w_i &gt; 0), or null
 *                for w_i = 1 everywhere
 */
public record Spectra(double[] omega, double[] t, double rho, double gamma, double[] weights) {

    /** Spectra of d eigenvalues, each with plain weight 1. */
    public Spectra(double[] omega, double[] t, double rho, double gamma) {
        this(omega, t, rho, gamma, null);
    }

    /**
     * Relative size below which a negative t_i is taken as round-off and set to zero; negative
     * eigenvalues ω_i within {@link Covariances#NEGATIVE_EIGENVALUE_TOLERANCE}·max|ω| are set to zero.
     */
    static final double ROUNDOFF = 1e-10;

    /**
     * @throws InvalidInputException for a missing or mismatched array, a non-finite value, an ω_i below
     *                               −{@link Covariances#NEGATIVE_EIGENVALUE_TOLERANCE}·max|ω| (Ω not
     *                               positive semi-definite), a t_i below −{@link #ROUNDOFF}·max|t|, ρ or
     *                               γ not finite and &gt; 0, or ⟨t/ω⟩/γ &gt; ρ
     */
    public Spectra {
        if (omega == null || t == null) {
            throw new InvalidInputException(omega == null ? "omega" : "t", "omega and t must be given");
        }
        if (omega.length == 0) {
            throw new InvalidInputException("omega", "omega must have length >= 1, got 0");
        }
        if (omega.length != t.length) {
            throw new InvalidInputException("t", "t must have the length of omega (" + omega.length + "), got "
                    + t.length);
        }
        Checks.positive("rho", rho);
        Checks.positive("gamma", gamma);
        Covariances.checkEigenvalues("omega", null, omega);
        omega = clipNegative(omega);
        t = clipRoundoff("t", t);
        if (weights != null) {
            weights = checkWeights(weights, omega.length);
        }
        double explained = explainedVariance(omega, t, gamma, normaliser(weights, omega.length));
        if (explained > rho * (1 + CONSISTENCY) + 1e-300) {
            throw new InvalidInputException("rho", "rho must be >= <t/omega>/gamma = " + explained
                    + " (the teacher variance the features explain), got " + rho + ": the covariances are inconsistent");
        }
    }

    /** Relative slack of the consistency condition ⟨t/ω⟩/γ ≤ ρ, for round-off in the covariances. */
    static final double CONSISTENCY = 1e-6;

    private static double[] checkWeights(double[] weights, int length) {
        if (weights.length != length) {
            throw new InvalidInputException("weights", "weights must have the length of omega (" + length + "), got "
                    + weights.length);
        }
        double sum = 0;
        for (int i = 0; i < length; i++) {
            if (!(weights[i] >= 0) || !Double.isFinite(weights[i])) {
                throw new InvalidInputException("weights", "weights must be finite and >= 0, got " + weights[i]
                        + " at index " + i);
            }
            sum += weights[i];
        }
        if (!(sum > 0)) {
            throw new InvalidInputException("weights", "weights must have a positive sum, got " + sum);
        }
        return weights.clone();
    }

    /** d = Σ w_i, the number of eigenvalues the averages divide by. */
    private static double normaliser(double[] weights, int length) {
        if (weights == null) {
            return length;
        }
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        return sum;
    }

    private static double explainedVariance(double[] omega, double[] t, double gamma, double d) {
        double maxT = 0;
        for (double x : t) {
            maxT = Math.max(maxT, x);
        }
        double s = 0;
        for (int i = 0; i < omega.length; i++) {
            if (omega[i] > 0) {
                s += t[i] / omega[i];
            } else if (t[i] > 1e-12 * maxT) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return s / d / gamma;
    }

    /**
     * ⟨t_i/ω_i⟩/γ, the variance of the teacher field explained by the best linear predictor on the
     * features; a valid Gaussian covariate model has it at most ρ (equal for a noiseless linear
     * relation such as case D1), and the constructor enforces that.
     */
    public double explainedVariance() {
        return explainedVariance(omega, t, gamma, normaliser());
    }

    private static double[] clipRoundoff(String name, double[] a) {
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i];
            if (!Double.isFinite(x)) {
                throw new InvalidInputException(name, name + " must be finite, got " + x + " at index " + i);
            }
            scale = Math.max(scale, Math.abs(x));
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] < -ROUNDOFF * scale) {
                throw new InvalidInputException(name, name + " must be >= -" + ROUNDOFF + "·max|" + name + "| = "
                        + (-ROUNDOFF * scale) + " (a squared projection), got " + a[i] + " at index " + i);
            }
        }
        return clipNegative(a);
    }

    /** A copy with the negative values (already checked to be within round-off) set to zero. */
    private static double[] clipNegative(double[] a) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            if (c[i] < 0) {
                c[i] = 0;
            }
        }
        return c;
    }

    /** d, the number of eigenvalues: Σ w_i (the number of nodes when every weight is 1). */
    public int dimension() {
        return (int) Math.round(normaliser());
    }

    /** d = Σ w_i as the averages use it. */
    double normaliser() {
        return normaliser(weights, omega.length);
    }

    /** Number of nodes: d eigenvalues plus the Gauss nodes of a teacher quadrature. */
    public int nodes() {
        return omega.length;
    }

    /** Whether the nodes carry plain weights other than 1 (a teacher quadrature's nodes). */
    public boolean weighted() {
        return weights != null;
    }

    @Override
    public double[] weights() {
        if (weights == null) {
            double[] ones = new double[omega.length];
            Arrays.fill(ones, 1.0);
            return ones;
        }
        return weights.clone();
    }

    /** The plain weights without copying (null: all 1), for the solver's hot loop; not to be modified. */
    double[] weightsView() {
        return weights;
    }

    @Override
    public double[] omega() {
        return omega.clone();
    }

    @Override
    public double[] t() {
        return t.clone();
    }

    /** ω without copying, for the solver's hot loop; callers must not modify it. */
    double[] omegaView() {
        return omega;
    }

    /** t without copying, for the solver's hot loop; callers must not modify it. */
    double[] tView() {
        return t;
    }

    /** The isotropic model Ψ = Ω = Φ = I with ρ = 1 and γ = 1 (reference-values.md case D1). */
    public static Spectra isotropic(int d) {
        double[] ones = new double[d];
        Arrays.fill(ones, 1.0);
        return new Spectra(ones, ones.clone(), 1.0, 1.0);
    }

    /**
     * Spectra from the covariances of the Gaussian covariate model (docs/theory.md §6.1–§6.2).
     *
     * @param d     student dimension
     * @param p     teacher dimension
     * @param omega Ω = E[v vᵀ], d × d row-major, symmetric; not modified
     * @param phi   Φ = E[u vᵀ], p × d row-major (the GCM convention, the transpose of E[x cᵀ]); not modified
     * @param psi   Ψ = E[u uᵀ], p × p row-major; not modified
     * @param theta teacher vector θ, length p; not modified
     */
    public static Spectra fromCovariances(int d, int p, double[] omega, double[] phi, double[] psi, double[] theta) {
        return fromCovariances(d, p, omega, phi, psi, theta, "covariances", null);
    }

    /**
     * As {@link #fromCovariances(int, int, double[], double[], double[], double[])}, checking every
     * input first: finite entries, Ω and Ψ covariances ({@link Covariances}: symmetric, positive
     * semi-definite; Ω on the eigenvalues computed here anyway).
     *
     * @param field  the spec field of the covariances, carried by the exceptions
     * @param origin the file the arrays come from (sources then read {@code FILE:omega} and so on),
     *               or null (sources are then the bare keys, {@code omega} and so on)
     * @throws InvalidInputException naming the key and the entry or eigenvalue at fault
     */
    public static Spectra fromCovariances(int d, int p, double[] omega, double[] phi, double[] psi, double[] theta,
                                          String field, String origin) {
        return CovariateModel.ofCovariances(d, p, omega, phi, psi, theta, field, origin).spectra();
    }

    /**
     * Spectra from Ω and the teacher direction b = Φᵀθ in student space:
     * t_i = (u_i · b)² with u_i the eigenvector of ω_i.
     *
     * @param omega Ω, d × d, symmetric; not modified
     * @param b     Φᵀθ, length d; not modified
     * @throws InvalidInputException when Ω is not a covariance ({@link Covariances}) or b not finite
     */
    public static Spectra fromEigenbasis(int d, double[] omega, double[] b, double rho, double gamma) {
        return fromEigenbasis(d, omega, b, rho, gamma, "omega", null);
    }

    /**
     * As {@link #fromEigenbasis(int, double[], double[], double, double)}, naming {@code field} and
     * {@code source} (file and key, or a description; may be null) when Ω is refused. Ω is checked
     * for finite, symmetric entries before its eigendecomposition and for positive semi-definiteness
     * on its eigenvalues.
     */
    public static Spectra fromEigenbasis(int d, double[] omega, double[] b, double rho, double gamma, String field,
                                         String source) {
        requireLength("omega", omega, (long) d * d, d + " × " + d);
        requireLength("b", b, d, Integer.toString(d));
        Covariances.checkFiniteSymmetric(field, source, omega, d);
        Covariances.checkFinite(field, source == null ? "b" : source + " (teacher direction b)", b, d, 1);
        // Uᵀb without forming U: forming it was a third to a half of the eigendecomposition at d = 1000 (issue 11)
        EigenProjections eig = LinearAlgebra.get().symmetricEigenProjections(d, omega, 1, b);
        Covariances.checkEigenvalues(field, source, eig.values());
        double[] proj = eig.projections();
        double[] t = new double[d];
        for (int i = 0; i < d; i++) {
            t[i] = proj[i] * proj[i];
        }
        return new Spectra(eig.values(), t, rho, gamma);
    }

    static void requirePositive(String name, int v) {
        Checks.atLeast(name, v, 1);
    }

    static void requireLength(String name, double[] a, long expected, String shape) {
        Checks.given(name, a);
        if (a.length != expected) {
            throw new InvalidInputException(name, name + " must have shape " + shape + " (" + expected
                    + " entries), got " + a.length + " entries");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Spectra s && Arrays.equals(omega, s.omega) && Arrays.equals(t, s.t)
                && Double.compare(rho, s.rho) == 0 && Double.compare(gamma, s.gamma) == 0
                && Arrays.equals(weights, s.weights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(omega) + Arrays.hashCode(t) + Double.hashCode(rho) + Double.hashCode(gamma)
                + 7 * Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "Spectra[d=" + dimension() + (weights == null ? "" : ", nodes=" + omega.length) + ", rho=" + rho
                + ", gamma=" + gamma + "]";
    }
}
