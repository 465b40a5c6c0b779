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
 * K = M = 2, erf, η = 0.2) trained to t = 5 (2500 SGD steps) with {@code points} recorded times,
 * 0.5 apart or 0.025 apart. The run includes drawing the test set; the per-recorded-time cost is
 * (score at 200 − score at 10) / 190: the test-set evaluation of a recorded time in process (the
 * sign kernel, erf and the ε_g, Q̂, R̂ sums), without the JVM start, the figures and the CSV that
 * {@code bench.sh}'s whole-process row also counts. One native BLAS thread; {@code threads} sampling
 * threads (0: samples drawn and the test set evaluated on the SGD thread; 2: the CLI's default,
 * the evaluation split over a pool of 2). {@link TestSetFieldsBenchmark} times the kernel and erf
 * alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 6, time = 3)
public class OnlineRecordingBenchmark {

    @Param({"10", "200"})
    public int points;

    @Param({"0", "2"})
    public int threads;

    private OnlineProblem problem;
    private OnlineSimulation simulation;

    @Setup
    public void setup() {
        LinearAlgebra.get().setNativeThreads(1);
        Generator g = DeepRandomGenerator.singleLayer(100, 500, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        double time = 5;
        double[] times = new double[points];
        for (int i = 0; i < points; i++) {
            times[i] = time * (i + 1) / points;
        }
        OnlineSpec spec = new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.LATENT,
                0.2, time, TrainedLayers.BOTH, 1, 10_000, times, 1.0, 0);
        problem = OnlineProblem.initialise(spec, g);
        simulation = new OnlineSimulation(threads, LinearAlgebra.get());
    }

    @Benchmark
    public LearningCurve run() {
        return simulation.run(problem, ProgressListener.NONE);
    }
}
