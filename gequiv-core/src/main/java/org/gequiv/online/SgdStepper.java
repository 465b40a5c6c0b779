package org.gequiv.online;

import org.gequiv.activation.Activation;
import org.gequiv.model.TwoLayerNetwork;

/**
 * The SGD update of docs/theory.md §1.4 on the student's flat weight arrays, in place; allocation-free
 * per sample. With batch size 1 each sample's step is applied at once; otherwise gradients are
 * summed and {@link #applyBatch} applies their mean. Not thread-safe.
 */
final class SgdStepper {
    private final int n;
    private final int k;
    private final double[] w;
    private final double[] v;
    private final Activation g;
    private final double firstRate;
    private final double secondRate;
    private final boolean trainSecond;
    private final double invSqrtN;
    private final double[] fields;
    private final double[] values;
    private final double[] gradW;
    private final double[] gradV;
    private final boolean batched;

    SgdStepper(TwoLayerNetwork student, OnlineSpec spec, int n) {
        this.n = n;
        this.k = student.hidden();
        this.w = student.firstLayer();
        this.v = student.secondLayer();
        this.g = student.activation();
        this.firstRate = spec.learningRate();
        this.secondRate = spec.learningRate() / n;
        this.trainSecond = spec.trainedLayers() == TrainedLayers.BOTH;
        this.invSqrtN = 1.0 / Math.sqrt(n);
        this.fields = new double[k];
        this.values = new double[k];
        this.batched = spec.batchSize() > 1;
        this.gradW = batched ? new double[k * n] : null;
        this.gradV = new double[k];
    }

    void beginBatch() {
        if (batched) {
            java.util.Arrays.fill(gradW, 0.0);
        }
        java.util.Arrays.fill(gradV, 0.0);
    }

    /**
     * Adds one sample's gradient (batched) or applies its step at once (batch size 1).
     *
     * @return false when the prediction error is not finite
     */
    boolean accumulate(double[] x, int offset, double y) {
        double phi = 0;
        for (int j = 0; j < k; j++) {
            double lambda = OnlineSimulation.dot(w, j * n, x, offset, n) * invSqrtN;
            fields[j] = lambda;
            double activation = g.value(lambda);
            values[j] = activation;
            phi += v[j] * activation;
        }
        double delta = phi - y;
        if (!(Math.abs(delta) <= OnlineSimulation.DIVERGENCE_THRESHOLD)) {
            return false;
        }
        for (int j = 0; j < k; j++) {
            double coefficient = delta * v[j] * g.derivative(fields[j]) * invSqrtN;
            gradV[j] += delta * values[j];
            if (batched) {
                OnlineSimulation.axpy(coefficient, x, offset, gradW, j * n, n);
            } else {
                OnlineSimulation.axpy(-firstRate * coefficient, x, offset, w, j * n, n);
            }
        }
        if (!batched && trainSecond) {
            for (int j = 0; j < k; j++) {
                v[j] -= secondRate * gradV[j];
                gradV[j] = 0.0;
            }
        } else if (!batched) {
            java.util.Arrays.fill(gradV, 0.0);
        }
        return true;
    }

    void applyBatch(int size) {
        if (!batched) {
            return;
        }
        double scale = 1.0 / size;
        OnlineSimulation.axpy(-firstRate * scale, gradW, 0, w, 0, k * n);
        if (trainSecond) {
            for (int j = 0; j < k; j++) {
                v[j] -= secondRate * scale * gradV[j];
            }
        }
    }
}
