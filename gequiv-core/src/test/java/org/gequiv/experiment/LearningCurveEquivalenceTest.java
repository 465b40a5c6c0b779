package org.gequiv.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.OnlineSimulation;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.TrainedLayers;
import org.junit.jupiter.api.Test;

class LearningCurveEquivalenceTest {

    @Test
    void onlineSgdCurvesOnTheSignGeneratorAndItsGaussianEquivalentAgree() {
        // N = 200, D = 100, K = M = 2 erf, η = 0.2, t ≤ 20, 4 seeds: the two curves share teacher,
        // initial student and latent samples, so their difference is small and its error bar tight
        int n = 200;
        DeepRandomGenerator g = DeepRandomGenerator.singleLayer(n / 2, n, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        OnlineSpec spec = new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.LATENT, 0.2,
                20, TrainedLayers.BOTH, 1, 2000, OnlineSpec.logSpacedTimes(20, 12), 1.0, 0);
        long[] seeds = {1, 2, 3, 4};
        LearningCurveEquivalence.Result r = LearningCurveEquivalence.online(spec, g, g.analyticMoments().orElseThrow(),
                seeds, new OnlineSimulation(false));
        assertEquals(12, r.times().length);
        assertEquals(4, r.generatorCurves().size());
        // learning happened: ε_g fell by more than half on both
        int last = r.times().length - 1;
        assertTrue(r.generatorMean()[last] < 0.5 * r.generatorMean()[0]);
        assertTrue(r.gaussianMean()[last] < 0.5 * r.gaussianMean()[0]);
        for (int t = 0; t <= last; t++) {
            // a finite-size effect of a few % of ε_g is expected at N = 200; 4 standard errors keep a
            // false failure of the statistical part below 1e-3, 5% bounds the systematic part
            double diff = Math.abs(r.differenceMean()[t]);
            assertTrue(diff < 4 * r.differenceStandardError()[t], "t = " + r.times()[t] + ": " + diff);
            assertTrue(diff < 0.05 * r.generatorMean()[t], "t = " + r.times()[t] + ": " + diff);
        }
    }

    @Test
    void bothRunsOfASeedStartFromTheSameWeights() {
        // same teacher and student initialisation: the order parameters at t = 0 are measured on
        // different inputs, but v(0) (the student's second layer) is identical
        int n = 40;
        DeepRandomGenerator g = DeepRandomGenerator.singleLayer(20, n, StandardActivation.SIGN, CovarianceRule.EXACT, 2);
        OnlineSpec spec = new OnlineSpec(2, 1, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.LATENT, 0.2,
                1, TrainedLayers.BOTH, 1, 200, OnlineSpec.logSpacedTimes(1, 3), 1.0, 0);
        LearningCurveEquivalence.Result r = LearningCurveEquivalence.online(spec, g, g.analyticMoments().orElseThrow(),
                new long[] {7}, new OnlineSimulation(false));
        assertArrayEquals(r.generatorCurves().get(0).points().get(0).v(), r.gaussianCurves().get(0).points().get(0).v());
        assertTrue(Double.isNaN(r.differenceStandardError()[0]), "one seed has no error bar");
    }
}
