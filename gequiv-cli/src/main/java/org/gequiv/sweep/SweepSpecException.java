package org.gequiv.sweep;

import org.gequiv.validation.InvalidInputException;

/**
 * A sweep spec the sweep refuses: malformed TOML (with line and column), an unknown command,
 * option or grid key (with its line), an empty grid, or a point one of whose values the command
 * refuses (naming the point and the option). Bad input, never a bug.
 */
public final class SweepSpecException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public SweepSpecException(String message) {
        super(null, message);
    }

    public SweepSpecException(String message, Throwable cause) {
        super(null, null, message, cause);
    }
}
