package org.gequiv.generator.deep;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.gequiv.generator.Precision;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;

/**
 * Where the float32 DCGAN forward pass spends its time, layer by layer (issue 11): for each layer,
 * the CPU time of the layer as the forward pass runs it on a chunk of
 * {@value DcganGenerator#FLOAT_CHUNK} samples, and of its SGEMMs alone at the same block shapes
 * from native memory (no JNI copies); the difference is the copies across JNI, the col2im gather
 * and the batch norm, ReLU or tanh fused into it (for a layer computed by Winograd, {@link
 * WinogradConvolution}, the SGEMM column is still the direct blocks' SGEMMs, the work Winograd
 * replaces). Then the whole forward of a batch per chunk
 * (the layers plus the float32 conversions of the latent and the output) and the 2048³ SGEMM, all
 * interleaved in each round and by the CPU time of this one thread (one native BLAS thread), so
 * that other jobs on the machine move them together. In this package because the layers are
 * package-private.
 *
 * <pre>  java -cp gequiv-bench/target/benchmarks.jar org.gequiv.generator.deep.DcganLayerProfile [rounds]</pre>
 */
public final class DcganLayerProfile {

    private static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();
    private static final int BATCH = 256;
    private static final int PEAK = 2048;

    private DcganLayerProfile() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        LinearAlgebra la = LinearAlgebra.get();
        la.setNativeThreads(1);
        DcganGenerator g = DcganGenerator.random(1, Precision.FLOAT32);
        int depth = g.weights().layers();
        int b = DcganGenerator.FLOAT_CHUNK;
        double[] latent = new double[BATCH * g.latentDimension()];
        RandomStreams.fillGaussian(RandomStreams.stream(2, "bench"), latent, latent.length);
        double[] inputs = new double[BATCH * g.inputDimension()];
        float[][] act = new float[depth + 1][];
        act[0] = new float[g.latentDimension() * b];
        for (int i = 0; i < act[0].length; i++) {
            act[0][i] = (float) latent[i];
        }
        int columns = 1;
        for (int l = 0; l < depth; l++) {
            TransposedConvolution t = g.layer(l);
            act[l + 1] = new float[t.cout * b * t.hout * t.hout];
            columns = Math.max(columns, t.floatColumnSize(b));
        }
        float[] cols = new float[columns];
        WinogradConvolution.Scratch scratch = g.winogradScratch();
        NativeBlocks[] natives = new NativeBlocks[depth];
        double[] flops = new double[depth];
        for (int l = 0; l < depth; l++) {
            g.applyFloatLayer(la, l, b, act, cols, scratch);
            natives[l] = new NativeBlocks(g.layer(l), b);
            TransposedConvolution t = g.layer(l);
            flops[l] = 2.0 * t.cin * t.cout * t.k * t.k * t.hin * t.hin * b;
        }
        double[] layer = new double[depth];
        double[] gemm = new double[depth];
        double forward = 0;
        double peak = 0;
        FloatPointer pa = filled((long) PEAK * PEAK);
        FloatPointer pb = filled((long) PEAK * PEAK);
        FloatPointer pc = new FloatPointer((long) PEAK * PEAK);
        for (int r = 0; r <= rounds; r++) {
            double t0 = cpu();
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, PEAK, PEAK,
                    PEAK, 1f, pa, PEAK, pb, PEAK, 0f, pc, PEAK);
            double t1 = cpu();
            g.map(BATCH, latent, inputs);
            double t2 = cpu();
            if (r > 0) {
                peak += t1 - t0;
                forward += (t2 - t1) / (BATCH / b);
            }
            for (int l = 0; l < depth; l++) {
                double a0 = cpu();
                g.applyFloatLayer(la, l, b, act, cols, scratch);
                double a1 = cpu();
                natives[l].run();
                double a2 = cpu();
                if (r > 0) {
                    layer[l] += a1 - a0;
                    gemm[l] += a2 - a1;
                }
            }
        }
        double peakRate = 2.0 * PEAK * PEAK * PEAK * rounds / peak * 1e-9;
        System.out.printf(Locale.ROOT, "CPU ms per chunk of %d samples, mean of %d rounds; load %s%n", b, rounds, load());
        System.out.printf(Locale.ROOT, "%-6s %-30s %8s %9s %9s %9s %8s %8s%n", "layer", "shape (sample block, group)",
                "MFLOP", "layer ms", "sgemm ms", "rest ms", "GFLOP/s", "sgemm");
        double total = 0;
        double sum = 0;
        for (int l = 0; l < depth; l++) {
            TransposedConvolution t = g.layer(l);
            double a = layer[l] / rounds;
            double s = gemm[l] / rounds;
            sum += a;
            total += flops[l];
            System.out.printf(Locale.ROOT, "%-6d %-30s %8.1f %9.3f %9.3f %9.3f %8.1f %8.1f%n", l,
                    t.cin + "→" + t.cout + " k" + t.k + " s" + t.stride + " " + t.hin + "² " + (g.winogradLayer(l) != null
                    ? "winograd (" + g.winogradLayer(l).sampleBlock(b) + ")" : "(" + t.sampleBlock(b) + ", " + t.group + ")"), flops[l] * 1e-6, a * 1e3, s * 1e3, (a - s) * 1e3, flops[l] / a * 1e-9,
                    flops[l] / s * 1e-9);
        }
        double f = forward / rounds;
        System.out.printf(Locale.ROOT, "layers %.3f ms; forward %.3f ms per chunk = %.1f GFLOP/s; sgemm %d³ %.1f GFLOP/s;"
                + " forward / sgemm %.3f%n", sum * 1e3, f * 1e3, total / f * 1e-9, PEAK, peakRate,
                total / f * 1e-9 / peakRate);
    }

    /** The SGEMMs of one layer's float32 pass on one chunk, at its block shapes, on operands in native memory. */
    private static final class NativeBlocks {
        private final TransposedConvolution t;
        private final int b;
        private final FloatPointer x;
        private final FloatPointer w;
        private final FloatPointer c;

        NativeBlocks(TransposedConvolution t, int b) {
            this.t = t;
            this.b = b;
            x = filled((long) b * t.hin * t.hin * t.cin);
            w = filled((long) t.cin * t.k * t.k * t.cout);
            c = new FloatPointer((long) t.floatColumnSize(b));
        }

        void run() {
            int hh = t.hin * t.hin;
            int kk = t.k * t.k;
            int sb = t.sampleBlock(b);
            for (int s0 = 0; s0 < b; s0 += sb) {
                int m = Math.min(sb, b - s0) * hh;
                for (int o0 = 0; o0 < t.cout; o0 += t.group) {
                    int n = Math.min(t.group, t.cout - o0) * kk;
                    openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, n, t.cin,
                            1f, x.position((long) s0 * hh * t.cin), t.cin, w.position((long) o0 * kk), kk * t.cout, 0f,
                            c, n);
                }
            }
            x.position(0);
            w.position(0);
        }
    }

    private static FloatPointer filled(long size) {
        float[] v = new float[(int) size];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i);
        }
        FloatPointer p = new FloatPointer(size);
        p.put(v);
        return p;
    }

    private static double cpu() {
        return BEAN.getCurrentThreadCpuTime() * 1e-9;
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
