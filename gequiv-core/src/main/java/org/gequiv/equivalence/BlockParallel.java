package org.gequiv.equivalence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.gequiv.parallel.Futures;

/**
 * Runs numbered blocks of work on a few worker threads, each with its own scratch state. Which
 * thread runs a block never matters: a block's result depends only on its index (it draws from
 * the indexed stream of that block and writes its own rows), so results are identical for every
 * thread count.
 */
final class BlockParallel {

    /** One block of work with the worker's scratch state. */
    interface BlockTask<S> {
        void run(S scratch, int block);
    }

    private BlockParallel() {
    }

    static <S> void forEachBlock(int blocks, int threads, Supplier<S> scratch, BlockTask<S> task) {
        int workers = Math.max(1, Math.min(threads, blocks));
        AtomicInteger next = new AtomicInteger();
        if (workers == 1) {
            S s = scratch.get();
            for (int b = 0; b < blocks; b++) {
                task.run(s, b);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "gequiv-equivalence");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    S s = scratch.get();
                    for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                        task.run(s, b);
                    }
                }));
            }
            for (Future<?> f : futures) {
                Futures.await(f, "field sampling");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
