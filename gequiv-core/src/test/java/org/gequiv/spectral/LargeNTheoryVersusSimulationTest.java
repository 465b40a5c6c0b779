package org.gequiv.spectral;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSimulation;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.ProgressListener;
import org.gequiv.online.TrainedLayers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Lanczos theory at a size the eigendecomposition path does not reach comfortably (issue 14):
 * N = 8192, D = 100, single-layer sign generator, Ω matrix-free from its analytic kernel
 * ({@link KernelCovariance#resident()}) and the deflated plain measure (docs/theory.md §5.12), against SGD from
 * the same weights over 3 seeds. Criterion as in the online package's theory-versus-simulation
 * tests: the mean over seeds of ε_sim/ε_theory − 1 within 3 standard errors plus the finite-size
 * Gaussian-equivalence bias of {@link #GET_BIAS} (2–3 % measured at N = 1000, D = 100).
 */
class LargeNTheoryVersusSimulationTest {

    static final double GET_BIAS = 0.03;
    static final int SEEDS = 3;

    @Test
    @Tag("slow")
    void lanczosTheoryFollowsSgdAtN8192() throws java.io.IOException {
        int n = 8192;
        DeepRandomGenerator g = DeepRandomGenerator.singleLayer(100, n, StandardActivation.SIGN, CovarianceRule.EXACT,
                1);
        // evaluated once from the kernel (the path of `gequiv online` above N = 8192): every seed's
        // Lanczos runs on it at the speed of a read of Ω, not of N² kernel evaluations per product
        CovarianceOperator omega = KernelCovariance.of(g, 2).resident();
        double time = 10;
        double[] times = OnlineSpec.logSpacedTimes(time, 10);
        double[][] rel = new double[SEEDS][];
        for (int s = 0; s < SEEDS; s++) {
            OnlineSpec spec = new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.LATENT,
                    0.2, time, TrainedLayers.BOTH, 1, 2000, times, 1.0, 100 + s);
            OnlineProblem problem = OnlineProblem.initialise(spec, g);
            LearningCurve sim = new OnlineSimulation(false).run(problem, ProgressListener.NONE);
            SpectralCurve theory = SpectralTheory.integrate(spec, problem.teacher(), problem.student(), omega,
                    LanczosOptions.defaults(), OdeOptions.defaults());
            assertTrue(sim.termination().completed() && theory.curve().termination().completed());
            double[] es = sim.generalisationErrors();
            double[] et = theory.curve().generalisationErrors();
            rel[s] = new double[es.length];
            for (int i = 0; i < es.length; i++) {
                rel[s][i] = es[i] / et[i] - 1;
            }
        }
        StringBuilder summary = new StringBuilder();
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            double mean = 0;
            for (double[] r : rel) {
                mean += r[i] / SEEDS;
            }
            double var = 0;
            for (double[] r : rel) {
                var += (r[i] - mean) * (r[i] - mean) / (SEEDS - 1);
            }
            double tol = 3 * Math.sqrt(var / SEEDS) + GET_BIAS;
            String line = String.format(java.util.Locale.ROOT,
                    "t = %.3f: mean eps_sim/eps_theory - 1 = %+.4f, SE %.4f, tolerance %.4f", times[i], mean,
                    Math.sqrt(var / SEEDS), tol);
            summary.append(line).append('\n');
            if (!(Math.abs(mean) <= tol)) {
                failures.add(line);
            }
        }
        // the per-time gaps, kept for the record whether or not the test passes (tests do not print)
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "large-n-theory-vs-simulation.txt"),
                summary.toString());
        assertTrue(failures.isEmpty(), String.join("; ", failures));
    }
}
