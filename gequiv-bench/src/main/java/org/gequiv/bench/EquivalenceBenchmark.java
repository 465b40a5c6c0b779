package org.gequiv.bench;

import java.util.concurrent.TimeUnit;

import org.gequiv.activation.StandardActivation;
import org.gequiv.equivalence.FieldDiagnostics;
import org.gequiv.equivalence.FieldDiagnosticsSpec;
import org.gequiv.equivalence.FieldReport;
import org.gequiv.equivalence.FieldSampler;
import org.gequiv.equivalence.FieldWeights;
import org.gequiv.equivalence.NullFloors;
import org.gequiv.equivalence.WeightKind;
import org.gequiv.equivalence.WeightSpec;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Moments;
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
 * Cost of the local-field diagnostics of issue 5 on the single-layer sign generator (δ = 1/2,
 * K = M = 2, 8 directions, 16 floor replicates) with P = 10⁵ samples: {@code sample} draws and
 * projects the fields (the GEMMs of the generator and of W Xᵀ), {@code diagnose} adds every
 * statistic and the moment floors. One sweep of {@code gequiv check} (N = 250, 500, 1000, 2000)
 * costs about the sum of {@code diagnose} over the four sizes plus one {@code nullFloors}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class EquivalenceBenchmark {

    static final int SAMPLES = 100_000;

    @Param({"500", "2000"})
    public int n;

    private DeepRandomGenerator generator;
    private Moments moments;
    private FieldWeights weights;
    private FieldDiagnosticsSpec spec;
    private NullFloors floors;

    @Setup
    public void setUp() {
        int d = n / 2;
        generator = DeepRandomGenerator.singleLayer(d, n, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        moments = generator.analyticMoments().orElseThrow();
        weights = WeightSpec.of(WeightKind.GAUSSIAN).draw(n, d, 1);
        spec = FieldDiagnosticsSpec.of(SAMPLES, 1);
        floors = FieldDiagnostics.nullFloors(spec);
    }

    private int blasThreads;

    /**
     * With several sampling threads the benchmark, as an application, runs the native BLAS
     * single-threaded (the library no longer changes the process-wide setting itself).
     */
    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void singleThreadedBlas() {
        blasThreads = org.gequiv.linalg.LinearAlgebra.get().nativeThreads();
        if (Runtime.getRuntime().availableProcessors() > 1) {
            org.gequiv.linalg.LinearAlgebra.get().setNativeThreads(1);
        }
    }

    @org.openjdk.jmh.annotations.TearDown(org.openjdk.jmh.annotations.Level.Trial)
    public void restoreBlas() {
        org.gequiv.linalg.LinearAlgebra.get().setNativeThreads(blasThreads);
    }

    @Benchmark
    public double[] sample() {
        return FieldSampler.sample(generator, weights, moments.mean(), SAMPLES, spec.batch(), spec.seed(),
                spec.threads());
    }

    @Benchmark
    public FieldReport diagnose() {
        return FieldDiagnostics.diagnose(generator, moments, weights, moments.mean(), spec, 0, floors);
    }

    @Benchmark
    public NullFloors nullFloors() {
        return FieldDiagnostics.nullFloors(spec);
    }
}
