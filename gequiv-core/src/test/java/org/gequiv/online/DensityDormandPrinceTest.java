package org.gequiv.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.gequiv.activation.GaussianIntegrals;
import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.Moments;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused Dormand–Prince integrator tracks Q, R, v through the linearity of the functionals
 * instead of recomputing them from the state; these tests hold that bookkeeping to the state it
 * integrates, to its own dense output, and to the generic fixed-step RK4 on the same system.
 */
class DensityDormandPrinceTest {

    /** Above twice the τ-block length, so that blocks, a short last block included, are exercised. */
    static final int N = 600;
    static final int D = 20;
    static final int K = 2;
    static final int M = 3;

    static DensityOdes odes(TeacherInput input, TrainedLayers layers) {
        assertTrue(N > 2 * DensityOdes.blockSize());
        Moments mo = OdeInitialStateTest.signMoments(N, D, 3);
        TwoLayerNetwork student = OdeInitialStateTest.network(K, N, "student");
        TwoLayerNetwork teacher = OdeInitialStateTest.network(M, input == TeacherInput.LATENT ? D : N, "teacher");
        OdeInitialState init = OdeInitialState.fromWeights(input, teacher, student, mo);
        // no eigenvalue merging: all N densities, as for a spectrum without repeated eigenvalues
        return new DensityOdes(init, GaussianIntegrals.create(StandardActivation.ERF, StandardActivation.ERF, K, M),
                0.5, layers, -1);
    }

    /** Runs the adaptive method and returns the functionals observed at each time. */
    static List<double[]> run(DensityOdes odes, double[] times, double tol, double[][] state) {
        List<double[]> seen = new ArrayList<>();
        LearningCurve.Termination end = new DensityDormandPrince(odes,
                OdeIntegrator.DormandPrince.withTolerances(tol, tol * 1e-2))
                .run(times, state, new ObservedOutput(odes, (t, q, r, v) -> {
                    seen.add(pack(q, r, v));
                    return OdeObserver.Action.CONTINUE;
                }, org.gequiv.parallel.StopRequest.NEVER));
        assertTrue(end.completed(), "integration completes: " + end);
        return seen;
    }

    /** Q_kl (k ≤ l), R, v: the order of {@link DensityLayout#functionals}. */
    static double[] pack(double[] q, double[] r, double[] v) {
        double[] phi = new double[K * (K + 1) / 2 + r.length + v.length];
        int f = 0;
        for (int i = 0; i < K; i++) {
            for (int j = i; j < K; j++) {
                phi[f++] = q[i * K + j];
            }
        }
        System.arraycopy(r, 0, phi, f, r.length);
        System.arraycopy(v, 0, phi, f + r.length, v.length);
        return phi;
    }

    @ParameterizedTest
    @CsvSource({"LATENT, BOTH", "LATENT, FIRST", "INPUT, BOTH", "INPUT, FIRST"})
    void trackedFunctionalsAreThoseOfTheFinalState(TeacherInput input, TrainedLayers layers) {
        DensityOdes odes = odes(input, layers);
        double[][] y = odes.newState();
        odes.initialState(y);
        List<double[]> seen = run(odes, new double[] {0.5, 3, 20}, 1e-8, y);
        double[] direct = new double[odes.layout().functionalCount()];
        odes.layout().functionals(y, direct);
        double[] tracked = seen.get(seen.size() - 1);
        for (int f = 0; f < direct.length; f++) {
            // φ(y_new) = φ(y) + h Σ b_j φ(k_j) over ~100 steps: equal up to accumulated rounding
            assertEquals(direct[f], tracked[f], 1e-11 * Math.max(1, Math.abs(direct[f])), "functional " + f);
        }
    }

    @ParameterizedTest
    @CsvSource({"LATENT, BOTH", "INPUT, FIRST"})
    void denseOutputMatchesAStepThatEndsThere(TeacherInput input, TrainedLayers layers) {
        DensityOdes odes = odes(input, layers);
        // a loose tolerance: long steps, so that an error in the continuous extension would show
        double tol = 1e-7;
        double[] inside = {0.37, 2.9, 7.3};
        double[][] y = odes.newState();
        odes.initialState(y);
        List<double[]> dense = run(odes, new double[] {0.37, 2.9, 7.3, 15}, tol, y);
        for (int i = 0; i < inside.length; i++) {
            odes.initialState(y);
            List<double[]> clipped = run(odes, new double[] {inside[i]}, tol, y);
            double[] a = dense.get(i);
            double[] b = clipped.get(0);
            for (int f = 0; f < a.length; f++) {
                // two different step sequences, each accurate to ~1e-6 at this tolerance; the
                // continuous extension is 4th order, as accurate as the steps
                assertEquals(b[f], a[f], 1e-5 * Math.max(1, Math.abs(b[f])), "t = " + inside[i] + ", functional " + f);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"LATENT, BOTH", "LATENT, FIRST", "INPUT, BOTH", "INPUT, FIRST"})
    void agreesWithFineStepRk4OnTheSameSystem(TeacherInput input, TrainedLayers layers) {
        double[] times = {0.25, 1, 4, 16};
        LearningCurve adaptive = OdeTheory.integrate(odes(input, layers), times, OdeOptions.adaptive(1e-10, 1e-12));
        LearningCurve rk4 = OdeTheory.integrate(odes(input, layers), times, OdeOptions.rk4(1e-3));
        assertTrue(adaptive.termination().completed() && rk4.termination().completed());
        OdeTheoryTest.assertCurvesAgree(rk4, adaptive, 1e-7);
    }
}
