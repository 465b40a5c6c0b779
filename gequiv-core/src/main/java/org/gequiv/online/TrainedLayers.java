package org.gequiv.online;

import org.gequiv.validation.Identifiers;

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
        return Identifiers.byId(values(), c -> c.id, null, "train", id);
    }
}
