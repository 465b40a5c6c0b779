package org.gequiv.parallel;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.gequiv.validation.Checks;

/**
 * Blocks {@code first, first + 1, …, end − 1} filled ahead on worker threads and handed to one
 * consumer strictly in index order: the one mechanism behind the moment estimator's blocks of
 * samples (docs/theory.md §7.2) and the SGD simulation's blocks of training samples (§1.4).
 *
 * <p>Block b is filled by {@code fill.fill(buffer, b)}, which must depend on b alone (its own
 * indexed random stream, a stored file at b's offset), so the consumer sees the same blocks for
 * every thread count. There are {@code threads + 1} reusable buffers: while the consumer holds one
 * block, the workers fill the next {@code threads}; a buffer goes back to them when the consumer
 * asks for the following block. With 0 threads each block is filled on the consumer's thread when
 * it is asked for, in one buffer. Nothing is allocated per block.
 *
 * <p>The workers are a {@link ForkJoinPool} of {@code threads} threads that never adds threads
 * (a worker waiting on a join does not call in a spare), so a fill may cut its block into pieces
 * with {@link SplitRows}: when fewer blocks are in flight than workers (the last blocks of a run),
 * the idle workers take pieces of the blocks still being filled instead of waiting.
 *
 * <p>An exception thrown by {@code fill} reaches the consumer from {@link #next} as it is, the
 * same instance ({@link Futures#await}; a ForkJoinTask's own result would rethrow a copy).
 * {@link #close} cancels the blocks in flight and stops the workers (they are daemon threads); a
 * consumer that stops early, for example on a {@link StopRequest}, just closes. Not thread-safe:
 * one consumer thread calls {@link #next}.
 *
 * @param <B> the buffer type
 */
public final class OrderedBlocks<B> implements AutoCloseable {

    /** Fills a buffer with one block. */
    @FunctionalInterface
    public interface Fill<B> {
        /**
         * @param buffer overwritten with block {@code index}
         * @param index  the block's index, the only thing the block may depend on
         */
        void fill(B buffer, long index);
    }

    private final Fill<B> fill;
    private final long end;
    private final String what;
    private final ForkJoinPool pool;
    private final ArrayDeque<Future<B>> inFlight = new ArrayDeque<>();
    /** Index of the next block to submit to the workers. */
    private long submitted;
    /** Index of the next block {@link #next} returns. */
    private long consumed;
    /** The block the consumer holds (returned by the last {@link #next}), or the idle buffer without workers. */
    private B held;

    /**
     * Starts filling blocks {@code first} to {@code end − 1} ({@code threads} of them at once, plus
     * one queued).
     *
     * @param threads    worker threads, ≥ 0 (0: fill on the consumer's thread)
     * @param buffers    makes one buffer; called {@code threads + 1} times at most, here
     * @param fill       fills a buffer with a block; runs on the workers
     * @param first      the first block's index, ≥ 0
     * @param end        one past the last block's index, ≥ {@code first}
     * @param threadName name of the worker threads
     * @param what       the work, for messages (for example "sampling training data")
     */
    public OrderedBlocks(int threads, Supplier<B> buffers, Fill<B> fill, long first, long end, String threadName,
                         String what) {
        Checks.atLeast("threads", threads, 0);
        Checks.atLeast("first", first, 0);
        Checks.atLeast("end", end, first);
        this.fill = Checks.given("fill", fill);
        this.end = end;
        this.what = what;
        this.submitted = first;
        this.consumed = first;
        if (threads == 0) {
            pool = null;
            held = first < end ? buffers.get() : null;
            return;
        }
        pool = SplitRows.fixedPool(threads, threadName);
        for (int i = 0; i <= threads && submitted < end; i++) {
            submit(buffers.get());
        }
    }

    /** Whether blocks remain to be returned by {@link #next}. */
    public boolean hasNext() {
        return consumed < end;
    }

    /** Index of the block the next call of {@link #next} returns. */
    public long nextIndex() {
        return consumed;
    }

    /**
     * The next block in index order, waiting for its worker. The buffer returned by the previous
     * call goes back to the workers: do not use it after this call.
     *
     * @throws NoSuchElementException when no block remains
     */
    public B next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no block after index " + (end - 1) + " (" + what + ")");
        }
        if (pool == null) {
            fill.fill(held, consumed++);
            return held;
        }
        if (held != null && submitted < end) {
            submit(held);
        }
        held = Futures.await(inFlight.removeFirst(), what);
        consumed++;
        return held;
    }

    private void submit(B buffer) {
        long index = submitted++;
        // a CompletableFuture keeps the fill's exception itself as the cause of get()'s ExecutionException
        inFlight.add(CompletableFuture.supplyAsync(() -> {
            fill.fill(buffer, index);
            return buffer;
        }, pool));
    }

    /** Cancels the blocks in flight and stops the workers; idempotent. */
    @Override
    public void close() {
        if (pool == null) {
            return;
        }
        for (Future<B> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
        pool.shutdownNow();
    }
}
