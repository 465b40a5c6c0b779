package org.gequiv.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OdeInitialState;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OdeTheory;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.TrainedLayers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The mechanism of docs/theory.md §5.12 on the exact eigen-directions: an eigen-direction split into a
 * node with its projections but no constant term and a node with zero densities and the constant
 * term integrates to the same curve, because the densities of one direction obey one linear ODE.
 */
class NoiseWeightsTest {

    /** Fixed-step RK4 on both states: only the summation order differs, ~1e-13 relative. */
    static final double ROUND_OFF = 1e-11;

    @Test
    void defaultWeightsAreOnePerDirection() {
        OdeInitialState s = new OdeInitialState(1, 1, TeacherInput.LATENT, new double[] {1, 2, 3},
                new double[] {1, 1, 1}, new double[3], new double[3], new double[] {1}, new double[] {1},
                new double[] {0.5}, 0.5);
        assertArrayEquals(new double[] {1, 1, 1}, s.noiseWeights());
        assertEquals(3.0, s.directions());
        assertEquals(2.0, s.orderQ()[0], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new OdeInitialState(1, 1, TeacherInput.LATENT,
                new double[] {1}, new double[1], new double[1], new double[1], new double[] {1}, new double[] {1},
                new double[] {0.5}, 0.5, new double[] {-1}));
    }

    @ParameterizedTest
    @EnumSource(TeacherInput.class)
    void splitDirectionsReproduceTheEigenPath(TeacherInput input) {
        DeepRandomGenerator gen = DeepRandomGenerator.singleLayer(6, 40, StandardActivation.TANH, CovarianceRule.EXACT, 5);
        OnlineSpec spec = new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, input, 0.5, 5,
                TrainedLayers.BOTH, 1, 10, OnlineSpec.logSpacedTimes(5, 8), 1.0, 1);
        OnlineProblem problem = OnlineProblem.initialise(spec, gen);
        OdeInitialState eigen = OdeInitialState.fromProblem(problem, gen.analyticMoments().orElseThrow());
        int n = eigen.size();
        double[] rho = new double[2 * n];
        double[] weights = new double[2 * n];
        System.arraycopy(eigen.rho(), 0, rho, 0, n);
        System.arraycopy(eigen.rho(), 0, rho, n, n);
        Arrays.fill(weights, n, 2 * n, 1.0);
        OdeInitialState split = new OdeInitialState(2, 2, input, rho, doubled(eigen.q(), 4, n), doubled(eigen.r(), 4, n),
                doubled(eigen.tildeT(), 4, n), eigen.t(), eigen.a(), eigen.v(), eigen.delta(), weights);
        assertEquals(n, split.directions());
        assertArrayEquals(eigen.orderQ(), split.orderQ(), 1e-14);
        assertArrayEquals(eigen.orderR(), split.orderR(), 1e-14);
        for (double merging : new double[] {-1.0, OdeOptions.DEFAULT_EIGENVALUE_MERGING}) {
            OdeOptions ode = OdeOptions.rk4(0.01).withEigenvalueMerging(merging);
            LearningCurve a = OdeTheory.integrate(spec, eigen, ode);
            LearningCurve b = OdeTheory.integrate(spec, split, ode);
            assertTrue(SpectralTheory.relativeDifference(b, a) <= ROUND_OFF, "merging " + merging + ": "
                    + SpectralTheory.relativeDifference(b, a));
        }
    }

    @Test
    void theConstantTermDependsOnlyOnTheTotalWeightAtOneRho() {
        // a single direction with q = 0, r = 0 stays at zero without the constant term, and grows with it
        OdeInitialState quiet = new OdeInitialState(1, 1, TeacherInput.INPUT, new double[] {1, 1},
                new double[] {0, 1}, new double[] {0, 0.5}, new double[] {0, 1}, new double[] {0.5},
                new double[] {1}, new double[] {0.3}, 1.0, new double[] {0, 2});
        OdeInitialState noisy = new OdeInitialState(1, 1, TeacherInput.INPUT, new double[] {1, 1},
                new double[] {0, 1}, new double[] {0, 0.5}, new double[] {0, 1}, new double[] {0.5},
                new double[] {1}, new double[] {0.3}, 1.0, new double[] {1, 1});
        double[] times = {0, 1};
        List<LearningCurve.Point> a = OdeTheory.integrate(quiet, StandardActivation.ERF, StandardActivation.ERF, 0.5,
                TrainedLayers.BOTH, times, OdeOptions.rk4(0.01).withEigenvalueMerging(-1)).points();
        List<LearningCurve.Point> b = OdeTheory.integrate(noisy, StandardActivation.ERF, StandardActivation.ERF, 0.5,
                TrainedLayers.BOTH, times, OdeOptions.rk4(0.01).withEigenvalueMerging(-1)).points();
        // the total weight (2) and the node the densities sit on are the same, only where the
        // constant term acts differs — but both nodes have ρ = 1, so the curves coincide
        assertEquals(a.get(1).q()[0], b.get(1).q()[0], 1e-13);
    }

    private static double[] doubled(double[] density, int rows, int n) {
        double[] out = new double[rows * 2 * n];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(density, i * n, out, i * 2 * n, n);
        }
        return out;
    }
}
