package org.gequiv.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.gequiv.io.NpzArchive;
import org.gequiv.moments.MomentEstimate;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.moments.MomentEstimator;
import org.junit.jupiter.api.Test;

/**
 * The generator trained on MNIST and shipped in models/ (tools/train_mnist_decoder.py) runs
 * offline through ONNX Runtime and reproduces the trainer's own float64 outputs.
 */
class ShippedMnistDecoderTest {

    /** The module's tests run in gequiv-onnx/; the models live at the repository root. */
    static final Path MODEL = Path.of("..", "models", "mnist-decoder.onnx");
    static final Path CHECK = Path.of("..", "models", "mnist-decoder-check.npz");

    /**
     * The ONNX model holds float32 weights and computes in float32; the reference is the trainer's
     * float64 decoder. Sigmoid outputs in [0, 1] after ~2000-term sums: 1e-4 absolute is ample
     * and still far below any visible difference or a wrong layer (errors would be O(0.1)).
     */
    private static final double FLOAT32_TOLERANCE = 1e-4;

    @Test
    void shippedModelMatchesTrainerOutputs() throws IOException {
        NpzArchive check = NpzArchive.read(CHECK);
        double[] c = check.require("c", 8, 32).data();
        double[] expected = check.require("x", 8, 784).data();
        try (OnnxGenerator g = OnnxGenerator.open(MODEL, 1)) {
            assertEquals(32, g.latentDimension());
            assertEquals(784, g.inputDimension());
            assertArrayEquals(new int[] {1, 28, 28}, g.imageShape());
            double[] x = new double[8 * 784];
            g.map(8, c, x);
            assertArrayEquals(expected, x, FLOAT32_TOLERANCE);
            // not blank: a digit has dark background and bright strokes
            double max = 0;
            double mean = 0;
            for (double v : x) {
                max = Math.max(max, v);
                mean += v / x.length;
            }
            assertTrue(max > 0.9 && mean < 0.3, "max " + max + ", mean " + mean);
        }
    }

    /** The moment estimator runs on it: Ω is a proper covariance with a positive diagonal. */
    @Test
    void momentsOfShippedModelCanBeEstimated() throws IOException {
        try (OnnxGenerator g = OnnxGenerator.open(MODEL, 1)) {
            MomentEstimate e = new MomentEstimator(g, new MomentEstimationSpec(2_000, 500, 3, 2, 2_000, null)).estimate();
            double[] omega = e.moments().omega();
            double trace = 0;
            for (int i = 0; i < 784; i++) {
                assertTrue(omega[i * 784 + i] >= 0);
                trace += omega[i * 784 + i];
            }
            assertTrue(trace > 1.0, "total pixel variance " + trace);
        }
    }
}
