package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.junit.jupiter.api.Test;

/** The ERM solvers by their optimality conditions, and the simulation's bookkeeping. */
class ErmSimulationTest {

    /** Relative gradient norm a converged Newton / closed-form solve reaches (round-off of d = 60 sums). */
    private static final double GRADIENT = 1e-9;

    static double[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    static double[] signs(double[] x, int n, int d, double[] theta) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[i * d + j] * theta[j];
            }
            y[i] = s >= 0 ? 1 : -1;
        }
        return y;
    }

    @Test
    void squareLossSolvesTheNormalEquationsInPrimalAndDualForm() {
        int d = 60;
        for (int n : new int[] {30, 120}) {
            double[] x = gaussian(n * d, n);
            double[] y = gaussian(n, 2 * n);
            ErmSolvers.Fit fit = ErmSolvers.square(n, d, x, y, 0.3);
            assertTrue(fit.converged() && fit.residual() <= GRADIENT, "residual " + fit.residual());
        }
    }

    @Test
    void logisticNewtonReachesAStationaryPointOnSeparableData() {
        // n < d: separable, so only the penalty keeps w finite; λ = 1e-3 makes it hard
        int d = 60;
        int n = 30;
        double[] x = gaussian(n * d, 3);
        double[] y = signs(x, n, d, gaussian(d, 4));
        ErmSolvers.Fit fit = ErmSolvers.logistic(n, d, x, y, 1e-3);
        assertTrue(fit.converged(), "converged");
        assertTrue(fit.residual() <= ErmSolvers.NEWTON_TOLERANCE, "residual " + fit.residual());
    }

    @Test
    void hingeDualCoordinateDescentClosesTheDualityGap() {
        int d = 40;
        int n = 80;
        double[] x = gaussian(n * d, 5);
        double[] y = signs(x, n, d, gaussian(d, 6));
        for (int i = 0; i < n; i += 7) {
            y[i] = -y[i]; // label noise: some points must sit inside the margin
        }
        ErmSolvers.Fit fit = ErmSolvers.hinge(n, d, x, y, 0.05, new java.util.SplittableRandom(1));
        assertTrue(fit.converged(), "converged");
        // projected-gradient spread 1e-7 bounds the relative gap far below 1e-6
        assertTrue(fit.residual() >= -1e-12 && fit.residual() <= 1e-6, "duality gap " + fit.residual());
    }

    @Test
    void repeatsGiveMeansWithStandardErrorsAndIdenticalResultsForTheSameSeed() {
        var g = DeepRandomGenerator.singleLayer(40, 1, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        ErmProblem problem = ErmProblem.create(g, FeatureSpec.latent(), 2);
        ErmSpec spec = new ErmSpec(ErmLoss.SQUARE_CLASSIFICATION, new double[] {0.5, 2}, new double[] {0.1}, 0.1, 4,
                500, 9);
        List<ErmPoint> a = new ErmSimulation().run(spec, problem);
        List<ErmPoint> b = new ErmSimulation().run(spec, problem);
        assertEquals(a, b);
        for (ErmPoint p : a) {
            assertEquals(4, p.repeats());
            assertTrue(p.testErrorSem() > 0 && p.trainLossSem() > 0 && Double.isNaN(p.v()));
            assertTrue(p.testError() > 0 && p.testError() < 0.5, "classification error " + p.testError());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new ErmSimulation().point(spec, problem, 0.5, 0.0));
    }
}
