/**
 * Full-batch learning on fixed features (docs/theory.md §6): empirical risk minimisation
 * {@code ŵ = argmin Σ_μ ℓ(y^μ, w·v^μ/√d) + (λ/2)‖w‖²} on generator data, predicted by the
 * saddle-point equations of the Gaussian covariate model in spectral form (§6.2–§6.5) and measured
 * by solving the ERM problem itself.
 *
 * <p>One {@link org.gequiv.erm.ErmSpec} is consumed by both engines: the theory
 * ({@link org.gequiv.erm.SaddlePointSolver}, fed by {@link org.gequiv.erm.Spectra}) and the
 * simulation ({@link org.gequiv.erm.ErmSimulation}, fed by an {@link org.gequiv.erm.ErmProblem});
 * both return {@link org.gequiv.erm.ErmPoint}s, so a theory-versus-simulation comparison is one
 * piece of code.
 *
 * <p>The spectra come from a {@link org.gequiv.erm.CovariateModel} (Ω, b = Φᵀθ, ρ, γ) either by the
 * eigendecomposition of Ω or by quadrature ({@link org.gequiv.erm.TeacherQuadrature}: the eigenvalues
 * for the plain averages, the single-vector Lanczos Gauss rule of b for the teacher's, docs/theory.md
 * §5.12, "ERM (§6)"), solved on the rules of m and m' steps by
 * {@link org.gequiv.erm.SaddlePointSolver#sweep(org.gequiv.erm.ErmSpec, org.gequiv.erm.TeacherQuadrature,
 * org.gequiv.spectral.LanczosOptions, org.gequiv.progress.Progress, org.gequiv.parallel.StopRequest)}
 * with their difference as the error estimate.
 */
package org.gequiv.erm;
