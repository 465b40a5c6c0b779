package org.gequiv.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.StandardActivation;
import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.ErmSimulation;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.junit.jupiter.api.Test;

class ErmCurveEquivalenceTest {

    @Test
    void ermOnTheSignGeneratorAndItsGaussianEquivalentAgreeWithinErrorBars() {
        // N = 200, D = 100, student on the inputs, λ = 0.1, α = 0.5, 1, 2, 2 data sets per seed and
        // 4 seeds. The per-seed differences carry the data-set noise of both runs; 4 standard errors
        // keep a false failure below 1e-3 per point if the curves agree
        int n = 200;
        DeepRandomGenerator g = DeepRandomGenerator.singleLayer(n / 2, n, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        for (ErmLoss loss : new ErmLoss[] {ErmLoss.RIDGE, ErmLoss.LOGISTIC}) {
            ErmSpec spec = new ErmSpec(loss, new double[] {0.5, 1, 2}, new double[] {0.1}, 0, 2, 2000, 0);
            ErmCurveEquivalence.Result r = ErmCurveEquivalence.run(spec, FeatureSpec.input(), g,
                    g.analyticMoments().orElseThrow(), new long[] {1, 2, 3, 4}, new ErmSimulation());
            assertEquals(3, r.points().size());
            assertEquals(4, r.generator().size());
            for (ErmCurveEquivalence.Point p : r.points()) {
                assertTrue(p.converged(), loss + " at α = " + p.alpha());
                assertTrue(Math.abs(p.testErrorDifference()) < 4 * p.testErrorDifferenceSem(), loss + " " + p);
                assertTrue(Math.abs(p.trainLossDifference()) < 4 * p.trainLossDifferenceSem(), loss + " " + p);
            }
            // more data, lower test error, on both
            assertTrue(r.points().get(2).generatorTestError() < r.points().get(0).generatorTestError(), loss.id());
            assertTrue(r.points().get(2).gaussianTestError() < r.points().get(0).gaussianTestError(), loss.id());
        }
    }
}
