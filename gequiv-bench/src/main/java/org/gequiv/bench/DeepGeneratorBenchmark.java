package org.gequiv.bench;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.generator.deep.DcganGenerator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.moments.MomentEstimate;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.moments.MomentEstimator;
import org.gequiv.random.RandomStreams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Deep generators and moment estimation at the paper's size (docs/theory.md §7.1–§7.2), N = 3072,
 * D = 100.
 *
 * <ul>
 *   <li>{@code dcganBatch256}: DCGAN forward passes, reported per sample (samples/s);</li>
 *   <li>{@code momentsN3072D100}: the moment estimator on a generator that costs O(N) per sample,
 *       so that the accumulation dominates, reported per sample; each sample costs
 *       N² + 2ND ≈ 1.005·10⁷ flops (SYRK for Ω and GEMM for Φ);</li>
 *   <li>{@code gemmReference}: C = AᵀA by plain GEMM with N = 3072 and k = 1024 (the block size),
 *       2N²k ≈ 1.93·10¹⁰ flops per operation, the reference rate measured in the same run.</li>
 * </ul>
 * Moment-estimation efficiency = (samples/s × 1.005·10⁷) / (GEMM ops/s × 1.93·10¹⁰). SYRK does
 * half of GEMM's flops for the same product, so values above 1 are possible.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class DeepGeneratorBenchmark {

    static final int N = 3072;
    static final int D = 100;
    static final int BLOCK = 1024;
    static final int MOMENT_SAMPLES = 8 * BLOCK;

    private DcganGenerator dcgan;
    private double[] latent;
    private double[] inputs;
    private double[] a;
    private double[] c;
    private Generator cheap;

    @Setup
    public void setup() {
        dcgan = DcganGenerator.random(1);
        latent = new double[256 * D];
        inputs = new double[256 * N];
        RandomStreams.fillGaussian(RandomStreams.stream(2, "bench"), latent, latent.length);
        a = new double[BLOCK * N];
        RandomStreams.fillGaussian(RandomStreams.stream(3, "bench"), a, a.length);
        c = new double[N * N];
        cheap = new TiledGenerator();
    }

    @Benchmark
    @OperationsPerInvocation(256)
    public double dcganBatch256() {
        dcgan.map(256, latent, inputs);
        return inputs[17];
    }

    @Benchmark
    @OperationsPerInvocation(MOMENT_SAMPLES)
    public double momentsN3072D100() {
        MomentEstimate e = new MomentEstimator(cheap,
                new MomentEstimationSpec(MOMENT_SAMPLES, BLOCK, 4, 2, MOMENT_SAMPLES, null)).estimate();
        return e.moments().omega()[5];
    }

    @Benchmark
    public double gemmReference() {
        LinearAlgebra.get().gemm(true, false, N, N, BLOCK, 1.0, a, a, 0.0, c);
        return c[3];
    }

    /** x_i = ±c_{i mod D}: O(N) per sample, so the benchmark measures the accumulation. */
    static final class TiledGenerator implements Generator {
        @Override
        public int latentDimension() {
            return D;
        }

        @Override
        public int inputDimension() {
            return N;
        }

        @Override
        public void sample(RandomGenerator rng, int batch, double[] lat, double[] x) {
            RandomStreams.fillGaussian(rng, lat, batch * D);
            for (int r = 0; r < batch; r++) {
                for (int i = 0; i < N; i++) {
                    double v = lat[r * D + i % D];
                    x[r * N + i] = (i / D) % 2 == 0 ? v : -v + 0.001 * i;
                }
            }
        }

        @Override
        public Optional<Moments> analyticMoments() {
            return Optional.empty();
        }

        @Override
        public String id() {
            return "tiled";
        }

        @Override
        public Map<String, Object> description() {
            return Map.of();
        }
    }
}
