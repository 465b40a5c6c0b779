package org.gequiv.validation;

/**
 * A value or a file supplied by the user that the library refuses. The message says what was
 * expected and what was found ({@code "<name> must be <constraint>, got <value>"}); {@link #field()}
 * names the spec field (for example {@code learningRate}) so that a front end can name its own
 * option instead (for example {@code --lr}), and {@link #source()} names the file and key where the
 * value came from a file.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String source;

    /**
     * @param field   the spec field the value belongs to, or null when no single field is at fault
     * @param message what was expected and what was found
     */
    public InvalidInputException(String field, String message) {
        this(field, null, message, null);
    }

    /**
     * @param field   the spec field, or null
     * @param source  the file (and key) the value was read from, or null
     * @param message what was expected and what was found
     * @param cause   the underlying failure, or null
     */
    public InvalidInputException(String field, String source, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
        this.source = source;
    }

    /** The spec field the value belongs to, or null. */
    public String field() {
        return field;
    }

    /** The file (and key) the value was read from, or null. */
    public String source() {
        return source;
    }
}
