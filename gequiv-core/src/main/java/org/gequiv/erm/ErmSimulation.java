package org.gequiv.erm;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.gequiv.parallel.StopRequest;
import org.gequiv.random.RandomStreams;

/**
 * Empirical risk minimisation on sampled data (docs/theory.md §6.1, §6.6): for each (α, λ) of an
 * {@link ErmSpec} and each repeat r, draw n = round(αd) training samples and a fresh test set from
 * the {@link ErmProblem}, minimise {@code Σ_μ ℓ(y_μ, w·v_μ/√d) + (λ/2)‖w‖²} to convergence, and
 * measure the training loss and the test error with the conventions of {@link ErmLoss}.
 *
 * <p>Streams: repeat r draws its training set from ({@link RandomStreams#TRAINING_DATA}, r), its
 * test set from ({@link RandomStreams#TEST_DATA}, r), its label noise from ("label-noise", r) and
 * the hinge solver's coordinate order from ("solver", r), all of the spec's seed; the problem (θ, F,
 * generator weights) stays fixed, so the spread over repeats is the data-set noise around the
 * theory for that problem. The same repeat uses the same test set at every (α, λ).
 *
 * <p>Stateless and thread-safe.
 */
public final class ErmSimulation {

    /** The sign of a field that is exactly 0 (a measure-zero event): sign(0) := +1. */
    private static final double ZERO_SIGN = 1.0;

    /**
     * All points of the spec's grid, λ-major (the order of {@link SaddlePointSolver#sweep}).
     *
     * <p>Per repeat, one test set and one training set of the largest size are drawn; the point at
     * α uses the first round(αd) training rows (nested training sets, each still i.i.d.), which
     * keeps the cost of sampling independent of the grid size and makes curves smoother.
     */
    public List<ErmPoint> run(ErmSpec spec, ErmProblem problem) {
        return run(spec, problem, org.gequiv.progress.Progress.NONE, StopRequest.NEVER);
    }

    /**
     * As {@link #run(ErmSpec, ErmProblem)}, reporting each fitted (repeat, point) to {@code progress}
     * (units: repeats × points) and polling {@code stop} after every fit: a requested stop returns
     * every point with the repeats fitted so far ({@link ErmPoint#repeats()}, one more for the points
     * before the stop in the repeat it interrupted); a point with none has NaN errors,
     * {@code converged} false and 0 repeats.
     */
    public List<ErmPoint> run(ErmSpec spec, ErmProblem problem, org.gequiv.progress.Progress progress,
                              StopRequest stop) {
        int d = problem.featureDimension();
        double[] alphas = spec.alphas();
        double[] lambdas = spec.lambdas();
        int[] sizes = new int[alphas.length];
        int nMax = 0;
        for (int i = 0; i < alphas.length; i++) {
            sizes[i] = (int) Math.round(alphas[i] * d);
            if (sizes[i] < 1) {
                throw new IllegalArgumentException("alpha·d must give at least one sample, got alpha " + alphas[i]
                        + " with d " + d);
            }
            for (double lambda : lambdas) {
                ErmSpec.validateLambda(spec.loss(), (double) sizes[i] / d, lambda);
            }
            nMax = Math.max(nMax, sizes[i]);
        }
        int repeats = spec.repeats();
        int points = spec.size();
        int nt = spec.testSamples();
        double[][] test = new double[points][repeats];
        double[][] train = new double[points][repeats];
        double[] qSum = new double[points];
        double[] mSum = new double[points];
        boolean[] converged = new boolean[points];
        java.util.Arrays.fill(converged, true);
        int[] iterations = new int[points];
        double[] residual = new double[points];
        double[] x = new double[nMax * d];
        double[] nu = new double[nMax];
        double[] y = new double[nMax];
        double[] z = new double[nMax];
        double[] xt = new double[nt * d];
        double[] nut = new double[nt];
        double[] zt = new double[nt];
        double noiseStd = Math.sqrt(spec.labelNoise());
        boolean classification = spec.loss().isClassification();
        int[] done = new int[points];
        repeatLoop:
        for (int r = 0; r < repeats; r++) {
            problem.sample(RandomStreams.stream(spec.seed(), RandomStreams.TRAINING_DATA, r), nMax, x, nu);
            RandomGenerator noise = RandomStreams.stream(spec.seed(), "label-noise", r);
            for (int i = 0; i < nMax; i++) {
                double field = nu[i] + (noiseStd > 0 ? noiseStd * noise.nextGaussian() : 0.0);
                y[i] = classification ? sign(field) : field;
            }
            problem.sample(RandomStreams.stream(spec.seed(), RandomStreams.TEST_DATA, r), nt, xt, nut);
            int k = 0;
            for (double lambda : lambdas) {
                for (int a = 0; a < alphas.length; a++, k++) {
                    int n = sizes[a];
                    double[] xn = n == nMax ? x : java.util.Arrays.copyOf(x, n * d);
                    double[] yn = n == nMax ? y : java.util.Arrays.copyOf(y, n);
                    ErmSolvers.Fit fit = switch (spec.loss()) {
                        case RIDGE, SQUARE_CLASSIFICATION -> ErmSolvers.square(n, d, xn, yn, lambda);
                        case LOGISTIC -> ErmSolvers.logistic(n, d, xn, yn, lambda);
                        case HINGE -> ErmSolvers.hinge(n, d, xn, yn, lambda,
                                RandomStreams.stream(spec.seed(), "solver", (long) r * points + k));
                    };
                    converged[k] &= fit.converged();
                    progress.progress((long) r * points + k + 1, (long) repeats * points);
                    iterations[k] = Math.max(iterations[k], fit.iterations());
                    residual[k] = Math.max(residual[k], fit.residual());
                    ErmSolvers.predict(n, d, xn, fit.w(), z);
                    train[k][r] = trainLoss(spec.loss(), n, yn, z);
                    ErmSolvers.predict(nt, d, xt, fit.w(), zt);
                    double err = 0;
                    double q = 0;
                    double m = 0;
                    for (int i = 0; i < nt; i++) {
                        if (classification) {
                            err += sign(zt[i]) != sign(nut[i]) ? 1.0 : 0.0;
                        } else {
                            double e = nut[i] - zt[i];
                            err += e * e;
                        }
                        q += zt[i] * zt[i];
                        m += zt[i] * nut[i];
                    }
                    test[k][r] = err / nt;
                    qSum[k] += q / nt;
                    mSum[k] += m / nt;
                    done[k]++;
                    if (stop.requested() && !(r == repeats - 1 && k == points - 1)) {
                        break repeatLoop;
                    }
                }
            }
        }
        List<ErmPoint> out = new ArrayList<>(points);
        int k = 0;
        for (double lambda : lambdas) {
            for (double alpha : alphas) {
                int r = done[k];
                double[] te = r == repeats ? test[k] : java.util.Arrays.copyOf(test[k], r);
                double[] tr = r == repeats ? train[k] : java.util.Arrays.copyOf(train[k], r);
                out.add(r == 0
                        ? new ErmPoint(alpha, lambda, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false, 0, Double.NaN, 0)
                        : new ErmPoint(alpha, lambda, mean(te), sem(te), mean(tr), sem(tr), Double.NaN, qSum[k] / r,
                                mSum[k] / r, Double.NaN, Double.NaN, Double.NaN, converged[k], iterations[k],
                                residual[k], r));
                k++;
            }
        }
        return out;
    }

    /** One (α, λ) point, averaged over the spec's repeats (its grid is ignored). */
    public ErmPoint point(ErmSpec spec, ErmProblem problem, double alpha, double lambda) {
        ErmSpec one = new ErmSpec(spec.loss(), new double[] {alpha}, new double[] {lambda}, spec.labelNoise(),
                spec.repeats(), spec.testSamples(), spec.seed());
        return run(one, problem).get(0);
    }

    static double trainLoss(ErmLoss loss, int n, double[] y, double[] z) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += switch (loss) {
                case RIDGE -> (y[i] - z[i]) * (y[i] - z[i]);
                case SQUARE_CLASSIFICATION -> 0.25 * (y[i] - z[i]) * (y[i] - z[i]);
                case LOGISTIC, HINGE -> loss.convexLoss().value(y[i], z[i]);
            };
        }
        return s / n;
    }

    private static double sign(double v) {
        return v > 0 ? 1.0 : (v < 0 ? -1.0 : ZERO_SIGN);
    }

    static double mean(double[] a) {
        return org.gequiv.random.Repeats.mean(a);
    }

    /** Standard error of the mean; NaN for a single repeat. */
    static double sem(double[] a) {
        return org.gequiv.random.Repeats.standardError(a);
    }
}
