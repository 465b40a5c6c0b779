package org.gequiv.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.gequiv.activation.StandardActivation;
import org.gequiv.erm.CovariateModel;
import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.ErmPoint;
import org.gequiv.erm.ErmProblem;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.QuadratureSweep;
import org.gequiv.erm.SaddlePointSolver;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.parallel.StopRequest;
import org.gequiv.progress.Progress;
import org.gequiv.spectral.LanczosOptions;
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
 * The theory of {@code gequiv erm} on its two spectral paths (docs/theory.md §5.12, "ERM (§6)"), from
 * the covariances of the default case (single-layer sign generator, D = N/10, input features, ridge
 * at λ = 0.1), the moments computed once outside the measurement:
 * <ul>
 *   <li>{@code eigenPoint}: the eigendecomposition's spectra ({@code CovariateModel.spectra}) and
 *       the saddle point at α = 1;</li>
 *   <li>{@code lanczosPoint}: the eigenvalues, the teacher's Lanczos rule and the same point on the
 *       rules of m and m' steps (default tolerance), what {@code --spectral-method lanczos} runs;</li>
 *   <li>{@code eigenSweep}, {@code lanczosSweep}: the same with the default 12 α.</li>
 * </ul>
 * Run: {@code java -jar gequiv-bench/target/benchmarks.jar ErmSpectraBenchmark -f 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ErmSpectraBenchmark {

    @Param({"1000"})
    public int n;

    /** Native BLAS threads: 1 avoids OpenBLAS spin-waiting on a shared machine. */
    @Param({"1"})
    public int blasThreads;

    private CovariateModel model;
    private SaddlePointSolver solver;
    private ErmSpec point;
    private ErmSpec sweep;

    @Setup(Level.Trial)
    public void setUp() {
        LinearAlgebra.get().setNativeThreads(blasThreads);
        var generator = DeepRandomGenerator.singleLayer(n / 10, n, StandardActivation.SIGN, CovarianceRule.EXACT, 0);
        model = ErmProblem.create(generator, FeatureSpec.input(), 0).analyticCovariance();
        solver = new SaddlePointSolver();
        point = ErmSpec.theory(ErmLoss.RIDGE, new double[] {1.0}, new double[] {0.1}, 0.0);
        double[] alphas = new double[12];
        for (int i = 0; i < alphas.length; i++) {
            alphas[i] = 0.25 + 0.25 * i;
        }
        sweep = ErmSpec.theory(ErmLoss.RIDGE, alphas, new double[] {0.1}, 0.0);
    }

    @Benchmark
    public List<ErmPoint> eigenPoint() {
        return solver.sweep(point, model.spectra());
    }

    @Benchmark
    public QuadratureSweep lanczosPoint() {
        return solver.sweep(point, model.quadrature(), LanczosOptions.defaults(), Progress.NONE, StopRequest.NEVER);
    }

    @Benchmark
    public List<ErmPoint> eigenSweep() {
        return solver.sweep(sweep, model.spectra());
    }

    @Benchmark
    public QuadratureSweep lanczosSweep() {
        return solver.sweep(sweep, model.quadrature(), LanczosOptions.defaults(), Progress.NONE, StopRequest.NEVER);
    }
}
