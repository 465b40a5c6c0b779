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
            throw failure(e, what);
        }
    }

    /**
     * The failure of a task as it was thrown: its unchecked exception, returned for the caller to
     * throw, or its error, thrown here; a checked cause is wrapped as "{@code what} failed".
     */
    public static RuntimeException failure(ExecutionException e, String what) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(what + " failed", cause);
    }
}
