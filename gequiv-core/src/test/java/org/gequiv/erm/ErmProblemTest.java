package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.junit.jupiter.api.Test;

/** Spectra of generator problems (theory.md §6.1–§6.2): analytic moments against Monte Carlo. */
class ErmProblemTest {

    /**
     * 40 000 samples estimate Ω and Φᵀθ to about 1/√40000 = 0.5 % per entry. The analytic random-
     * feature moments also assume Gaussian pre-activations (GET, at N = 40 here), and for tanh a
     * linearised off-diagonal kernel. Measured gaps at this seed: ≤ 0.7 % (input and erf features),
     * 1.3 % (tanh, ridge); bound 2 %.
     */
    private static final double MONTE_CARLO_RELATIVE = 0.02;

    @Test
    void analyticAndMonteCarloSpectraPredictTheSameCurve() {
        Generator g = DeepRandomGenerator.singleLayer(20, 40, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        SaddlePointSolver solver = new SaddlePointSolver();
        for (FeatureSpec fs : new FeatureSpec[] {FeatureSpec.input(), FeatureSpec.random(30, StandardActivation.ERF),
            FeatureSpec.random(30, StandardActivation.TANH)}) {
            ErmProblem problem = ErmProblem.create(g, fs, 2);
            Spectra analytic = problem.analyticSpectra();
            Spectra mc = problem.monteCarloSpectra(40_000, 9);
            assertEquals(problem.featureDimension(), analytic.dimension());
            assertEquals(20.0 / problem.featureDimension(), analytic.gamma(), 0.0);
            for (ErmLoss loss : new ErmLoss[] {ErmLoss.RIDGE, ErmLoss.LOGISTIC}) {
                ErmPoint a = solver.solve(loss, analytic, 1.5, 0.1, 0.0, null);
                ErmPoint b = solver.solve(loss, mc, 1.5, 0.1, 0.0, null);
                assertEquals(a.testError(), b.testError(), MONTE_CARLO_RELATIVE * a.testError(),
                        fs.map() + " " + (fs.activation() == null ? "" : fs.activation().id()) + " " + loss);
            }
        }
    }

    @Test
    void latentFeaturesHaveTheIsotropicSpectrum() {
        Generator g = DeepRandomGenerator.singleLayer(50, 10, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        ErmProblem problem = ErmProblem.create(g, FeatureSpec.latent(), 4);
        Spectra s = problem.analyticSpectra();
        double[] theta = problem.teacher();
        for (int i = 0; i < 50; i++) {
            assertEquals(1.0, s.omega()[i], 0.0);
            assertEquals(theta[i] * theta[i], s.t()[i], 0.0);
        }
        // a noiseless linear teacher on the latent is fully explained: ⟨t/ω⟩/γ = ρ
        assertEquals(s.rho(), s.explainedVariance(), 1e-12);
    }

    @Test
    void invalidFeatureSpecsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureSpec.random(0, StandardActivation.ERF));
        assertTrue(e.getMessage().startsWith("random feature count must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FeatureMap.byId("pixels"));
        assertTrue(e.getMessage().startsWith("features must be one of"), e.getMessage());
    }
}
