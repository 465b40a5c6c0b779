package org.gequiv.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.GaussianIntegrals;
import org.gequiv.activation.StandardActivation;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Densities of equal eigenvalues obey the same linear equations (theory.md §5.3), so merging them
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

    @Test
    void toleranceOutsideItsRangeIsRefused() {
        OdeInitialState init = init(TeacherInput.LATENT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> odes(init, TrainedLayers.BOTH, 0.01));
        assertTrue(e.getMessage().contains("eigenvalue merging") && e.getMessage().contains("0.01"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OdeOptions.defaults().withEigenvalueMerging(Double.NaN));
    }
}
