package org.gequiv.bench;

import java.util.Arrays;
import java.util.Locale;
import org.gequiv.generator.Precision;
import org.gequiv.generator.deep.DcganGenerator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;

/**
 * The float32 DCGAN forward pass as a fraction of the SGEMM peak, and two threads against one,
 * each ratio taken from measurements interleaved in one process, so that a load that changes
 * over minutes (other jobs on a shared machine) moves numerator and denominator together. Each
 * round times, on one native BLAS thread: the 2048³ SGEMM from native memory
 * ({@link DcganForwardBenchmark}'s {@code sgemmPeak}), one thread mapping {@value #BATCH} samples,
 * two threads each mapping their own {@value #BATCH} samples at once, and the SGEMM again; it
 * reports per round the forward's GFLOP/s, its ratio to the mean of the two SGEMMs, and the
 * two-thread speed-up, then the median and range over the rounds (the first round, warm-up, is
 * left out). Each is reported twice: by wall-clock time, and by the CPU time of the threads that
 * do the work (OpenBLAS on one thread computes in the calling thread), which on a machine with
 * more runnable jobs than cores still measures the work rather than the share of the processor;
 * by CPU time the two-thread figure is 2 × (one thread's CPU time per sample) / (the two threads'
 * mean CPU time per sample), the speed-up two free cores would give.
 *
 * <pre>  java -cp gequiv-bench/target/benchmarks.jar org.gequiv.bench.DcganEfficiency [rounds]</pre>
 */
public final class DcganEfficiency {

    static final int BATCH = 256;

    private DcganEfficiency() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        LinearAlgebra.get().setNativeThreads(1);
        DcganGenerator g = DcganGenerator.random(1, Precision.FLOAT32);
        double[][] latent = new double[2][BATCH * g.latentDimension()];
        double[][] inputs = new double[2][BATCH * g.inputDimension()];
        for (int t = 0; t < 2; t++) {
            RandomStreams.fillGaussian(RandomStreams.stream(2 + t, "bench"), latent[t], latent[t].length);
        }
        double[][] ratio = new double[2][rounds];
        double[][] speedUp = new double[2][rounds];
        double flops = DcganForwardBenchmark.FLOPS_PER_SAMPLE * 1e-9 * BATCH;
        try (DcganForwardBenchmark.NativeSgemm peak = new DcganForwardBenchmark.NativeSgemm(2048, 2048, 2048)) {
            for (int r = 0; r <= rounds; r++) {
                double[] p1 = time(peak::run);
                double[] one = time(() -> g.map(BATCH, latent[0], inputs[0]));
                double[] otherCpu = new double[1];
                double[] two = time(() -> {
                    Thread other = new Thread(() -> otherCpu[0] = time(() -> g.map(BATCH, latent[1], inputs[1]))[1]);
                    other.start();
                    g.map(BATCH, latent[0], inputs[0]);
                    join(other);
                });
                double[] p2 = time(peak::run);
                if (r == 0) {
                    continue;
                }
                for (int c = 0; c < 2; c++) {
                    double sgemm = peak.flops() * 1e-9 * 2 / (p1[c] + p2[c]);
                    ratio[c][r - 1] = flops / one[c] / sgemm;
                }
                speedUp[0][r - 1] = 2 * one[0] / two[0];
                // both threads' CPU seconds per sample against one thread's: 2 x when they do not slow each other
                speedUp[1][r - 1] = 2 * one[1] / ((two[1] + otherCpu[0]) / 2);
                System.out.printf(Locale.ROOT, "round %d: wall: sgemm %.1f GFLOP/s, forward %.1f GFLOP/s = %.3f of it,"
                        + " 2 threads %.2f x; cpu: sgemm %.1f GFLOP/s, forward %.1f GFLOP/s = %.3f of it, 2 threads"
                        + " %.2f x%n", r, peak.flops() * 2e-9 / (p1[0] + p2[0]), flops / one[0], ratio[0][r - 1],
                        speedUp[0][r - 1], peak.flops() * 2e-9 / (p1[1] + p2[1]), flops / one[1], ratio[1][r - 1],
                        speedUp[1][r - 1]);
            }
        }
        String[] clock = {"wall", "cpu"};
        for (int c = 0; c < 2; c++) {
            System.out.printf(Locale.ROOT, "%s: forward / sgemm peak median %.3f (range %.3f … %.3f), 2 threads / 1"
                    + " thread median %.2f (range %.2f … %.2f), %d rounds%n", clock[c], median(ratio[c]),
                    min(ratio[c]), max(ratio[c]), median(speedUp[c]), min(speedUp[c]), max(speedUp[c]), rounds);
        }
    }

    /** {wall seconds, this thread's CPU seconds} of {@code work}. */
    private static double[] time(Runnable work) {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = bean.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        work.run();
        long t1 = System.nanoTime();
        long c1 = bean.getCurrentThreadCpuTime();
        return new double[] {(t1 - t0) * 1e-9, (c1 - c0) * 1e-9};
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] x) {
        return Arrays.stream(x).min().orElse(Double.NaN);
    }

    private static double max(double[] x) {
        return Arrays.stream(x).max().orElse(Double.NaN);
    }
}
