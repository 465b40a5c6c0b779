package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A ridge test error of order 1e-9 (docs/theory.md §6.4: ε_g = ρ + q − 2m, a difference of numbers
 * of order one) is as accurate as the convergence criterion says, because the criterion bounds the
 * change of ε_g as well as that of V, q, m (docs/theory.md §6.5).
 */
class SaddlePointNearZeroErrorTest {

    /**
     * Noiseless isotropic ridge (ω = t = ρ = γ = 1): V solves λV² + (λ + α − 1)V − 1 = 0,
     * V̂ = α/(1 + V), and with a = λ + V̂ the test error is ε_g = λ²/(a² − V̂²/α), about
     * λ²α/(α − 1)³ for small λ: 1.8e-9 at α = 2, λ = 3e-5. Written without cancellation.
     */
    static double closedFormTestError(double alpha, double lambda) {
        double b = lambda + alpha - 1;
        double v = 2 / (b + Math.sqrt(b * b + 4 * lambda));
        double vHat = alpha / (1 + v);
        double a = lambda + vHat;
        return lambda * lambda / (a * a - vHat * vHat / alpha);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void tinyRidgeTestErrorsAreCorrectToTheStatedTolerance(int andersonDepth) {
        SaddlePointOptions opts = SaddlePointOptions.defaults().withAnderson(andersonDepth);
        SaddlePointSolver solver = new SaddlePointSolver(opts);
        for (double alpha : new double[] {1.5, 2.0, 3.0, 10.0}) {
            for (double lambda : new double[] {1e-4, 3e-5, 1e-5}) {
                ErmPoint p = solver.solve(ErmLoss.RIDGE, Spectra.isotropic(4), alpha, lambda, 0.0, null);
                double exact = closedFormTestError(alpha, lambda);
                String where = "α = " + alpha + ", λ = " + lambda + ", Anderson " + andersonDepth;
                assertTrue(exact > 1e-12 && exact < 1e-6, where + ": the case has a near-zero error " + exact);
                assertTrue(p.converged(), where);
                // the stated tolerance of ε_g is abs + rel·|ε_g|, i.e. 1e-12 here; the criterion
                // bounds the last undamped change, and the distance left to the fixed point is that
                // change over (1 − contraction of the map), a few times it for these well-conditioned
                // problems (≈ 100 damped steps, Anderson ≈ 12), hence the factor 10
                double tolerance = opts.absoluteTolerance() + opts.relativeTolerance() * exact;
                double error = Math.abs(p.testError() - exact);
                assertTrue(error <= 10 * tolerance, where + ": test error " + p.testError() + " vs exact "
                        + exact + ", off by " + error + ", tolerance " + tolerance);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.0, 2.0})
    void closedFormAgreesWithTheKnownPointAndTheSmallLambdaLimit(double alpha) {
        // α = 2, λ = 1 is the exact case of SaddlePointClosedFormTest: ε_g = (√2 − 1)/2
        assertEquals((Math.sqrt(2) - 1) / 2, closedFormTestError(2.0, 1.0), 1e-15);
        // for α > 1 and λ → 0 the error vanishes as λ²α/(α − 1)³; for α < 1 it tends to 1 − α
        double lambda = 1e-6;
        double limit = alpha > 1 ? lambda * lambda * alpha / Math.pow(alpha - 1, 3) : alpha < 1 ? 1 - alpha : Double.NaN;
        if (!Double.isNaN(limit)) {
            assertEquals(limit, closedFormTestError(alpha, lambda), 1e-4 * limit);
        } else {
            // α = 1: ε_g ∝ √λ, between the two regimes
            double e = closedFormTestError(alpha, lambda);
            assertTrue(e > 1e-4 && e < 1e-2, "ε_g(α = 1, λ = 1e-6) = " + e);
        }
    }
}
