package org.gequiv.erm;

import java.util.ArrayList;
import java.util.List;
import org.gequiv.parallel.StopRequest;
import org.gequiv.spectral.LanczosOptions;

/**
 * The saddle-point equations of the Gaussian covariate model in spectral form (docs/theory.md §6.2–§6.5):
 * the prior (overlap) update
 * <pre>
 *   V = ⟨ω_i/(λ + V̂ω_i)⟩,  q = ⟨(q̂ω_i² + m̂²ω_i t_i)/(λ + V̂ω_i)²⟩,  m = (m̂/√γ)⟨t_i/(λ + V̂ω_i)⟩
 * </pre>
 * alternated with the task's hat update (§6.4: closed forms for ridge and square-loss
 * classification, Gauss–Hermite quadrature over proximal points for logistic, hinge and any
 * {@link ConvexLoss}), with damping, until the undamped update changes each of V, q, m, and the
 * test error ε_g, by at most {@code abs + rel·|x|} ({@link SaddlePointOptions}), optionally
 * accelerated by Anderson mixing
 * ({@link SaddlePointOptions#andersonDepth()}).
 *
 * <p>Every result says whether it converged, after how many iterations, and with what residual
 * max|F(x) − x| at the returned point; a non-converged point is returned with
 * {@code converged = false}, never thrown away or disguised. Sweeps warm-start each point from the
 * previous one (continuation in α, and in λ from the first α of the previous λ).
 *
 * <p>Immutable and thread-safe: each call builds its own scratch state.
 */
public final class SaddlePointSolver {

    private final SaddlePointOptions options;

    public SaddlePointSolver(SaddlePointOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must be given");
        }
        this.options = options;
    }

    /** A solver with {@link SaddlePointOptions#defaults()}. */
    public SaddlePointSolver() {
        this(SaddlePointOptions.defaults());
    }

    public SaddlePointOptions options() {
        return options;
    }

    /**
     * The saddle point of one task at (α, λ).
     *
     * @param labelNoise Δ ≥ 0 (Gaussian for ridge, probit for classification)
     * @param start      the start (for example the previous point of a sweep); null for the
     *                   options' start
     */
    public ErmPoint solve(ErmLoss loss, Spectra spectra, double alpha, double lambda, double labelNoise,
                          Overlaps start) {
        validate(spectra, alpha, labelNoise);
        ErmSpec.validateLambda(loss, alpha, lambda);
        return iterate(channel(loss, spectra, labelNoise), spectra, alpha, lambda, start);
    }

    /**
     * The saddle point of ERM with an arbitrary convex loss on sign labels (docs/theory.md §6.4, general
     * convex loss), through its proximal operator.
     */
    public ErmPoint solve(ConvexLoss loss, Spectra spectra, double alpha, double lambda, double labelNoise,
                          Overlaps start) {
        if (loss == null) {
            throw new IllegalArgumentException("loss must be given");
        }
        validate(spectra, alpha, labelNoise);
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and > 0, got " + lambda);
        }
        Channel ch = new ConvexClassificationChannel(loss, spectra.rho(), spectra.gamma(), labelNoise,
                options.quadratureNodes());
        return iterate(ch, spectra, alpha, lambda, start);
    }

    /**
     * All points of the spec's (α, λ) grid, λ-major, with warm starts: each α from the previous α of
     * the same λ, the first α of each λ from the first α of the previous λ. A non-converged point is
     * kept (flagged) and the next one starts from the options' start instead.
     */
    public List<ErmPoint> sweep(ErmSpec spec, Spectra spectra) {
        return sweep(spec, spectra, org.gequiv.progress.Progress.NONE, StopRequest.NEVER);
    }

    /**
     * As {@link #sweep(ErmSpec, Spectra)}, reporting each solved point to {@code progress} and
     * polling {@code stop} after every point: a requested stop returns the points solved so far, a
     * prefix of the sweep in its order.
     */
    public List<ErmPoint> sweep(ErmSpec spec, Spectra spectra, org.gequiv.progress.Progress progress,
                                StopRequest stop) {
        return sweep(spec, (alpha, lambda, start) -> solve(spec.loss(), spectra, alpha, lambda, spec.labelNoise(),
                start), progress, stop);
    }

    /** One point of a sweep from its warm start (null: the options' start). */
    private interface PointSolver {
        ErmPoint solve(double alpha, double lambda, Overlaps start);
    }

    /** The sweep order and warm starts of {@link #sweep(ErmSpec, Spectra)}, written once for both spectral paths. */
    private static List<ErmPoint> sweep(ErmSpec spec, PointSolver solver, org.gequiv.progress.Progress progress,
                                        StopRequest stop) {
        double[] alphas = spec.alphas();
        double[] lambdas = spec.lambdas();
        List<ErmPoint> out = new ArrayList<>(spec.size());
        Overlaps rowStart = null;
        for (double lambda : lambdas) {
            Overlaps start = rowStart;
            for (int i = 0; i < alphas.length; i++) {
                ErmPoint p = solver.solve(alphas[i], lambda, start);
                out.add(p);
                progress.progress(out.size(), spec.size());
                if (stop.requested() && out.size() < spec.size()) {
                    return out;
                }
                start = warmStart(p);
                if (i == 0) {
                    rowStart = start;
                }
            }
        }
        return out;
    }

    /**
     * The sweep of {@link #sweep(ErmSpec, Spectra, org.gequiv.progress.Progress, StopRequest)} on the
     * Lanczos quadrature of the spectra (docs/theory.md §5.12, "ERM (§6)"): every point is solved with
     * the teacher rules of m and m' steps (m' = m + Δm for a fixed m, m + max(Δm, m/4) when adaptive,
     * as for the online theory, {@link LanczosOptions}), the second warm-started from the first; the
     * largest relative change of ε_g, ε_t, V, q and m between the two saddle points is the point's
     * error estimate, and the m'-step point is returned. With {@code blockSteps = 0} m starts at
     * {@link LanczosOptions#INITIAL_STEPS} and grows until the estimate meets the tolerance, m'
     * reaches {@link LanczosOptions#maxBlockSteps()}, or the estimate stops halving below
     * {@link #STAGNATION_FACTOR} times the solver's relative tolerance (there the two saddle points
     * differ by the solver's own stopping error, not by quadrature); the m reached carries over to the
     * next point. A rule of an exhausted Krylov space is exact (estimate 0). A saddle point that does
     * not converge ends its point's growth with an infinite estimate. The plain measure is always the
     * exact eigenvalues ({@link LanczosOptions#plainMeasure()} and the probe settings are not used).
     */
    public QuadratureSweep sweep(ErmSpec spec, TeacherQuadrature quadrature, LanczosOptions lanczos,
                                 org.gequiv.progress.Progress progress, StopRequest stop) {
        Adaptive adaptive = new Adaptive(spec, quadrature, lanczos);
        List<ErmPoint> points = sweep(spec, adaptive, progress, stop);
        int steps = adaptive.steps;
        return new QuadratureSweep(points, steps, quadrature.ruleNodes(steps), quadrature.dimension(),
                adaptive.worst, adaptive.exact);
    }

    /**
     * Estimates below this multiple of {@link SaddlePointOptions#relativeTolerance()} that fail to halve
     * from one round to the next are the solver's stopping error: two saddle points solved to a
     * relative 1e-10 differ by that much whatever the rules.
     */
    static final double STAGNATION_FACTOR = 100;

    /** The adaptive choice of m across the points of one sweep. */
    private final class Adaptive implements PointSolver {
        private final ErmSpec spec;
        private final TeacherQuadrature quadrature;
        private final boolean fixed;
        private final int dm;
        private final int max;
        private final double tolerance;
        private int m;
        /** Steps of the rule of the last point returned. */
        int steps;
        double worst;
        boolean exact = true;

        Adaptive(ErmSpec spec, TeacherQuadrature quadrature, LanczosOptions lanczos) {
            this.spec = spec;
            this.quadrature = quadrature;
            this.fixed = lanczos.blockSteps() > 0;
            this.dm = lanczos.checkSteps();
            this.max = Math.max(lanczos.maxBlockSteps(), 1 + dm);
            this.tolerance = lanczos.tolerance();
            this.m = fixed ? lanczos.blockSteps() : Math.min(LanczosOptions.INITIAL_STEPS, max - dm);
        }

        @Override
        public ErmPoint solve(double alpha, double lambda, Overlaps start) {
            double previous = Double.POSITIVE_INFINITY;
            while (true) {
                int next = fixed ? m + dm : Math.min(max, m + Math.max(dm, m / LanczosOptions.GROWTH_DIVISOR));
                quadrature.extend(Math.max(m, next));
                if (quadrature.exhausted() && quadrature.steps() <= next) {
                    steps = quadrature.steps();
                    return point(quadrature.spectra(steps), alpha, lambda, start);
                }
                ErmPoint fine = point(quadrature.spectra(next), alpha, lambda, start);
                double error;
                if (!fine.converged()) {
                    error = Double.POSITIVE_INFINITY;
                } else {
                    ErmPoint coarse = point(quadrature.spectra(m), alpha, lambda, warmStart(fine));
                    error = coarse.converged() ? relativeChange(coarse, fine) : Double.POSITIVE_INFINITY;
                }
                boolean stagnant = error > 0.5 * previous
                        && error < STAGNATION_FACTOR * options.relativeTolerance();
                if (fixed || error <= tolerance || next >= max || stagnant || !Double.isFinite(error)) {
                    steps = next;
                    exact = false;
                    worst = Math.max(worst, error);
                    return fine;
                }
                previous = error;
                m = next;
            }
        }

        private ErmPoint point(Spectra spectra, double alpha, double lambda, Overlaps start) {
            return SaddlePointSolver.this.solve(spec.loss(), spectra, alpha, lambda, spec.labelNoise(), start);
        }
    }

    /**
     * The largest relative change of ε_g, ε_t, V, q and m from {@code coarse} to {@code fine}
     * (relative to |fine|; absolute where that is 0); infinite when a value is not finite.
     */
    static double relativeChange(ErmPoint coarse, ErmPoint fine) {
        double[] a = {coarse.testError(), coarse.trainLoss(), coarse.v(), coarse.q(), coarse.m()};
        double[] b = {fine.testError(), fine.trainLoss(), fine.v(), fine.q(), fine.m()};
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double change = Math.abs(a[i] - b[i]);
            double r = b[i] == 0 ? change : change / Math.abs(b[i]);
            if (!Double.isFinite(r)) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, r);
        }
        return worst;
    }

    private static Overlaps warmStart(ErmPoint p) {
        if (!p.converged() || !(p.v() > 0) || !(p.q() > 0) || !Double.isFinite(p.m())) {
            return null;
        }
        return p.overlaps();
    }

    /**
     * The undamped fixed-point map F(V, q, m): hats from (V, q, m), then the prior update. A saddle
     * point x satisfies F(x) = x.
     */
    public Overlaps update(ErmLoss loss, Spectra spectra, double alpha, double lambda, double labelNoise, Overlaps x) {
        validate(spectra, alpha, labelNoise);
        Channel ch = channel(loss, spectra, labelNoise);
        double[] hat = new double[3];
        double[] next = new double[3];
        ch.hats(alpha, x.v(), x.q(), x.m(), hat);
        prior(spectra, lambda, hat, next);
        return new Overlaps(next[0], next[1], next[2]);
    }

    /**
     * The ridge penalty minimising the theoretical test error ρ + q − 2m at fixed α, by
     * golden-section search on log λ in [lambdaMin, lambdaMax] to a relative precision of 1e-6 in
     * λ, with warm starts between evaluations.
     *
     * @return the minimiser, its saddle point, and whether it sits on a bracket end (the optimum
     *         then lies outside the bracket; for noiseless isotropic data it is λ → 0)
     */
    public OptimalLambda optimalRidgeLambda(Spectra spectra, double alpha, double labelNoise, double lambdaMin,
                                            double lambdaMax) {
        if (!(lambdaMin > 0) || !(lambdaMax > lambdaMin) || !Double.isFinite(lambdaMax)) {
            throw new IllegalArgumentException("lambda bracket must satisfy 0 < min < max < ∞, got [" + lambdaMin + ", "
                    + lambdaMax + "]");
        }
        final double ratio = (Math.sqrt(5.0) - 1.0) / 2.0;
        double a = Math.log(lambdaMin);
        double b = Math.log(lambdaMax);
        double c = b - ratio * (b - a);
        double d = a + ratio * (b - a);
        ErmPoint pc = solve(ErmLoss.RIDGE, spectra, alpha, Math.exp(c), labelNoise, null);
        ErmPoint pd = solve(ErmLoss.RIDGE, spectra, alpha, Math.exp(d), labelNoise, warmStart(pc));
        while (b - a > 1e-6) {
            if (pc.testError() <= pd.testError()) {
                b = d;
                d = c;
                pd = pc;
                c = b - ratio * (b - a);
                pc = solve(ErmLoss.RIDGE, spectra, alpha, Math.exp(c), labelNoise, warmStart(pd));
            } else {
                a = c;
                c = d;
                pc = pd;
                d = a + ratio * (b - a);
                pd = solve(ErmLoss.RIDGE, spectra, alpha, Math.exp(d), labelNoise, warmStart(pc));
            }
        }
        ErmPoint best = pc.testError() <= pd.testError() ? pc : pd;
        double logBest = Math.log(best.lambda());
        boolean boundary = logBest - Math.log(lambdaMin) < 1e-5 || Math.log(lambdaMax) - logBest < 1e-5;
        return new OptimalLambda(best.lambda(), best, boundary);
    }

    /**
     * The result of {@link #optimalRidgeLambda}.
     *
     * @param lambda     the minimising λ
     * @param point      the saddle point there
     * @param atBoundary whether λ sits on an end of the search bracket
     */
    public record OptimalLambda(double lambda, ErmPoint point, boolean atBoundary) {
    }

    static Channel channel(ErmLoss loss, Spectra s, double noise, int nodes) {
        return switch (loss) {
            case RIDGE -> SquareChannels.ridge(s.rho(), s.gamma(), noise);
            case SQUARE_CLASSIFICATION -> SquareChannels.squareClassification(s.rho(), s.gamma(), noise);
            case LOGISTIC, HINGE -> new ConvexClassificationChannel(loss.convexLoss(), s.rho(), s.gamma(), noise, nodes);
        };
    }

    private Channel channel(ErmLoss loss, Spectra s, double noise) {
        return channel(loss, s, noise, options.quadratureNodes());
    }

    private static void validate(Spectra spectra, double alpha, double labelNoise) {
        if (spectra == null) {
            throw new IllegalArgumentException("spectra must be given");
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
        }
        if (!(labelNoise >= 0) || !Double.isFinite(labelNoise)) {
            throw new IllegalArgumentException("label noise must be finite and >= 0, got " + labelNoise);
        }
    }

    /**
     * The prior update of docs/theory.md §6.3; {@code out} receives (V, q, m). The averages take each
     * node with its plain weight w_i (1 when the spectra carry none) and divide by d = Σ w_i; the
     * teacher terms take t_i alone ({@link Spectra}).
     */
    static void prior(Spectra s, double lambda, double[] hat, double[] out) {
        double vh = hat[0];
        double qh = hat[1];
        double mh = hat[2];
        double[] omega = s.omegaView();
        double[] t = s.tView();
        double[] weights = s.weightsView();
        int nodes = omega.length;
        double sv = 0;
        double sq = 0;
        double sm = 0;
        for (int i = 0; i < nodes; i++) {
            double w = omega[i];
            double plain = weights == null ? 1.0 : weights[i];
            double den = lambda + vh * w;
            if (den == 0) {
                // ω_i = 0 at λ = 0: the direction carries no signal and no response (t_i = 0 by Cauchy–Schwarz)
                continue;
            }
            double inv = 1.0 / den;
            sv += plain * w * inv;
            sq += (plain * qh * w * w + mh * mh * w * t[i]) * inv * inv;
            sm += t[i] * inv;
        }
        double d = s.normaliser();
        out[0] = sv / d;
        out[1] = sq / d;
        out[2] = mh / Math.sqrt(s.gamma()) * sm / d;
    }

    private ErmPoint iterate(Channel ch, Spectra s, double alpha, double lambda, Overlaps start) {
        Overlaps x0 = start == null ? options.start() : start;
        double v = x0.v();
        double q = x0.q();
        double m = x0.m();
        double damping = options.damping();
        double abs = options.absoluteTolerance();
        double rel = options.relativeTolerance();
        double[] hat = new double[3];
        double[] next = new double[3];
        double[] x = new double[3];
        double[] g = new double[3];
        double[] proposal = new double[3];
        AndersonMixer mixer = options.andersonDepth() > 0 ? new AndersonMixer(options.andersonDepth(), 1 - damping) : null;
        double previousResidual = Double.POSITIVE_INFINITY;
        boolean converged = false;
        int iterations = 0;
        boolean broken = false;
        while (iterations < options.maxIterations()) {
            iterations++;
            ch.hats(alpha, v, q, m, hat);
            prior(s, lambda, hat, next);
            if (!isUsable(hat, next)) {
                broken = true;
                break;
            }
            double dv = next[0] - v;
            double dq = next[1] - q;
            double dm = next[2] - m;
            if (Math.abs(dv) <= abs + rel * Math.abs(next[0]) && Math.abs(dq) <= abs + rel * Math.abs(next[1])
                    && Math.abs(dm) <= abs + rel * Math.abs(next[2])
                    && testErrorSettled(ch, v, q, m, next, abs, rel)) {
                // return the point that passed the test, not F of it: the undamped map need not
                // contract (that is why the iteration is damped), so F(x) can sit farther away
                converged = true;
                break;
            }
            double residualNow = Math.max(Math.abs(dv), Math.max(Math.abs(dq), Math.abs(dm)));
            if (mixer != null && iterations > options.maxIterations() / 2) {
                // safeguard: finish with the plain damped iteration if acceleration has not converged
                mixer = null;
            }
            if (mixer != null) {
                // a growing residual means the extrapolation misled: forget the history
                if (residualNow > 2 * previousResidual) {
                    mixer.reset();
                }
                previousResidual = residualNow;
                x[0] = v;
                x[1] = q;
                x[2] = m;
                g[0] = dv;
                g[1] = dq;
                g[2] = dm;
                mixer.propose(x, g, proposal);
                if (proposal[0] > 0 && proposal[1] > 0 && Double.isFinite(proposal[2])) {
                    v = proposal[0];
                    q = proposal[1];
                    m = proposal[2];
                    continue;
                }
                mixer.reset();
            }
            v = damping * v + (1 - damping) * next[0];
            q = damping * q + (1 - damping) * next[1];
            m = damping * m + (1 - damping) * next[2];
        }
        // the record describes the returned point itself: its hats and its own residual
        ch.hats(alpha, v, q, m, hat);
        prior(s, lambda, hat, next);
        double residual = isUsable(hat, next)
                ? Math.max(Math.abs(next[0] - v), Math.max(Math.abs(next[1] - q), Math.abs(next[2] - m)))
                : Double.POSITIVE_INFINITY;
        if (broken) {
            converged = false;
        }
        return new ErmPoint(alpha, lambda, ch.testError(v, q, m), 0.0, ch.trainLoss(v, q, m), 0.0, v, q, m,
                hat[0], hat[1], hat[2], converged, iterations, residual, 0);
    }

    /**
     * Whether the test error changes under the undamped map by at most abs + rel·|ε_g(F(x))|. It
     * is a difference of overlaps of order one for ridge (ρ + q − 2m), so the tolerance on V, q, m
     * alone leaves a near-zero ε_g (1e-9, say) with a relative error of 10 % or more; this bounds it
     * to its own tolerance. A test error that cannot be evaluated (NaN) leaves the decision to V, q, m.
     */
    private static boolean testErrorSettled(Channel ch, double v, double q, double m, double[] next, double abs,
                                            double rel) {
        double now = ch.testError(v, q, m);
        double then = ch.testError(next[0], next[1], next[2]);
        return !(Math.abs(then - now) > abs + rel * Math.abs(then));
    }

    private static boolean isUsable(double[] hat, double[] next) {
        for (int i = 0; i < 3; i++) {
            if (!Double.isFinite(hat[i]) || !Double.isFinite(next[i])) {
                return false;
            }
        }
        return next[0] > 0 && next[1] > 0;
    }
}
