package org.gequiv.bench;

import java.util.concurrent.TimeUnit;
import org.gequiv.generator.Precision;
import org.gequiv.generator.deep.DcganGenerator;
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
 * The float32 DCGAN forward pass (issue 11) against the SGEMM peak measured in the same run, on one
 * native BLAS thread per benchmark thread (run with {@code -t 1} and {@code -t 2} for the
 * two-thread scaling; each benchmark thread maps its own batch, as the moment estimator's workers
 * do).
 *
 * <ul>
 *   <li>{@code dcgan}: the §7.1 DCGAN (3 × 32 × 32, ≈ 2.03·10⁸ flops per sample) on a batch of
 *       256, reported per sample, in float32 and float64 ({@code precision});</li>
 *   <li>{@code sgemmPeak}: C = A B with 2048 × 2048 operands, 2·2048³ ≈ 1.72·10¹⁰ flops per
 *       operation, the reference rate.</li>
 * </ul>
 * Efficiency = (samples/s × 2.03·10⁸) / (sgemmPeak ops/s × 1.72·10¹⁰).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class Float32Benchmark {

    static final int BATCH = 256;
    static final int PEAK = 2048;

    /** One generator for all threads (immutable, per-thread scratch inside). */
    @State(Scope.Benchmark)
    public static class Model {
        @Param({"float32", "float64"})
        public String precision;
        DcganGenerator dcgan;

        @Setup
        public void setup() {
            LinearAlgebra.get().setNativeThreads(1);
            dcgan = DcganGenerator.random(1, Precision.byId(precision));
        }
    }

    /** Each benchmark thread's own latent and output buffers and SGEMM operands. */
    @State(Scope.Thread)
    public static class Buffers {
        double[] latent;
        double[] inputs;
        float[] a;
        float[] b;
        float[] c;

        @Setup
        public void setup() {
            latent = new double[BATCH * 100];
            inputs = new double[BATCH * DcganGenerator.OUTPUT];
            RandomStreams.fillGaussian(RandomStreams.stream(2, "bench"), latent, latent.length);
            a = new float[PEAK * PEAK];
            b = new float[PEAK * PEAK];
            c = new float[PEAK * PEAK];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) Math.sin(i);
                b[i] = (float) Math.cos(i);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double dcgan(Model m, Buffers buf) {
        m.dcgan.map(BATCH, buf.latent, buf.inputs);
        return buf.inputs[17];
    }

    @Benchmark
    public double sgemmPeak(Buffers buf) {
        LinearAlgebra la = LinearAlgebra.get();
        la.setNativeThreads(1);
        la.sgemm(false, false, PEAK, PEAK, PEAK, 1f, buf.a, buf.b, 0f, buf.c);
        return buf.c[3];
    }
}
