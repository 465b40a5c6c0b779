package org.gequiv.generator;

import org.gequiv.validation.Identifiers;

/**
 * The arithmetic in which a deep generator computes its forward pass (issue 11): float32, as
 * PyTorch computes a DCGAN, or float64, the reference against which tests check the float32 path.
 * Samples are handed out as {@code double[]} in both cases; a float32 sample is a float32 value
 * widened exactly.
 */
public enum Precision {
    /** SGEMM and float32 element-wise layers; about twice the throughput of float64. */
    FLOAT32("float32"),
    /** DGEMM and float64 element-wise layers: the reference path. */
    FLOAT64("float64");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    /** The name on the command line and in provenance. */
    public String id() {
        return id;
    }

    /** The precision called {@code id} (case-insensitive). */
    public static Precision byId(String id) {
        return Identifiers.byId(values(), c -> c.id, null, "precision", id);
    }
}
