package org.gequiv.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.gequiv.activation.StandardActivation;
import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.ErmPoint;
import org.gequiv.erm.ErmProblem;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.erm.SaddlePointSolver;
import org.gequiv.erm.Spectra;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Saddle-point solver for logistic regression (docs/theory.md §6.4–§6.5) on a d = 1000 spectrum: the
 * pre-learned features of a single-layer sign generator (D = 500, N = 1000, exact moments), so
 * that ω has the Marchenko–Pastur signal part and the κ*² bulk and t lives on the signal
 * directions. Tolerance 1e-8 absolute on each of V, q, m, damping 0.5, 200 Gauss–Hermite nodes,
 * uninformed start; {@code anderson} = 0 is the reference's plain damped iteration, 3 the default
 * Anderson-accelerated one.
 *
 * <ul>
 *   <li>{@link #logisticPoint}: one point, α = 1, λ = 0.01, from the uninformed start (the published
 *       Python solver needs 3–10 s per point).</li>
 *   <li>{@link #logisticSweep50}: 50 log-spaced α in [0.1, 5] at λ = 0.01 with warm starts.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ErmBenchmark {

    @Param({"0", "3"})
    public int anderson;

    private Spectra spectra;
    private SaddlePointSolver solver;
    private ErmSpec sweep;

    @Setup(Level.Trial)
    public void setUp() {
        var generator = DeepRandomGenerator.singleLayer(500, 1000, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        spectra = ErmProblem.create(generator, FeatureSpec.input(), 2).analyticSpectra();
        solver = new SaddlePointSolver(SaddlePointOptions.defaults().withTolerances(1e-8, 0.0).withAnderson(anderson));
        double[] alphas = new double[50];
        for (int i = 0; i < alphas.length; i++) {
            alphas[i] = 0.1 * Math.pow(50.0, i / 49.0);
        }
        sweep = ErmSpec.theory(ErmLoss.LOGISTIC, alphas, new double[] {0.01}, 0.0);
    }

    @Benchmark
    public ErmPoint logisticPoint() {
        ErmPoint p = solver.solve(ErmLoss.LOGISTIC, spectra, 1.0, 0.01, 0.0, null);
        if (!p.converged()) {
            throw new IllegalStateException("benchmark point did not converge: " + p);
        }
        return p;
    }

    @Benchmark
    public List<ErmPoint> logisticSweep50() {
        List<ErmPoint> points = solver.sweep(sweep, spectra);
        for (ErmPoint p : points) {
            if (!p.converged()) {
                throw new IllegalStateException("sweep point did not converge: " + p);
            }
        }
        return points;
    }
}
