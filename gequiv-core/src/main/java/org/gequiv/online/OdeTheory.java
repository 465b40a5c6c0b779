package org.gequiv.online;

import org.gequiv.activation.Activation;
import org.gequiv.activation.GaussianIntegrals;
import org.gequiv.generator.Moments;

/**
 * The ODE theory of online SGD (docs/theory.md §5): integrates the closed equations of the
 * order-parameter densities from an {@link OdeInitialState} and returns a {@link LearningCurve}
 * with ε_g (§3.2), Q, R and v at exactly the requested times.
 *
 * <p>Typical use, theory and simulation from the same weights:
 * <pre>
 *   OnlineProblem problem = OnlineProblem.initialise(spec, generator);
 *   OdeInitialState init = OdeInitialState.fromProblem(problem, moments);
 *   LearningCurve theory = OdeTheory.integrate(spec, init, OdeOptions.defaults());
 * </pre>
 * and from densities computed elsewhere ({@code --init FILE.npz}):
 * <pre>
 *   OdeInitialState init = OdeInitialState.fromNpz(path);
 *   LearningCurve theory = OdeTheory.integrate(init, StandardActivation.ERF, StandardActivation.ERF,
 *           0.5, TrainedLayers.BOTH, times, OdeOptions.euler(0.01));
 * </pre>
 * A state that becomes non-finite stops the integration: the curve keeps the points computed so
 * far and its {@link LearningCurve.Termination} names the last finite time and the offending
 * order parameter. Stateless and thread-safe (each call builds its own right-hand side).
 */
public final class OdeTheory {

    private OdeTheory() {
    }

    /**
     * Integrates the problem described by {@code spec} (activations, η, trained layers, teacher
     * input, output times {@code spec.logTimes()}) from {@code init}.
     *
     * @throws IllegalArgumentException if K, M or the teacher input of spec and init disagree
     */
    public static LearningCurve integrate(OnlineSpec spec, OdeInitialState init, OdeOptions options) {
        if (spec.studentHidden() != init.studentHidden() || spec.teacherHidden() != init.teacherHidden()) {
            throw new IllegalArgumentException("initial state must have K = " + spec.studentHidden() + ", M = "
                    + spec.teacherHidden() + ", got K = " + init.studentHidden() + ", M = " + init.teacherHidden());
        }
        if (spec.teacherInput() != init.teacherInput()) {
            throw new IllegalArgumentException("initial state must have the teacher on the "
                    + spec.teacherInput().id() + ", got " + init.teacherInput().id());
        }
        return integrate(init, spec.studentActivation(), spec.teacherActivation(), spec.learningRate(),
                spec.trainedLayers(), spec.logTimes(), options);
    }

    /** {@link #integrate(OnlineSpec, OdeInitialState, OdeOptions)} with the initial state of {@code problem}. */
    public static LearningCurve integrate(OnlineProblem problem, Moments moments, OdeOptions options) {
        return integrate(problem.spec(), OdeInitialState.fromProblem(problem, moments), options);
    }

    /**
     * Integrates from {@code init} and records ε_g, Q, R, v at {@code times}.
     *
     * @param student  student activation g
     * @param teacher  teacher activation
     * @param eta      learning rate η &gt; 0
     * @param layers   both layers or the first only
     * @param times    output times, strictly ascending, ≥ 0 (t = 0 records the initial state)
     * @param options  integrator
     */
    public static LearningCurve integrate(OdeInitialState init, Activation student, Activation teacher, double eta,
                                          TrainedLayers layers, double[] times, OdeOptions options) {
        checkTimes(times);
        GaussianIntegrals integrals = GaussianIntegrals.create(student, teacher, init.studentHidden(),
                init.teacherHidden(), options.quadratureNodes());
        DensityOdes odes = new DensityOdes(init, integrals, eta, layers, options.eigenvalueMerging());
        return integrate(odes, times, options);
    }

    /** Integrates a prepared right-hand side (for benchmarks and tests of the integrators). */
    public static LearningCurve integrate(DensityOdes odes, double[] times, OdeOptions options) {
        checkTimes(times);
        int k = odes.studentHidden();
        int m = odes.teacherHidden();
        double[][] y = odes.newState();
        odes.initialState(y);
        LearningCurve.Builder curve = new LearningCurve.Builder(k, m);
        double[] q = new double[k * k];
        double[] r = new double[k * m];
        double[] v = new double[k];
        OdeSteppers.Failure failure;
        if (options.method() == OdeOptions.Method.ADAPTIVE) {
            failure = new DensityDormandPrince(odes, options).run(times, y, (time, functionals) -> {
                odes.unpack(functionals, q, r, v);
                return record(odes, curve, time, q, r, v);
            });
        } else {
            OdeSteppers stepper = new OdeSteppers(new OdeSteppers.System() {
                @Override
                public double[][] newState() {
                    return odes.newState();
                }

                @Override
                public void derivatives(double[][] state, double[][] dy) {
                    odes.derivatives(state, dy);
                }

                @Override
                public String lastNonFinite() {
                    return odes.lastNonFinite();
                }
            }, options);
            failure = stepper.run(times, y, (time, state) -> {
                odes.orderParameters(state, q, r, v);
                return record(odes, curve, time, q, r, v);
            });
        }
        if (failure != null) {
            return curve.build(LearningCurve.Termination.divergedAt(failure.lastFiniteTime(), failure.reason()));
        }
        return curve.build(LearningCurve.Termination.completedAt(times[times.length - 1]));
    }

    /** Adds a point to the curve, or returns the non-finite order parameter that forbids it. */
    private static String record(DensityOdes odes, LearningCurve.Builder curve, double time, double[] q, double[] r,
                                 double[] v) {
        String bad = odes.firstNonFinite(q, r, v);
        if (bad != null) {
            return bad;
        }
        curve.add(time, odes.generalisationError(q, r, v), q, r, v);
        return null;
    }

    private static void checkTimes(double[] times) {
        if (times == null || times.length == 0) {
            throw new IllegalArgumentException("output times must not be empty");
        }
        for (int i = 0; i < times.length; i++) {
            if (!(times[i] >= 0) || !Double.isFinite(times[i]) || (i > 0 && !(times[i] > times[i - 1]))) {
                throw new IllegalArgumentException("output times must be finite, >= 0 and strictly ascending, got "
                        + java.util.Arrays.toString(times));
            }
        }
    }
}
