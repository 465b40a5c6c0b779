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
 */
package org.gequiv.erm;
