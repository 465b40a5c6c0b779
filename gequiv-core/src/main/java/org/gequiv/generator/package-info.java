/**
 * Generators x = G(c) with Gaussian latent c (docs/theory.md §1.1) and their moments (μ, Ω, Φ):
 * single-layer σ(Ac/√D) with analytic moments (§2.3), the deep random generator with the
 * linearised and the exact arcsine covariance recursions (§2.4), and the Gaussian-equivalent
 * generator x̃ = μ + Φc + (Ω − ΦΦᵀ)^{1/2} z built from any moments (§2.2).
 */
package org.gequiv.generator;
