package org.gequiv.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSimulation;
import org.gequiv.online.ProgressListener;

/**
 * The per-recorded-time cost of {@link RecordedTimeBenchmark}'s problem, from runs with 10 and
 * 2000 recorded times interleaved in one process (a load that changes over minutes moves both
 * sides of each pair together): per pair, (2000-point run − 10-point run) / 1990 by wall-clock
 * time, by the process's CPU time (every thread: SGD, samplers, the evaluation pool) and by the
 * CPU time of the SGD thread alone (its serial share: what the pool does not take off it); then
 * the median and range over the pairs, the first pairs (warm-up) left out. One native BLAS thread.
 *
 * <pre>  java -cp gequiv-bench/target/benchmarks.jar org.gequiv.bench.RecordedTimeProfile [pairs [threads [warm-up]]]</pre>
 */
public final class RecordedTimeProfile {

    private static final int FEW = 10;
    private static final int MANY = 2000;

    private RecordedTimeProfile() {
    }

    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        LinearAlgebra.get().setNativeThreads(1);
        OnlineProblem few = RecordedTimeBenchmark.problem(FEW);
        OnlineProblem many = RecordedTimeBenchmark.problem(MANY);
        OnlineSimulation simulation = new OnlineSimulation(threads, LinearAlgebra.get());
        String[] clocks = {"wall", "process cpu", "sgd-thread cpu"};
        double[][] perPoint = new double[clocks.length][pairs];
        for (int r = -warmUp; r < pairs; r++) {
            double[] a = time(simulation, few);
            double[] b = time(simulation, many);
            if (r < 0) {
                continue;
            }
            for (int c = 0; c < clocks.length; c++) {
                perPoint[c][r] = (b[c] - a[c]) * 1e3 / (MANY - FEW);
            }
            System.out.printf(Locale.ROOT, "pair %d: per recorded time %.3f ms wall, %.3f ms process cpu, %.3f ms"
                    + " sgd-thread cpu%n", r, perPoint[0][r], perPoint[1][r], perPoint[2][r]);
        }
        for (int c = 0; c < clocks.length; c++) {
            double[] s = perPoint[c].clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "%s: median %.3f ms per recorded time (range %.3f … %.3f), %d pairs, %d"
                    + " threads%n", clocks[c], s[s.length / 2], s[0], s[s.length - 1], pairs, threads);
        }
    }

    /** Wall, process CPU and calling-thread CPU seconds of one run. */
    private static double[] time(OnlineSimulation simulation, OnlineProblem problem) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long w0 = System.nanoTime();
        long p0 = os.getProcessCpuTime();
        long t0 = mx.getCurrentThreadCpuTime();
        simulation.run(problem, ProgressListener.NONE);
        long t1 = mx.getCurrentThreadCpuTime();
        long p1 = os.getProcessCpuTime();
        long w1 = System.nanoTime();
        return new double[] {(w1 - w0) * 1e-9, (p1 - p0) * 1e-9, (t1 - t0) * 1e-9};
    }
}
