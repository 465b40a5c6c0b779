package org.gequiv.erm;

/**
 * The likelihood (hat) side of the saddle-point equations for one task (docs/theory.md §6.4), with the
 * task's error conventions. Implementations keep scratch state and are not thread-safe.
 */
interface Channel {

    /**
     * Writes (V̂, q̂, m̂) for the given (V, q, m) into {@code out[0..3)}.
     */
    void hats(double alpha, double v, double q, double m, double[] out);

    /** ε_g at (V, q, m). */
    double testError(double v, double q, double m);

    /** ε_t at (V, q, m). */
    double trainLoss(double v, double q, double m);

    /** Classification error arccos(m/√(ρq))/π, with the cosine clamped to [−1, 1] against round-off. */
    static double classificationError(double rho, double q, double m) {
        double c = m / Math.sqrt(rho * q);
        return Math.acos(Math.max(-1.0, Math.min(1.0, c))) / Math.PI;
    }
}
