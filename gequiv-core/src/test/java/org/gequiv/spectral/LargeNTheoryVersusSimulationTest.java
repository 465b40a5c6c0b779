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
import org.gequiv.random.Repeats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Lanczos theory at a size the eigendecomposition path does not reach comfortably (issue 14):
 * N = 8192 against SGD from the same weights, single-layer sign generator with D = N/10 = 819,
 * Ω evaluated once from its analytic kernel ({@link KernelCovariance#resident()}), default online
 * case (K = M = 2 erf, teacher on the latent, η = 0.2) to t = 10 (docs/theory.md §5.12, "Theory
 * against simulation at N = 8192").
 *
 * <p>Why D = N/10: at fixed D the generator's departure from its Gaussian equivalent does not shrink
 * with N but grows with N/D and with t (at t = 100: −3.3 % at N = 1000, D = 100, −9.7 % at
 * N = 8192, D = 100, while the Gaussian twin follows the theory wherever it was run;
 * docs/theory.md §5.12), so a gap
 * at D = 100 measures N/D, not the theory; along D = N/10 the
 * generator's gap falls as N^−0.77 (README, `gequiv paper`), which extrapolates to 0.12 % at
 * N = 8192 (0.20 % at the upper end of the exponent's 95 % interval): {@link #GET_BIAS}.
 *
 * <p>Criterion, from the spread over {@link #SEEDS} seeds (per-seed gaps ε_sim/ε_theory − 1, their
 * mean and standard error SE, Student's t with SEEDS − 1 = 4 degrees of freedom): (1) the gap
 * averaged over the recorded times t ≥ 1 within {@link #T_99}·SE + GET_BIAS (two-sided 99 %);
 * (2) at every recorded time within {@link #T_99_BONFERRONI}·SE + GET_BIAS (99 % for the ten
 * times together). The theory's own error (the Lanczos estimate, asserted ≤
 * {@link #THEORY_ERROR}) is far below either. The plain measure is the stochastic one: at D = 819
 * the deflation block of the deflated measure has 827 vectors and cost two minutes per seed, for
 * an accuracy (estimates 2–8e-9 against 1e-5–1e-4) that this comparison cannot see. 11 minutes on 2 cores
 * at load 8–12, almost all of it SGD (N·D = 6.7e6 multiply-adds per sample). Measured: averaged
 * gap −0.08 % ± 0.22 % against a tolerance of 1.2 %. At D = 100 the same seeds give
 * −1.45 % ± 0.63 %, the Gaussian-equivalence correction, which five seeds do not resolve
 * (4.604·0.63 % + 0.2 % = 3.1 %).
 */
class LargeNTheoryVersusSimulationTest {

    static final int N = 8192;
    static final int D = N / 10;
    static final int SEEDS = 5;
    /**
     * Test-set size of the simulation's ε_g: the SE over five seeds at t = 0, where theory and
     * simulation start from the same weights, is 0.3–0.4 % with 10 000 samples against 1.5 % with
     * 2000, which dominated the spread of the first version of this test.
     */
    static final int TEST_SAMPLES = 10_000;
    /** Residual Gaussian-equivalence bias of the generator at D = N/10, N = 8192 (class comment). */
    static final double GET_BIAS = 0.002;
    /** Student's t quantile, 4 degrees of freedom, two-sided 99 %: t_0.995(4). */
    static final double T_99 = 4.604;
    /** t_(1 − 0.01/(2·10))(4): two-sided 99 % for the ten recorded times together (Bonferroni). */
    static final double T_99_BONFERRONI = 8.610;
    /** Bound on the Lanczos error estimate: 1e-3, at least ten times below any SE met here. */
    static final double THEORY_ERROR = 1e-3;

    @Test
    @Tag("slow")
    void lanczosTheoryFollowsSgdAtN8192() throws java.io.IOException {
        DeepRandomGenerator g = DeepRandomGenerator.singleLayer(D, N, StandardActivation.SIGN, CovarianceRule.EXACT,
                1);
        // evaluated once from the kernel (the path of `gequiv online` above N = 8192): every seed's
        // Lanczos runs on it at the speed of a read of Ω, not of N² kernel evaluations per product
        CovarianceOperator omega = KernelCovariance.of(g, 2).resident();
        LanczosOptions options = LanczosOptions.defaults().withPlainMeasure(PlainMeasure.Method.STOCHASTIC);
        double time = 10;
        double[] times = OnlineSpec.logSpacedTimes(time, 10);
        double[][] rel = new double[SEEDS][];
        double[] averaged = new double[SEEDS];
        StringBuilder summary = new StringBuilder();
        for (int s = 0; s < SEEDS; s++) {
            OnlineSpec spec = new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.LATENT,
                    0.2, time, TrainedLayers.BOTH, 1, TEST_SAMPLES, times, 1.0, 200 + s);
            OnlineProblem problem = OnlineProblem.initialise(spec, g);
            SpectralCurve theory = SpectralTheory.integrate(spec, problem.teacher(), problem.student(), omega,
                    options, OdeOptions.defaults());
            LearningCurve sim = new OnlineSimulation(false).run(problem, ProgressListener.NONE);
            assertTrue(sim.termination().completed() && theory.curve().termination().completed());
            assertTrue(theory.errorEstimate() <= THEORY_ERROR, "seed " + (200 + s) + ": Lanczos estimate "
                    + theory.errorEstimate());
            double[] es = sim.generalisationErrors();
            double[] et = theory.curve().generalisationErrors();
            rel[s] = new double[es.length];
            int late = 0;
            for (int i = 0; i < es.length; i++) {
                rel[s][i] = es[i] / et[i] - 1;
                if (times[i] >= 1) {
                    averaged[s] += rel[s][i];
                    late++;
                }
            }
            averaged[s] /= late;
            summary.append(String.format(java.util.Locale.ROOT, "seed %d: gap averaged over t >= 1 %+.4f, "
                    + "Lanczos estimate %.2g%n", 200 + s, averaged[s], theory.errorEstimate()));
        }
        java.util.List<String> failures = new java.util.ArrayList<>();
        double[] average = new double[] {Repeats.mean(averaged), Repeats.standardError(averaged)};
        String line = String.format(java.util.Locale.ROOT, "t >= 1: mean gap %+.4f, SE %.4f, tolerance %.4f",
                average[0], average[1], T_99 * average[1] + GET_BIAS);
        summary.append(line).append('\n');
        if (!(Math.abs(average[0]) <= T_99 * average[1] + GET_BIAS)) {
            failures.add(line);
        }
        for (int i = 0; i < times.length; i++) {
            double[] atTime = new double[SEEDS];
            for (int s = 0; s < SEEDS; s++) {
                atTime[s] = rel[s][i];
            }
            double[] ms = new double[] {Repeats.mean(atTime), Repeats.standardError(atTime)};
            double tol = T_99_BONFERRONI * ms[1] + GET_BIAS;
            line = String.format(java.util.Locale.ROOT,
                    "t = %.3f: mean eps_sim/eps_theory - 1 = %+.4f, SE %.4f, tolerance %.4f", times[i], ms[0], ms[1],
                    tol);
            summary.append(line).append('\n');
            if (!(Math.abs(ms[0]) <= tol)) {
                failures.add(line);
            }
        }
        // the per-time gaps, kept for the record whether or not the test passes (tests do not print)
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "large-n-theory-vs-simulation.txt"),
                summary.toString());
        assertTrue(failures.isEmpty(), String.join("; ", failures));
    }
}
