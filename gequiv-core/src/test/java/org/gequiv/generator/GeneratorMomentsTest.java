package org.gequiv.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.StandardActivation;
import org.junit.jupiter.api.Test;

/**
 * Analytic moments against Monte-Carlo estimates from the generator's own samples. The statistic is
 * the ratio of the squared Frobenius error to its expected value under sampling noise alone (the
 * summed squared standard errors from 40 independent batches): about 1 when the analytic moments
 * are right, far above 1 when they are not.
 */
class GeneratorMomentsTest {

    private static final int BATCHES = 40;
    private static final int BATCH_SIZE = 5000;
    /**
     * Accept a ratio up to 1.6: the squared error sums thousands of weakly correlated squared
     * Gaussian errors, so under the null its relative spread is a few per cent, and the batch-based
     * noise estimate (39 degrees of freedom per entry) adds about ±5 %.
     */
    private static final double WITHIN_NOISE = 1.6;

    private static double[] ratios(Generator g, Moments m, long seed) {
        MonteCarloMoments mc = MonteCarloMoments.estimate(g, m.mean(), BATCHES, BATCH_SIZE, seed);
        return new double[] {
            MonteCarloMoments.squaredDistance(mc.omega, m.omega()) / mc.omegaNoise2,
            MonteCarloMoments.squaredDistance(mc.phi, m.phi()) / mc.phiNoise2,
            MonteCarloMoments.squaredDistance(mc.mean, m.mean())
        };
    }

    @Test
    void exactMomentsOfTheSingleLayerSignGeneratorAreWithinSamplingNoise() {
        DeepRandomGenerator g = DeepRandomGenerator.singleLayer(40, 120, StandardActivation.SIGN, CovarianceRule.EXACT, 3);
        double[] r = ratios(g, g.analyticMoments().orElseThrow(), 11);
        assertTrue(r[0] < WITHIN_NOISE && r[0] > 1 / WITHIN_NOISE, "Omega error / noise = " + r[0]);
        assertTrue(r[1] < WITHIN_NOISE && r[1] > 1 / WITHIN_NOISE, "Phi error / noise = " + r[1]);
    }

    @Test
    void exactMomentsOfTheSingleLayerReluGeneratorIncludeItsMean() {
        DeepRandomGenerator g = DeepRandomGenerator.singleLayer(40, 120, StandardActivation.RELU, CovarianceRule.EXACT, 4);
        Moments m = g.analyticMoments().orElseThrow();
        double[] r = ratios(g, m, 12);
        assertTrue(r[0] < WITHIN_NOISE && r[0] > 1 / WITHIN_NOISE, "Omega error / noise = " + r[0]);
        assertTrue(r[1] < WITHIN_NOISE && r[1] > 1 / WITHIN_NOISE, "Phi error / noise = " + r[1]);
        // mean error per entry ~ sd/√P = 0.58/√(2e5) ≈ 1.3e-3, squared and summed over 120 entries ≈ 2e-4
        assertTrue(r[2] < 120 * 4 * Math.pow(0.6 / Math.sqrt(BATCHES * BATCH_SIZE), 2), "mean error² = " + r[2]);
    }

    @Test
    void tanhSeriesKernelIsWithinSamplingNoise() {
        DeepRandomGenerator g = DeepRandomGenerator.singleLayer(40, 120, StandardActivation.TANH, CovarianceRule.EXACT, 5);
        double[] r = ratios(g, g.analyticMoments().orElseThrow(), 13);
        assertTrue(r[0] < WITHIN_NOISE && r[0] > 1 / WITHIN_NOISE, "Omega error / noise = " + r[0]);
        assertTrue(r[1] < WITHIN_NOISE && r[1] > 1 / WITHIN_NOISE, "Phi error / noise = " + r[1]);
    }

    @Test
    void linearisedMomentsWithGaussianRowsAreDetectablyOff() {
        // the published linearisation assumes ‖a_i‖² = D; with Gaussian rows at D = 40 that is off by
        // ~1/√D per row, far beyond the sampling noise: the test above could fail
        DeepRandomGenerator g = DeepRandomGenerator.singleLayer(40, 120, StandardActivation.SIGN,
                CovarianceRule.LINEARISED, 3);
        double[] r = ratios(g, g.analyticMoments().orElseThrow(), 11);
        assertTrue(r[1] > 10, "Phi error / noise = " + r[1]);
    }

    @Test
    void deepSignGeneratorExactRuleBeatsTheLinearisedOne() {
        // depth 2: hidden pre-activations are no longer Gaussian, so even the exact rule is an
        // approximation (docs/theory.md §2.4: 3.8 % relative Frobenius error at D = 100); it must stay
        // below the linearised rule's error and below 6 %
        DeepRandomGenerator exact = new DeepRandomGenerator(100, 150, 2, 100, StandardActivation.SIGN, CovarianceRule.EXACT, 8);
        DeepRandomGenerator lin = new DeepRandomGenerator(100, 150, 2, 100, StandardActivation.SIGN, CovarianceRule.LINEARISED, 8);
        Moments me = exact.analyticMoments().orElseThrow();
        Moments ml = lin.analyticMoments().orElseThrow();
        MonteCarloMoments mc = MonteCarloMoments.estimate(exact, me.mean(), BATCHES, BATCH_SIZE, 14);
        double[] offDiagonalMc = offDiagonal(mc.omega, 150);
        double exactOmega = Math.sqrt(MonteCarloMoments.squaredDistance(offDiagonal(me.omega(), 150), offDiagonalMc)
                / MonteCarloMoments.squaredDistance(offDiagonalMc, new double[offDiagonalMc.length]));
        double linOmega = Math.sqrt(MonteCarloMoments.squaredDistance(offDiagonal(ml.omega(), 150), offDiagonalMc)
                / MonteCarloMoments.squaredDistance(offDiagonalMc, new double[offDiagonalMc.length]));
        double exactPhi = Math.sqrt(MonteCarloMoments.squaredDistance(me.phi(), mc.phi)
                / MonteCarloMoments.squaredDistance(mc.phi, new double[mc.phi.length]));
        double linPhi = Math.sqrt(MonteCarloMoments.squaredDistance(ml.phi(), mc.phi)
                / MonteCarloMoments.squaredDistance(mc.phi, new double[mc.phi.length]));
        assertTrue(exactOmega < linOmega, "exact " + exactOmega + " vs linearised " + linOmega);
        assertTrue(exactPhi < linPhi, "exact " + exactPhi + " vs linearised " + linPhi);
        assertTrue(exactOmega < 0.06 && exactPhi < 0.06, "exact rule errors " + exactOmega + ", " + exactPhi);
    }

    @Test
    void linearGeneratorMomentsAreExactByConstruction() {
        DeepRandomGenerator g = new DeepRandomGenerator(5, 7, 3, 6, StandardActivation.LINEAR, CovarianceRule.EXACT, 1);
        Moments m = g.analyticMoments().orElseThrow();
        // x = F3 F2 F1 c: Φ = F3 F2 F1 and Ω = ΦΦᵀ exactly
        double[] f1 = g.layerWeights(0);
        double[] f2 = g.layerWeights(1);
        double[] f3 = g.layerWeights(2);
        double[] f21 = new double[6 * 5];
        org.gequiv.linalg.LinearAlgebra.get().gemm(false, false, 6, 5, 6, 1, f2, f1, 0, f21);
        double[] phi = new double[7 * 5];
        org.gequiv.linalg.LinearAlgebra.get().gemm(false, false, 7, 5, 6, 1, f3, f21, 0, phi);
        for (int i = 0; i < phi.length; i++) {
            assertEquals(phi[i], m.phi()[i], 1e-14);
        }
        double[] omega = new double[49];
        org.gequiv.linalg.LinearAlgebra.get().gemm(false, true, 7, 7, 5, 1, phi, phi, 0, omega);
        for (int i = 0; i < omega.length; i++) {
            assertEquals(omega[i], m.omega()[i], 1e-14);
        }
    }

    private static double[] offDiagonal(double[] a, int n) {
        double[] o = a.clone();
        for (int i = 0; i < n; i++) {
            o[i * n + i] = 0;
        }
        return o;
    }
}
