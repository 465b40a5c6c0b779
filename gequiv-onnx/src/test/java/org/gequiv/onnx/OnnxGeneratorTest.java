package org.gequiv.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxGeneratorTest {

    /** float32 arithmetic in the model: relative rounding ~6e-8 per operation, a few operations. */
    private static final double FLOAT_TOLERANCE = 1e-6;

    @TempDir
    Path dir;

    private static final int D = 3;
    private static final int N = 4;
    private static final float[] W = {0.5f, -1f, 0.25f, 2f, 1.5f, 0.1f, -0.3f, 0.7f, -0.2f, 0.9f, 1.1f, -0.6f};

    private Path write(String name, byte[] model) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, model);
        return p;
    }

    /** z [batch, D] → tanh(z W) [batch, N]. */
    private byte[] denseModel(long batch) {
        return TinyOnnx.model(
                new TinyOnnx[] {TinyOnnx.node("MatMul", new String[] {"z", "W"}, new String[] {"h"}),
                    TinyOnnx.node("Tanh", new String[] {"h"}, new String[] {"x"})},
                new TinyOnnx[] {TinyOnnx.floatTensor("W", W, D, N)},
                new TinyOnnx[] {TinyOnnx.valueInfo("z", TinyOnnx.FLOAT, batch, D)},
                new TinyOnnx[] {TinyOnnx.valueInfo("x", TinyOnnx.FLOAT, batch, N)});
    }

    private static double expected(double[] c, int row, int j) {
        double s = 0;
        for (int i = 0; i < D; i++) {
            s += (float) c[row * D + i] * W[i * N + j];
        }
        return Math.tanh(s);
    }

    @Test
    void denseModelWithDynamicOrFixedBatchMatchesDirectComputation() throws IOException {
        for (long batch : new long[] {-1, 4}) {
            try (OnnxGenerator g = OnnxGenerator.open(write("dense" + batch + ".onnx", denseModel(batch)))) {
                assertEquals(D, g.latentDimension());
                assertEquals(N, g.inputDimension());
                int rows = 7; // not a multiple of the fixed batch: the last chunk is padded
                double[] c = new double[rows * D];
                double[] x = new double[rows * N];
                g.sample(RandomStreams.stream(1, "onnx"), rows, c, x);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < N; j++) {
                        assertEquals(expected(c, r, j), x[r * N + j], FLOAT_TOLERANCE);
                    }
                }
                assertEquals("onnx", g.id());
                assertTrue(((String) g.description().get("input")).startsWith("z [" + batch + ", 3]"));
            }
        }
    }

    /** DCGAN-style latent [batch, D, 1, 1] → image [batch, 1, 2, 2]. */
    @Test
    void convolutionalShapesAreFlattenedAndImageShaped() throws IOException {
        byte[] model = TinyOnnx.model(
                new TinyOnnx[] {TinyOnnx.node("Flatten", new String[] {"z"}, new String[] {"f"},
                        TinyOnnx.intAttribute("axis", 1)),
                    TinyOnnx.node("MatMul", new String[] {"f", "W"}, new String[] {"h"}),
                    TinyOnnx.node("Reshape", new String[] {"h", "shape"}, new String[] {"x"})},
                new TinyOnnx[] {TinyOnnx.floatTensor("W", W, D, N),
                    TinyOnnx.longTensor("shape", new long[] {-1, 1, 2, 2}, 4)},
                new TinyOnnx[] {TinyOnnx.valueInfo("z", TinyOnnx.FLOAT, -1, D, 1, 1)},
                new TinyOnnx[] {TinyOnnx.valueInfo("x", TinyOnnx.FLOAT, -1, 1, 2, 2)});
        try (OnnxGenerator g = OnnxGenerator.open(write("conv.onnx", model))) {
            assertEquals(D, g.latentDimension());
            assertEquals(N, g.inputDimension());
            assertArrayEquals(new int[] {1, 2, 2}, g.imageShape());
            double[] c = {1, 0, 0, 0, 1, 0};
            double[] x = new double[2 * N];
            g.map(2, c, x);
            for (int j = 0; j < N; j++) {
                assertEquals(W[j], x[j], FLOAT_TOLERANCE);
                assertEquals(W[N + j], x[N + j], FLOAT_TOLERANCE);
            }
        }
    }

    @Test
    void modelsThatDoNotFitAreRefusedClearly() throws IOException {
        byte[] twoInputs = TinyOnnx.model(
                new TinyOnnx[] {TinyOnnx.node("Add", new String[] {"a", "b"}, new String[] {"x"})},
                new TinyOnnx[0],
                new TinyOnnx[] {TinyOnnx.valueInfo("a", TinyOnnx.FLOAT, -1, 2),
                    TinyOnnx.valueInfo("b", TinyOnnx.FLOAT, -1, 2)},
                new TinyOnnx[] {TinyOnnx.valueInfo("x", TinyOnnx.FLOAT, -1, 2)});
        var e1 = assertThrows(IllegalArgumentException.class, () -> OnnxGenerator.open(write("two.onnx", twoInputs)));
        assertTrue(e1.getMessage().contains("must have exactly one input (the latent), got [a, b]"), e1.getMessage());

        byte[] intInput = TinyOnnx.model(
                new TinyOnnx[] {TinyOnnx.node("Identity", new String[] {"z"}, new String[] {"x"})},
                new TinyOnnx[0],
                new TinyOnnx[] {TinyOnnx.valueInfo("z", TinyOnnx.INT64, -1, 2)},
                new TinyOnnx[] {TinyOnnx.valueInfo("x", TinyOnnx.INT64, -1, 2)});
        var e2 = assertThrows(IllegalArgumentException.class, () -> OnnxGenerator.open(write("int.onnx", intInput)));
        assertTrue(e2.getMessage().contains("input 'z' must be a float or double tensor, got INT64"), e2.getMessage());

        byte[] symbolic = TinyOnnx.model(
                new TinyOnnx[] {TinyOnnx.node("Identity", new String[] {"z"}, new String[] {"x"})},
                new TinyOnnx[0],
                new TinyOnnx[] {TinyOnnx.valueInfo("z", TinyOnnx.FLOAT, -1, -1)},
                new TinyOnnx[] {TinyOnnx.valueInfo("x", TinyOnnx.FLOAT, -1, -1)});
        var e3 = assertThrows(IllegalArgumentException.class, () -> OnnxGenerator.open(write("sym.onnx", symbolic)));
        assertTrue(e3.getMessage().contains("must have fixed dimensions except the batch"), e3.getMessage());

        byte[] good = denseModel(-1);
        Path truncated = write("cut.onnx", java.util.Arrays.copyOf(good, good.length - 20));
        var e4 = assertThrows(IllegalArgumentException.class, () -> OnnxGenerator.open(truncated));
        assertTrue(e4.getMessage().startsWith("cannot load ONNX model"), e4.getMessage());

        Path garbage = write("garbage.onnx", "this is not a model".getBytes());
        assertThrows(IllegalArgumentException.class, () -> OnnxGenerator.open(garbage));
        var e5 = assertThrows(IllegalArgumentException.class, () -> OnnxGenerator.open(dir.resolve("missing.onnx")));
        assertTrue(e5.getMessage().startsWith("ONNX model must be a readable file"), e5.getMessage());
    }
}
