/**
 * Online (one-pass) SGD for two-layer networks on generator data: the simulation of docs/theory.md §1.4
 * and the closed ODEs of the order-parameter densities of §5, both consuming one
 * {@link org.gequiv.online.OnlineProblem} and returning one {@link org.gequiv.online.LearningCurve}.
 *
 * <p>The ODE engine: {@link org.gequiv.online.OdeTheory} (entry points, mini-batch rate η/B),
 * {@link org.gequiv.online.DensityOdes} (the right-hand side: the layout of §5.1 in
 * {@code DensityLayout}, the model coefficients of §5.3–§5.5 in {@code DensityCoefficients}),
 * the integrators described by {@link org.gequiv.online.OdeIntegrator} and their one output
 * protocol {@link org.gequiv.online.OdeObserver}.
 */
package org.gequiv.online;
