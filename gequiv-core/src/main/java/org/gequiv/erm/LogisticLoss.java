package org.gequiv.erm;

/**
 * ℓ(y, z) = log(1 + e^{−yz}) for labels y = ±1 (docs/theory.md §6.4). Stateless singleton.
 */
public final class LogisticLoss implements SmoothConvexLoss {

    /** The instance. */
    public static final LogisticLoss INSTANCE = new LogisticLoss();

    private LogisticLoss() {
    }

    @Override
    public String id() {
        return "logistic";
    }

    @Override
    public double value(double y, double z) {
        return softplus(-y * z);
    }

    /** log(1 + e^x) without overflow or loss of precision at large |x|. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /** 1/(1 + e^{−x}) evaluated without overflow. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    @Override
    public double derivative(double y, double z) {
        return -y * sigmoid(-y * z);
    }

    @Override
    public double secondDerivative(double y, double z) {
        double s = sigmoid(y * z);
        return s * (1.0 - s);
    }
}
