package org.gequiv.model;

import org.gequiv.activation.Activation;
import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;

/**
 * A two-layer network φ(z) = Σ_k v_k g(w_k·z/√n) with no biases and a linear output
 * (docs/theory.md §1.3; the teacher of §1.2 has the same form on c or x).
 *
 * <p>A mutable class, not a value: SGD updates the weights in place, through the live arrays that
 * {@link #firstLayer()} and {@link #secondLayer()} return (views, not copies). The constructor
 * takes the given arrays as its storage without copying; {@link #copy()} makes an independent
 * network. Not thread-safe while it is being trained.
 */
public final class TwoLayerNetwork {

    private final int hidden;
    private final int inputDim;
    private final double[] firstLayer;
    private final double[] secondLayer;
    private final Activation activation;

    /**
     * @param hidden       number of hidden units (K for the student, M for the teacher), ≥ 1
     * @param inputDim     dimension n of the input z, ≥ 1
     * @param firstLayer   hidden × n weights, row-major, row k = w_k; kept (not copied)
     * @param secondLayer  hidden output weights v; kept (not copied)
     * @param activation   g
     */
    public TwoLayerNetwork(int hidden, int inputDim, double[] firstLayer, double[] secondLayer, Activation activation) {
        Checks.atLeast("hidden", hidden, 1);
        Checks.atLeast("inputDim", inputDim, 1);
        Checks.given("activation", activation);
        if (firstLayer.length != (long) hidden * inputDim || secondLayer.length != hidden) {
            throw new InvalidInputException("firstLayer", "weights must be " + hidden + " × " + inputDim + " and "
                    + hidden + ", got " + firstLayer.length + " and " + secondLayer.length + " entries");
        }
        this.hidden = hidden;
        this.inputDim = inputDim;
        this.firstLayer = firstLayer;
        this.secondLayer = secondLayer;
        this.activation = activation;
    }

    /** Number of hidden units. */
    public int hidden() {
        return hidden;
    }

    /** Input dimension n. */
    public int inputDim() {
        return inputDim;
    }

    /** The first-layer weights, hidden × n row-major: the live storage (a view; writes change the network). */
    public double[] firstLayer() {
        return firstLayer;
    }

    /** The second-layer weights: the live storage (a view; writes change the network). */
    public double[] secondLayer() {
        return secondLayer;
    }

    /**
     * The overlaps of the first-layer weights, W Wᵀ / n (hidden × hidden, row-major, a new array):
     * T = θθᵀ/D for a teacher on the latent (docs/theory.md §3.1, §5.7).
     */
    public double[] firstLayerOverlap() {
        double[] out = new double[hidden * hidden];
        for (int i = 0; i < hidden; i++) {
            for (int j = 0; j < hidden; j++) {
                double s = 0;
                for (int c = 0; c < inputDim; c++) {
                    s += firstLayer[i * inputDim + c] * firstLayer[j * inputDim + c];
                }
                out[i * hidden + j] = s / inputDim;
            }
        }
        return out;
    }

    /** g. */
    public Activation activation() {
        return activation;
    }

    /** A deep copy (weights are copied). */
    public TwoLayerNetwork copy() {
        return new TwoLayerNetwork(hidden, inputDim, firstLayer.clone(), secondLayer.clone(), activation);
    }

    /**
     * The pre-activations λ_k = w_k·z/√n of one input.
     *
     * @param z      input, read from {@code z[offset .. offset + n)}; not modified
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

    /** The output Σ_k v_k g(λ_k) for given pre-activations (not modified). */
    public double output(double[] fields) {
        double y = 0;
        for (int k = 0; k < hidden; k++) {
            y += secondLayer[k] * activation.value(fields[k]);
        }
        return y;
    }

    @Override
    public String toString() {
        return "TwoLayerNetwork[hidden=" + hidden + ", inputDim=" + inputDim + ", activation=" + activation + "]";
    }
}
