package org.gequiv.erm;

import org.gequiv.validation.Identifiers;

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
        return Identifiers.byId(values(), c -> c.id, null, "features", id);
    }

    @Override
    public String toString() {
        return id;
    }
}
