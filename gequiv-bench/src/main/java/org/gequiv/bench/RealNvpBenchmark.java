package org.gequiv.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.gequiv.generator.Precision;
import org.gequiv.generator.deep.RealNvpGenerator;
import org.gequiv.generator.deep.WeightFiles;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;
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
 * The shipped Fashion-MNIST real NVP (models/fashion-nvp.npz: 1 × 32 × 32, 3 scales, residual
 * couplings of 16 channels, a dense last level of 8 couplings of width 256; ≈ 5.3·10⁷ flops per
 * sample) on one native BLAS thread: x = g(c) for a batch of {@value #BATCH}, reported per sample
 * (ms), in float32 (chunked SGEMM networks) and float64 (the per-sample reference), issue 11.
 * Run from the repository root (or set {@code -Dgequiv.models=DIR}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class RealNvpBenchmark {

    static final int BATCH = 64;
    @Param({"float32", "float64"})
    public String precision;
    private RealNvpGenerator nvp;
    private double[] latent;
    private double[] inputs;

    @Setup
    public void setup() {
        LinearAlgebra.get().setNativeThreads(1);
        try {
            nvp = new RealNvpGenerator(WeightFiles.readRealNvp(Path.of(System.getProperty("gequiv.models", "models"))
                    .resolve("fashion-nvp.npz")), "shipped", Precision.byId(precision));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        latent = new double[BATCH * 1024];
        inputs = new double[BATCH * 1024];
        RandomStreams.fillGaussian(RandomStreams.stream(2, "bench"), latent, latent.length);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double fashionNvp() {
        nvp.map(BATCH, latent, inputs);
        return inputs[17];
    }
}
