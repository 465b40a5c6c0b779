package org.gequiv.erm;

/**
 * The order parameters (V, q, m) of the saddle-point equations (docs/theory.md §6.3): V the variance of
 * the student's prediction across training sets (the response), q = E ŷ² its second moment and
 * m = E ŷν its overlap with the teacher field.
 */
public record Overlaps(double v, double q, double m) {

    public Overlaps {
        if (!Double.isFinite(v) || !Double.isFinite(q) || !Double.isFinite(m)) {
            throw new IllegalArgumentException("overlaps must be finite, got (" + v + ", " + q + ", " + m + ")");
        }
        if (!(v > 0) || !(q > 0)) {
            throw new IllegalArgumentException("V and q must be > 0, got V = " + v + ", q = " + q);
        }
    }

    /** The uninformed start (1000, 0.001, 0.001) of the reference implementation (§6.5). */
    public static Overlaps uninformed() {
        return new Overlaps(1000.0, 0.001, 0.001);
    }

    /** The informed start (0.001, 0.999, 0.999) of the reference implementation (§6.5). */
    public static Overlaps informed() {
        return new Overlaps(0.001, 0.999, 0.999);
    }
}
