/**
 * Diagnostics of the Gaussian equivalence itself (docs/theory.md §2.1, §2.5): for fixed weights, the
 * local fields (λ, ν) = (Wx/√N, θc/√D) sampled under a generator are compared with the Gaussian
 * law N(μ, C), C = [[Q, R], [Rᵀ, T]], that the generator's moments (μ, Ω, Φ) predict.
 *
 * <p>What is computed: errors of the mean and covariance, skewness and excess kurtosis of each
 * field, the one-dimensional Wasserstein-1 distance and Kolmogorov–Smirnov statistic along each
 * field and along random unit directions (sliced), each beside its Monte-Carlo floor (the same
 * statistic for as many samples of the exact Gaussian); sweeps over N at fixed δ = D/N or fixed D
 * with least-squares log–log decay exponents and t-based confidence intervals, where a statistic
 * that does not rise clearly above its floor is reported as not resolved, never as a decay; and the
 * learning-curve equivalence of online SGD and of ERM on a generator and on its Gaussian equivalent
 * with matched moments and seeds (§2.2, §5, §6).
 */
package org.gequiv.equivalence;
