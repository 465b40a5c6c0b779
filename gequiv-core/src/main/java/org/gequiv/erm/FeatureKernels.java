package org.gequiv.erm;

import org.gequiv.activation.Activation;
import org.gequiv.activation.GaussianKernel;

/**
 * Second moments of random features v = σ(h) for centred jointly Gaussian pre-activations h (the
 * Gaussian equivalence applied to the feature layer, docs/theory.md §2.1–§2.3, §6.1), through the one
 * {@link GaussianKernel} of σ: Ω_v = E[v vᵀ] (uncentred; E σ(h_a)σ(h_b) off the diagonal, E σ(h_a)²
 * on it) and the Stein slopes E σ′(h_a), which give E[v cᵀ] = diag(slope) E[h cᵀ]. Stateless.
 */
final class FeatureKernels {

    private FeatureKernels() {
    }

    /**
     * The moments of p random features.
     *
     * @param omega Ω_v = E[v vᵀ], p × p row-major, symmetric
     * @param slope E σ′(h_a), length p
     */
    record FeatureMoments(int p, double[] omega, double[] slope) {

        /**
         * E[v cᵀ] = diag(slope)·E[h cᵀ] (Stein's lemma), p × D.
         *
         * @param preCross E[h cᵀ], p × D row-major, not modified
         */
        double[] crossCovariance(double[] preCross, int latent) {
            double[] out = new double[p * latent];
            for (int a = 0; a < p; a++) {
                for (int j = 0; j < latent; j++) {
                    out[a * latent + j] = slope[a] * preCross[a * latent + j];
                }
            }
            return out;
        }
    }

    /**
     * Ω_v and the slopes of v = σ(h) for pre-activations with covariance {@code preCovariance}.
     *
     * @param preCovariance E[h hᵀ], p × p row-major, symmetric (the lower triangle is read); not modified
     */
    static FeatureMoments moments(Activation activation, int p, double[] preCovariance) {
        GaussianKernel kernel = new GaussianKernel(activation);
        GaussianKernel.Unit[] units = new GaussianKernel.Unit[p];
        double[] slope = new double[p];
        for (int a = 0; a < p; a++) {
            units[a] = kernel.unit(preCovariance[a * p + a]);
            slope[a] = units[a].slope();
        }
        double[] omega = new double[p * p];
        for (int a = 0; a < p; a++) {
            omega[a * p + a] = units[a].secondMoment();
            for (int b = 0; b < a; b++) {
                double v = kernel.secondMoment(units[a], units[b], preCovariance[a * p + b]);
                omega[a * p + b] = v;
                omega[b * p + a] = v;
            }
        }
        return new FeatureMoments(p, omega, slope);
    }
}
