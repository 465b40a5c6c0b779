/**
 * Activation functions g and g′ (docs/theory.md §1.3), their Hermite coefficients κ0, κ1, κ*
 * (§2.3), the error function in double precision ({@link org.gequiv.activation.ErrorFunction}: the
 * erf activation and the saddle point's label channel), the arcsine of those kernels and
 * integrals ({@link org.gequiv.activation.Arcsine}: StrictMath's bits without its JNI call), the Gaussian kernel E[σ(u)σ(v)] of a
 * bivariate Gaussian with the mean and the Stein slope it needs
 * ({@link org.gequiv.activation.GaussianKernel}, §2.3–§2.4: generator moments and random features
 * alike), Gauss–Hermite quadrature, and the Gaussian integrals I2, I3, I4 of Saad and Solla (§4)
 * together with the generalisation error ε_g(Q, R, T, v, A) (§3.2).
 */
package org.gequiv.activation;
