package org.gequiv.online;

import java.util.Locale;

/** Which student layers SGD trains (docs/theory.md §1.4). */
public enum TrainedLayers {
    /** First layer with learning rate η, second with η/N. */
    BOTH("both"),
    /** First layer only; v stays at its initial value. */
    FIRST("first");

    private final String id;

    TrainedLayers(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static TrainedLayers byId(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (TrainedLayers t : values()) {
            if (t.id.equals(wanted)) {
                return t;
            }
        }
        throw new IllegalArgumentException("train must be one of both, first, got '" + id + "'");
    }
}
