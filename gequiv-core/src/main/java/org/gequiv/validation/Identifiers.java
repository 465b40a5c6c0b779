package org.gequiv.validation;

import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The lookup of a named choice (an activation, an integrator, a spectral method …) by the name a
 * user types: trimmed and case-insensitive, and refused with the one message that lists every
 * accepted name, built from the choices themselves so that it cannot fall behind them.
 */
public final class Identifiers {

    private Identifiers() {
    }

    /**
     * The choice among {@code choices} whose {@code id} equals {@code given}, trimmed and in lower case.
     *
     * @param field the spec field the name belongs to (see {@link InvalidInputException#field()}), or
     *              null when the caller's front end names it
     * @param what  the noun of the message, for example {@code "integrator"}
     * @throws InvalidInputException {@code "<what> must be one of a, b, c, got '<given>'"} when none matches
     */
    public static <E> E byId(E[] choices, Function<? super E, String> id, String field, String what, String given) {
        String wanted = given == null ? "" : given.trim().toLowerCase(Locale.ROOT);
        for (E choice : choices) {
            if (id.apply(choice).equals(wanted)) {
                return choice;
            }
        }
        throw new InvalidInputException(field, what + " must be one of " + known(choices, id) + ", got '" + given
                + "'");
    }

    /** The accepted names, comma-separated, in declaration order. */
    public static <E> String known(E[] choices, Function<? super E, String> id) {
        return Stream.of(choices).map(id).collect(Collectors.joining(", "));
    }
}
