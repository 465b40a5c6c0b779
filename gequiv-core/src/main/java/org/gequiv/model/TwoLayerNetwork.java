package org.gequiv.model;

import org.gequiv.activation.Activation;

/**
 * A two-layer network φ(z) = Σ_k v_k g(w_k·z/√n) with no biases and a linear output
 * (docs/theory.md §1.3; the teacher of §1.2 has the same form on c or x).
 *
 * <p>Mutable: SGD updates {@link #firstLayer()} and {@link #secondLayer()} in place. Not
 * thread-safe.
 *
 * @param hidden       number of hidden units (K for the student, M for the teacher)
 * @param inputDim     dimension n of the input z
 * @param firstLayer   hidden × n weights, row-major, row k = w_k
 * @param secondLayer  hidden output weights v
 * @param activation   g
 */
public record TwoLayerNetwork(int hidden, int inputDim, double[] firstLayer, double[] secondLayer,
                              Activation activation) {

    public TwoLayerNetwork {
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden units must be >= 1, got " + hidden);
        }
        if (inputDim < 1) {
            throw new IllegalArgumentException("input dimension must be >= 1, got " + inputDim);
        }
        if (firstLayer.length != (long) hidden * inputDim || secondLayer.length != hidden) {
            throw new IllegalArgumentException("weights must be " + hidden + " × " + inputDim + " and " + hidden
                    + ", got " + firstLayer.length + " and " + secondLayer.length + " entries");
        }
    }

    /** A deep copy (weights are copied). */
    public TwoLayerNetwork copy() {
        return new TwoLayerNetwork(hidden, inputDim, firstLayer.clone(), secondLayer.clone(), activation);
    }

    /**
     * The pre-activations λ_k = w_k·z/√n of one input.
     *
     * @param z      input, read from {@code z[offset .. offset + n)}
     * @param fields overwritten with the {@code hidden} pre-activations
     */
    public void preActivations(double[] z, int offset, double[] fields) {
        double scale = 1.0 / Math.sqrt(inputDim);
        for (int k = 0; k < hidden; k++) {
            int row = k * inputDim;
            double s = 0;
            for (int i = 0; i < inputDim; i++) {
                s += firstLayer[row + i] * z[offset + i];
            }
            fields[k] = s * scale;
        }
    }

    /** The output Σ_k v_k g(λ_k) for given pre-activations. */
    public double output(double[] fields) {
        double y = 0;
        for (int k = 0; k < hidden; k++) {
            y += secondLayer[k] * activation.value(fields[k]);
        }
        return y;
    }
}
