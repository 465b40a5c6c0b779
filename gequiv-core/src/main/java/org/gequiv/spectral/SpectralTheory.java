package org.gequiv.spectral;

import java.util.List;

import org.gequiv.generator.Moments;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OdeInitialState;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OdeTheory;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSpec;
import org.gequiv.random.Repeats;
import org.gequiv.validation.InvalidInputException;

/**
 * The ODE theory of online SGD (docs/theory.md §5) at any N: either from the eigendecomposition (the
 * reference, {@link SpectralMethod#EIGEN}) or on block-Lanczos quadrature nodes
 * ({@link SpectralMethod#LANCZOS}, §5.12), integrated by the unchanged {@link OdeTheory}.
 *
 * <p>Lanczos path: block Lanczos from the block X of {@link SpectralInitialState#blockVectors};
 * the rules of m and m + Δm steps both come from one decomposition (T_m is the leading block of
 * T_{m+Δm}); the curve of m + Δm is returned and the largest relative change between the two at a
 * recorded time is the error estimate ({@link SpectralCurve#quadratureError()}). With
 * {@code blockSteps = 0} m grows from {@link LanczosOptions#INITIAL_STEPS} by max(Δm, m/4) per
 * round, each round integrating one new curve and comparing it with the previous one, until the
 * estimate meets the tolerance, or stops halving while below {@link #STAGNATION_CEILING} (the
 * ODE integrator's own reproducibility between two node sets, 1e-8–1e-6 relative at the
 * default rtol 1e-8, has been reached), or m reaches {@link LanczosOptions#maxBlockSteps()}.
 * The exact plain measure is compressed to {@link LanczosOptions#plainSteps()} Gauss nodes; a
 * stochastic one is computed with the rule's first round of steps in the same Ω products
 * ({@link BlockLanczos#extendTogether}), which leaves the rule as it would be alone.
 * Stateless and thread-safe.
 */
public final class SpectralTheory {

    /**
     * Below this, an estimate that fails to halve from one round to the next counts as the ODE
     * integrator's floor (its relative reproducibility at the default rtol 1e-8 is 1e-8–1e-6 over
     * 200 recorded times), not as slow quadrature convergence.
     */
    static final double STAGNATION_CEILING = 1e-5;

    private SpectralTheory() {
    }

    /**
     * Whether the Lanczos {@code curve} meets the target of {@code options}: its error estimate
     * ({@link SpectralCurve#errorEstimate()}, quadrature plus stochastic part; the quadrature part is 0
     * when the Krylov space was exhausted) is at most {@link LanczosOptions#tolerance()}.
     */
    public static boolean accepted(SpectralCurve curve, LanczosOptions options) {
        return accepted(curve.errorEstimate(), options);
    }

    /** The acceptance rule itself: an error estimate at most the tolerance. */
    private static boolean accepted(double errorEstimate, LanczosOptions options) {
        return errorEstimate <= options.tolerance();
    }

    /**
     * The policy of the spectral method, written once (docs/theory.md §5.12): given the Lanczos
     * {@code curve} computed for {@code requested} (lanczos or auto), which curve is the theory.
     * Lanczos asked for is kept whatever its estimate. Auto keeps Lanczos exactly when it is
     * {@link #accepted}; otherwise it falls back to the eigendecomposition when Ω is held as a
     * matrix ({@code eigenAvailable}), and keeps Lanczos, saying that the estimate misses the
     * tolerance, when it is not (Ω from a kernel, where the eigendecomposition would need the
     * 3 N² the Lanczos path avoids).
     *
     * @throws IllegalArgumentException for {@code requested} eigen (no Lanczos curve to judge)
     */
    public static SpectralChoice choose(SpectralMethod requested, SpectralCurve curve, LanczosOptions options,
                                        boolean eigenAvailable) {
        return choose(requested, curve.quadratureError(), curve.stochasticError(), options, eigenAvailable);
    }

    /**
     * {@link #choose(SpectralMethod, SpectralCurve, LanczosOptions, boolean)} for any Lanczos result
     * given by the two parts of its estimate (the saddle point of ERM uses it, docs/theory.md §5.12,
     * "ERM (§6)"): met when quadratureError + stochasticError ≤ the tolerance.
     */
    public static SpectralChoice choose(SpectralMethod requested, double quadratureError, double stochasticError,
                                        LanczosOptions options, boolean eigenAvailable) {
        double total = quadratureError + stochasticError;
        String estimate = "the Lanczos error estimate " + total + " (quadrature "
                + quadratureError + ", stochastic " + stochasticError + ")";
        boolean met = accepted(total, options);
        String comparison = estimate + (met ? " meets" : " is above") + " the tolerance " + options.tolerance();
        switch (requested) {
            case LANCZOS:
                return new SpectralChoice(SpectralMethod.LANCZOS, "requested; " + comparison, false);
            case AUTO:
                if (met) {
                    return new SpectralChoice(SpectralMethod.LANCZOS, comparison, false);
                }
                if (eigenAvailable) {
                    return new SpectralChoice(SpectralMethod.EIGEN, comparison + ": the eigendecomposition ran", true);
                }
                return new SpectralChoice(SpectralMethod.LANCZOS, comparison + ", but Omega is not held as a matrix "
                        + "(evaluated from the kernel): Lanczos kept; spectral method eigen gives the reference", false);
            default:
                throw new IllegalArgumentException("requested must be lanczos or auto, got " + requested.id());
        }
    }

    /**
     * Theory of {@code problem} on a generator with {@code moments} by {@code method}, auto decided
     * by {@link #choose}; eigen is bit-identical to {@link OdeTheory#integrate(OnlineProblem, Moments, OdeOptions)}.
     */
    public static SpectralCurve integrate(SpectralMethod method, OnlineProblem problem, Moments moments,
                                          LanczosOptions lanczos, OdeOptions ode) {
        if (method == SpectralMethod.EIGEN) {
            return eigen(problem, moments, ode);
        }
        SpectralCurve curve = integrate(problem.spec(), problem.teacher(), problem.student(),
                ExplicitCovariance.of(moments), lanczos, ode);
        return choose(method, curve, lanczos, true).method() == SpectralMethod.LANCZOS ? curve
                : eigen(problem, moments, ode);
    }

    private static SpectralCurve eigen(OnlineProblem problem, Moments moments, OdeOptions ode) {
        OdeInitialState init = OdeInitialState.fromProblem(problem, moments);
        LearningCurve curve = OdeTheory.integrate(problem.spec(), init, ode);
        return new SpectralCurve(curve, SpectralMethod.EIGEN, 0, init.size(), 0, null, 0.0, 0.0, true);
    }

    /**
     * Lanczos theory of {@code spec} for the given networks on the moments {@code omega}
     * (explicit or matrix-free).
     */
    public static SpectralCurve integrate(OnlineSpec spec, TwoLayerNetwork teacher, TwoLayerNetwork student,
                                          CovarianceOperator omega, LanczosOptions options, OdeOptions ode) {
        return integrate(spec, teacher, student, omega, options, ode, PlainMeasure.EIGENVALUES_LIMIT);
    }

    /**
     * As {@link #integrate(OnlineSpec, TwoLayerNetwork, TwoLayerNetwork, CovarianceOperator,
     * LanczosOptions, OdeOptions)}, with the N up to which {@link PlainMeasure.Method#AUTO} takes the
     * eigenvalues at once as a parameter (the tests of the fallback set it below their N). The
     * policy of auto, written once (docs/theory.md §5.12): the eigenvalues for an Ω held explicitly
     * with N ≤ {@code eigenvaluesLimit}, and for one held with N ≤ {@link PlainMeasure#EXACT_LIMIT}
     * whose deflation block of D + 8 vectors would exceed {@link PlainMeasure#deflationRankCap}
     * (there the deflation would cost more than half of the eigenvalues: it never costs more than
     * they do, and never has more nodes); otherwise the deflated measure (its rank capped, for an Ω
     * out of the eigenvalues' reach), kept when its curve is
     * {@link #accepted}, and replaced by the eigenvalues (the whole adaptive rule run again with
     * them) when it is not while its quadrature part meets the tolerance — so that only the
     * stochastic part missed, which the exact measure removes — and Ω is held explicitly with
     * N ≤ {@link PlainMeasure#EXACT_LIMIT}. The choice is in {@link SpectralCurve#plainChoice()}.
     */
    static SpectralCurve integrate(OnlineSpec spec, TwoLayerNetwork teacher, TwoLayerNetwork student,
                                   CovarianceOperator omega, LanczosOptions options, OdeOptions ode,
                                   int eigenvaluesLimit) {
        PlainMeasure.Method requested = options.plainMeasure();
        if (requested != PlainMeasure.Method.AUTO) {
            return integrate(spec, teacher, student, omega, options, ode, requested);
        }
        int n = omega.dimension();
        int d = omega.latentDimension();
        boolean held = omega.explicitOmega().isPresent();
        if (held && n <= eigenvaluesLimit) {
            return integrate(spec, teacher, student, omega, options, ode, PlainMeasure.Method.EIGENVALUES)
                    .withPlainChoice("auto: the eigenvalues (N = " + n + " <= " + eigenvaluesLimit
                            + ": exact, and cheaper than the deflated measure)");
        }
        boolean exactAffordable = held && n <= PlainMeasure.EXACT_LIMIT;
        if (exactAffordable && !PlainMeasure.deflationFits(n, d)) {
            return integrate(spec, teacher, student, omega, options, ode, PlainMeasure.Method.EIGENVALUES)
                    .withPlainChoice("auto: the eigenvalues (a deflation block of D + "
                            + PlainMeasure.DEFLATION_OVERSAMPLING + " = " + ((long) d + PlainMeasure.DEFLATION_OVERSAMPLING)
                            + " vectors would exceed its cap " + PlainMeasure.deflationRankCap(n) + " = N/"
                            + PlainMeasure.DEFLATION_RANK_DIVISOR + ", beyond which it costs more than half of the "
                            + "exact eigenvalues)");
        }
        SpectralCurve deflated = integrate(spec, teacher, student, omega, options, ode,
                PlainMeasure.Method.DEFLATED);
        String estimate = "the deflated measure's estimate " + deflated.errorEstimate() + " (quadrature "
                + deflated.quadratureError() + ", stochastic " + deflated.stochasticError() + ")"
                + (PlainMeasure.deflationFits(n, d) ? "" : " with its deflation rank capped at "
                + PlainMeasure.deflationRankCap(n) + " = N/" + PlainMeasure.DEFLATION_RANK_DIVISOR
                + " (a sketch of the D = " + d + " directions of Phi)");
        if (accepted(deflated, options)) {
            return deflated.withPlainChoice("auto: deflated; " + estimate + " meets the tolerance "
                    + options.tolerance());
        }
        if (!exactAffordable) {
            return deflated.withPlainChoice("auto: deflated; " + estimate + " is above the tolerance "
                    + options.tolerance() + ", but the eigenvalues are out of reach (" + (held ? "N = " + n + " > "
                    + PlainMeasure.EXACT_LIMIT : "Omega not held as a matrix") + ")");
        }
        if (deflated.quadratureError() > options.tolerance()) {
            return deflated.withPlainChoice("auto: deflated; " + estimate + " is above the tolerance "
                    + options.tolerance() + " in its quadrature part, which the eigenvalues would not remove");
        }
        return integrate(spec, teacher, student, omega, options, ode, PlainMeasure.Method.EIGENVALUES)
                .withPlainChoice("auto: the eigenvalues, because " + estimate + " is above the tolerance "
                        + options.tolerance());
    }

    /** The Lanczos theory with the resolved plain measure {@code method} (not auto). */
    private static SpectralCurve integrate(OnlineSpec spec, TwoLayerNetwork teacher, TwoLayerNetwork student,
                                           CovarianceOperator omega, LanczosOptions options, OdeOptions ode,
                                           PlainMeasure.Method method) {
        TeacherInput input = spec.teacherInput();
        int n = omega.dimension();
        int d = omega.latentDimension();
        double[] x = SpectralInitialState.blockVectors(input, teacher, student, omega);
        int p = student.hidden() + teacher.hidden();
        BlockLanczos lanczos = new BlockLanczos(omega, p, x);
        int dm = options.checkSteps();
        int max = Math.max(options.maxBlockSteps(), 1 + dm);
        boolean fixed = options.blockSteps() > 0;
        int m = fixed ? options.blockSteps() : Math.min(LanczosOptions.INITIAL_STEPS, max - dm);
        if (fixed) {
            // the rules of m and m + Δm are all a fixed m needs: the last step skips the next block
            lanczos.lastStep(m + dm);
        }
        // the rule's first round of steps shares the Ω products of a stochastic plain measure
        PlainMeasure plain = plainMeasure(omega, method, options, lanczos, Math.max(m, nextSteps(fixed, m, dm, max)),
                max);
        LearningCurve coarseCurve = null;
        BlockGaussRule coarse = null;
        double previousError = Double.POSITIVE_INFINITY;
        while (true) {
            // fixed m: compare m with m + Δm; adaptive: grow by max(Δm, m/4) and compare with the last rule
            int next = nextSteps(fixed, m, dm, max);
            lanczos.extend(Math.max(m, next));
            if (lanczos.exhausted() && lanczos.steps() <= next) {
                BlockGaussRule rule = lanczos.gaussRule(lanczos.steps());
                return finish(spec, teacher, student, n, d, rule, plain, ode, 0.0, true, omega.omegaOrigin());
            }
            if (coarse == null || coarse.blockSteps() != m) {
                coarse = lanczos.gaussRule(m);
                coarseCurve = curve(spec, teacher, student, n, d, coarse, plain, ode);
            }
            BlockGaussRule fine = lanczos.gaussRule(next);
            LearningCurve fineCurve = curve(spec, teacher, student, n, d, fine, plain, ode);
            double error = relativeDifference(coarseCurve, fineCurve);
            // an estimate that no longer halves has reached the integrator's own floor: more steps
            // would only chase the step-size noise of the ODE solver
            boolean stagnant = error > 0.5 * previousError && error < STAGNATION_CEILING;
            if (fixed || error <= options.tolerance() || next >= max || stagnant) {
                return finish(spec, teacher, student, n, d, fine, plain, ode, error, false, fineCurve,
                        omega.omegaOrigin());
            }
            previousError = error;
            m = next;
            coarse = fine;
            coarseCurve = fineCurve;
        }
    }

    /** The m + Δm of a round: fixed m is compared with m + Δm, adaptive m grows by max(Δm, m/4). */
    private static int nextSteps(boolean fixed, int m, int dm, int max) {
        return fixed ? m + dm : Math.min(max, m + Math.max(dm, m / LanczosOptions.GROWTH_DIVISOR));
    }

    /**
     * The plain measure of the resolved {@code method}; a stochastic one extends {@code rule} (null for
     * none) in the same Ω products to {@code ruleSteps}, or further, up to {@code maxSteps}, while
     * the measure's own products last ({@link PlainMeasure#sharedProducts}): a step that rides on a
     * product of the probes costs the rule its 4 vectors' share of it (about 1 ms at N = 3072)
     * instead of a product of its own (7–10 ms, a read of Ω).
     */
    private static PlainMeasure plainMeasure(CovarianceOperator omega, PlainMeasure.Method method,
                                             LanczosOptions options, BlockLanczos rule, int ruleSteps, int maxSteps) {
        ruleSteps = Math.max(ruleSteps, Math.min(maxSteps,
                PlainMeasure.sharedProducts(method, options.probeSteps(), LanczosOptions.DEFLATION_STEPS)));
        if (method == PlainMeasure.Method.EIGENVALUES) {
            double[] explicit = omega.explicitOmega().orElseThrow(() -> new InvalidInputException("plainMeasure",
                    "plain measure must be stochastic for a matrix-free Omega, got eigenvalues"));
            PlainMeasure exact = PlainMeasure.eigenvalues(omega.dimension(), explicit);
            return options.plainSteps() > 0 ? exact.compressed(options.plainSteps()) : exact;
        }
        if (method == PlainMeasure.Method.DEFLATED) {
            return PlainMeasure.deflated(omega, options.probes(), options.probeSteps(),
                    LanczosOptions.DEFLATION_STEPS, options.seed(), omega.powerTraces(), rule, ruleSteps,
                    options.plainSteps());
        }
        return PlainMeasure.stochastic(omega, options.probes(), options.probeSteps(), options.seed(),
                omega.powerTraces(), rule, ruleSteps);
    }

    private static SpectralCurve finish(OnlineSpec spec, TwoLayerNetwork teacher, TwoLayerNetwork student, int n,
                                        int d, BlockGaussRule rule, PlainMeasure plain, OdeOptions ode,
                                        double quadratureError, boolean exact, String[] origin) {
        return finish(spec, teacher, student, n, d, rule, plain, ode, quadratureError, exact,
                curve(spec, teacher, student, n, d, rule, plain, ode), origin);
    }

    private static SpectralCurve finish(OnlineSpec spec, TwoLayerNetwork teacher, TwoLayerNetwork student, int n,
                                        int d, BlockGaussRule rule, PlainMeasure plain, OdeOptions ode,
                                        double quadratureError, boolean exact, LearningCurve curve,
                                        String[] origin) {
        requirePositiveSemiDefinite(rule, plain, origin);
        double stochastic = 0;
        if (plain.groupWeights() != null) {
            List<LearningCurve> groups = new java.util.ArrayList<>();
            for (double[] w : plain.groupWeights()) {
                groups.add(curve(spec, teacher, student, n, d, rule, plain.withWeights(w), ode));
            }
            stochastic = groupSpread(groups, curve);
        }
        return new SpectralCurve(curve, SpectralMethod.LANCZOS, rule.blockSteps(), rule.size(), plain.size(),
                plain.method(), quadratureError, stochastic, exact);
    }

    /**
     * Refuses an Ω that is not positive semi-definite, as the eigen path does (same check, same
     * field): every node of both rules is a Ritz value of Ω, so it lies in [λ_min, λ_max], and a node
     * below −tolerance·max|node| proves an eigenvalue below it. With the eigenvalues as plain measure
     * (auto's choice for an explicit Ω up to {@link PlainMeasure#EIGENVALUES_LIMIT}, and its fallback) the nodes are the whole
     * spectrum and the check is the eigen path's exactly; with a stochastic or deflated measure it
     * sees the extreme Ritz values of the probes' Krylov spaces, which converge to λ_min first.
     */
    private static void requirePositiveSemiDefinite(BlockGaussRule rule, PlainMeasure plain, String[] origin) {
        double[] nodes = java.util.Arrays.copyOf(rule.nodes(), rule.nodes().length + plain.nodes().length);
        System.arraycopy(plain.nodes(), 0, nodes, rule.nodes().length, plain.nodes().length);
        org.gequiv.linalg.Covariances.checkEigenvalues(origin[0], origin[1], nodes);
    }

    private static LearningCurve curve(OnlineSpec spec, TwoLayerNetwork teacher, TwoLayerNetwork student, int n,
                                       int d, BlockGaussRule rule, PlainMeasure plain, OdeOptions ode) {
        OdeInitialState init = SpectralInitialState.of(spec.teacherInput(), teacher, student, n, d, rule, plain);
        return OdeTheory.integrate(spec, init, ode);
    }

    /**
     * Student's t quantile of 0.995 with {@link PlainMeasure#PROBE_GROUPS} − 1 = 3 degrees of
     * freedom: a two-sided 99 % interval for the mean of four group values is ±5.841 standard errors.
     */
    static final double STUDENT_T_99_GROUPS = 5.841;

    /**
     * The stochastic error estimate from the curves of the disjoint probe groups: at every recorded
     * time, for ε_g and every entry of Q and R, the standard error of the mean over groups
     * (s/√G, s the sample standard deviation over the G groups) times {@link #STUDENT_T_99_GROUPS},
     * relative to |ε_g| of {@code reference} and to the largest |entry| of the same matrix of
     * {@code reference} (as {@link #relativeDifference}); the largest over times and quantities.
     * The groups' probes are independent, so each group curve is an independent draw of the
     * stochastic quadrature and, the curves depending smoothly on the weights, their mean is the
     * all-probe curve to first order: the bound is a 99 % confidence bound on the error of that
     * curve (docs/theory.md §5.12). Infinite when a group curve has a different length.
     */
    static double groupSpread(List<LearningCurve> groups, LearningCurve reference) {
        List<LearningCurve.Point> ref = reference.points();
        for (LearningCurve g : groups) {
            if (g.points().size() != ref.size()) {
                return Double.POSITIVE_INFINITY;
            }
        }
        int count = groups.size();
        double[] values = new double[count];
        double worst = 0;
        for (int i = 0; i < ref.size(); i++) {
            LearningCurve.Point y = ref.get(i);
            for (int c = 0; c < count; c++) {
                values[c] = groups.get(c).points().get(i).generalisationError();
            }
            worst = Math.max(worst, Repeats.standardError(values) / Math.abs(y.generalisationError()));
            for (int matrix = 0; matrix < 2; matrix++) {
                double[] entries = matrix == 0 ? y.q() : y.r();
                double scale = 0;
                for (double e : entries) {
                    scale = Math.max(scale, Math.abs(e));
                }
                for (int e = 0; e < entries.length; e++) {
                    for (int c = 0; c < count; c++) {
                        LearningCurve.Point x = groups.get(c).points().get(i);
                        values[c] = (matrix == 0 ? x.q() : x.r())[e];
                    }
                    double se = Repeats.standardError(values);
                    worst = Math.max(worst, scale == 0 ? se : se / scale);
                }
            }
        }
        return STUDENT_T_99_GROUPS * worst;
    }

    /**
     * The largest relative difference of two curves at their recorded times: for ε_g relative to
     * |ε_g| of {@code reference}, for Q and R entries relative to the largest |entry| of the same
     * matrix of {@code reference} at that time. Infinite when the curves have different lengths
     * (one stopped early).
     */
    public static double relativeDifference(LearningCurve curve, LearningCurve reference) {
        List<LearningCurve.Point> a = curve.points();
        List<LearningCurve.Point> b = reference.points();
        if (a.size() != b.size()) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            LearningCurve.Point x = a.get(i);
            LearningCurve.Point y = b.get(i);
            worst = Math.max(worst, Math.abs(x.generalisationError() - y.generalisationError())
                    / Math.abs(y.generalisationError()));
            worst = Math.max(worst, matrixDifference(x.q(), y.q()));
            worst = Math.max(worst, matrixDifference(x.r(), y.r()));
        }
        return worst;
    }

    private static double matrixDifference(double[] x, double[] y) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < y.length; i++) {
            scale = Math.max(scale, Math.abs(y[i]));
            diff = Math.max(diff, Math.abs(x[i] - y[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }
}
