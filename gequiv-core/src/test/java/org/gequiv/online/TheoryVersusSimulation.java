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
        long start = System.nanoTime();
        Moments moments = generator.analyticMoments().orElseThrow();
        double[][] rel = new double[seeds.length][];
        double[] times = null;
        for (int s = 0; s < seeds.length; s++) {
            OnlineSpec spec = OnlineTestProblems.spec(2, 2, StandardActivation.ERF, input, eta, time,
                    TrainedLayers.BOTH, 1, testSamples, logPoints, seeds[s]);
            OnlineProblem problem = OnlineProblem.initialise(spec, generator);
            LearningCurve sim = new OnlineSimulation(false).run(problem, ProgressListener.NONE);
            LearningCurve theory = OdeTheory.integrate(problem, moments, OdeOptions.defaults());
            if (!sim.termination().completed() || !theory.termination().completed()) {
                throw new AssertionError("run did not complete: " + sim.termination() + " / " + theory.termination());
            }
            double[] es = sim.generalisationErrors();
            double[] et = theory.generalisationErrors();
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
