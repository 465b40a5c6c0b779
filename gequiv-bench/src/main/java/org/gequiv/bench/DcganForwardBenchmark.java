package org.gequiv.bench;

import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.gequiv.generator.Precision;
import org.gequiv.generator.deep.DcganGenerator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the float32 DCGAN forward pass (issue 11) spends its time, against SGEMM measured in the
 * same run on one native BLAS thread per benchmark thread ({@code -t 2} for two threads, each
 * mapping its own batch):
 *
 * <ul>
 *   <li>{@code forward}: the §7.1 DCGAN (3 × 32 × 32, {@value #FLOPS_PER_SAMPLE} flops per sample)
 *       on a batch of 256, reported per sample;</li>
 *   <li>{@code layerSgemm}: the SGEMM of one block of each layer at the shape the forward pass
 *       uses (pixel rows × N × K = 512 × 512 × {512, 256, 128} for the three 4·4 kernels: 512
 *       pixels of a block of samples times the columns of a group of 32 output channels), from
 *       native memory, reported per SGEMM: 2·512·512·K flops; what the forward pass would reach
 *       if col2im, copies and the small first and last layers cost nothing
 *       ({@code org.gequiv.generator.deep.DcganLayerProfile} measures each layer);</li>
 *   <li>{@code sgemmPeak}: C = A B with 2048 × 2048 operands in native memory, 2·2048³ ≈
 *       1.72·10¹⁰ flops per operation, the reference rate.</li>
 * </ul>
 * GFLOP/s of the forward = samples/s × {@value #FLOPS_PER_SAMPLE}·10⁻⁹; its fraction of the peak
 * = that / (sgemmPeak ops/s × 17.18). JMH runs the benchmarks one after the other, so on a busy
 * machine their ratio is only as good as the load is steady; {@link DcganEfficiency} interleaves
 * the two in one thread for the ratio.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class DcganForwardBenchmark {

    /** Flops of one §7.1 DCGAN sample: Σ over layers of 2·cin·cout·k²·h_in². */
    public static final long FLOPS_PER_SAMPLE = 2L * (100 * 512 * 16 + 512 * 256 * 16 * 16 + 256 * 128 * 16 * 64
            + 128 * 64 * 16 * 256 + 64 * 3 * 1024);
    static final int BATCH = 256;
    static final int PEAK = 2048;

    /** One generator for all threads (immutable, per-thread scratch inside). */
    @State(Scope.Benchmark)
    public static class Model {
        DcganGenerator dcgan;

        @Setup
        public void setup() {
            LinearAlgebra.get().setNativeThreads(1);
            dcgan = DcganGenerator.random(1, Precision.FLOAT32);
        }
    }

    /** Each benchmark thread's own latent and output buffers. */
    @State(Scope.Thread)
    public static class Buffers {
        double[] latent;
        double[] inputs;

        @Setup
        public void setup() {
            latent = new double[BATCH * 100];
            inputs = new double[BATCH * DcganGenerator.OUTPUT];
            RandomStreams.fillGaussian(RandomStreams.stream(2, "bench"), latent, latent.length);
        }
    }

    /** The native operands of {@code sgemmPeak}, per benchmark thread. */
    @State(Scope.Thread)
    public static class Peak {
        NativeSgemm gemm;

        @Setup(Level.Trial)
        public void setup() {
            LinearAlgebra.get().setNativeThreads(1);
            gemm = new NativeSgemm(PEAK, PEAK, PEAK);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            gemm.close();
        }
    }

    /** The native operands of {@code layerSgemm}: one block of the layer with K input channels. */
    @State(Scope.Thread)
    public static class Layer {
        @Param({"512", "256", "128"})
        public int k;
        NativeSgemm gemm;

        @Setup(Level.Trial)
        public void setup() {
            LinearAlgebra.get().setNativeThreads(1);
            gemm = new NativeSgemm(512, 512, k);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            gemm.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double forward(Model m, Buffers buf) {
        m.dcgan.map(BATCH, buf.latent, buf.inputs);
        return buf.inputs[17];
    }

    @Benchmark
    public float layerSgemm(Layer l) {
        return l.gemm.run();
    }

    @Benchmark
    public float sgemmPeak(Peak p) {
        return p.gemm.run();
    }

    /** C = A B (m × k times k × n, row-major) by OpenBLAS on operands in native memory: no JNI copies. */
    static final class NativeSgemm implements AutoCloseable {
        final int m;
        final int n;
        final int k;
        private final FloatPointer a;
        private final FloatPointer b;
        private final FloatPointer c;

        NativeSgemm(int m, int n, int k) {
            this.m = m;
            this.n = n;
            this.k = k;
            a = filled((long) m * k, 1);
            b = filled((long) k * n, 2);
            c = new FloatPointer((long) m * n);
        }

        private static FloatPointer filled(long size, int phase) {
            float[] x = new float[(int) size];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i + phase);
            }
            FloatPointer p = new FloatPointer(size);
            p.put(x);
            return p;
        }

        /** Flops of one product. */
        double flops() {
            return 2.0 * m * n * k;
        }

        float run() {
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, n, k, 1f, a,
                    k, b, n, 0f, c, n);
            return c.get(3);
        }

        @Override
        public void close() {
            a.close();
            b.close();
            c.close();
        }
    }
}
