package org.gequiv.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.gequiv.linalg.LinearAlgebra;

/**
 * Runs the points on a pool of worker threads in this JVM, each point on one thread with the
 * native BLAS single-threaded.
 *
 * <p>OpenBLAS's thread count is one process-wide setting ({@code blas_set_num_threads}), not a
 * per-call or per-thread one, so a point cannot scope it: one point restoring the count while
 * another runs would hand that one a multi-threaded BLAS. The executor therefore sets it to 1
 * once, before the first worker starts, and restores the previous count after the last one has
 * ended; the points' own scopes (which set 1 and restore the 1 they found) are then harmless.
 * Concurrent calls into OpenBLAS from several threads are safe. Results do not depend on the
 * thread count, only speed does: with W workers on W cores, W single-threaded products beat W
 * multi-threaded ones fighting over the cores.
 *
 * <p>Workers take points from a shared counter in the order given (optionally shuffled by a seed,
 * which tests use to show that the order does not matter). Not reusable across concurrent runs.
 */
public final class LocalExecutor implements SweepExecutor {

    private final int workers;
    private final PointRunner runner;
    private final Long shuffleSeed;

    /**
     * @param workers     worker threads, ≥ 1
     * @param runner      the command's point runner
     * @param shuffleSeed null to run the points in order, else the seed of a shuffled order
     */
    public LocalExecutor(int workers, PointRunner runner, Long shuffleSeed) {
        if (workers < 1) {
            throw new SweepSpecException("--workers must be >= 1, got " + workers);
        }
        this.workers = workers;
        this.runner = runner;
        this.shuffleSeed = shuffleSeed;
    }

    /** The default pool size: the number of cores. */
    public static int defaultWorkers() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public String description() {
        return "local, " + workers + (workers == 1 ? " worker" : " workers");
    }

    @Override
    public void run(String command, List<SweepPoint> points, Path folder, BooleanSupplier stop,
                    Consumer<PointOutcome> done) throws InterruptedException {
        List<SweepPoint> order = new ArrayList<>(points);
        if (shuffleSeed != null) {
            Collections.shuffle(order, new Random(shuffleSeed));
        }
        LinearAlgebra la = LinearAlgebra.get();
        int before = la.nativeThreads();
        la.setNativeThreads(1);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            int n = Math.min(workers, Math.max(1, order.size()));
            for (int w = 0; w < n; w++) {
                Thread t = new Thread(() -> {
                    while (!stop.getAsBoolean()) {
                        int i = next.getAndIncrement();
                        if (i >= order.size()) {
                            return;
                        }
                        SweepPoint p = order.get(i);
                        PointOutcome outcome;
                        try {
                            outcome = runner.run(p, SweepFolder.pointFolder(folder, p));
                        } catch (RuntimeException | Error e) {
                            // a runner reports failures as outcomes; anything thrown is a bug, kept with its point
                            outcome = PointOutcome.failure(p.id(), "internal error", e.toString());
                        }
                        done.accept(outcome);
                    }
                }, "gequiv-sweep-worker-" + w);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            la.setNativeThreads(before);
        }
    }
}
