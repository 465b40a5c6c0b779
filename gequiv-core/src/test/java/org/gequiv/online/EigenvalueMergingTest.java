package org.gequiv.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.GaussianIntegrals;
import org.gequiv.activation.StandardActivation;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Densities of equal eigenvalues obey the same linear equations (docs/theory.md §5.11), so merging them
 * into their sum is exact; the single-layer generator's Ω = κ1²AAᵀ/D + κ*²I has D distinct
 * eigenvalues and an (N − D)-fold one.
 */
class EigenvalueMergingTest {

    static final int N = 80;
    static final int D = 20;
    static final int K = 2;
    static final int M = 3;

    static OdeInitialState init(TeacherInput input) {
        TwoLayerNetwork student = OdeInitialStateTest.network(K, N, "student");
        TwoLayerNetwork teacher = OdeInitialStateTest.network(M, input == TeacherInput.LATENT ? D : N, "teacher");
        return OdeInitialState.fromWeights(input, teacher, student, OdeInitialStateTest.signMoments(N, D, 3));
    }

    static DensityOdes odes(OdeInitialState init, TrainedLayers layers, double merging) {
        return new DensityOdes(init, GaussianIntegrals.create(StandardActivation.ERF, StandardActivation.ERF, K, M),
                0.5, layers, merging);
    }

    @Test
    void theBulkOfASingleLayerGeneratorBecomesOneDensity() {
        OdeInitialState init = init(TeacherInput.LATENT);
        assertEquals(D + 1, odes(init, TrainedLayers.BOTH, OdeOptions.DEFAULT_EIGENVALUE_MERGING).mergedEigenvalues());
        assertEquals(N, odes(init, TrainedLayers.BOTH, -1).mergedEigenvalues());
        int exactOnly = odes(init, TrainedLayers.BOTH, 0).mergedEigenvalues();
        assertTrue(exactOnly >= D + 1 && exactOnly <= N, "identical values only: " + exactOnly);
    }

    @Test
    void mergedInitialStateHasTheSameOrderParameters() {
        OdeInitialState init = init(TeacherInput.INPUT);
        DensityOdes merged = odes(init, TrainedLayers.BOTH, OdeOptions.DEFAULT_EIGENVALUE_MERGING);
        DensityOdes full = odes(init, TrainedLayers.BOTH, -1);
        double[] a = new double[merged.layout().functionalCount()];
        double[] b = new double[full.layout().functionalCount()];
        double[][] ya = merged.newState();
        double[][] yb = full.newState();
        merged.initialState(ya);
        full.initialState(yb);
        merged.layout().functionals(ya, a);
        full.layout().functionals(yb, b);
        for (int f = 0; f < a.length; f++) {
            // bulk eigenvalues differ by rounding (~1e-15 relative); merging moves each by less
            assertEquals(b[f], a[f], 1e-12 * Math.max(1, Math.abs(b[f])), "functional " + f);
        }
    }

    @ParameterizedTest
    @CsvSource({"LATENT, BOTH", "LATENT, FIRST", "INPUT, BOTH", "INPUT, FIRST"})
    void mergedDynamicsEqualTheFullOnes(TeacherInput input, TrainedLayers layers) {
        OdeInitialState init = init(input);
        double[] times = {0, 0.5, 2, 8, 30};
        OdeOptions options = OdeOptions.adaptive(1e-11, 1e-13);
        LearningCurve merged = OdeTheory.integrate(odes(init, layers, OdeOptions.DEFAULT_EIGENVALUE_MERGING), times,
                options);
        LearningCurve full = OdeTheory.integrate(odes(init, layers, -1), times, options);
        // each run is accurate to ~1e-10 relative over these times; merging itself adds ~1e-15
        OdeTheoryTest.assertCurvesAgree(full, merged, 1e-8);
    }

    /**
     * toy4's densities on ρ = (1, 1, 1.5, 2) with explicit noise weights: the two directions of
     * ρ = 1 merge, and by definition (§5.4, the constant η²ρ w_τ term) the merged derivative is
     * the sum of its members' derivatives, the weights included.
     */
    static OdeInitialState toy4WithRepeatedEigenvalue(double[] weights) throws Exception {
        OdeInitialState toy4 = OdeInitialState.fromNpz(OdeTheoryTest.resource("toy4.npz"));
        return new OdeInitialState(2, 2, TeacherInput.LATENT, new double[] {1, 1, 1.5, 2}, toy4.q(), toy4.r(),
                toy4.tildeT(), toy4.t(), toy4.a(), toy4.v(), toy4.delta(), weights);
    }

    static double[][] derivative(OdeInitialState init, double merging) {
        DensityOdes odes = new DensityOdes(init, GaussianIntegrals.create(StandardActivation.ERF,
                StandardActivation.ERF, 2, 2), 0.5, TrainedLayers.BOTH, merging);
        double[][] y = odes.newState();
        double[][] dy = odes.newState();
        odes.initialState(y);
        odes.derivatives(y, dy);
        return dy;
    }

    @Test
    void mergingSumsTheNoiseWeightsOfItsMembers() throws Exception {
        // the weights sum to N = 4, the normaliser of Q and R (OdeInitialState.directions()), so
        // that only the constant term can change
        double[] weights = {0.25, 0.75, 1.5, 1.5};
        OdeInitialState init = toy4WithRepeatedEigenvalue(weights);
        double[][] merged = derivative(init, OdeOptions.DEFAULT_EIGENVALUE_MERGING);
        double[][] full = derivative(init, -1);
        assertEquals(3, merged[0].length, "ρ = 1 is one density");
        for (int row = 0; row < merged.length - 1; row++) {
            // sums of two O(1) terms: rounding only
            assertEquals(full[row][0] + full[row][1], merged[row][0], 1e-14, "row " + row + ", merged group");
            assertEquals(full[row][2], merged[row][1], 1e-14, "row " + row);
            assertEquals(full[row][3], merged[row][2], 1e-14, "row " + row);
        }
    }

    @Test
    void noiseWeightsScaleOnlyTheConstantTermOfQ() throws Exception {
        // the weights sum to N = 4, the normaliser of Q and R (OdeInitialState.directions()), so
        // that only the constant term can change
        double[] weights = {0.25, 0.75, 1.5, 1.5};
        double[][] weighted = derivative(toy4WithRepeatedEigenvalue(weights), -1);
        double[][] unit = derivative(toy4WithRepeatedEigenvalue(null), -1);
        double[] rho = {1, 1, 1.5, 2};
        int pairs = 3;
        for (int row = 0; row < weighted.length; row++) {
            if (row < pairs) {
                // dq_τ(w) − dq_τ(1) = G_kl ρ_τ (w_τ − 1), the same G_kl for every τ
                double g = (weighted[row][3] - unit[row][3]) / (rho[3] * (weights[3] - 1));
                assertTrue(Math.abs(g) > 1e-6, "the noise term is present in row " + row);
                for (int tau = 0; tau < 3; tau++) {
                    assertEquals(g * rho[tau] * (weights[tau] - 1), weighted[row][tau] - unit[row][tau],
                            1e-13, "row " + row + ", τ = " + tau);
                }
            } else {
                // r and v carry no noise term
                for (int tau = 0; tau < weighted[row].length; tau++) {
                    assertEquals(unit[row][tau], weighted[row][tau], 0.0, "row " + row + ", τ = " + tau);
                }
            }
        }
    }

    @Test
    void defaultNoiseWeightsAreOneAndBadOnesAreRefused() throws Exception {
        OdeInitialState init = toy4WithRepeatedEigenvalue(null);
        assertArrayEquals(new double[] {1, 1, 1, 1}, init.noiseWeights(), 0.0);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> toy4WithRepeatedEigenvalue(new double[] {1, -0.5, 1, 1}));
        assertEquals("noiseWeights", e.field());
        assertTrue(e.getMessage().contains("-0.5") && e.getMessage().contains("index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> toy4WithRepeatedEigenvalue(new double[] {1, 1}));
    }

    @Test
    void toleranceOutsideItsRangeIsRefused() {
        OdeInitialState init = init(TeacherInput.LATENT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> odes(init, TrainedLayers.BOTH, 0.01));
        assertTrue(e.getMessage().contains("eigenvalue merging") && e.getMessage().contains("0.01"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OdeOptions.defaults().withEigenvalueMerging(Double.NaN));
    }
}
