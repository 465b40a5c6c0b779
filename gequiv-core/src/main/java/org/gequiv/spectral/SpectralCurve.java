package org.gequiv.spectral;

import org.gequiv.online.LearningCurve;

/**
 * A theory curve with how its spectral data were obtained (for provenance: method, number of
 * nodes, error estimate).
 *
 * @param curve            ε_g, Q, R, v at the recorded times
 * @param method           eigen or lanczos
 * @param blockSteps       m of the returned curve (0 for eigen)
 * @param quadratureNodes  nodes of the block Gauss rule (N eigen-directions for eigen)
 * @param plainNodes       nodes of the plain measure (0 for eigen)
 * @param plainMeasure     how the plain measure was obtained (null for eigen)
 * @param quadratureError  a-posteriori estimate of the block-quadrature error: the largest relative
 *                         change of ε_g, Q or R at a recorded time between m − Δm and m steps
 *                         (0 when exact)
 * @param stochasticError  99 % bound of the error from the stochastic plain measure (0 otherwise):
 *                         Student's t(3) times the largest relative standard error over the curves of
 *                         the four probe groups ({@link SpectralTheory#groupSpread})
 * @param exact            whether the Krylov space was exhausted (the block quadrature is exact)
 * @param plainChoice      why this plain measure ({@link PlainMeasure.Method#AUTO}'s choice and, after a
 *                         fallback, the estimate of the deflated measure that missed the tolerance), or
 *                         "" (eigen, or a plain measure that was asked for)
 */
public record SpectralCurve(LearningCurve curve, SpectralMethod method, int blockSteps, int quadratureNodes,
                            int plainNodes, PlainMeasure.Method plainMeasure, double quadratureError,
                            double stochasticError, boolean exact, String plainChoice) {

    public SpectralCurve {
        plainChoice = plainChoice == null ? "" : plainChoice;
    }

    /** A curve without a recorded choice of the plain measure. */
    public SpectralCurve(LearningCurve curve, SpectralMethod method, int blockSteps, int quadratureNodes,
                         int plainNodes, PlainMeasure.Method plainMeasure, double quadratureError,
                         double stochasticError, boolean exact) {
        this(curve, method, blockSteps, quadratureNodes, plainNodes, plainMeasure, quadratureError, stochasticError,
                exact, "");
    }

    /** This curve with {@code why} as its {@link #plainChoice()}. */
    SpectralCurve withPlainChoice(String why) {
        return new SpectralCurve(curve, method, blockSteps, quadratureNodes, plainNodes, plainMeasure, quadratureError,
                stochasticError, exact, why);
    }

    /** quadratureError + stochasticError: the estimate to compare with a tolerance. */
    public double errorEstimate() {
        return quadratureError + stochasticError;
    }
}
