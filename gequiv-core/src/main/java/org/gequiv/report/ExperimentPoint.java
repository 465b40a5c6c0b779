package org.gequiv.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of a section's study: its parameters by name (numbers or labels), the seed among them
 * under {@link #SEED}. A section is a declarative list of such points, so that the same list can
 * later be handed to a sweep; the point's result depends only on its parameters.
 *
 * @param parameters ordered, unmodifiable; values are {@link Number}s or {@link String}s
 */
public record ExperimentPoint(Map<String, Object> parameters) {

    /** The parameter that holds the master seed; seed averages group over every other parameter. */
    public static final String SEED = "seed";

    public ExperimentPoint {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        if (!(parameters.get(SEED) instanceof Number)) {
            throw new IllegalArgumentException("parameters must hold a numeric seed, got " + parameters);
        }
    }

    /** A point from alternating names and values, for example {@code of("N", 500, "seed", 0)}. */
    public static ExperimentPoint of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate, got " + namesAndValues.length
                    + " items");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new ExperimentPoint(m);
    }

    public long seed() {
        return ((Number) parameters.get(SEED)).longValue();
    }

    /** The integer parameter {@code name}. */
    public int integer(String name) {
        return ((Number) get(name)).intValue();
    }

    /** The numeric parameter {@code name}. */
    public double number(String name) {
        return ((Number) get(name)).doubleValue();
    }

    /** The label parameter {@code name}. */
    public String label(String name) {
        return String.valueOf(get(name));
    }

    private Object get(String name) {
        Object v = parameters.get(name);
        if (v == null) {
            throw new IllegalArgumentException("point has no parameter " + name + ", got " + parameters);
        }
        return v;
    }
}
