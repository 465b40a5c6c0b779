package org.gequiv.online;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.model.TeacherInput;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The ODE theory against one-pass SGD from the same weights (issue 3 acceptance): K = M = 2, erf,
 * η = 0.2, both layers, 10⁴ test samples, several seeds (teacher, student, data and test set
 * change with the seed; the generator stays fixed).
 *
 * <p>Criterion, at every log time: |mean over seeds of ε_sim/ε_theory − 1| ≤ 3 standard errors
 * (spread over seeds / √seeds) + {@link #GET_BIAS}. The allowance covers the finite-D bias of the
 * Gaussian equivalence, measured at 2–3 % for the single-layer sign generator at D = 100 (with
 * Gaussian-equivalent inputs the same comparison shows ≤ 1 %; docs/theory.md §5.7 and
 * reference-values §1 report 2 % at N = 400–500). A wrong δ (the authors' default 0.5 instead of
 * D/N) moves ε_g by ≈ 13 % and fails it.
 */
class TheoryVersusSimulationTest {

    /** Allowed systematic relative difference (finite-size Gaussian-equivalence bias). */
    static final double GET_BIAS = 0.03;

    static void assertAgreement(TheoryVersusSimulation.Summary s, int seeds) {
        for (int i = 0; i < s.times().length; i++) {
            double tol = 3 * s.spread()[i] / Math.sqrt(seeds) + GET_BIAS;
            double d = s.meanRelativeDifference()[i];
            assertTrue(Math.abs(d) <= tol, String.format("t = %.3f: mean ε_sim/ε_theory − 1 = %+.4f, spread %.4f, "
                    + "tolerance %.4f", s.times()[i], d, s.spread()[i], tol));
        }
    }

    static long[] seeds(int count) {
        long[] s = new long[count];
        for (int i = 0; i < count; i++) {
            s[i] = 100 + i;
        }
        return s;
    }

    @Test
    void singleLayerSignGeneratorModerateSize() {
        // N = 400, D = 80 (δ = 0.2), t ≤ 20, 4 seeds: ≈ 10 s; measured worst |mean| 2.3 % (z ≤ 2.5)
        Generator g = DeepRandomGenerator.singleLayer(80, 400, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        TheoryVersusSimulation.Summary s = TheoryVersusSimulation.compare(g, TeacherInput.LATENT, 0.2, 20, 12,
                10_000, seeds(4));
        assertAgreement(s, 4);
    }

    /**
     * Mini-batches (issue 10, item 3): SGD with the mean gradient of B samples at rate η against
     * the B = 1 ODE at η/B ({@link OdeTheory#effectiveLearningRate}), at B = 8 with η = 1.6
     * (η/B = 0.2) and at B = 32 with η = 3.2 (η/B = 0.1), on times that are whole numbers of
     * mini-batches; same criterion as above. N = 400, D = 80, t ≤ 20, 4 seeds. Measured worst
     * |mean| 2.3 % at B = 8 and 2.0 % at B = 32 (z ≤ 2.5, spread 1–4 %); the B = 1 curve at η,
     * which the theory returned before, is up to +123 % and +194 % off on the same runs.
     */
    @Test
    void miniBatchesFollowTheOdeAtTheLearningRateOverTheBatchSize() {
        Generator g = DeepRandomGenerator.singleLayer(80, 400, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        for (int[] batchAndTenthsOfEta : new int[][] {{8, 16}, {32, 32}}) {
            int batch = batchAndTenthsOfEta[0];
            double eta = batchAndTenthsOfEta[1] / 10.0;
            TheoryVersusSimulation.Summary s = TheoryVersusSimulation.compare(g, TeacherInput.LATENT, eta, batch, 20,
                    TheoryVersusSimulation.batchTimes(20, 12, batch, 400), 10_000, seeds(4));
            assertAgreement(s, 4);
        }
    }

    /** As above at the size of the issue's report: N = 1000, D = 100, t ≤ 40, 5 seeds. */
    @Test
    @Tag("slow")
    void miniBatchesAtIssueSize() {
        Generator g = DeepRandomGenerator.singleLayer(100, 1000, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        for (int[] batchAndTenthsOfEta : new int[][] {{8, 16}, {32, 32}}) {
            int batch = batchAndTenthsOfEta[0];
            double eta = batchAndTenthsOfEta[1] / 10.0;
            TheoryVersusSimulation.Summary s = TheoryVersusSimulation.compare(g, TeacherInput.LATENT, eta, batch, 40,
                    TheoryVersusSimulation.batchTimes(40, 12, batch, 1000), 10_000, seeds(5));
            assertAgreement(s, 5);
        }
    }

    @Test
    @Tag("slow")
    void singleLayerSignGeneratorAtIssueSize() {
        // N = 1000, D = 100, t ≤ 50, 5 seeds: ≈ 50 s; measured mean −2.5 … −3 % for t ≥ 4, spread 1–2 %
        Generator g = DeepRandomGenerator.singleLayer(100, 1000, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        TheoryVersusSimulation.Summary s = TheoryVersusSimulation.compare(g, TeacherInput.LATENT, 0.2, 50, 12,
                10_000, seeds(5));
        assertAgreement(s, 5);
    }

    @Test
    @Tag("slow")
    void deepRandomSignGeneratorWithAnalyticMoments() {
        // the authors' rand scenario (4 sign layers, width D) with the exact-kernel moment recursion;
        // measured worst |mean| 0.7 %
        Generator g = new DeepRandomGenerator(100, 1000, 4, 100, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        TheoryVersusSimulation.Summary s = TheoryVersusSimulation.compare(g, TeacherInput.LATENT, 0.2, 50, 12,
                10_000, seeds(5));
        assertAgreement(s, 5);
    }

    @Test
    @Tag("slow")
    void teacherActingOnTheInput() {
        // docs/theory.md §5.8; measured worst |mean| 1.9 % (z ≤ 2.4)
        Generator g = DeepRandomGenerator.singleLayer(100, 1000, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        TheoryVersusSimulation.Summary s = TheoryVersusSimulation.compare(g, TeacherInput.INPUT, 0.2, 50, 12,
                10_000, seeds(5));
        assertAgreement(s, 5);
    }
}
