package org.gequiv.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OrderedBlocksTest {

    /** A buffer that records which block filled it. */
    private static final class Cell {
        long index = -1;
    }

    /** Blocks arrive in index order whatever the thread count, with at most threads + 1 buffers. */
    @Test
    void blocksArriveInIndexOrderWithAtMostThreadsPlusOneBuffers() {
        for (int threads : new int[] {0, 1, 2, 5}) {
            AtomicInteger made = new AtomicInteger();
            List<Long> seen = new ArrayList<>();
            try (OrderedBlocks<Cell> blocks = new OrderedBlocks<>(threads, () -> {
                made.incrementAndGet();
                return new Cell();
            }, (c, i) -> {
                // later blocks finish first: the order must come from the index, not the timing
                if (i % 3 == 0) {
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                c.index = i;
            }, 7, 40, "test-worker", "test blocks")) {
                while (blocks.hasNext()) {
                    long expected = blocks.nextIndex();
                    seen.add(blocks.next().index);
                    assertEquals(expected, seen.get(seen.size() - 1));
                }
                assertThrows(NoSuchElementException.class, blocks::next);
            }
            assertEquals(33, seen.size(), "threads " + threads);
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(7 + i, seen.get(i), "threads " + threads);
            }
            assertTrue(made.get() <= threads + 1, "buffers made with " + threads + " threads: " + made.get());
        }
    }

    /** The worker's own exception reaches the consumer at the block that failed, and no earlier. */
    @Test
    void aFailingBlockRethrowsItsExceptionAtThatBlock() {
        IllegalArgumentException boom = new IllegalArgumentException("block 4 is bad");
        for (int threads : new int[] {0, 2}) {
            try (OrderedBlocks<Cell> blocks = new OrderedBlocks<>(threads, Cell::new, (c, i) -> {
                if (i == 4) {
                    throw boom;
                }
                c.index = i;
            }, 0, 10, "test-worker", "test blocks")) {
                for (int i = 0; i < 4; i++) {
                    assertEquals(i, blocks.next().index);
                }
                assertSame(boom, assertThrows(IllegalArgumentException.class, blocks::next));
            }
        }
    }

    /** No blocks: nothing is filled and no buffer is made. */
    @Test
    void anEmptyRangeHasNoBlocks() {
        AtomicInteger made = new AtomicInteger();
        try (OrderedBlocks<Cell> blocks = new OrderedBlocks<>(2, () -> {
            made.incrementAndGet();
            return new Cell();
        }, (c, i) -> c.index = i, 5, 5, "test-worker", "test blocks")) {
            assertFalse(blocks.hasNext());
        }
        assertEquals(0, made.get());
    }
}
