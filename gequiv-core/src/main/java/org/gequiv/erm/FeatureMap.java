package org.gequiv.erm;

import java.util.Locale;

/**
 * What the student sees (docs/theory.md §6.1): the generator's output itself (pre-learned features),
 * random features of it, or the latent vector.
 */
public enum FeatureMap {
    /** v = x − E x, d = N. */
    INPUT("input"),
    /** v = σ(F(x − E x)/√N) with F_ij ~ N(0, 1) of shape P × N, d = P. */
    RANDOM("random"),
    /** v = c, d = D. */
    LATENT("latent");

    private final String id;

    FeatureMap(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The feature map called {@code id} (case-insensitive). */
    public static FeatureMap byId(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (FeatureMap f : values()) {
            if (f.id.equals(wanted)) {
                return f;
            }
        }
        throw new IllegalArgumentException("features must be one of input, random, latent, got '" + id + "'");
    }

    @Override
    public String toString() {
        return id;
    }
}
