package org.gequiv.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A NumPy {@code .npz} archive: a zip file of {@code .npy} members, stored or deflated (as written
 * by {@code numpy.savez} and {@code numpy.savez_compressed}). Keys are member names without the
 * {@code .npy} suffix.
 *
 * <p>Reading loads every member eagerly; {@link #require} and {@link #scalar} check shapes and say,
 * when they do not match, which file and key, what was expected and what was found. Immutable after
 * reading and thread-safe.
 */
public final class NpzArchive {

    private final String source;
    private final Map<String, NpyArray> arrays;

    private NpzArchive(String source, Map<String, NpyArray> arrays) {
        this.source = source;
        this.arrays = Collections.unmodifiableMap(arrays);
    }

    /** An in-memory archive (for writing), keys in the given order. */
    public static NpzArchive of(Map<String, NpyArray> arrays) {
        return new NpzArchive("<memory>", new LinkedHashMap<>(arrays));
    }

    /**
     * Reads every member of the archive at {@code path}.
     *
     * @throws NpyFormatException if the file is not a zip archive, is damaged, or holds a member
     *                            that is not a readable {@code .npy} array
     */
    public static NpzArchive read(Path path) throws IOException {
        String name = path.toString();
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException | java.io.EOFException e) {
            throw new NpyFormatException(name + ": not a readable .npz (zip) archive: " + e.getMessage(), e);
        }
        try (zip) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String key = e.getName().endsWith(".npy")
                        ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                String where = name + ", key '" + key + "'";
                try (InputStream in = new BufferedInputStream(zip.getInputStream(e))) {
                    arrays.put(key, Npy.read(in, where));
                } catch (ZipException | java.io.EOFException ex) {
                    throw new NpyFormatException(where + ": damaged archive member: " + ex.getMessage(), ex);
                }
            }
        }
        return new NpzArchive(name, arrays);
    }

    /** Writes the arrays to {@code path} as float64 C order, deflated when {@code compress}. */
    public static void write(Path path, Map<String, NpyArray> arrays, boolean compress) throws IOException {
        write(path, arrays, compress, Npy.Encoding.DEFAULT);
    }

    /**
     * Writes the arrays to {@code path} with one encoding for all members, atomically and with the
     * umask's permissions ({@link AtomicFiles}): a failure leaves no partial archive.
     */
    public static void write(Path path, Map<String, NpyArray> arrays, boolean compress, Npy.Encoding encoding)
            throws IOException {
        AtomicFiles.write(path, out -> writeTo(out, arrays, compress, encoding));
    }

    /**
     * Writes members of mixed types, atomically ({@link AtomicFiles}): an {@link NpyArray} as
     * float64, a {@link String} as UTF-8 text in a uint8 vector ({@link Npy#writeText}), a
     * {@link Long} or {@link Integer} as a 0-d int64 ({@link Npy#writeInt64}).
     */
    public static void writeMembers(Path path, Map<String, ?> members, boolean compress) throws IOException {
        for (Map.Entry<String, ?> e : members.entrySet()) {
            Object v = e.getValue();
            if (!(v instanceof NpyArray || v instanceof String || v instanceof Long || v instanceof Integer)) {
                throw new IllegalArgumentException("npz member '" + e.getKey() + "' must be an NpyArray, String, Long "
                        + "or Integer, got " + (v == null ? "null" : v.getClass().getSimpleName()));
            }
        }
        AtomicFiles.write(path, out -> writeTo(out, members, compress, Npy.Encoding.DEFAULT));
    }

    private static void writeMember(OutputStream out, Object member, Npy.Encoding encoding) throws IOException {
        if (member instanceof NpyArray a) {
            Npy.write(out, a, encoding);
        } else if (member instanceof String text) {
            Npy.writeText(out, text);
        } else {
            Npy.writeInt64(out, ((Number) member).longValue());
        }
    }

    private static void writeTo(OutputStream out, Map<String, ?> arrays, boolean compress,
                                Npy.Encoding encoding) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, ?> e : arrays.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                if (compress) {
                    entry.setMethod(ZipEntry.DEFLATED);
                    zip.putNextEntry(entry);
                    writeMember(zip, e.getValue(), encoding);
                } else {
                    // stored entries need size and CRC before the data
                    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                    writeMember(bytes, e.getValue(), encoding);
                    byte[] b = bytes.toByteArray();
                    CRC32 crc = new CRC32();
                    crc.update(b);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(b.length);
                    entry.setCompressedSize(b.length);
                    entry.setCrc(crc.getValue());
                    zip.putNextEntry(entry);
                    zip.write(b);
                }
                zip.closeEntry();
            }
        }
    }

    /** The file this archive was read from, for messages. */
    public String source() {
        return source;
    }

    /** Member keys in archive order. */
    public Set<String> keys() {
        return arrays.keySet();
    }

    /** Whether the archive has member {@code key}. */
    public boolean has(String key) {
        return arrays.containsKey(key);
    }

    /** All members, in archive order (unmodifiable). */
    public Map<String, NpyArray> arrays() {
        return arrays;
    }

    /**
     * Member {@code key}.
     *
     * @throws org.gequiv.validation.InvalidInputException naming the file and the keys present when it is missing
     */
    public NpyArray get(String key) {
        NpyArray a = arrays.get(key);
        if (a == null) {
            throw new org.gequiv.validation.InvalidInputException(key, source, source + ": key '" + key
                    + "' must be present, got keys " + arrays.keySet(), null);
        }
        return a;
    }

    /**
     * Member {@code key} with the given shape; a negative expected dimension matches any size.
     *
     * @throws org.gequiv.validation.InvalidInputException naming file, key, expected and found shape on mismatch
     */
    public NpyArray require(String key, int... shape) {
        NpyArray a = get(key);
        int[] found = a.shape();
        boolean ok = found.length == shape.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = shape[i] < 0 || shape[i] == found[i];
        }
        if (!ok) {
            throw new org.gequiv.validation.InvalidInputException(key, source, source + ": key '" + key
                    + "' must have shape " + describe(shape) + ", got " + a.shapeString(), null);
        }
        return a;
    }

    /**
     * The scalar member {@code key}: a 0-d array, or an array with a single entry (shape (1,)).
     *
     * @throws org.gequiv.validation.InvalidInputException naming file, key and found shape otherwise
     */
    public double scalar(String key) {
        NpyArray a = get(key);
        if (a.size() != 1 || a.rank() > 1) {
            throw new org.gequiv.validation.InvalidInputException(key, source, source + ": key '" + key
                    + "' must be a scalar (shape () or (1,)), got " + a.shapeString(), null);
        }
        return a.data()[0];
    }

    private static String describe(int[] shape) {
        String[] parts = new String[shape.length];
        for (int i = 0; i < shape.length; i++) {
            parts[i] = shape[i] < 0 ? "any" : Integer.toString(shape[i]);
        }
        return shape.length == 1 ? "(" + parts[0] + ",)" : "(" + String.join(", ", Arrays.asList(parts)) + ")";
    }
}
