package org.gequiv.linalg;

/** A matrix that had to be positive definite is not (numerically). */
public class NotPositiveDefiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final int failedMinor;

    public NotPositiveDefiniteException(String message, int failedMinor) {
        super(message);
        this.failedMinor = failedMinor;
    }

    /** One-based order of the leading minor that was not positive, or 0 if unknown. */
    public int failedMinor() {
        return failedMinor;
    }
}
