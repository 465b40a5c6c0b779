package org.gequiv.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.gequiv.validation.Checks;

/**
 * Rows {@code 0 … rows − 1} of one block of work, cut into pieces that idle threads of the
 * current {@link java.util.concurrent.ForkJoinPool} may take: the thread that owns the block works
 * through its pieces, and a worker that has no block of its own (the last blocks of a run, or
 * fewer blocks in flight than threads in {@link OrderedBlocks}) steals some of them. Outside a
 * ForkJoinPool the rows run as one piece on the calling thread.
 *
 * <p>Pieces start at multiples of {@code granularity} and end at a multiple of it or at
 * {@code rows}; whoever runs a piece, the body must give the same bits as for the whole range at
 * such cuts (for example a forward pass computed in fixed chunks of {@code granularity} samples,
 * {@code LatentMap#splitGranularity}), so the result never depends on how the rows were shared
 * out. Pieces write disjoint rows.
 *
 * <p>An exception thrown by a piece is rethrown to the caller as it is, after the pieces already
 * started have finished; pieces not yet started are skipped.
 */
public final class SplitRows {

    /** Work on a range of rows. */
    @FunctionalInterface
    public interface Body {
        /** Runs rows {@code from} (inclusive) to {@code to} (exclusive). */
        void run(int from, int to);
    }

    private SplitRows() {
    }

    /**
     * Runs {@code body} over rows {@code 0 … rows − 1}, in pieces of {@code granularity} rows that
     * other workers of the current ForkJoinPool may take, or in one piece outside a pool or when
     * {@code granularity} is 0 (the body cannot be cut).
     *
     * @param rows        rows of the block, ≥ 0
     * @param granularity rows per piece, ≥ 0 (0: one piece)
     */
    public static void run(int rows, int granularity, Body body) {
        Checks.atLeast("rows", rows, 0);
        Checks.atLeast("granularity", granularity, 0);
        Checks.given("body", body);
        if (granularity == 0 || rows <= granularity || !ForkJoinTask.inForkJoinPool()) {
            body.run(0, rows);
            return;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        new Piece(body, granularity, 0, rows, failure).invoke();
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
    }

    /**
     * A pool for pieces: exactly {@code threads} daemon workers named {@code threadName}. Its
     * maximum size equals its parallelism, with a saturation policy that accepts it, so a worker
     * blocked in a join (waiting for a piece another worker took) never brings in an extra thread,
     * which would oversubscribe the cores the thread count was chosen for.
     *
     * @param threads workers, ≥ 1
     */
    public static ForkJoinPool fixedPool(int threads, String threadName) {
        Checks.atLeast("threads", threads, 1);
        return new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName(threadName);
            t.setDaemon(true);
            return t;
        }, null, false, threads, threads, 1, p -> true, 60, TimeUnit.SECONDS);
    }

    /**
     * Rows {@code from … to − 1}, halved at a multiple of the granularity until one granule is
     * left. A piece never completes abnormally: it records the first failure instead, because a
     * ForkJoinTask joined from another thread rethrows a copy of its exception, not the exception.
     */
    private static final class Piece extends RecursiveAction {
        private final Body body;
        private final int granularity;
        private final int from;
        private final int to;
        private final AtomicReference<Throwable> failure;

        Piece(Body body, int granularity, int from, int to, AtomicReference<Throwable> failure) {
            this.body = body;
            this.granularity = granularity;
            this.from = from;
            this.to = to;
            this.failure = failure;
        }

        @Override
        protected void compute() {
            int granules = (to - from + granularity - 1) / granularity;
            if (granules > 1) {
                int middle = from + granules / 2 * granularity;
                invokeAll(new Piece(body, granularity, from, middle, failure),
                        new Piece(body, granularity, middle, to, failure));
                return;
            }
            if (failure.get() != null) {
                return;
            }
            try {
                body.run(from, to);
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
        }
    }
}
