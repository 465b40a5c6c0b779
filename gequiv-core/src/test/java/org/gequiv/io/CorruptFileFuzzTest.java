package org.gequiv.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;


import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gequiv.generator.deep.DcganWeights;
import org.gequiv.generator.deep.RealNvpArchitecture;
import org.gequiv.generator.deep.RealNvpWeights;
import org.gequiv.generator.deep.SampleFileGenerator;
import org.gequiv.generator.deep.WeightFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random corruption of every binary file the library reads ({@link Corruptions}): a reader
 * either returns (a flipped data byte is just another number) or throws its documented format
 * exception — {@link NpyFormatException} for npy and npz files, or, for a sample folder or a
 * weights file made of readable arrays with the wrong content (a wrong shape, a NaN, row counts
 * that differ), the {@link IllegalArgumentException} of the library's own validation — within a bounded time, and never an OutOfMemoryError, a
 * NegativeArraySizeException, an index error, or any other exception. The default tier runs a few
 * hundred cases in about a second; the {@code slow} tier many more from other seeds.
 */
class CorruptFileFuzzTest {

    /** Generous: a case takes milliseconds; a hang or a huge allocation takes far longer. */
    private static final Duration PER_CASE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @FunctionalInterface
    interface Reader {
        void read(byte[] bytes) throws Exception;
    }

    /**
     * Runs every case through {@code reader}: it may return, or throw an {@link NpyFormatException}
     * or, when {@code contentRefusals}, an {@link IllegalArgumentException} raised by the library's
     * own validation (not one thrown inside the JDK, such as FileChannel.map's on a negative size,
     * or a NumberFormatException); anything else fails, as does a case that takes too long.
     */
    static void fuzz(String what, List<Corruptions.Case> cases, Reader reader, boolean contentRefusals) {
        fuzz(what, cases, reader, contentRefusals, t -> false);
    }

    static void fuzz(String what, List<Corruptions.Case> cases, Reader reader, boolean contentRefusals,
                     java.util.function.Predicate<Throwable> knownDefect) {
        // distinct failures (by exception type and the frame that threw), each with its first case
        Map<String, String> failures = new LinkedHashMap<>();
        for (Corruptions.Case c : cases) {
            String failure = assertTimeoutPreemptively(PER_CASE, () -> {
                try {
                    reader.read(c.bytes());
                    return null;
                } catch (Throwable t) {
                    boolean documented = t instanceof NpyFormatException
                            || contentRefusals && isLibraryRefusal(t) || knownDefect.test(t);
                    if (!documented) {
                        return "undocumented " + t + " at " + firstFrames(t);
                    }
                    if (t.getMessage() == null || t.getMessage().isBlank()) {
                        return t.getClass().getName() + " without a message at " + firstFrames(t);
                    }
                    return null;
                }
            }, () -> what + ", " + c + ": took longer than " + PER_CASE);
            if (failure != null) {
                failures.putIfAbsent(failure.replaceAll(": .*? at ", " at "), c + ": " + failure);
            }
        }
        if (!failures.isEmpty()) {
            fail(what + ": " + failures.size() + " kinds of failure:\n" + String.join("\n", failures.values()));
        }
    }

    private static String firstFrames(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(3, st.length); i++) {
            s.append(i == 0 ? "" : " < ").append(st[i].getClassName().replaceAll(".*\\.", "")).append('.')
                    .append(st[i].getMethodName()).append(':').append(st[i].getLineNumber());
        }
        return s.toString();
    }

    /**
     * Defects of {@code generator/deep/MappedNpy} that this fuzzer found (dimensions that are not plain
     * decimal integers, negative dimensions, row counts whose byte size overflows a long) are fixed;
     * no exception is tolerated any more. Kept as a hook for the mapped sample reader's cases.
     */
    static boolean knownMappedNpyDefect(Throwable t) {
        return false;
    }

    /** An IllegalArgumentException thrown by gequiv's own checks (its first frame is gequiv code). */
    static boolean isLibraryRefusal(Throwable t) {
        if (!(t instanceof IllegalArgumentException) || t instanceof NumberFormatException) {
            return false;
        }
        StackTraceElement[] st = t.getStackTrace();
        return st.length > 0 && st[0].getClassName().startsWith("org.gequiv.")
                && (t.getCause() == null || t.getCause() instanceof IllegalArgumentException
                    && isLibraryRefusal(t.getCause()));
    }

    private static byte[] npyBytes(NpyArray a, Npy.Encoding enc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a, enc);
        return out.toByteArray();
    }

    private static NpyArray ramp(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = 0.25 * i - 1;
        }
        return new NpyArray(shape, d);
    }

    private void npy(long seed, int count) throws IOException {
        Npy.Encoding[] encodings = {Npy.Encoding.DEFAULT, new Npy.Encoding(true, ByteOrder.BIG_ENDIAN, true)};
        for (Npy.Encoding enc : encodings) {
            byte[] valid = npyBytes(ramp(3, 4, 2), enc);
            Corruptions corruptions = new Corruptions(valid);
            List<Corruptions.Case> cases = new java.util.ArrayList<>(corruptions.absurdHeaders());
            cases.addAll(corruptions.cases(seed, count));
            fuzz("npy " + enc, cases, b -> {
                NpyArray a = Npy.read(new ByteArrayInputStream(b), "fuzz.npy");
                // what a reader returns is consistent with itself
                assertEquals(a.size(), a.data().length);
            }, false);
        }
    }

    private byte[] npzBytes(boolean compress) throws IOException {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("rho", ramp(5));
        m.put("q", ramp(2, 2, 5));
        m.put("delta", NpyArray.scalar(0.5));
        Path f = dir.resolve("valid-" + compress + ".npz");
        NpzArchive.write(f, m, compress, Npy.Encoding.DEFAULT);
        return Files.readAllBytes(f);
    }

    private void npz(long seed, int count) throws IOException {
        Path f = dir.resolve("fuzz.npz");
        for (boolean compress : new boolean[] {false, true}) {
            Corruptions corruptions = new Corruptions(npzBytes(compress));
            List<Corruptions.Case> cases = new java.util.ArrayList<>(corruptions.absurdHeaders());
            cases.addAll(corruptions.cases(seed, count));
            fuzz("npz compress=" + compress, cases, b -> {
                Files.write(f, b);
                NpzArchive.read(f);
            }, false);
        }
    }

    private void sampleFolder(long seed, int count) throws IOException {
        Path samples = Files.createDirectories(dir.resolve("samples"));
        Npy.write(samples.resolve("c.npy"), ramp(6, 2));
        Npy.write(samples.resolve("x.npy"), ramp(6, 3), new Npy.Encoding(true, ByteOrder.LITTLE_ENDIAN, false));
        for (String name : new String[] {"c.npy", "x.npy"}) {
            byte[] valid = Files.readAllBytes(samples.resolve(name));
            Corruptions corruptions = new Corruptions(valid);
            List<Corruptions.Case> cases = new java.util.ArrayList<>(corruptions.absurdHeaders());
            cases.addAll(corruptions.cases(seed, count));
            fuzz("samples " + name, cases, b -> {
                Files.write(samples.resolve(name), b);
                SampleFileGenerator g = new SampleFileGenerator(samples);
                // rows of a folder that opened are readable: a mapped file shorter than its header
                // claims would fail here
                double[] c = new double[g.latentDimension()];
                double[] x = new double[g.inputDimension()];
                g.read(g.size() - 1, 1, c, x);
            }, true, CorruptFileFuzzTest::knownMappedNpyDefect);
            Files.write(samples.resolve(name), valid);
        }
    }

    private void realNvp(long seed, int count) throws IOException {
        Path valid = dir.resolve("nvp.npz");
        WeightFiles.write(valid, RealNvpWeights.random(new RealNvpArchitecture(1, 4, 2, 2), 7));
        Path f = dir.resolve("fuzz-nvp.npz");
        fuzz("real NVP weights", new Corruptions(Files.readAllBytes(valid)).cases(seed, count), b -> {
            Files.write(f, b);
            WeightFiles.readRealNvp(f);
        }, true);
    }

    private void dcgan(long seed, int count) throws IOException {
        // stored float32 members: every header is reachable by a corruption, as in a PyTorch export
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        DcganWeights w = DcganWeights.random(3);
        Map<String, int[]> shapes = DcganWeights.shapes();
        w.toArrays().forEach((k, v) -> arrays.put(k, new NpyArray(shapes.get(k), v)));
        Path valid = dir.resolve("dcgan.npz");
        NpzArchive.write(valid, arrays, false, new Npy.Encoding(true, ByteOrder.LITTLE_ENDIAN, false));
        Path f = dir.resolve("fuzz-dcgan.npz");
        fuzz("DCGAN weights", new Corruptions(Files.readAllBytes(valid)).cases(seed, count), b -> {
            Files.write(f, b);
            WeightFiles.readDcgan(f);
        }, true);
    }

    @Test
    void corruptNpyArraysGiveOnlyTheFormatException() throws IOException {
        npy(11, 300);
    }

    @Test
    void corruptNpzArchivesGiveOnlyTheFormatException() throws IOException {
        npz(12, 150);
    }

    @Test
    void corruptSampleFilesGiveOnlyTheFormatException() throws IOException {
        sampleFolder(13, 80);
    }

    @Test
    void corruptWeightFilesGiveOnlyDocumentedExceptions() throws IOException {
        realNvp(14, 120);
    }

    @Test
    void dcganFilesWithWrongContentAreRefusedByTheLoader() throws IOException {
        // a DCGAN file is 14 MB, so whole-file corruption runs in the slow tier; here readable
        // archives with the DCGAN keys and absurd or wrong content, refused before any large work
        Path f = dir.resolve("wrong-dcgan.npz");
        Map<String, int[]> shapes = DcganWeights.shapes();
        List<Corruptions.Case> cases = new java.util.ArrayList<>();
        int[][] wrong = {{100, 512, 4}, {512, 100, 4, 4}, {0, 512, 4, 4}, {100, 512, 4, 4, 1}, {}};
        for (int i = 0; i < wrong.length; i++) {
            Map<String, NpyArray> arrays = new LinkedHashMap<>();
            int n = 1;
            for (int s : wrong[i]) {
                n *= s;
            }
            arrays.put("conv1.weight", new NpyArray(wrong[i], new double[n]));
            NpzArchive.write(f, arrays, true);
            cases.add(new Corruptions.Case(i, "conv1.weight of shape " + java.util.Arrays.toString(wrong[i]),
                    Files.readAllBytes(f)));
        }
        // the torch names with a NaN batch-norm variance, and an empty archive
        Map<String, NpyArray> torch = new LinkedHashMap<>();
        shapes.forEach((k, s) -> {
            if (k.startsWith("bn1")) {
                double[] v = new double[s[0]];
                v[3] = Double.NaN;
                torch.put(k.replace("bn1", "main.1"), new NpyArray(s, v));
            }
        });
        NpzArchive.write(f, torch, false);
        cases.add(new Corruptions.Case(cases.size(), "torch names, NaN variance", Files.readAllBytes(f)));
        NpzArchive.write(f, Map.of(), false);
        cases.add(new Corruptions.Case(cases.size(), "no arrays", Files.readAllBytes(f)));
        fuzz("DCGAN content", cases, b -> {
            Files.write(f, b);
            WeightFiles.readDcgan(f);
            fail("a file without the DCGAN kernels must be refused");
        }, true);
    }

    @Test
    void absurdRealNvpArchitecturesAreRefusedWithoutAllocating() throws IOException {
        RealNvpWeights base = RealNvpWeights.random(new RealNvpArchitecture(1, 4, 2, 2), 7);
        double[][] architectures = {
            {Double.NaN, 4, 2, 2}, {1, Double.POSITIVE_INFINITY, 2, 2}, {1, 4, -1, 2}, {1, 4, 2, 0},
            {1e300, 4, 2, 2}, {1, 4, 33, 2}, {1, 1 << 30, 2, 2}, {1, 4, 2, 2e9},
            // scales = 2^28 + 1 used to pass RealNvpArchitecture's checks (shifts wrap modulo 32) and
            // allocate 1.6e9 couplings: an OutOfMemoryError
            {1, 4, 268_435_457, 2},
        };
        Path f = dir.resolve("arch.npz");
        List<Corruptions.Case> cases = new java.util.ArrayList<>();
        for (int i = 0; i < architectures.length; i++) {
            Map<String, NpyArray> arrays = new LinkedHashMap<>();
            Map<String, int[]> shapes = base.shapes();
            base.toArrays().forEach((k, v) -> arrays.put(k, new NpyArray(shapes.get(k), v)));
            arrays.put("architecture", NpyArray.vector(architectures[i]));
            NpzArchive.write(f, arrays, false);
            cases.add(new Corruptions.Case(i, "architecture " + java.util.Arrays.toString(architectures[i]),
                    Files.readAllBytes(f)));
        }
        fuzz("real NVP architecture", cases, b -> {
            Files.write(f, b);
            WeightFiles.readRealNvp(f);
        }, true);
    }

    @Test
    void theCorruptionsAreReproducibleAndVaried() throws IOException {
        byte[] valid = npzBytes(false);
        List<Corruptions.Case> a = new Corruptions(valid).cases(99, 64);
        List<Corruptions.Case> b = new Corruptions(valid).cases(99, 64);
        java.util.Set<String> kinds = new java.util.HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).description(), b.get(i).description());
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(i).bytes(), b.get(i).bytes());
            kinds.add(a.get(i).description().replaceAll("[0-9].*", ""));
        }
        // flips, overwritten bytes, truncations, insertions, absurd shapes, header lengths, zip fields
        org.junit.jupiter.api.Assertions.assertTrue(kinds.size() >= 6, kinds.toString());
    }

    @Test
    @Tag("slow")
    void manyMoreCorruptions() throws IOException {
        Random seeds = new Random(2024);
        for (int round = 0; round < 10; round++) {
            npy(seeds.nextLong(), 2_000);
            npz(seeds.nextLong(), 1_000);
            sampleFolder(seeds.nextLong(), 500);
            realNvp(seeds.nextLong(), 500);
        }
        dcgan(seeds.nextLong(), 60);
    }
}
