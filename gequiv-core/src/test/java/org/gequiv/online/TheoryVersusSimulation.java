package org.gequiv.online;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.model.TeacherInput;

/**
 * Runs the SGD simulation and the ODE theory from the same weights over several seeds and
 * summarises ε_g(simulation)/ε_g(theory) − 1 per log time (docs/theory.md §5.7).
 */
final class TheoryVersusSimulation {

    /**
     * @param meanRelativeDifference mean over seeds of ε_sim/ε_theory − 1, per log time
     * @param spread                 standard deviation over seeds of the same, per log time
     * @param seconds                wall time of the whole comparison
     */
    record Summary(double[] times, double[] meanRelativeDifference, double[] spread, double seconds) {
        double worstMean() {
            double w = 0;
            for (double d : meanRelativeDifference) {
                w = Math.max(w, Math.abs(d));
            }
            return w;
        }

        /** Largest |mean| in units of its standard error spread/√seeds. */
        double worstZ(int seeds) {
            double w = 0;
            for (int i = 0; i < times.length; i++) {
                w = Math.max(w, Math.abs(meanRelativeDifference[i]) / (spread[i] / Math.sqrt(seeds)));
            }
            return w;
        }
    }

    private TheoryVersusSimulation() {
    }

    static Summary compare(Generator generator, TeacherInput input, double eta, double time, int logPoints,
                           int testSamples, long[] seeds) {
        return compare(generator, input, eta, 1, time, OnlineSpec.logSpacedTimes(time, logPoints), testSamples, seeds);
    }

    /**
     * The log-spaced grid of {@code points} times up to {@code time}, each moved to the nearest
     * multiple of B/N (at least one step): the simulation records after whole mini-batches, so on
     * this grid both engines are compared at exactly the same t. {@code time}·N/B must be whole.
     */
    static double[] batchTimes(double time, int points, int batch, int n) {
        long steps = Math.round(time * n / batch);
        if (Math.abs(steps * (double) batch / n - time) > 1e-12 * time) {
            throw new IllegalArgumentException("time·N/B must be whole, got " + time * n / batch);
        }
        double[] grid = OnlineSpec.logSpacedTimes(time, points);
        double[] out = new double[grid.length];
        int count = 0;
        for (double t : grid) {
            long j = t == 0 ? 0 : Math.max(1, Math.round(t * n / batch));
            double snapped = (double) (j * batch) / n;
            if (count == 0 || snapped > out[count - 1]) {
                out[count++] = snapped;
            }
        }
        return java.util.Arrays.copyOf(out, count);
    }

    /** As above, with mini-batches of {@code batch} samples and the given log times. */
    static Summary compare(Generator generator, TeacherInput input, double eta, int batch, double time,
                           double[] logTimes, int testSamples, long[] seeds) {
        long start = System.nanoTime();
        Moments moments = generator.analyticMoments().orElseThrow();
        double[][] rel = new double[seeds.length][];
        double[] times = null;
        for (int s = 0; s < seeds.length; s++) {
            OnlineSpec spec = OnlineTestProblems.spec(2, 2, StandardActivation.ERF, input, eta, time,
                    TrainedLayers.BOTH, batch, testSamples, logTimes, seeds[s]);
            OnlineProblem problem = OnlineProblem.initialise(spec, generator);
            LearningCurve sim = new OnlineSimulation(false).run(problem, ProgressListener.NONE);
            LearningCurve theory = OdeTheory.integrate(problem, moments, OdeOptions.defaults());
            if (!sim.termination().completed() || !theory.termination().completed()) {
                throw new AssertionError("run did not complete: " + sim.termination() + " / " + theory.termination());
            }
            double[] es = sim.generalisationErrors();
            double[] et = theory.generalisationErrors();
            if (!java.util.Arrays.equals(sim.times(), theory.times()) && batch > 1) {
                throw new AssertionError("simulation recorded at " + java.util.Arrays.toString(sim.times())
                        + ", theory at " + java.util.Arrays.toString(theory.times()));
            }
            rel[s] = new double[es.length];
            for (int i = 0; i < es.length; i++) {
                rel[s][i] = es[i] / et[i] - 1;
            }
            times = theory.times();
        }
        int p = times.length;
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (int i = 0; i < p; i++) {
            double m = 0;
            for (double[] r : rel) {
                m += r[i];
            }
            m /= seeds.length;
            double v = 0;
            for (double[] r : rel) {
                v += (r[i] - m) * (r[i] - m);
            }
            mean[i] = m;
            sd[i] = Math.sqrt(v / (seeds.length - 1));
        }
        return new Summary(times, mean, sd, (System.nanoTime() - start) / 1e9);
    }
}
