package org.gequiv.online;

import org.gequiv.model.TwoLayerNetwork;

/**
 * The gradient of the per-sample loss ℓ = ½(φ(x) − y)² of a two-layer student
 * (docs/theory.md §1.4): ∂ℓ/∂w_k = Δ v_k g′(λ_k) x/√N and ∂ℓ/∂v_k = Δ g(λ_k), with Δ = φ(x) − y.
 * Online SGD steps w ← w − η ∂ℓ/∂w and v ← v − (η/N) ∂ℓ/∂v.
 */
public final class SgdGradients {
    private SgdGradients() {
    }

    /**
     * Computes the gradient at one sample.
     *
     * @param x      input, read from {@code x[offset .. offset + N)}, not modified
     * @param gradW  overwritten with ∂ℓ/∂w (K × N)
     * @param gradV  overwritten with ∂ℓ/∂v (K)
     * @return the loss ½Δ²
     */
    public static double gradient(TwoLayerNetwork student, double[] x, int offset, double y,
                                  double[] gradW, double[] gradV) {
        int k = student.hidden();
        int n = student.inputDim();
        double[] fields = new double[k];
        student.preActivations(x, offset, fields);
        double delta = student.output(fields) - y;
        double scale = 1.0 / Math.sqrt(n);
        for (int j = 0; j < k; j++) {
            double coefficient = delta * student.secondLayer()[j] * student.activation().derivative(fields[j]) * scale;
            for (int i = 0; i < n; i++) {
                gradW[j * n + i] = coefficient * x[offset + i];
            }
            gradV[j] = delta * student.activation().value(fields[j]);
        }
        return 0.5 * delta * delta;
    }
}
