package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Theory (saddle point on the problem's analytic spectra) against simulation (ERM on sampled data)
 * on generator data: single-layer sign generator x = sign(Ac/√D) with D = 200, N = 400 and P = 400
 * random erf features, teacher on the latent (docs/theory.md §6.6 set-up with random features).
 *
 * <p>Tolerance: the acceptance criterion, two standard errors of the simulated mean (R repeats at a
 * fixed seed; a per-point significance of about 5 % if the only deviation were data-set noise, with
 * finite-size corrections of O(1/√N) on top, measured here at ≤ 1.2 SE).
 */
class ErmTheoryVersusSimulationTest {

    private static final double STANDARD_ERRORS = 2.0;
    private static final double[] ALPHAS = {0.5, 1.0, 2.0};

    static ErmProblem signGeneratorWithErfFeatures() {
        Generator g = DeepRandomGenerator.singleLayer(200, 400, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        return ErmProblem.create(g, FeatureSpec.random(400, StandardActivation.ERF), 3);
    }

    @Test
    void ridgeAgreesAndShowsTheInterpolationPeak() {
        ErmProblem problem = signGeneratorWithErfFeatures();
        Spectra spectra = problem.analyticSpectra();
        ErmSpec spec = new ErmSpec(ErmLoss.RIDGE, ALPHAS, new double[] {0.1, 1e-3}, 0.0, 5, 2000, 7);
        List<ErmPoint> theory = new SaddlePointSolver().sweep(spec, spectra);
        List<ErmPoint> sim = new ErmSimulation().run(spec, problem);
        assertAgree(theory, sim);
        // λ = 1e-3 (points 3..5): the test error peaks at α = 1 (n = d) in both engines
        for (List<ErmPoint> curve : List.of(theory, sim)) {
            assertTrue(curve.get(4).testError() > 1.4 * curve.get(3).testError()
                    && curve.get(4).testError() > 1.4 * curve.get(5).testError(), "peak at alpha = 1: " + curve);
        }
    }

    @Test
    void labelNoiseAgreesOnIsotropicData() {
        // Gaussian noise Δ = 0.5 on ridge labels and probit noise Δ = 0.3 on square-loss
        // classification labels, latent features (exactly Gaussian, d = 1000); test errors are
        // against the noiseless teacher in both engines
        Generator g = DeepRandomGenerator.singleLayer(1000, 1, StandardActivation.SIGN, CovarianceRule.EXACT, 2);
        ErmProblem problem = ErmProblem.create(g, FeatureSpec.latent(), 5);
        Spectra spectra = problem.analyticSpectra();
        ErmSpec ridge = new ErmSpec(ErmLoss.RIDGE, new double[] {0.5, 2}, new double[] {0.5}, 0.5, 10, 2000, 13);
        assertAgree(new SaddlePointSolver().sweep(ridge, spectra), new ErmSimulation().run(ridge, problem));
        ErmSpec sq = new ErmSpec(ErmLoss.SQUARE_CLASSIFICATION, new double[] {0.5, 2}, new double[] {0.1}, 0.3, 10, 2000,
                13);
        assertAgree(new SaddlePointSolver().sweep(sq, spectra), new ErmSimulation().run(sq, problem));
    }

    @Test
    @Tag("slow")
    void logisticAgrees() {
        ErmProblem problem = signGeneratorWithErfFeatures();
        Spectra spectra = problem.analyticSpectra();
        ErmSpec spec = new ErmSpec(ErmLoss.LOGISTIC, ALPHAS, new double[] {0.1, 1e-3}, 0.0, 5, 4000, 7);
        assertAgree(new SaddlePointSolver().sweep(spec, spectra), new ErmSimulation().run(spec, problem));
    }

    @Test
    @Tag("slow")
    void isotropicGaussianDataReproducesTheReferenceSimulations() {
        // reference-values.md §2, "Finite-size ERM on Gaussian data" (p = 1000): latent features of
        // any generator are exactly isotropic Gaussian
        Generator g = DeepRandomGenerator.singleLayer(1000, 1, StandardActivation.SIGN, CovarianceRule.EXACT, 2);
        ErmProblem problem = ErmProblem.create(g, FeatureSpec.latent(), 5);
        Spectra spectra = problem.analyticSpectra();
        for (ErmLoss loss : new ErmLoss[] {ErmLoss.RIDGE, ErmLoss.LOGISTIC}) {
            ErmSpec spec = new ErmSpec(loss, new double[] {2.0}, new double[] {loss == ErmLoss.RIDGE ? 1.0 : 0.1}, 0.0,
                    5, 4000, 11);
            assertAgree(new SaddlePointSolver().sweep(spec, spectra), new ErmSimulation().run(spec, problem));
        }
    }

    static void assertAgree(List<ErmPoint> theory, List<ErmPoint> sim) {
        assertEquals(theory.size(), sim.size());
        for (int i = 0; i < theory.size(); i++) {
            ErmPoint t = theory.get(i);
            ErmPoint s = sim.get(i);
            assertTrue(t.converged(), "theory converged at " + t);
            assertTrue(s.converged(), "ERM converged at " + s);
            double gap = Math.abs(s.testError() - t.testError());
            assertTrue(gap <= STANDARD_ERRORS * s.testErrorSem(), "alpha " + t.alpha() + ", lambda " + t.lambda()
                    + ": theory " + t.testError() + ", simulation " + s.testError() + " ± " + s.testErrorSem());
        }
    }
}
