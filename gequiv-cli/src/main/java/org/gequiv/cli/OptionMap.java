package org.gequiv.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.gequiv.validation.InvalidInputException;

/**
 * One command's mapping from spec field ({@link InvalidInputException#field()}) to the option the
 * user typed, so that a refused value is reported under the option's name: the library's
 * {@code "learningRate must be finite and > 0, got -1.0"} becomes {@code "--lr must be finite and
 * > 0, got -1.0"}. A field without an option keeps the library's wording.
 */
final class OptionMap {

    private final Map<String, String> options = new HashMap<>();

    /** Pairs field, option, field, option, …. */
    OptionMap(String... fieldOptionPairs) {
        if (fieldOptionPairs.length % 2 != 0) {
            throw new IllegalStateException("field/option pairs must come in pairs, got " + fieldOptionPairs.length);
        }
        for (int i = 0; i < fieldOptionPairs.length; i += 2) {
            options.put(fieldOptionPairs[i], fieldOptionPairs[i + 1]);
        }
    }

    /** This mapping and then {@code other}'s for the fields this one does not name. */
    OptionMap and(OptionMap other) {
        OptionMap both = new OptionMap();
        both.options.putAll(other.options);
        both.options.putAll(options);
        return both;
    }

    /** The option of {@code field}, or null. */
    String option(String field) {
        return options.get(field);
    }

    /** Evaluates {@code body} (a spec constructor, an experiment), reporting refused input under its option. */
    <T> T apply(Supplier<T> body) {
        try {
            return body.get();
        } catch (InvalidInputException e) {
            throw translate(e);
        }
    }

    /** The bad-input report of {@code e}, naming the option of its field. */
    BadInputException translate(InvalidInputException e) {
        String field = e.field();
        String option = field == null ? null : options.get(field);
        String message = e.getMessage();
        if (option == null) {
            return new BadInputException(message, e);
        }
        if (message.startsWith(field + " ")) {
            return new BadInputException(option + message.substring(field.length()), e);
        }
        return new BadInputException(option + ": " + message, e);
    }

    /**
     * Evaluates the parse of one option's text ({@code byId} lookups, the constructor of an option
     * value not yet reporting its field), reporting an IllegalArgumentException as bad input of
     * {@code option}. Use it only around such parses, never around computations: elsewhere an
     * IllegalArgumentException is a bug.
     */
    <T> T parse(String option, Supplier<T> body) {
        try {
            return body.get();
        } catch (InvalidInputException e) {
            if (e.field() != null && options.containsKey(e.field())) {
                throw translate(e);
            }
            throw new BadInputException(option + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + ": " + e.getMessage(), e);
        }
    }
}
