package org.gequiv.onnx;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded corruption of an ONNX model ({@link OnnxGenerator#open}): flipped bits, overwritten,
 * inserted and truncated bytes of a small valid model, and well-formed models that claim absurd
 * shapes (10¹² latent or output entries, negative or zero dimensions), a wrong element type, no
 * output, or an initializer shorter than its dimensions. Loading either succeeds (and then a batch
 * of two runs, or fails with the documented IllegalStateException of {@link OnnxGenerator#map}) or
 * is refused with the documented {@link IllegalArgumentException} raised by the loader itself —
 * never another exception, an OutOfMemoryError or a hang.
 */
class OnnxLoaderFuzzTest {

    private static final Duration PER_CASE = Duration.ofSeconds(30);
    private static final float[] W = {0.5f, -1f, 0.25f, 2f, 1.5f, 0.1f, -0.3f, 0.7f, -0.2f, 0.9f, 1.1f, -0.6f};

    @TempDir
    Path dir;

    private record Case(String description, byte[] bytes) {
    }

    /** z [batch, d] → tanh(z W) [batch, n], with the shapes and types that the case asks for. */
    private static byte[] dense(int inputType, long[] wDims, float[] w, long[] inDims, long[] outDims, boolean output) {
        return TinyOnnx.model(
                new TinyOnnx[] {TinyOnnx.node("MatMul", new String[] {"z", "W"}, new String[] {"h"}),
                    TinyOnnx.node("Tanh", new String[] {"h"}, new String[] {"x"})},
                new TinyOnnx[] {TinyOnnx.floatTensor("W", w, wDims)},
                new TinyOnnx[] {TinyOnnx.valueInfo("z", inputType, inDims)},
                output ? new TinyOnnx[] {TinyOnnx.valueInfo("x", TinyOnnx.FLOAT, outDims)} : new TinyOnnx[0]);
    }

    private static byte[] valid() {
        return dense(TinyOnnx.FLOAT, new long[] {3, 4}, W, new long[] {-1, 3}, new long[] {-1, 4}, true);
    }

    /** Well-formed protobuf with contents no generator can have. */
    private static List<Case> absurdModels() {
        long huge = 1_000_000_000_000L;
        List<Case> out = new ArrayList<>();
        out.add(new Case("latent of 10^12", dense(TinyOnnx.FLOAT, new long[] {3, 4}, W, new long[] {-1, huge},
                new long[] {-1, 4}, true)));
        out.add(new Case("W claims 10^12 x 4", dense(TinyOnnx.FLOAT, new long[] {huge, 4}, W, new long[] {-1, 3},
                new long[] {-1, 4}, true)));
        out.add(new Case("W claims 3 x 10^12", dense(TinyOnnx.FLOAT, new long[] {3, huge}, W, new long[] {-1, 3},
                new long[] {-1, huge}, true)));
        out.add(new Case("W shorter than its dims", dense(TinyOnnx.FLOAT, new long[] {3, 4}, Arrays.copyOf(W, 5),
                new long[] {-1, 3}, new long[] {-1, 4}, true)));
        out.add(new Case("fixed batch of 10^12", dense(TinyOnnx.FLOAT, new long[] {3, 4}, W, new long[] {huge, 3},
                new long[] {huge, 4}, true)));
        out.add(new Case("zero latent dimension", dense(TinyOnnx.FLOAT, new long[] {0, 4}, new float[0],
                new long[] {-1, 0}, new long[] {-1, 4}, true)));
        out.add(new Case("zero output dimension", dense(TinyOnnx.FLOAT, new long[] {3, 0}, new float[0],
                new long[] {-1, 3}, new long[] {-1, 0}, true)));
        out.add(new Case("rank-1 input", dense(TinyOnnx.FLOAT, new long[] {3, 4}, W, new long[] {3},
                new long[] {4}, true)));
        out.add(new Case("int64 input", dense(TinyOnnx.INT64, new long[] {3, 4}, W, new long[] {-1, 3},
                new long[] {-1, 4}, true)));
        out.add(new Case("element type 99", dense(99, new long[] {3, 4}, W, new long[] {-1, 3},
                new long[] {-1, 4}, true)));
        out.add(new Case("no output", dense(TinyOnnx.FLOAT, new long[] {3, 4}, W, new long[] {-1, 3},
                new long[] {-1, 4}, false)));
        out.add(new Case("empty file", new byte[0]));
        out.add(new Case("not protobuf", "this is not an ONNX model".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    private static List<Case> corruptions(byte[] valid, long seed, int count) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = valid.clone();
            switch (rng.nextInt(4)) {
                case 0 -> {
                    int flips = 1 + rng.nextInt(4);
                    for (int f = 0; f < flips; f++) {
                        b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
                    }
                    out.add(new Case(flips + " bit flips", b));
                }
                case 1 -> {
                    int at = rng.nextInt(b.length);
                    byte[] specials = {0, (byte) 0xFF, (byte) 0x80, 0x7F, 1};
                    b[at] = rng.nextBoolean() ? (byte) rng.nextInt(256) : specials[rng.nextInt(specials.length)];
                    out.add(new Case("byte " + at + " set to " + (b[at] & 0xFF), b));
                }
                case 2 -> {
                    int length = rng.nextInt(b.length);
                    out.add(new Case("truncated to " + length, Arrays.copyOf(b, length)));
                }
                default -> {
                    int at = rng.nextInt(b.length + 1);
                    byte[] junk = new byte[1 + rng.nextInt(16)];
                    rng.nextBytes(junk);
                    byte[] c = new byte[b.length + junk.length];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(junk, 0, c, at, junk.length);
                    System.arraycopy(b, at, c, at + junk.length, b.length - at);
                    out.add(new Case(junk.length + " bytes inserted at " + at, c));
                }
            }
        }
        return out;
    }

    /** An exception raised by the loader's own checks rather than inside ONNX Runtime or the JDK. */
    private static boolean fromLoader(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return st.length > 0 && st[0].getClassName().startsWith("org.gequiv.onnx.");
    }

    private void fuzz(List<Case> cases) {
        Path f = dir.resolve("fuzz.onnx");
        Map<String, String> failures = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String label = "case " + i + " (" + c.description() + ", " + c.bytes().length + " bytes)";
            String failure = assertTimeoutPreemptively(PER_CASE, () -> {
                Files.write(f, c.bytes());
                OnnxGenerator g;
                try {
                    g = OnnxGenerator.open(f, 1);
                } catch (IllegalArgumentException e) {
                    return fromLoader(e) && e.getMessage() != null ? null : "undocumented " + e + " at " + at(e);
                } catch (Throwable t) {
                    return "undocumented " + t + " at " + at(t);
                }
                try (g) {
                    double[] latent = new double[2 * g.latentDimension()];
                    double[] inputs = new double[2 * g.inputDimension()];
                    g.map(2, latent, inputs);
                    return null;
                } catch (IllegalStateException e) {
                    return fromLoader(e) ? null : "undocumented " + e + " at " + at(e);
                } catch (Throwable t) {
                    return "undocumented " + t + " while running at " + at(t);
                }
            }, () -> label + ": took longer than " + PER_CASE);
            if (failure != null) {
                failures.putIfAbsent(failure.replaceAll(": .*? at ", " at "), label + ": " + failure);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " kinds of failure:\n" + String.join("\n", failures.values()));
        }
    }

    private static String at(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        return st.length > 0 ? st[0].toString() : "?";
    }

    @Test
    void absurdModelsAreRefusedByTheLoader() {
        fuzz(absurdModels());
    }

    @Test
    void corruptModelsGiveOnlyTheDocumentedExceptions() {
        fuzz(corruptions(valid(), 31, 200));
    }

    @Test
    @Tag("slow")
    void manyMoreCorruptModels() {
        fuzz(corruptions(valid(), 32, 5_000));
    }
}
