package org.gequiv.bench;

import java.util.concurrent.TimeUnit;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Online-SGD throughput, sampling included (issue: foundation). Each invocation trains for
 * {@link #STEPS} samples with batch size 1, K = M = 2, erf student and teacher on the latent; the
 * test set is a single sample so that only training is measured. The score is the time per SGD
 * step; the published PyTorch CPU simulation needs about 0.4 ms per step at N = 500, D = 50.
 *
 * <p>Cases: {@code deep500} (4-layer sign generator, N = 500, D = 50), {@code single1000} and
 * {@code single3072} (single-layer sign generator, D = 100).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SgdBenchmark {

    static final int STEPS = 20480;

    @Param({"deep500", "single1000", "single3072"})
    public String setting;

    @Param({"true"})
    public boolean sampleAhead;

    private OnlineProblem problem;
    private OnlineSimulation simulation;

    @Setup
    public void setUp() {
        Generator g = switch (setting) {
            case "deep500" -> new DeepRandomGenerator(50, 500, 4, 50, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
            case "single1000" -> DeepRandomGenerator.singleLayer(100, 1000, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
            case "single3072" -> DeepRandomGenerator.singleLayer(100, 3072, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
            default -> throw new IllegalArgumentException("setting must be deep500, single1000 or single3072, got " + setting);
        };
        int n = g.inputDimension();
        double time = (double) STEPS / n;
        OnlineSpec spec = new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.LATENT, 0.2,
                time, TrainedLayers.BOTH, 1, 1, new double[] {0, time}, 1.0, 7);
        problem = OnlineProblem.initialise(spec, g);
        simulation = new OnlineSimulation(sampleAhead);
    }

    private int blasThreads;

    /**
     * With several sampling threads the benchmark, as an application, runs the native BLAS
     * single-threaded (the library no longer changes the process-wide setting itself).
     */
    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void singleThreadedBlas() {
        blasThreads = org.gequiv.linalg.LinearAlgebra.get().nativeThreads();
        if (sampleAhead) {
            org.gequiv.linalg.LinearAlgebra.get().setNativeThreads(1);
        }
    }

    @org.openjdk.jmh.annotations.TearDown(org.openjdk.jmh.annotations.Level.Trial)
    public void restoreBlas() {
        org.gequiv.linalg.LinearAlgebra.get().setNativeThreads(blasThreads);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public LearningCurve sgdSteps() {
        return simulation.run(problem, ProgressListener.NONE);
    }
}
