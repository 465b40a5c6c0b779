package org.gequiv.erm;

/**
 * ℓ(y, z) = ½(y − z)², with the closed-form proximal point (ω + Vy)/(1 + V) (docs/theory.md §6.4).
 * Stateless singleton.
 */
public final class SquareLoss implements ConvexLoss {

    /** The instance. */
    public static final SquareLoss INSTANCE = new SquareLoss();

    private SquareLoss() {
    }

    @Override
    public String id() {
        return "square";
    }

    @Override
    public double value(double y, double z) {
        double r = y - z;
        return 0.5 * r * r;
    }

    @Override
    public double prox(double y, double omega, double v) {
        return (omega + v * y) / (1.0 + v);
    }

    @Override
    public double proxSlope(double y, double prox, double omega, double v) {
        return 1.0 / (1.0 + v);
    }
}
