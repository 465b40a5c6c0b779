package org.gequiv.erm;

/**
 * Closed-form hats of the square loss (docs/theory.md §6.4): ridge regression on y = ν + √Δz and
 * square-loss classification on y = sign(ν + √Δz). Both have V̂ = α/(1+V); they differ in the
 * label–prediction moments E y² and E yŷ.
 */
final class SquareChannels {
    private SquareChannels() {
    }

    /** Ridge: q̂ = α(ρ + Δ + q − 2m)/(1+V)², m̂ = (α/√γ)/(1+V). */
    static Channel ridge(double rho, double gamma, double noise) {
        double invSqrtGamma = 1.0 / Math.sqrt(gamma);
        return new Channel() {
            @Override
            public void hats(double alpha, double v, double q, double m, double[] out) {
                double a = 1.0 / (1.0 + v);
                out[0] = alpha * a;
                out[1] = alpha * (rho + noise + q - 2.0 * m) * a * a;
                out[2] = alpha * invSqrtGamma * a;
            }

            @Override
            public double testError(double v, double q, double m) {
                return rho + q - 2.0 * m;
            }

            @Override
            public double trainLoss(double v, double q, double m) {
                double a = 1.0 / (1.0 + v);
                return (rho + noise + q - 2.0 * m) * a * a;
            }
        };
    }

    /**
     * Square-loss classification: with c = √(2/(π(ρ+Δ))), so that E yŷ = mc,,
     * q̂ = α(1 + q − 2mc)/(1+V)², m̂ = (α/√γ) c/(1+V); training loss ¼(1 + q − 2mc)/(1+V)².
     */
    static Channel squareClassification(double rho, double gamma, double noise) {
        double invSqrtGamma = 1.0 / Math.sqrt(gamma);
        double c = Math.sqrt(2.0 / (Math.PI * (rho + noise)));
        return new Channel() {
            @Override
            public void hats(double alpha, double v, double q, double m, double[] out) {
                double a = 1.0 / (1.0 + v);
                out[0] = alpha * a;
                out[1] = alpha * (1.0 + q - 2.0 * m * c) * a * a;
                out[2] = alpha * invSqrtGamma * c * a;
            }

            @Override
            public double testError(double v, double q, double m) {
                return Channel.classificationError(rho, q, m);
            }

            @Override
            public double trainLoss(double v, double q, double m) {
                double a = 1.0 / (1.0 + v);
                return 0.25 * (1.0 + q - 2.0 * m * c) * a * a;
            }
        };
    }
}
