package org.gequiv.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.gequiv.activation.StandardActivation;
import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.ErmPoint;
import org.gequiv.erm.ErmProblem;
import org.gequiv.erm.ErmSimulation;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.erm.SaddlePointSolver;
import org.gequiv.erm.Spectra;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.spectral.LanczosOptions;
import org.gequiv.spectral.SpectralMethod;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

class ErmExperimentTest {

    private static final ErmSpec SPEC = new ErmSpec(ErmLoss.RIDGE, new double[] {0.5, 1.5}, new double[] {0.1}, 0.0, 2,
            300, 3);

    /** The experiment centres a generator with a known mean, and is exactly its engines on the centred one. */
    @Test
    void reluGeneratorIsCentredAndTheEnginesAgreeWithTheExperiment() {
        Generator relu = DeepRandomGenerator.singleLayer(15, 30, StandardActivation.RELU, CovarianceRule.EXACT, 1);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ErmProblem.create(relu, FeatureSpec.input(), 3));
        assertEquals("generator", e.field());

        ErmExperimentSpec spec = new ErmExperimentSpec(SPEC, FeatureSpec.input(), ErmExperimentSpec.Covariances.ANALYTIC,
                ErmExperimentSpec.DEFAULT_MONTE_CARLO_SAMPLES, SaddlePointOptions.defaults(), true, 0);
        ErmResult result = new ErmExperiment(spec).run(relu);
        ErmProblem problem = ErmProblem.create(InputCentring.centredWhenMeanKnown(relu), FeatureSpec.input(), 3);
        List<ErmPoint> theory = new SaddlePointSolver(SaddlePointOptions.defaults()).sweep(SPEC, problem.analyticSpectra());
        List<ErmPoint> simulated = new ErmSimulation().run(SPEC, problem);
        for (int i = 0; i < theory.size(); i++) {
            assertEquals(theory.get(i).testError(), result.theory().get(i).testError(), 0.0);
            assertEquals(simulated.get(i).testError(), result.simulation().get(i).testError(), 0.0);
            assertEquals(simulated.get(i).trainLoss(), result.simulation().get(i).trainLoss(), 0.0);
        }
        assertNull(result.equivalence());
        assertEquals(30, result.featureDimension());
    }

    /**
     * Auto's fallback (docs/theory.md §5.12, "ERM (§6)"): a fixed single Lanczos step, whose estimate
     * (the change from 1 to 5 steps) misses the tolerance, gives the eigen path's points bit for bit,
     * and run.json's theory.spectral says so with the estimate; lanczos asked for on given spectra
     * (no Ω) is refused under the field spectralMethod.
     */
    @Test
    void autoFallsBackToEigenWhenTheEstimateMissesAndLanczosNeedsOmega() {
        Generator g = DeepRandomGenerator.singleLayer(10, 60, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        ErmExperimentSpec eigen = ErmExperimentSpec.theory(SPEC, FeatureSpec.input());
        ErmResult reference = new ErmExperiment(eigen).run(g);
        ErmResult auto = new ErmExperiment(eigen.withSpectralMethod(SpectralMethod.AUTO,
                LanczosOptions.defaults().withBlockSteps(1))).run(g);
        for (int i = 0; i < reference.theory().size(); i++) {
            assertEquals(reference.theory().get(i), auto.theory().get(i));
        }
        Map<?, ?> spectral = (Map<?, ?>) ((Map<?, ?>) auto.provenance().get("theory")).get("spectral");
        assertEquals("auto", spectral.get("requested"));
        assertEquals("eigen", spectral.get("method"));
        assertTrue(((String) spectral.get("fallback")).contains("is above the tolerance"), spectral.toString());
        Map<?, ?> lanczos = (Map<?, ?>) spectral.get("lanczos");
        assertEquals(5, lanczos.get("blockSteps"));
        assertTrue((double) lanczos.get("errorEstimate") > LanczosOptions.DEFAULT_TOLERANCE);
        ErmResult kept = new ErmExperiment(eigen.withSpectralMethod(SpectralMethod.AUTO, LanczosOptions.defaults()))
                .run(g);
        Map<?, ?> keptSpectral = (Map<?, ?>) ((Map<?, ?>) kept.provenance().get("theory")).get("spectral");
        assertEquals("lanczos", keptSpectral.get("method"));
        assertNull(keptSpectral.get("fallback"));
        ErmExperiment onSpectra = new ErmExperiment(eigen.withSpectralMethod(SpectralMethod.LANCZOS,
                LanczosOptions.defaults()));
        assertEquals("spectralMethod", assertThrows(InvalidInputException.class,
                () -> onSpectra.run(Spectra.isotropic(4), Map.of())).field());
    }

    @Test
    void specChecksNameTheirFields() {
        assertEquals("labelNoise", assertThrows(InvalidInputException.class,
                () -> new ErmSpec(ErmLoss.RIDGE, new double[] {1}, new double[] {1}, -1, 1, 1, 0)).field());
        assertEquals("lambda", assertThrows(InvalidInputException.class,
                () -> new ErmSpec(ErmLoss.LOGISTIC, new double[] {1}, new double[] {0}, 0, 1, 1, 0)).field());
        assertEquals("monteCarloSamples", assertThrows(InvalidInputException.class,
                () -> new ErmExperimentSpec(SPEC, FeatureSpec.input(), ErmExperimentSpec.Covariances.MONTE_CARLO, 1,
                        SaddlePointOptions.defaults(), false, 0)).field());
        assertEquals("damping", assertThrows(InvalidInputException.class,
                () -> SaddlePointOptions.defaults().withDamping(1)).field());
    }
}
