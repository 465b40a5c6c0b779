package org.gequiv.parallel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting on work handed to other threads, with the worker's own exception passed through. */
public final class Futures {
    private Futures() {
    }

    /**
     * The result of {@code future}. A RuntimeException or Error thrown by the work is rethrown as it
     * is (so bad input keeps its message); anything else is wrapped, naming {@code what}.
     *
     * @param what the work, for messages (for example "sampling training data")
     */
    public static <T> T await(Future<T> future, String what) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " failed", cause);
        }
    }
}
