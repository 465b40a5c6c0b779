package org.gequiv.moments;

import org.gequiv.validation.InvalidInputException;

/**
 * A checkpoint cannot be resumed: it belongs to another generator, seed, dimension or block size,
 * is ahead of the requested sample count, or is truncated or corrupt. The message says which; the
 * {@linkplain #field() field} is {@code checkpoint} (the spec field naming the file).
 */
public final class IncompatibleCheckpointException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    IncompatibleCheckpointException(String message) {
        this(message, null);
    }

    IncompatibleCheckpointException(String message, Throwable cause) {
        super("checkpoint", null, message, cause);
    }
}
