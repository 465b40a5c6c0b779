package org.gequiv.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Moments;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.TrainedLayers;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Theory on Lanczos nodes against the eigendecomposition path (docs/theory.md §5.12) at small N, for
 * every generator activation and both teacher placements.
 */
class LanczosAgreementTest {

    /**
     * The acceptance bound of issue 14. The adaptive integrator (rtol 1e-8) picks different steps
     * on the two node sets, so agreement cannot be better than ~1e-8·(number of steps); the
     * quadrature itself is driven to {@link #QUADRATURE_TOLERANCE}.
     */
    static final double AGREEMENT = 1e-6;
    static final double QUADRATURE_TOLERANCE = 1e-7;
    /** The ODE integrators' own discrepancy floor (rtol 1e-8 over a few hundred steps). */
    static final double INTEGRATOR_FLOOR = 1e-7;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (StandardActivation g : StandardActivation.values()) {
            for (TeacherInput input : TeacherInput.values()) {
                b.add(Arguments.of(g, input));
            }
        }
        return b.build();
    }

    static OnlineSpec spec(TeacherInput input) {
        return new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, input, 0.2, 20,
                TrainedLayers.BOTH, 1, 100, OnlineSpec.logSpacedTimes(20, 20), 1.0, 3);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void lanczosMatchesEigenAndItsEstimateBoundsTheError(StandardActivation g, TeacherInput input) {
        DeepRandomGenerator gen = DeepRandomGenerator.singleLayer(20, 150, g, CovarianceRule.EXACT, 11);
        Moments moments = gen.analyticMoments().orElseThrow();
        OnlineProblem problem = OnlineProblem.initialise(spec(input), gen);
        OdeOptions ode = OdeOptions.defaults();
        SpectralCurve eigen = SpectralTheory.integrate(SpectralMethod.EIGEN, problem, moments, null, ode);
        SpectralCurve lanczos = SpectralTheory.integrate(SpectralMethod.LANCZOS, problem, moments,
                LanczosOptions.defaults().withTolerance(QUADRATURE_TOLERANCE), ode);
        assertTrue(lanczos.curve().termination().completed());
        assertEquals(eigen.curve().points().size(), lanczos.curve().points().size());
        double error = SpectralTheory.relativeDifference(lanczos.curve(), eigen.curve());
        assertTrue(error <= AGREEMENT, "relative difference " + error + " with " + summary(lanczos));
        assertTrue(error <= lanczos.errorEstimate() + INTEGRATOR_FLOOR,
                "error " + error + " above estimate " + summary(lanczos));
        // with few steps the quadrature error is far above the integrator's, and the estimate
        // (the change from m to m + Δm) still bounds the error of the m + Δm curve
        SpectralCurve rough = SpectralTheory.integrate(SpectralMethod.LANCZOS, problem, moments,
                LanczosOptions.defaults().withBlockSteps(2), ode);
        double roughError = SpectralTheory.relativeDifference(rough.curve(), eigen.curve());
        assertTrue(roughError <= rough.errorEstimate() + INTEGRATOR_FLOOR,
                "error " + roughError + " above estimate " + summary(rough));
        assertEquals(2 + LanczosOptions.DEFAULT_CHECK_STEPS, rough.blockSteps());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matrixFreeOperatorGivesTheSameCurveAsTheDenseOne(StandardActivation g, TeacherInput input) {
        DeepRandomGenerator gen = DeepRandomGenerator.singleLayer(10, 90, g, CovarianceRule.EXACT, 12);
        Moments moments = gen.analyticMoments().orElseThrow();
        OnlineProblem problem = OnlineProblem.initialise(spec(input), gen);
        LanczosOptions options = LanczosOptions.defaults().withBlockSteps(6)
                .withPlainMeasure(PlainMeasure.Method.EIGENVALUES);
        SpectralCurve dense = SpectralTheory.integrate(problem.spec(), problem.teacher(), problem.student(),
                ExplicitCovariance.of(moments), options, OdeOptions.rk4(0.05));
        SpectralCurve free = SpectralTheory.integrate(problem.spec(), problem.teacher(), problem.student(),
                KernelCovariance.of(gen).materialise(), options, OdeOptions.rk4(0.05));
        // the operators agree to ~1e-15; six Lanczos steps amplify that by at most the conditioning
        // of the Ritz problem, so 1e-9 is a wide margin
        assertTrue(SpectralTheory.relativeDifference(free.curve(), dense.curve()) <= 1e-9);
    }

    /**
     * The stochastic plain measure (16 probes, matched to N, tr Ω, tr Ω²): its error is the
     * sampling error of the (b) part, about 10% of Q here, times √(2/16) ≈ 0.35 before matching,
     * so 0.035 bounds it with room even without the matching; a wrong weight (the mass or the
     * constant-term scaling) would be off by the whole (b) part.
     */
    @Test
    void stochasticPlainMeasureIsWithinItsSamplingError() {
        DeepRandomGenerator gen = DeepRandomGenerator.singleLayer(20, 150, StandardActivation.SIGN,
                CovarianceRule.EXACT, 13);
        Moments moments = gen.analyticMoments().orElseThrow();
        OnlineProblem problem = OnlineProblem.initialise(spec(TeacherInput.LATENT), gen);
        OdeOptions ode = OdeOptions.defaults();
        SpectralCurve eigen = SpectralTheory.integrate(SpectralMethod.EIGEN, problem, moments, null, ode);
        SpectralCurve slq = SpectralTheory.integrate(SpectralMethod.LANCZOS, problem, moments,
                LanczosOptions.defaults().withPlainMeasure(PlainMeasure.Method.STOCHASTIC), ode);
        double error = SpectralTheory.relativeDifference(slq.curve(), eigen.curve());
        assertTrue(error <= 0.035, "stochastic error " + error + ", " + summary(slq));
        assertTrue(slq.stochasticError() > 0);
        assertEquals(PlainMeasure.Method.STOCHASTIC, slq.plainMeasure());
    }

    static Stream<Arguments> stochasticCases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int n : new int[] {150, 400}) {
            for (StandardActivation g : new StandardActivation[] {StandardActivation.SIGN, StandardActivation.TANH,
                    StandardActivation.RELU}) {
                for (PlainMeasure.Method plain : new PlainMeasure.Method[] {PlainMeasure.Method.STOCHASTIC,
                        PlainMeasure.Method.DEFLATED}) {
                    b.add(Arguments.of(n, g, plain));
                }
            }
        }
        return b.build();
    }

    /**
     * The probe-group estimate of the stochastic plain measures (four groups, Student's t(3) at
     * 99 %, plus the quadrature estimate) bounds the actual difference from the eigen path: a 99 %
     * bound, so with one fixed seed (17, for generator and probes) all 12 cases must hold; an
     * estimate from a single pair of halves, one draw of the spread, fell short of the error on
     * the default case (docs/theory.md §5.12). The stochastic error (1e-5–1e-3 here) is far above
     * the integrator's floor, which the estimate does not cover.
     */
    @ParameterizedTest
    @MethodSource("stochasticCases")
    void stochasticEstimateBoundsTheActualError(int n, StandardActivation g, PlainMeasure.Method plain) {
        DeepRandomGenerator gen = DeepRandomGenerator.singleLayer(n / 10, n, g, CovarianceRule.EXACT, 17);
        Moments moments = gen.analyticMoments().orElseThrow();
        OnlineProblem problem = OnlineProblem.initialise(spec(TeacherInput.LATENT), gen);
        OdeOptions ode = OdeOptions.defaults();
        SpectralCurve eigen = SpectralTheory.integrate(SpectralMethod.EIGEN, problem, moments, null, ode);
        LanczosOptions options = LanczosOptions.defaults().withPlainMeasure(plain)
                .withProbes(LanczosOptions.DEFAULT_PROBES, LanczosOptions.DEFAULT_PROBE_STEPS, 17);
        SpectralCurve lanczos = SpectralTheory.integrate(SpectralMethod.LANCZOS, problem, moments, options, ode);
        assertEquals(plain, lanczos.plainMeasure());
        double error = SpectralTheory.relativeDifference(lanczos.curve(), eigen.curve());
        assertTrue(lanczos.stochasticError() > 0, summary(lanczos));
        assertTrue(error <= lanczos.errorEstimate(), "error " + error + " above " + summary(lanczos));
    }

    /**
     * The policy of {@link PlainMeasure.Method#AUTO} (docs/theory.md §5.12) on N = 150, sign: at
     * this N the eigenvalues at once; with the limit set below N the deflated measure, kept when
     * its estimate meets the tolerance (10⁻², above the stochastic part of 10⁻⁵–10⁻³ at this N) and
     * replaced by the eigenvalues when it misses (the default 2.5·10⁻⁷) while its quadrature part
     * meets it. Each outcome is the curve of the plain measure named, bit for bit.
     */
    @Test
    void autoTakesTheDeflatedMeasureWhenItsEstimateMeetsTheToleranceAndTheEigenvaluesOtherwise() {
        DeepRandomGenerator gen = DeepRandomGenerator.singleLayer(15, 150, StandardActivation.SIGN,
                CovarianceRule.EXACT, 17);
        Moments moments = gen.analyticMoments().orElseThrow();
        OnlineSpec spec = spec(TeacherInput.LATENT);
        OnlineProblem problem = OnlineProblem.initialise(spec, gen);
        OdeOptions ode = OdeOptions.defaults();
        CovarianceOperator omega = ExplicitCovariance.of(moments);
        LanczosOptions auto = LanczosOptions.defaults();
        SpectralCurve small = SpectralTheory.integrate(spec, problem.teacher(), problem.student(), omega, auto, ode);
        assertEquals(PlainMeasure.Method.EIGENVALUES, small.plainMeasure(), small.plainChoice());
        SpectralCurve exact = SpectralTheory.integrate(spec, problem.teacher(), problem.student(), omega,
                auto.withPlainMeasure(PlainMeasure.Method.EIGENVALUES), ode);
        assertEquals(0.0, SpectralTheory.relativeDifference(small.curve(), exact.curve()));

        SpectralCurve fallback = SpectralTheory.integrate(spec, problem.teacher(), problem.student(), omega, auto,
                ode, 0);
        SpectralCurve deflated = SpectralTheory.integrate(spec, problem.teacher(), problem.student(), omega,
                auto.withPlainMeasure(PlainMeasure.Method.DEFLATED), ode);
        assertTrue(deflated.errorEstimate() > auto.tolerance() && deflated.quadratureError() <= auto.tolerance(),
                summary(deflated));
        assertEquals(PlainMeasure.Method.EIGENVALUES, fallback.plainMeasure(), fallback.plainChoice());
        assertTrue(fallback.plainChoice().contains("" + deflated.stochasticError()), fallback.plainChoice());
        assertEquals(0.0, SpectralTheory.relativeDifference(fallback.curve(), exact.curve()));

        LanczosOptions loose = auto.withTolerance(1e-2);
        SpectralCurve kept = SpectralTheory.integrate(spec, problem.teacher(), problem.student(), omega, loose, ode, 0);
        SpectralCurve looseDeflated = SpectralTheory.integrate(spec, problem.teacher(), problem.student(), omega,
                loose.withPlainMeasure(PlainMeasure.Method.DEFLATED), ode);
        assertTrue(SpectralTheory.accepted(looseDeflated, loose), summary(looseDeflated));
        assertEquals(PlainMeasure.Method.DEFLATED, kept.plainMeasure(), kept.plainChoice());
        assertEquals(0.0, SpectralTheory.relativeDifference(kept.curve(), looseDeflated.curve()));
    }

    /**
     * The cost rule of {@link PlainMeasure.Method#AUTO} (docs/theory.md §5.12): where a deflation
     * block of D + 8 vectors would exceed its cap N/8 — here D = N/2 and D = N at N = 320 (cap 40),
     * with the small-N limit set below N so that the cap alone decides — auto takes the eigenvalues,
     * exactly the curve of the eigenvalues asked for, with no more nodes than the eigen path's N
     * densities; the curve agrees with the eigen path to the 10⁻⁶ at every recorded time,
     * for both teacher placements. Just under the cap (D = 32: 40 vectors) it deflates.
     */
    @ParameterizedTest
    @ValueSource(ints = {160, 320})
    void autoTakesTheEigenvaluesWhereTheDeflationWouldExceedItsCap(int d) {
        int n = 320;
        DeepRandomGenerator gen = DeepRandomGenerator.singleLayer(d, n, StandardActivation.SIGN, CovarianceRule.EXACT, 19);
        Moments moments = gen.analyticMoments().orElseThrow();
        CovarianceOperator omega = ExplicitCovariance.of(moments);
        OdeOptions ode = OdeOptions.defaults();
        LanczosOptions auto = LanczosOptions.defaults();
        for (TeacherInput input : TeacherInput.values()) {
            OnlineSpec spec = spec(input);
            OnlineProblem problem = OnlineProblem.initialise(spec, gen);
            SpectralCurve chosen = SpectralTheory.integrate(spec, problem.teacher(), problem.student(), omega, auto,
                    ode, 0);
            assertEquals(PlainMeasure.Method.EIGENVALUES, chosen.plainMeasure(), chosen.plainChoice());
            assertTrue(chosen.plainChoice().contains("cap 40"), chosen.plainChoice());
            assertTrue(chosen.quadratureNodes() + chosen.plainNodes() <= n, summary(chosen));
            SpectralCurve exact = SpectralTheory.integrate(spec, problem.teacher(), problem.student(), omega,
                    auto.withPlainMeasure(PlainMeasure.Method.EIGENVALUES), ode);
            assertEquals(0.0, SpectralTheory.relativeDifference(chosen.curve(), exact.curve()));
            SpectralCurve eigen = SpectralTheory.integrate(SpectralMethod.EIGEN, problem, moments, null, ode);
            double error = SpectralTheory.relativeDifference(chosen.curve(), eigen.curve());
            assertTrue(error <= AGREEMENT, input + ": relative difference " + error + " with " + summary(chosen));
        }
        DeepRandomGenerator fits = DeepRandomGenerator.singleLayer(32, n, StandardActivation.SIGN, CovarianceRule.EXACT,
                19);
        OnlineSpec spec = spec(TeacherInput.LATENT);
        OnlineProblem problem = OnlineProblem.initialise(spec, fits);
        SpectralCurve deflated = SpectralTheory.integrate(spec, problem.teacher(), problem.student(),
                ExplicitCovariance.of(fits.analyticMoments().orElseThrow()), auto.withTolerance(1e-2), ode, 0);
        assertEquals(PlainMeasure.Method.DEFLATED, deflated.plainMeasure(), deflated.plainChoice());
    }

    /**
     * A deflation capped below D + 8 (D = N/4 at N = 400: cap 50 against 108), the deflated measure
     * of an Ω out of the eigenvalues' reach: its probe-group estimate plus the quadrature estimate
     * still bounds the actual difference from the eigen path (as {@link
     * #stochasticEstimateBoundsTheActualError}, seed 17), now that the remainder keeps most of the
     * spikes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sign", "tanh", "relu"})
    void cappedDeflationEstimateBoundsTheActualError(String activation) {
        int n = 400;
        DeepRandomGenerator gen = DeepRandomGenerator.singleLayer(n / 4, n, StandardActivation.byId(activation),
                CovarianceRule.EXACT, 17);
        assertTrue(!PlainMeasure.deflationFits(n, n / 4));
        Moments moments = gen.analyticMoments().orElseThrow();
        OnlineProblem problem = OnlineProblem.initialise(spec(TeacherInput.LATENT), gen);
        OdeOptions ode = OdeOptions.defaults();
        SpectralCurve eigen = SpectralTheory.integrate(SpectralMethod.EIGEN, problem, moments, null, ode);
        LanczosOptions options = LanczosOptions.defaults().withPlainMeasure(PlainMeasure.Method.DEFLATED)
                .withProbes(LanczosOptions.DEFAULT_PROBES, LanczosOptions.DEFAULT_PROBE_STEPS, 17);
        SpectralCurve lanczos = SpectralTheory.integrate(SpectralMethod.LANCZOS, problem, moments, options, ode);
        double error = SpectralTheory.relativeDifference(lanczos.curve(), eigen.curve());
        assertTrue(lanczos.stochasticError() > 0, summary(lanczos));
        assertTrue(error <= lanczos.errorEstimate(), "error " + error + " above " + summary(lanczos));
    }

    @Test
    void unknownMethodIsRefusedAsUserInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SpectralMethod.byId("qr"));
        assertEquals("spectralMethod", e.field());
        assertEquals(SpectralMethod.LANCZOS, SpectralMethod.byId("Lanczos"));
        assertThrows(InvalidInputException.class,
                () -> LanczosOptions.defaults().withTolerance(0));
    }

    /**
     * The default online case (K = M = 2, η = 0.2, t = 100, 200 recorded times) at N = 1000,
     * D = 100: with the integrator at rtol 1e-11 its own floor (~1e-10) is far below the quadrature
     * error, so the a-posteriori estimate must bound the actual error of the returned curve, and
     * the curve must meet the 1e-6.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sign", "tanh"})
    @Tag("slow")
    void defaultCaseAtModerateSizeAgreesAndIsBoundedByTheEstimate(String activation) {
        ModerateCase c = ModerateCase.of(activation);
        SpectralCurve eigen = c.theory(SpectralMethod.EIGEN, null);
        SpectralCurve lanczos = c.theory(SpectralMethod.LANCZOS, LanczosOptions.defaults().withBlockSteps(16));
        double error = SpectralTheory.relativeDifference(lanczos.curve(), eigen.curve());
        assertTrue(error <= AGREEMENT, "error " + error + ", " + summary(lanczos));
        assertTrue(error <= lanczos.errorEstimate(), "error " + error + " above " + summary(lanczos));
    }

    /**
     * The default online case at N = 1000 (rtol 1e-11, as above) with the deflated plain measure:
     * its probe-group estimate plus the quadrature estimate bounds the actual difference from the
     * eigen path. The single-pair half-probe estimate it replaces fell short here on sign (4.6e-9
     * against 1.5e-9 + 2e-11).
     */
    @ParameterizedTest
    @ValueSource(strings = {"sign", "tanh"})
    @Tag("slow")
    void deflatedEstimateBoundsTheErrorOnTheDefaultCaseAtModerateSize(String activation) {
        ModerateCase c = ModerateCase.of(activation);
        SpectralCurve eigen = c.theory(SpectralMethod.EIGEN, null);
        SpectralCurve lanczos = c.theory(SpectralMethod.LANCZOS, LanczosOptions.defaults().withBlockSteps(16)
                .withPlainMeasure(PlainMeasure.Method.DEFLATED));
        double error = SpectralTheory.relativeDifference(lanczos.curve(), eigen.curve());
        assertTrue(lanczos.stochasticError() > 0, summary(lanczos));
        assertTrue(error <= lanczos.errorEstimate(), "error " + error + " above " + summary(lanczos));
    }

    /**
     * The default online case (K = M = 2, η = 0.2, t = 100, 200 recorded times) at N = 1000,
     * D = 100 on a single-layer generator, with its analytic moments; theory at rtol 1e-11.
     */
    private record ModerateCase(OnlineProblem problem, Moments moments) {
        static ModerateCase of(String activation) {
            DeepRandomGenerator gen = DeepRandomGenerator.singleLayer(100, 1000, StandardActivation.byId(activation),
                    CovarianceRule.EXACT, 0);
            OnlineSpec spec = new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.LATENT,
                    0.2, 100, TrainedLayers.BOTH, 1, 100, OnlineSpec.logSpacedTimes(100, 200), 1.0, 0);
            Moments moments = gen.analyticMoments().orElseThrow();
            return new ModerateCase(OnlineProblem.initialise(spec, gen), moments);
        }

        SpectralCurve theory(SpectralMethod method, LanczosOptions options) {
            return SpectralTheory.integrate(method, problem, moments, options, OdeOptions.adaptive(1e-11, 1e-13));
        }
    }

    private static String summary(SpectralCurve c) {
        return "m = " + c.blockSteps() + ", nodes " + c.quadratureNodes() + " + " + c.plainNodes() + ", estimate "
                + c.quadratureError() + " + " + c.stochasticError() + ", exact " + c.exact();
    }
}
