package org.gequiv.erm;

/**
 * ℓ(y, z) = max(0, 1 − yz) for labels y = ±1 (docs/theory.md §6.4, general convex loss). With
 * s = yω the proximal point is y·s for s ≥ 1, y·1 for 1 − V &lt; s &lt; 1 and y·(s + V) for
 * s ≤ 1 − V; the map has kinks at s = 1 and s = 1 − V. Stateless singleton.
 */
public final class HingeLoss implements ConvexLoss {

    /** The instance. */
    public static final HingeLoss INSTANCE = new HingeLoss();

    private HingeLoss() {
    }

    @Override
    public String id() {
        return "hinge";
    }

    @Override
    public double value(double y, double z) {
        return Math.max(0.0, 1.0 - y * z);
    }

    @Override
    public double prox(double y, double omega, double v) {
        double s = y * omega;
        if (s >= 1.0) {
            return omega;
        }
        if (s <= 1.0 - v) {
            return y * (s + v);
        }
        return y;
    }

    @Override
    public double proxSlope(double y, double prox, double omega, double v) {
        double s = y * omega;
        return (s > 1.0 - v && s < 1.0) ? 0.0 : 1.0;
    }

    @Override
    public double[] proxKinks(double y, double v) {
        // s = yω, and y = ±1, so ω = y·s
        return new double[] {y, y * (1.0 - v)};
    }
}
