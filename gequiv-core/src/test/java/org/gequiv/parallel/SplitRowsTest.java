package org.gequiv.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SplitRowsTest {

    /** Bound on waiting for a second worker to take a piece; reached only if pieces are never shared. */
    private static final long SHARE_TIMEOUT_SECONDS = 30;

    /**
     * In a ForkJoinPool the rows are covered exactly once by pieces that start at multiples of
     * the granularity and end at one or at the last row; outside a pool they are one piece.
     */
    @Test
    void piecesCoverTheRowsOnceAndAreCutAtTheGranularity() throws Exception {
        List<int[]> outside = Collections.synchronizedList(new ArrayList<>());
        SplitRows.run(103, 8, (from, to) -> outside.add(new int[] {from, to}));
        assertEquals(1, outside.size());
        assertEquals(0, outside.get(0)[0]);
        assertEquals(103, outside.get(0)[1]);

        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            for (int rows : new int[] {0, 5, 8, 9, 103, 128}) {
                int[] covered = new int[rows];
                List<int[]> pieces = Collections.synchronizedList(new ArrayList<>());
                pool.submit(() -> SplitRows.run(rows, 8, (from, to) -> {
                    pieces.add(new int[] {from, to});
                    for (int r = from; r < to; r++) {
                        covered[r]++;
                    }
                })).get();
                for (int r = 0; r < rows; r++) {
                    assertEquals(1, covered[r], "row " + r + " of " + rows);
                }
                for (int[] p : pieces) {
                    assertEquals(0, p[0] % 8, "piece start " + p[0]);
                    assertTrue(p[1] == rows || p[1] % 8 == 0, "piece end " + p[1] + " of " + rows);
                }
                assertEquals(Math.max(1, (rows + 7) / 8), pieces.size(), rows + " rows");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * With one block and two workers, the idle worker takes pieces of it: the first piece waits
     * until pieces run on two threads at once, which happens only if they are shared out.
     */
    @Test
    void anIdleWorkerTakesPiecesOfTheBlockInFlight() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch twoThreads = new CountDownLatch(2);
        try (OrderedBlocks<int[]> blocks = new OrderedBlocks<>(2, () -> new int[64], (rows, index) ->
                SplitRows.run(rows.length, 4, (from, to) -> {
                    if (seen.add(Thread.currentThread())) {
                        twoThreads.countDown();
                    }
                    try {
                        assertTrue(twoThreads.await(SHARE_TIMEOUT_SECONDS, TimeUnit.SECONDS),
                                "no second worker took a piece");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    for (int r = from; r < to; r++) {
                        rows[r] = r + 1;
                    }
                }), 0, 1, "test-worker", "test blocks")) {
            int[] rows = blocks.next();
            for (int r = 0; r < rows.length; r++) {
                assertEquals(r + 1, rows[r]);
            }
        }
        assertEquals(2, seen.size());
    }

    /** A piece's exception reaches the caller as the same instance, even from another worker. */
    @Test
    void aFailingPieceRethrowsItsOwnException() throws Exception {
        IllegalArgumentException boom = new IllegalArgumentException("row 40 is bad");
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> SplitRows.run(64, 8, (from, to) -> {
            throw boom;
        })));
        try (OrderedBlocks<int[]> blocks = new OrderedBlocks<>(2, () -> new int[64], (rows, index) ->
                SplitRows.run(rows.length, 8, (from, to) -> {
                    if (from <= 40 && 40 < to) {
                        throw boom;
                    }
                }), 0, 1, "test-worker", "test blocks")) {
            assertSame(boom, assertThrows(IllegalArgumentException.class, blocks::next));
        }
    }
}
