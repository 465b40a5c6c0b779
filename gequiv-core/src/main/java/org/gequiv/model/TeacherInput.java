package org.gequiv.model;

import org.gequiv.validation.Identifiers;

/** What the teacher acts on (docs/theory.md §1.2). */
public enum TeacherInput {
    /** ν_m = θ_m·c/√D: the hidden-manifold setting, the default. */
    LATENT("latent"),
    /** ν_m = θ_m·x/√N. */
    INPUT("input");

    private final String id;

    TeacherInput(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static TeacherInput byId(String id) {
        return Identifiers.byId(values(), c -> c.id, null, "teacher", id);
    }
}
