package org.gequiv.moments;

/**
 * A checkpoint cannot be resumed: it belongs to another generator, seed, dimension or block size,
 * is ahead of the requested sample count, or is truncated or corrupt. The message says which.
 */
public final class IncompatibleCheckpointException extends IllegalArgumentException {

    IncompatibleCheckpointException(String message) {
        super(message);
    }

    IncompatibleCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
