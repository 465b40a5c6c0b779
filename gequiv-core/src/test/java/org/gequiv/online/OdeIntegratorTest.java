package org.gequiv.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.gequiv.activation.GaussianIntegrals;
import org.gequiv.activation.StandardActivation;
import org.gequiv.model.TeacherInput;
import org.gequiv.validation.InvalidInputException;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The integrators of {@link OdeIntegrator} through the one engine entry point
 * {@link OdeTheory#observe}: that a tolerance means what it says (in the manner of Hipparchus'
 * {@code EmbeddedRungeKuttaIntegratorAbstractTest.doTestIncreasingTolerance}), that the fused
 * Dormand–Prince agrees with Hipparchus' own {@code DormandPrince54Integrator}, and that every
 * method speaks the same observer protocol and honours its step bounds and budget.
 */
class OdeIntegratorTest {

    static final double ETA_LINEAR = 0.3;

    /**
     * K = M = 1, linear g, teacher on the input, Ω = I (all ρ = 1), v = A = 1 frozen:
     * ε_g(t) = ε_g(0) exp(−η(2 − η)t) exactly (docs/theory.md §5.9).
     */
    static OdeInitialState linearWhiteInputs(int n) {
        double[] rho = new double[n];
        double[] q = new double[n];
        double[] r = new double[n];
        double[] tt = new double[n];
        java.util.random.RandomGenerator rng = org.gequiv.random.RandomStreams.stream(7, "linear-closed-form");
        double tm = 0;
        for (int i = 0; i < n; i++) {
            double w = rng.nextGaussian();
            double th = rng.nextGaussian();
            rho[i] = 1.0;
            q[i] = w * w;
            r[i] = w * th;
            tt[i] = th * th;
            tm += tt[i] / n;
        }
        return new OdeInitialState(1, 1, TeacherInput.INPUT, rho, q, r, tt, new double[] {tm}, new double[] {1.0},
                new double[] {1.0}, 0.5);
    }

    static DensityOdes linearOdes(double merging) {
        return new DensityOdes(linearWhiteInputs(50), GaussianIntegrals.create(StandardActivation.LINEAR,
                StandardActivation.LINEAR, 1, 1), ETA_LINEAR, TrainedLayers.FIRST, merging);
    }

    static DensityOdes toy4Odes() throws Exception {
        return new DensityOdes(OdeInitialState.fromNpz(OdeTheoryTest.resource("toy4.npz")),
                GaussianIntegrals.create(StandardActivation.ERF, StandardActivation.ERF, 2, 2), 0.5,
                TrainedLayers.BOTH);
    }

    /**
     * Absolute tolerance 10^i for i = −12 … −3 with relative tolerance 0.01·atol (Hipparchus'
     * convention; the state entries are O(1), so atol sets the scale): the largest error of ε_g
     * over the output times, interpolated ones included, stays below {@link #TOLERANCE_FACTOR} times
     * the tolerance, and the number of right-hand sides does not grow as the tolerance loosens.
     * Merged (all ρ equal: one density) and unmerged (50 densities, so that the RMS norm spreads
     * the allowance over 50 entries).
     */
    @ParameterizedTest
    @ValueSource(doubles = {OdeOptions.DEFAULT_EIGENVALUE_MERGING, -1})
    void increasingToleranceOnTheLinearClosedForm(double merging) {
        double[] times = {0, 0.5, 1, 2, 5, 10};
        long previous = Long.MAX_VALUE;
        for (int i = -12; i <= -3; i++) {
            double tolerance = Math.pow(10, i);
            DensityOdes odes = linearOdes(merging);
            LearningCurve curve = OdeTheory.integrate(odes, times, OdeOptions.adaptive(0.01 * tolerance, tolerance));
            assertTrue(curve.termination().completed(), curve.termination().toString());
            double e0 = curve.points().get(0).generalisationError();
            double worst = 0;
            for (LearningCurve.Point p : curve.points()) {
                double exact = e0 * Math.exp(-ETA_LINEAR * (2 - ETA_LINEAR) * p.time());
                worst = Math.max(worst, Math.abs(p.generalisationError() - exact));
            }
            assertTrue(worst < TOLERANCE_FACTOR * tolerance, "tolerance " + tolerance + ": error " + worst);
            long evaluations = odes.evaluations();
            assertTrue(evaluations <= previous, "tolerance " + tolerance + ": " + evaluations
                    + " evaluations after " + previous + " at the tighter tolerance");
            previous = evaluations;
        }
    }

    /**
     * The global error may not exceed the local tolerance: each accepted step has an RMS scaled
     * local error ≤ 1 by the embedded (fourth-order) estimate, the propagated fifth-order solution
     * is more accurate than that estimate, and the dynamics contract (the error of ε_g decays at
     * rate η(2 − η)), so that old local errors fade instead of adding up. (Measured: 0.4–12 % of
     * the tolerance.)
     */
    static final double TOLERANCE_FACTOR = 1.0;

    /** toy4 (reference-values §1) as a flat first-order system for Hipparchus. */
    static final class FlatSystem implements OrdinaryDifferentialEquation {
        private final DensityOdes odes;
        private final double[][] y;
        private final double[][] dy;

        FlatSystem(DensityOdes odes) {
            this.odes = odes;
            this.y = odes.newState();
            this.dy = odes.newState();
        }

        @Override
        public int getDimension() {
            return odes.dimension();
        }

        double[] initial() {
            odes.initialState(y);
            return flatten(y);
        }

        @Override
        public double[] computeDerivatives(double t, double[] flat) {
            int at = 0;
            for (double[] row : y) {
                System.arraycopy(flat, at, row, 0, row.length);
                at += row.length;
            }
            odes.derivatives(y, dy);
            return flatten(dy);
        }

        /** Q (k ≤ l), R, v of a flat state, in the order of {@link DensityLayout#functionals}. */
        double[] orderParameters(double[] flat) {
            computeDerivatives(0, flat);
            double[] phi = new double[odes.layout().functionalCount()];
            odes.layout().functionals(y, phi);
            return phi;
        }

        private static double[] flatten(double[][] rows) {
            int size = 0;
            for (double[] row : rows) {
                size += row.length;
            }
            double[] out = new double[size];
            int at = 0;
            for (double[] row : rows) {
                System.arraycopy(row, 0, out, at, row.length);
                at += row.length;
            }
            return out;
        }
    }

    /**
     * The fused Dormand–Prince against Hipparchus' {@code DormandPrince54Integrator} (the same
     * pair, the same mixed error norm, its own step-size start and interpolator) on toy4, at
     * tolerances where each is accurate to ~1e-10: Q, R and v agree within {@link #AGREEMENT}.
     */
    @Test
    void agreesWithHipparchusDormandPrince54OnToy4() throws Exception {
        double rtol = 1e-10;
        double atol = 1e-12;
        double[] times = {0.2, 0.78, 3.6, 18.42, 97.64};
        List<double[]> ours = new ArrayList<>();
        LearningCurve.Termination end = OdeTheory.observe(toy4Odes(), times, OdeOptions.adaptive(rtol, atol),
                (t, q, r, v) -> {
                    ours.add(DensityDormandPrinceTest.pack(q, r, v));
                    return OdeObserver.Action.CONTINUE;
                });
        assertTrue(end.completed(), end.toString());

        FlatSystem system = new FlatSystem(toy4Odes());
        DormandPrince54Integrator hipparchus = new DormandPrince54Integrator(1e-12, 1e3, atol, rtol);
        List<double[]> theirs = new ArrayList<>();
        hipparchus.addStepHandler(new ODEStepHandler() {
            private int next;

            @Override
            public void handleStep(ODEStateInterpolator interpolator) {
                while (next < times.length && times[next] <= interpolator.getCurrentState().getTime()) {
                    theirs.add(interpolator.getInterpolatedState(times[next]).getPrimaryState());
                    next++;
                }
            }
        });
        hipparchus.integrate(system, new ODEState(0, system.initial()), times[times.length - 1]);
        assertEquals(times.length, theirs.size());
        for (int i = 0; i < times.length; i++) {
            double[] expected = system.orderParameters(theirs.get(i));
            double[] actual = ours.get(i);
            for (int f = 0; f < expected.length; f++) {
                assertEquals(expected[f], actual[f], AGREEMENT * Math.max(1, Math.abs(expected[f])),
                        "t = " + times[i] + ", functional " + f);
            }
        }
    }

    /** Two integrations each within ~1e-10·rtol-scaled error of the truth, over ~10² time units. */
    static final double AGREEMENT = 1e-8;

    /** One observer protocol for every method: stopping at an output time ends the run there. */
    @ParameterizedTest
    @ValueSource(strings = {"euler", "rk4", "adaptive"})
    void observerStopsEveryIntegrator(String id) throws Exception {
        OdeOptions options = switch (OdeOptions.Method.byId(id)) {
            case EULER -> OdeOptions.euler(0.01);
            case RK4 -> OdeOptions.rk4(0.01);
            case ADAPTIVE -> OdeOptions.defaults();
        };
        double[] times = OdeTheoryTest.toy4Times();
        List<Double> seen = new ArrayList<>();
        LearningCurve curve = OdeTheory.integrate(toy4Odes(), times, options, (t, q, r, v) -> {
            seen.add(t);
            assertEquals(4, q.length);
            assertEquals(4, r.length);
            assertEquals(2, v.length);
            return t >= 3.6 ? OdeObserver.Action.STOP : OdeObserver.Action.CONTINUE;
        });
        assertEquals(List.of(0.0, 0.2, 0.78, 3.6), seen, id);
        assertEquals(4, curve.points().size(), "the curve keeps the point at which the observer stopped");
        LearningCurve.Termination end = curve.termination();
        assertFalse(end.completed());
        assertEquals(3.6, end.stoppedAt(), 0.0);
        assertTrue(end.reason().contains("observer"), end.reason());
    }

    @Test
    void evaluationBudgetEndsTheRunKeepingThePointsSoFar() throws Exception {
        int budget = 60;
        DensityOdes odes = toy4Odes();
        OdeOptions options = OdeOptions.of(OdeIntegrator.DormandPrince.withTolerances(1e-10, 1e-12)
                .withMaxEvaluations(budget));
        LearningCurve curve = OdeTheory.integrate(odes, OdeTheoryTest.toy4Times(), options);
        assertFalse(curve.termination().completed());
        assertTrue(curve.termination().reason().contains("evaluation budget of " + budget), curve.termination().reason());
        assertTrue(odes.evaluations() <= budget, odes.evaluations() + " evaluations");
        assertTrue(curve.points().size() >= 1 && curve.points().size() < OdeTheoryTest.TOY4.length);
        assertTrue(curve.points().get(curve.points().size() - 1).time() <= curve.termination().stoppedAt());
    }

    @Test
    void stepBoundsAreHonoured() throws Exception {
        double[] times = {0, 1};
        // at most 0.01 per step: ≥ 100 steps of 6 evaluations
        DensityOdes bounded = toy4Odes();
        LearningCurve.Termination end = OdeTheory.observe(bounded, times,
                OdeOptions.of(OdeIntegrator.DormandPrince.withTolerances(1e-6, 1e-8).withStepBounds(0, 0.01)),
                OdeObserver.NONE);
        assertTrue(end.completed());
        assertTrue(bounded.evaluations() >= 6 * 100, bounded.evaluations() + " evaluations");
        // a smallest step that the tolerance cannot accept stops the run at t = 0
        LearningCurve.Termination refused = OdeTheory.observe(toy4Odes(), new double[] {0, 50},
                OdeOptions.of(OdeIntegrator.DormandPrince.withTolerances(1e-12, 1e-14).withStepBounds(20, 50)),
                OdeObserver.NONE);
        assertFalse(refused.completed());
        assertTrue(refused.reason().contains("below minStep 20"), refused.reason());
    }

    @Test
    void stepControlFollowsItsFormula() {
        EmbeddedStepControl control = new EmbeddedStepControl(OdeIntegrator.DormandPrince.withTolerances(1e-8, 1e-10),
                DormandPrince54Tableau.ORDER);
        // safety·err^(−1/5) inside [minReduction, maxGrowth]
        assertEquals(0.9 * Math.pow(0.5, -0.2), control.stepFactor(0.5), 1e-15);
        assertEquals(0.9 * Math.pow(2.0, -0.2), control.stepFactor(2.0), 1e-15);
        assertEquals(OdeOptions.DEFAULT_MAX_GROWTH, control.stepFactor(0.0), 0.0, "a zero error grows by maxGrowth");
        assertEquals(OdeOptions.DEFAULT_MIN_REDUCTION, control.stepFactor(1e9), 0.0);
        assertEquals(EmbeddedStepControl.NON_FINITE_REDUCTION, control.stepFactor(Double.NaN), 0.0);
        assertEquals(1e-10 + 1e-8 * 3, control.scale(-3, 2), 1e-24);
    }

    @Test
    void badParametersAreRefusedNamingTheField() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> OdeIntegrator.DormandPrince.withTolerances(0, 1e-10));
        assertEquals("relativeTolerance", e.field());
        assertTrue(e.getMessage().startsWith("relativeTolerance must be"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new OdeIntegrator.Euler(-0.1));
        assertEquals("dt", e.field());
        e = assertThrows(InvalidInputException.class,
                () -> OdeIntegrator.DormandPrince.withTolerances(1e-8, 1e-10).withStepControl(0.9, 0.2, 1.0));
        assertEquals("maxGrowth", e.field());
        e = assertThrows(InvalidInputException.class,
                () -> OdeIntegrator.DormandPrince.withTolerances(1e-8, 1e-10).withStepBounds(1, 0.5));
        assertEquals("maxStep", e.field());
        e = assertThrows(InvalidInputException.class,
                () -> OdeIntegrator.DormandPrince.withTolerances(1e-8, 1e-10).withMaxEvaluations(0));
        assertEquals("maxEvaluations", e.field());
        e = assertThrows(InvalidInputException.class, () -> OdeOptions.Method.byId("leapfrog"));
        assertEquals("integrator", e.field());
    }

    @Test
    void optionsKeepTheirCompatibilityView() {
        OdeOptions adaptive = OdeOptions.defaults();
        assertEquals(OdeOptions.Method.ADAPTIVE, adaptive.method());
        assertEquals(OdeOptions.DEFAULT_RELATIVE_TOLERANCE, adaptive.relativeTolerance(), 0.0);
        assertEquals(OdeOptions.DEFAULT_ABSOLUTE_TOLERANCE, adaptive.absoluteTolerance(), 0.0);
        assertEquals(OdeOptions.DEFAULT_MAX_STEP, adaptive.dt(), 0.0, "for the adaptive method dt is the largest step");
        assertEquals(OdeOptions.DEFAULT_INTEGRATOR, adaptive.integrator().id());
        OdeOptions euler = OdeOptions.euler(OdeOptions.DEFAULT_DT);
        assertEquals(OdeOptions.Method.EULER, euler.method());
        assertEquals(0.01, euler.dt(), 0.0);
        assertEquals(OdeOptions.Method.RK4, OdeOptions.rk4(0.02).method());
        assertEquals(1e-6, OdeOptions.rk4(0.02).withEigenvalueMerging(1e-6).eigenvalueMerging(), 0.0);
    }
}
