package org.gequiv.erm;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.gequiv.linalg.Covariances;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.spectral.BlockGaussRule;
import org.gequiv.spectral.BlockLanczos;
import org.gequiv.spectral.SymmetricOperator;

/**
 * The spectra of the saddle point by quadrature instead of the eigendecomposition (docs/theory.md
 * §5.12, "ERM (§6)"). The equations of §6.3 average functions of ω against two measures: the plain
 * one, (1/d) Σ_i δ(ω − ω_i), in ⟨ω/(λ + V̂ω)⟩ and ⟨ω²/(λ + V̂ω)²⟩, and the teacher's,
 * Σ_i t_i δ(ω − ω_i) = bᵀ δ(ω − Ω) b with b = Φ_GCMᵀθ, in ⟨t/(λ + V̂ω)⟩ and ⟨ωt/(λ + V̂ω)²⟩. The plain
 * measure is taken exactly from the eigenvalues of Ω (LAPACK without eigenvectors); the teacher's is
 * the Gauss rule of m steps of single-vector Lanczos from b (full reorthogonalisation,
 * {@link BlockLanczos} with p = 1): nodes θ_j (Ritz values) with weights t_j = y_j², exact for
 * polynomials of degree ≤ 2m − 1 and, for the integrands above, whose poles −λ/V̂ lie below the
 * spectrum, geometrically convergent in m — slowly when the pole approaches the smallest eigenvalue
 * (λ → 0 at α &gt; 1 on an ill-conditioned Ω), which the a-posteriori estimate of
 * {@link SaddlePointSolver#sweep(ErmSpec, TeacherQuadrature, org.gequiv.spectral.LanczosOptions,
 * org.gequiv.progress.Progress, org.gequiv.parallel.StopRequest)} sees.
 *
 * <p>{@link #spectra(int)} gives {@link Spectra} whose first d nodes are the eigenvalues (plain
 * weight 1, t = 0) and whose last nodes are the Gauss nodes (plain weight 0, their t_j). Ω·v reads
 * the lower triangle of Ω, the triangle the eigen path decomposes.
 *
 * <p>Holds Ω without copying it. <b>Not thread-safe</b> (the Lanczos process is extended in place).
 */
public final class TeacherQuadrature {

    private final int d;
    private final double[] eigenvalues;
    private final BlockLanczos lanczos;
    private final double rho;
    private final double gamma;
    private final Map<Integer, Spectra> cache = new HashMap<>();

    TeacherQuadrature(int d, double[] omega, double[] b, double rho, double gamma, String field, String source) {
        LinearAlgebra la = LinearAlgebra.get();
        this.d = d;
        this.rho = rho;
        this.gamma = gamma;
        this.eigenvalues = la.symmetricEigenvalues(d, omega);
        Covariances.checkEigenvalues(field, source, eigenvalues);
        SymmetricOperator op = SymmetricOperator.ofLowerTriangle(d, omega);
        boolean zero = true;
        for (double x : b) {
            zero &= x == 0;
        }
        // b = 0 (a teacher the features cannot see): the teacher measure is zero, no process to run
        this.lanczos = zero ? null : new BlockLanczos(op, 1, b);
    }

    /** d, the number of eigenvalues. */
    public int dimension() {
        return d;
    }

    /** The eigenvalues of Ω, ascending (a copy): the plain measure. */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** Completed Lanczos steps. */
    public int steps() {
        return lanczos == null ? 0 : lanczos.steps();
    }

    /**
     * Whether the Krylov space of b was found invariant (or b = 0): every rule from {@link #steps()}
     * steps on is exact.
     */
    public boolean exhausted() {
        return lanczos == null || lanczos.exhausted();
    }

    /** Extends the process to {@code totalSteps} (or until exhausted); returns the completed steps. */
    public int extend(int totalSteps) {
        return lanczos == null ? 0 : lanczos.extend(totalSteps);
    }

    /** Gauss nodes of the teacher rule of {@code blockSteps} steps. */
    public int ruleNodes(int blockSteps) {
        return lanczos == null ? 0 : lanczos.size(blockSteps);
    }

    /**
     * The spectra with the teacher rule of {@code blockSteps} completed steps (at most {@link #steps()};
     * 0 only for b = 0).
     *
     * @throws IllegalArgumentException for a step count that is not completed
     */
    public Spectra spectra(int blockSteps) {
        return cache.computeIfAbsent(blockSteps, this::build);
    }

    private Spectra build(int blockSteps) {
        if (lanczos == null) {
            return new Spectra(eigenvalues, new double[d], rho, gamma);
        }
        BlockGaussRule rule = lanczos.gaussRule(blockSteps);
        int s = rule.size();
        double[] nodes = Arrays.copyOf(eigenvalues, d + s);
        double[] t = new double[d + s];
        double[] weights = new double[d + s];
        Arrays.fill(weights, 0, d, 1.0);
        for (int j = 0; j < s; j++) {
            nodes[d + j] = rule.nodes()[j];
            double y = rule.projections()[j];
            t[d + j] = y * y;
        }
        return new Spectra(nodes, t, rho, gamma, weights);
    }
}
