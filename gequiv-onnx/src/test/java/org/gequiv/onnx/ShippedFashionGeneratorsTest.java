package org.gequiv.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.gequiv.generator.Precision;
import org.gequiv.generator.deep.DcganGenerator;
import org.gequiv.generator.deep.RealNvpGenerator;
import org.gequiv.generator.deep.WeightFiles;
import org.gequiv.io.NpzArchive;
import org.junit.jupiter.api.Test;

/**
 * The two generators trained on Fashion-MNIST and shipped in models/ (tools/train_fashion_dcgan.py,
 * tools/train_fashion_nvp.py): gequiv's native DCGAN and real NVP, loaded from the npz weights,
 * reproduce the trainer's own float64 outputs and ONNX Runtime's outputs of the shipped ONNX
 * models for the same fixed latents, offline.
 */
class ShippedFashionGeneratorsTest {

    /** The module's tests run in gequiv-onnx/; the models live at the repository root. */
    static final Path MODELS = Path.of("..", "models");

    /**
     * Native float64 against the trainer's float64 forward pass on the same (float32-valued)
     * weights: the two differ only in summation order and in folding the batch norm into one
     * scale and shift, ~1e-15 relative per operation over at most ~4000-term sums and 16
     * couplings; 1e-9 leaves a margin of ~10⁴ and is still far below any wrong layer (O(0.01)).
     */
    private static final double FLOAT64_TOLERANCE = 1e-9;
    /**
     * ONNX Runtime computes in float32 (ε = 6e-8): relative errors of ~√(terms)·ε ≈ 4e-6 per
     * ~4000-term convolution sum, compounded over a few layers (and amplified by at most
     * exp(|s|) ≲ 3 per coupling in the flow), on pixels of order 1: 1e-4 absolute bounds it with a
     * margin and still catches any wrong weight layout or layer order (errors O(0.1)).
     */
    private static final double FLOAT32_TOLERANCE = 1e-4;
    /** log |det ∂G/∂c| sums 1024 terms, each with float64 round-off: 1e-7 absolute on values O(10³). */
    private static final double LOG_DET_TOLERANCE = 1e-7;
    /**
     * The float32 flow's log-determinant: a float64 sum of log-scales computed from float32 networks,
     * each off by ~1e-6 relative (RealNvpGeneratorTest's bound for the samples, 1e-5).
     */
    private static final double FLOAT32_LOG_DET_RELATIVE = 1e-5;

    /**
     * Issue 11's criterion for the float32 path on trained weights: each sample within 1e-5 of
     * the float64 trainer output in relative Euclidean norm (see DcganGeneratorTest: √(fan-in)
     * growth of float32 rounding gives ~1e-6), and within the ONNX Runtime tolerance of the other
     * float32 implementation.
     */
    private static final double NATIVE_FLOAT32_RELATIVE_TOLERANCE = 1e-5;

    @Test
    void dcganFloat32MatchesTrainerAndOnnxRuntime() throws IOException {
        DcganGenerator g = new DcganGenerator(WeightFiles.readDcgan(MODELS.resolve("fashion-dcgan.npz")), "shipped",
                Precision.FLOAT32);
        NpzArchive check = NpzArchive.read(MODELS.resolve("fashion-dcgan-check.npz"));
        double[] c = check.require("latents", 8, 100).data();
        double[] expected = check.require("outputs", 8, 1024).data();
        double[] x = new double[8 * 1024];
        g.map(8, c, x);
        for (int s = 0; s < 8; s++) {
            double diff = 0;
            double norm = 0;
            for (int i = s * 1024; i < (s + 1) * 1024; i++) {
                diff += (x[i] - expected[i]) * (x[i] - expected[i]);
                norm += expected[i] * expected[i];
            }
            double rel = Math.sqrt(diff / norm);
            assertTrue(rel <= NATIVE_FLOAT32_RELATIVE_TOLERANCE, "sample " + s + ": relative error " + rel);
        }
        try (OnnxGenerator onnx = OnnxGenerator.open(MODELS.resolve("fashion-dcgan.onnx"), 1)) {
            double[] y = new double[8 * 1024];
            onnx.map(8, c, y);
            assertArrayEquals(x, y, FLOAT32_TOLERANCE);
        }
    }

    @Test
    void dcganNativeMatchesTrainerAndOnnxRuntime() throws IOException {
        DcganGenerator g = new DcganGenerator(WeightFiles.readDcgan(MODELS.resolve("fashion-dcgan.npz")), "shipped");
        assertEquals(100, g.latentDimension());
        assertEquals(1024, g.inputDimension());
        assertArrayEquals(new int[] {1, 32, 32}, g.imageShape());
        NpzArchive check = NpzArchive.read(MODELS.resolve("fashion-dcgan-check.npz"));
        double[] c = check.require("latents", 8, 100).data();
        double[] expected = check.require("outputs", 8, 1024).data();
        double[] x = new double[8 * 1024];
        g.map(8, c, x);
        assertArrayEquals(expected, x, FLOAT64_TOLERANCE);
        try (OnnxGenerator onnx = OnnxGenerator.open(MODELS.resolve("fashion-dcgan.onnx"), 1)) {
            assertEquals(100, onnx.latentDimension());
            assertEquals(1024, onnx.inputDimension());
            double[] y = new double[8 * 1024];
            onnx.map(8, c, y);
            assertArrayEquals(x, y, FLOAT32_TOLERANCE);
        }
        // a garment on a dark background: tanh pixels reach bright values, most are near −1
        double max = -1;
        double mean = 0;
        for (double v : x) {
            max = Math.max(max, v);
            mean += v / x.length;
        }
        assertTrue(max > 0.5 && mean < 0, "max " + max + ", mean " + mean);
    }

    @Test
    void realNvpNativeMatchesTrainerAndOnnxRuntime() throws IOException {
        RealNvpGenerator g = new RealNvpGenerator(WeightFiles.readRealNvp(MODELS.resolve("fashion-nvp.npz")), "shipped");
        assertEquals(1024, g.latentDimension());
        assertArrayEquals(new int[] {1, 32, 32}, g.imageShape());
        NpzArchive check = NpzArchive.read(MODELS.resolve("fashion-nvp-check.npz"));
        double[] c = check.require("latents", 8, 1024).data();
        double[] expected = check.require("outputs", 8, 1024).data();
        double[] expectedLogDet = check.require("log_det", 8).data();
        double[] x = new double[8 * 1024];
        double[] logDet = new double[8];
        g.map(8, c, x, logDet);
        assertArrayEquals(expected, x, FLOAT64_TOLERANCE);
        assertArrayEquals(expectedLogDet, logDet, LOG_DET_TOLERANCE);
        try (OnnxGenerator onnx = OnnxGenerator.open(MODELS.resolve("fashion-nvp.onnx"), 1)) {
            assertEquals(1024, onnx.latentDimension());
            assertEquals(1024, onnx.inputDimension());
            double[] y = new double[8 * 1024];
            onnx.map(8, c, y);
            assertArrayEquals(x, y, FLOAT32_TOLERANCE);
            // the native float32 flow (issue 11) against ONNX Runtime's float32 and the trainer's float64
            RealNvpGenerator g32 = new RealNvpGenerator(g.weights(), "shipped", Precision.FLOAT32);
            double[] x32 = new double[8 * 1024];
            double[] logDet32 = new double[8];
            g32.map(8, c, x32, logDet32);
            assertArrayEquals(y, x32, FLOAT32_TOLERANCE);
            assertArrayEquals(expected, x32, FLOAT32_TOLERANCE);
            for (int i = 0; i < 8; i++) {
                assertEquals(expectedLogDet[i], logDet32[i], FLOAT32_LOG_DET_RELATIVE * Math.abs(expectedLogDet[i]));
            }
        }
        // pixels bounded by the logit transform (α = 0.05) and not blank
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min > -0.05 / 0.9 && max < 0.95 / 0.9 && max > 0.5, "pixel range [" + min + ", " + max + "]");
    }
}
