package org.gequiv.model;

import java.util.Locale;

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
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (TeacherInput t : values()) {
            if (t.id.equals(wanted)) {
                return t;
            }
        }
        throw new IllegalArgumentException("teacher must be one of latent, input, got '" + id + "'");
    }
}
