package org.gequiv.bench;

import java.util.concurrent.TimeUnit;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSimulation;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.ProgressListener;
import org.gequiv.online.TrainedLayers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a recorded time of the online simulation (issue 11) in process: the default
 * {@code gequiv online -N 500 --test-samples 10000} problem (single-layer sign generator, D = 100,
 * K = M = 2, erf, η = 0.2) trained to t = {@value #TIME} (2500 SGD steps) with {@code points}
 * recorded times evenly spaced over the same range — 10 (0.5 apart) or 2000 (0.0025 apart, each at
 * its own SGD step) — the pair of {@code bench.sh}'s {@code record} row. The run includes drawing
 * the test set; the per-recorded-time cost is (score at 2000 − score at 10) / 1990: the test-set
 * evaluation of a recorded time in process (the sign kernel, erf and the ε_g, Q̂, R̂ sums), without
 * the JVM start, the figures and the CSV that the whole-process row also counts. One native BLAS
 * thread; {@code threads} sampling threads (0: samples drawn and the test set evaluated on the SGD
 * thread; 2: the CLI's default, the evaluation shared by a pool of 2 and the SGD thread).
 * {@link TestSetFieldsBenchmark} times the kernel and erf alone, {@link RecordedTimeProfile}
 * the same pair interleaved, with CPU times.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 6, time = 3)
public class RecordedTimeBenchmark {

    /** The trained time t, as in {@code bench.sh}'s {@code record} row. */
    static final double TIME = 5;

    @Param({"10", "2000"})
    public int points;

    @Param({"0", "2"})
    public int threads;

    private OnlineProblem problem;
    private OnlineSimulation simulation;

    @Setup
    public void setup() {
        LinearAlgebra.get().setNativeThreads(1);
        problem = problem(points);
        simulation = new OnlineSimulation(threads, LinearAlgebra.get());
    }

    @Benchmark
    public LearningCurve run() {
        return simulation.run(problem, ProgressListener.NONE);
    }

    /** The CLI's default online problem at N = 500, P = 10⁴, with {@code points} recorded times to t = 5. */
    static OnlineProblem problem(int points) {
        Generator g = DeepRandomGenerator.singleLayer(100, 500, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        double[] times = new double[points];
        for (int i = 0; i < points; i++) {
            times[i] = TIME * (i + 1) / points;
        }
        OnlineSpec spec = new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.LATENT,
                0.2, TIME, TrainedLayers.BOTH, 1, 10_000, times, 1.0, 0);
        return OnlineProblem.initialise(spec, g);
    }
}
