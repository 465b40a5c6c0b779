package org.gequiv.online;

import org.gequiv.activation.Activation;
import org.gequiv.activation.GaussianIntegrals;
import org.gequiv.generator.Moments;
import org.gequiv.parallel.StopRequest;

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
 * The integrator is the {@link OdeIntegrator} of the {@link OdeOptions} (Euler, RK4 or the fused
 * Dormand–Prince 5(4)); every one of them reports Q, R and v at the output times to one
 * {@link OdeObserver}, which may stop the run ({@link #observe} is that bare engine; the
 * {@code integrate} methods record a {@link LearningCurve} through it). With mini-batches the ODE
 * runs at η/B ({@link #effectiveLearningRate}).
 *
 * <p>A state that becomes non-finite stops the integration: the curve keeps the points computed so
 * far and its {@link LearningCurve.Termination} names the last finite time and the offending
 * order parameter. Stateless and thread-safe (each call builds its own right-hand side).
 */
public final class OdeTheory {

    private OdeTheory() {
    }

    /**
     * The learning rate of the ODE that describes SGD with the spec's mini-batches:
     * η/B for batch size B (the spec's {@code learningRate} is η, its {@code batchSize} B).
     *
     * <p>Why (docs/theory.md §1.4, §5.2): with B samples per step the update is the mean of B
     * single-sample updates, Δw̃_kτ = −(η/√N) (1/B) Σ_b v_k g′(λ_k^b) Δ^b x_τ^b, and t advances
     * by B/N. Per unit time there are N/B steps. The drift: each step's mean is that of one
     * sample, so the drift per unit time is (N/B)·(one sample's) — the B = 1 drift at rate η/B.
     * The η² term of dq (§5.4): the second moment of a mean of B independent updates is
     * (η²/N)(1/B²)[B E(ξ²) + B(B − 1)(Eξ)²] with ξ = v_k g′(λ_k) Δ x_τ; E(ξ²) → ρ E[…] is O(1)
     * while (Eξ)² is O(1/N), so per unit time (N/B)·(η²/(N B²))·B·ρ E[…] = (η/B)² ρ E[…] + O(1/N):
     * the B = 1 term at η/B.
     * The second layer, Δv = −(η/N)(1/B) Σ_b g(λ^b) Δ^b, likewise drifts at (η/B) per unit time.
     * So as N → ∞ with B fixed the curve in t = samples/N is the B = 1 ODE at η/B for both
     * layers, and B = 1 leaves η unchanged.
     */
    public static double effectiveLearningRate(OnlineSpec spec) {
        return spec.learningRate() / spec.batchSize();
    }

    /**
     * Integrates the problem described by {@code spec} (activations, η and the batch size through
     * {@link #effectiveLearningRate}, trained layers, teacher input, output times
     * {@code spec.logTimes()}) from {@code init}.
     *
     * @throws IllegalArgumentException if K, M or the teacher input of spec and init disagree
     */
    public static LearningCurve integrate(OnlineSpec spec, OdeInitialState init, OdeOptions options) {
        return integrate(spec, init, options, OdeObserver.NONE);
    }

    /**
     * As {@link #integrate(OnlineSpec, OdeInitialState, OdeOptions)}, showing each recorded point
     * to {@code observer} as well, which may end the integration there (the curve keeps the
     * points up to and including that one).
     */
    public static LearningCurve integrate(OnlineSpec spec, OdeInitialState init, OdeOptions options,
                                          OdeObserver observer) {
        return integrate(spec, init, options, observer, StopRequest.NEVER);
    }

    /**
     * As {@link #integrate(OnlineSpec, OdeInitialState, OdeOptions, OdeObserver)}, polling
     * {@code stop} after every step and at every output time: a requested stop ends the
     * integration with the points recorded so far and a termination that says it was interrupted
     * ({@link LearningCurve.Termination#interruptedAt}) at the last recorded time.
     */
    public static LearningCurve integrate(OnlineSpec spec, OdeInitialState init, OdeOptions options,
                                          OdeObserver observer, StopRequest stop) {
        if (spec.studentHidden() != init.studentHidden() || spec.teacherHidden() != init.teacherHidden()) {
            throw new IllegalArgumentException("initial state must have K = " + spec.studentHidden() + ", M = "
                    + spec.teacherHidden() + ", got K = " + init.studentHidden() + ", M = " + init.teacherHidden());
        }
        if (spec.teacherInput() != init.teacherInput()) {
            throw new IllegalArgumentException("initial state must have the teacher on the "
                    + spec.teacherInput().id() + ", got " + init.teacherInput().id());
        }
        checkTimes(spec.logTimes());
        GaussianIntegrals integrals = GaussianIntegrals.create(spec.studentActivation(), spec.teacherActivation(),
                init.studentHidden(), init.teacherHidden(), options.quadratureNodes());
        DensityOdes odes = new DensityOdes(init, integrals, effectiveLearningRate(spec), spec.trainedLayers(),
                options.eigenvalueMerging());
        return integrate(odes, spec.logTimes(), options, observer, stop);
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
     * @param eta      learning rate η &gt; 0 of the ODE (SGD with mini-batches of B samples: η/B,
     *                 see {@link #effectiveLearningRate})
     * @param layers   both layers or the first only
     * @param times    output times, strictly ascending, ≥ 0 (t = 0 records the initial state)
     * @param options  integrator
     */
    public static LearningCurve integrate(OdeInitialState init, Activation student, Activation teacher, double eta,
                                          TrainedLayers layers, double[] times, OdeOptions options) {
        return integrate(init, student, teacher, eta, layers, times, options, OdeObserver.NONE);
    }

    /** As the previous method, showing each recorded point to {@code observer}, which may stop there. */
    public static LearningCurve integrate(OdeInitialState init, Activation student, Activation teacher, double eta,
                                          TrainedLayers layers, double[] times, OdeOptions options,
                                          OdeObserver observer) {
        checkTimes(times);
        GaussianIntegrals integrals = GaussianIntegrals.create(student, teacher, init.studentHidden(),
                init.teacherHidden(), options.quadratureNodes());
        DensityOdes odes = new DensityOdes(init, integrals, eta, layers, options.eigenvalueMerging());
        return integrate(odes, times, options, observer);
    }

    /** Integrates a prepared right-hand side (for benchmarks and tests of the integrators). */
    public static LearningCurve integrate(DensityOdes odes, double[] times, OdeOptions options) {
        return integrate(odes, times, options, OdeObserver.NONE);
    }

    /**
     * Integrates a prepared right-hand side, recording the curve and showing each recorded point
     * to {@code observer}, which may stop the integration there.
     */
    public static LearningCurve integrate(DensityOdes odes, double[] times, OdeOptions options,
                                          OdeObserver observer) {
        return integrate(odes, times, options, observer, StopRequest.NEVER);
    }

    private static LearningCurve integrate(DensityOdes odes, double[] times, OdeOptions options,
                                           OdeObserver observer, StopRequest stop) {
        LearningCurve.Builder curve = new LearningCurve.Builder(odes.studentHidden(), odes.teacherHidden());
        LearningCurve.Termination end = observe(odes, times, options, (t, q, r, v) -> {
            curve.add(t, odes.generalisationError(q, r, v), q, r, v);
            return observer.observe(t, q, r, v);
        }, stop);
        return curve.build(end);
    }

    /**
     * The bare engine: integrates {@code odes} from its initial state with the integrator of
     * {@code options} and hands Q, R, v at each of {@code times} to {@code observer}, recording
     * nothing. Returns how the run ended: completed, stopped by the observer, a non-finite order
     * parameter (naming it and the last finite time), a step-size underflow or an exhausted
     * evaluation budget.
     */
    public static LearningCurve.Termination observe(DensityOdes odes, double[] times, OdeOptions options,
                                                    OdeObserver observer) {
        return observe(odes, times, options, observer, StopRequest.NEVER);
    }

    private static LearningCurve.Termination observe(DensityOdes odes, double[] times, OdeOptions options,
                                                     OdeObserver observer, StopRequest stop) {
        checkTimes(times);
        double[][] y = odes.newState();
        odes.initialState(y);
        ObservedOutput output = new ObservedOutput(odes, observer, stop);
        OdeIntegrator integrator = options.integrator();
        if (integrator instanceof OdeIntegrator.Euler euler) {
            return new FixedStepIntegrator(odes, euler).run(times, y, output);
        }
        if (integrator instanceof OdeIntegrator.RungeKutta4 rk4) {
            return new FixedStepIntegrator(odes, rk4).run(times, y, output);
        }
        return new DensityDormandPrince(odes, (OdeIntegrator.DormandPrince) integrator).run(times, y, output);
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
