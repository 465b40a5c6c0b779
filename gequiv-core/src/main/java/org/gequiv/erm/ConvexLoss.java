package org.gequiv.erm;

/**
 * A loss ℓ(y, z) convex in the prediction z, described by its proximal operator (docs/theory.md §6.4,
 * general convex loss): {@code prox(y, ω, V) = argmin_z [(z − ω)²/(2V) + ℓ(y, z)]}.
 *
 * <p>The saddle-point equations need only the proximal point, its slope ∂prox/∂ω and the loss
 * value; a loss whose proximal map has kinks in ω (the hinge) lists them so that the quadrature can
 * split its domain there. Implementations are immutable and thread-safe.
 */
public interface ConvexLoss {

    /** Name for provenance (for example {@code "logistic"}). */
    String id();

    /** ℓ(y, z). */
    double value(double y, double z);

    /**
     * The proximal point {@code argmin_z [(z − ω)²/(2V) + ℓ(y, z)]}.
     *
     * @param v V &gt; 0
     */
    double prox(double y, double omega, double v);

    /**
     * ∂prox/∂ω at the proximal point {@code prox} already computed for (y, ω, V); equals
     * 1/(1 + V ℓ''(y, prox)) for a twice differentiable loss.
     */
    double proxSlope(double y, double prox, double omega, double v);

    /**
     * The values of ω at which the proximal map is not differentiable for this (y, V), in any
     * order; empty for smooth losses.
     */
    default double[] proxKinks(double y, double v) {
        return new double[0];
    }
}
