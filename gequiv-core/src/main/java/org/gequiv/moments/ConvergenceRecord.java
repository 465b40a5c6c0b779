package org.gequiv.moments;

/**
 * One line of the convergence log of a moment estimate, written at every checkpoint
 * (docs/theory.md §7.2).
 *
 * @param samples           samples accumulated so far
 * @param relChangeOmega    ‖Ω̂ − Ω̂_prev‖_F / ‖Ω̂‖_F since the previous entry (NaN for the first)
 * @param relChangePhi      ‖Φ̂ − Φ̂_prev‖_F / ‖Φ̂‖_F since the previous entry (NaN for the first)
 * @param relErrorOmega     ‖Ω̂ − Ω‖_F / ‖Ω‖_F against the generator's analytic moments (NaN when
 *                          it has none); the reference code logs the square of this
 * @param relErrorPhi       ‖Φ̂ − Φ‖_F / ‖Φ‖_F likewise
 */
public record ConvergenceRecord(long samples, double relChangeOmega, double relChangePhi,
                                double relErrorOmega, double relErrorPhi) {
}
