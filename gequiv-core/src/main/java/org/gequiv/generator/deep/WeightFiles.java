package org.gequiv.generator.deep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.gequiv.validation.InvalidInputException;

/** Reads and writes the {@code .npz} weight files of {@link DcganWeights} and {@link RealNvpWeights}. */
public final class WeightFiles {

    private WeightFiles() {
    }

    /** DCGAN weights from an npz (documented names or PyTorch {@code main.*} names). */
    public static DcganWeights readDcgan(Path file) throws IOException {
        NpzArchive npz = NpzArchive.read(file);
        try {
            return DcganWeights.fromArrays(data(npz), shapes(npz));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, file.toString(), file + ": " + e.getMessage(), e);
        }
    }

    /** Real NVP weights from an npz. */
    public static RealNvpWeights readRealNvp(Path file) throws IOException {
        NpzArchive npz = NpzArchive.read(file);
        try {
            return RealNvpWeights.fromArrays(data(npz), shapes(npz));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, file.toString(), file + ": " + e.getMessage(), e);
        }
    }

    public static void write(Path file, DcganWeights w) throws IOException {
        write(file, w.toArrays(), w.arrayShapes());
    }

    public static void write(Path file, RealNvpWeights w) throws IOException {
        write(file, w.toArrays(), w.shapes());
    }

    private static void write(Path file, Map<String, double[]> data, Map<String, int[]> shapes) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : data.entrySet()) {
            arrays.put(e.getKey(), new NpyArray(shapes.get(e.getKey()), e.getValue()));
        }
        NpzArchive.write(file, arrays, true);
    }

    private static Map<String, double[]> data(NpzArchive npz) {
        Map<String, double[]> m = new LinkedHashMap<>();
        npz.arrays().forEach((k, v) -> m.put(k, v.data()));
        return m;
    }

    private static Map<String, int[]> shapes(NpzArchive npz) {
        Map<String, int[]> m = new LinkedHashMap<>();
        npz.arrays().forEach((k, v) -> m.put(k, v.shape()));
        return m;
    }

    /**
     * SHA-256 of every value of {@code arrays} in iteration order (big-endian doubles), so that
     * provenance and checkpoints tell weights apart.
     */
    static String digest(Map<String, double[]> arrays) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            // the big-endian bytes of every value in order, fed in blocks (the same digest as value by value)
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 * 8192);
            for (double[] a : arrays.values()) {
                for (int i = 0; i < a.length; i += 8192) {
                    int len = Math.min(8192, a.length - i);
                    buf.clear();
                    buf.asDoubleBuffer().put(a, i, len);
                    md.update(buf.array(), 0, 8 * len);
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
