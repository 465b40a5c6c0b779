/**
 * Online (one-pass) SGD for two-layer networks on generator data: the simulation of docs/theory.md §1.4
 * and the closed ODEs of the order-parameter densities of §5, both consuming one
 * {@link org.gequiv.online.OnlineProblem} and returning one {@link org.gequiv.online.LearningCurve}.
 */
package org.gequiv.online;
