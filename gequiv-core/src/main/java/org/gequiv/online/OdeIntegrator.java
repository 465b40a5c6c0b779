package org.gequiv.online;

import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;

/**
 * The integrators of the order-parameter ODEs (docs/theory.md §5.6), as values: which method, and every
 * number that steers it. The ODE engine ({@link OdeTheory}) takes one of them through
 * {@link OdeOptions#integrator()}; all of them report to the same {@link OdeObserver}.
 *
 * <ul>
 *   <li>{@link Euler}: explicit Euler with step {@code dt}, the published integrator (dt = 0.01);</li>
 *   <li>{@link RungeKutta4}: classical fourth-order Runge–Kutta with step {@code dt};</li>
 *   <li>{@link DormandPrince} (the default): the embedded Dormand–Prince 5(4) pair with error
 *       control. The pair's coefficients are fixed (a tableau); this record holds the step
 *       control, as Hipparchus separates {@code DormandPrince54Integrator} from
 *       {@code EmbeddedRungeKuttaIntegrator}.</li>
 * </ul>
 * Fixed-step methods take steps of exactly {@code dt} from one output time to the next and shorten
 * only the last one when the gap is not a multiple of dt, so outputs are at exactly the requested
 * times; when every output time is a multiple of dt this is the published scheme of round(t/dt)
 * steps. Adaptive steps are clipped to land on the final time and interpolate the others (dense
 * output of the order parameters).
 *
 * <p>Bad values raise {@link InvalidInputException} naming the record component.
 */
public sealed interface OdeIntegrator permits OdeIntegrator.Euler, OdeIntegrator.RungeKutta4,
        OdeIntegrator.DormandPrince {

    /** The command-line and provenance name of the method: euler, rk4 or adaptive. */
    String id();

    /**
     * Explicit Euler.
     *
     * @param dt step, finite and &gt; 0
     */
    record Euler(double dt) implements OdeIntegrator {
        public Euler {
            Checks.positive("dt", dt);
        }

        @Override
        public String id() {
            return "euler";
        }
    }

    /**
     * Classical fourth-order Runge–Kutta.
     *
     * @param dt step, finite and &gt; 0
     */
    record RungeKutta4(double dt) implements OdeIntegrator {
        public RungeKutta4 {
            Checks.positive("dt", dt);
        }

        @Override
        public String id() {
            return "rk4";
        }
    }

    /**
     * Dormand–Prince 5(4) with the standard step control (Hairer, Nørsett and Wanner, Solving ODEs
     * I, §II.4): the embedded error of a step, scaled per state entry by
     * {@code absoluteTolerance + relativeTolerance·max(|y|, |y_new|)}, is reduced to its RMS norm
     * {@code err}; a step with err ≤ 1 is accepted. The next step is h·f with
     * f = min(maxGrowth, max(minReduction, safety·err^(−1/5))) after either outcome (0.1 after a
     * step whose error is not finite).
     *
     * @param relativeTolerance finite and &gt; 0 (default {@value OdeOptions#DEFAULT_RELATIVE_TOLERANCE})
     * @param absoluteTolerance finite and &gt; 0 (default {@value OdeOptions#DEFAULT_ABSOLUTE_TOLERANCE})
     * @param minStep           finite and ≥ 0: a step that would have to be shorter stops the
     *                          integration (default 0: only the rounding floor 1e-13·max(1, |t|)
     *                          applies)
     * @param maxStep           &gt; minStep, +∞ for no limit (the default)
     * @param safety            in (0, 1] (default {@value OdeOptions#DEFAULT_SAFETY})
     * @param minReduction      in (0, 1) (default {@value OdeOptions#DEFAULT_MIN_REDUCTION})
     * @param maxGrowth         finite and &gt; 1 (default {@value OdeOptions#DEFAULT_MAX_GROWTH})
     * @param maxEvaluations    ≥ 1, right-hand sides per integration; a step that would exceed it
     *                          stops the integration, keeping what was computed (default
     *                          {@link Integer#MAX_VALUE}, no limit)
     */
    record DormandPrince(double relativeTolerance, double absoluteTolerance, double minStep, double maxStep,
                         double safety, double minReduction, double maxGrowth, int maxEvaluations)
            implements OdeIntegrator {

        public DormandPrince {
            Checks.positive("relativeTolerance", relativeTolerance);
            Checks.positive("absoluteTolerance", absoluteTolerance);
            Checks.nonNegative("minStep", minStep);
            if (!(maxStep > minStep)) {
                throw new InvalidInputException("maxStep", "maxStep must be > minStep = " + minStep + ", got "
                        + maxStep);
            }
            if (!(safety > 0 && safety <= 1)) {
                throw new InvalidInputException("safety", "safety must be in (0, 1], got " + safety);
            }
            if (!(minReduction > 0 && minReduction < 1)) {
                throw new InvalidInputException("minReduction", "minReduction must be in (0, 1), got " + minReduction);
            }
            if (!(maxGrowth > 1) || !Double.isFinite(maxGrowth)) {
                throw new InvalidInputException("maxGrowth", "maxGrowth must be finite and > 1, got " + maxGrowth);
            }
            Checks.atLeast("maxEvaluations", maxEvaluations, 1);
        }

        /** The given tolerances with the default step bounds and step control. */
        public static DormandPrince withTolerances(double relativeTolerance, double absoluteTolerance) {
            return new DormandPrince(relativeTolerance, absoluteTolerance, OdeOptions.DEFAULT_MIN_STEP,
                    OdeOptions.DEFAULT_MAX_STEP, OdeOptions.DEFAULT_SAFETY, OdeOptions.DEFAULT_MIN_REDUCTION,
                    OdeOptions.DEFAULT_MAX_GROWTH, OdeOptions.DEFAULT_MAX_EVALUATIONS);
        }

        /** A copy with other step bounds. */
        public DormandPrince withStepBounds(double min, double max) {
            return new DormandPrince(relativeTolerance, absoluteTolerance, min, max, safety, minReduction, maxGrowth,
                    maxEvaluations);
        }

        /** A copy with another step-size control. */
        public DormandPrince withStepControl(double safetyFactor, double reduction, double growth) {
            return new DormandPrince(relativeTolerance, absoluteTolerance, minStep, maxStep, safetyFactor, reduction,
                    growth, maxEvaluations);
        }

        /** A copy with another evaluation budget. */
        public DormandPrince withMaxEvaluations(int budget) {
            return new DormandPrince(relativeTolerance, absoluteTolerance, minStep, maxStep, safety, minReduction,
                    maxGrowth, budget);
        }

        @Override
        public String id() {
            return "adaptive";
        }
    }
}
