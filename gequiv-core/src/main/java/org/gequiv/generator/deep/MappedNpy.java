package org.gequiv.generator.deep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gequiv.io.NpyFormatException;

/**
 * A two-dimensional float64 or float32 C-order {@code .npy} file mapped into memory (read-only),
 * row by row, without loading it: files larger than the heap or than 2 GiB are fine. The header
 * parsing is the small subset needed here; {@link org.gequiv.io.Npy} reads whole arrays.
 * Thread-safe (absolute reads only).
 */
final class MappedNpy {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>=|]?)([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** Bytes per mapped segment (whole rows), below the 2 GiB limit of one mapping. */
    private static final long SEGMENT = 1L << 30;

    final Path file;
    final long rows;
    final int cols;
    private final boolean float32;
    private final long rowsPerSegment;
    private final DoubleBuffer[] doubles;
    private final FloatBuffer[] floats;

    MappedNpy(Path file) throws IOException {
        this.file = file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(pre, 0);
            pre.flip();
            if (pre.remaining() < 10 || (pre.get(0) & 0xFF) != 0x93 || pre.get(1) != 'N' || pre.get(2) != 'U'
                    || pre.get(3) != 'M' || pre.get(4) != 'P' || pre.get(5) != 'Y') {
                throw new NpyFormatException(file + ": not a .npy file (magic string must be \\x93NUMPY)");
            }
            int major = pre.get(6) & 0xFF;
            long headerLength;
            int prefix;
            if (major == 1) {
                headerLength = pre.getShort(8) & 0xFFFF;
                prefix = 10;
            } else if ((major == 2 || major == 3) && pre.remaining() >= 12) {
                headerLength = pre.getInt(8) & 0xFFFFFFFFL;
                prefix = 12;
            } else {
                throw new NpyFormatException(file + ": npy format version must be 1, 2 or 3, got " + major);
            }
            if (prefix + headerLength > length || headerLength > 1 << 16) {
                throw new NpyFormatException(file + ": truncated header (" + length + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
            ch.read(hb, prefix);
            String header = new String(hb.array(), StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher f = FORTRAN.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !f.find() || !s.find()) {
                throw new NpyFormatException(file + ": cannot parse npy header " + header.trim());
            }
            String kind = d.group(2);
            if (d.group(3).length() > 2) {
                throw new NpyFormatException(file + ": dtype must be float32 or float64, got " + d.group(0));
            }
            int width = Integer.parseInt(d.group(3));
            if (!kind.equals("f") || (width != 4 && width != 8)) {
                throw new NpyFormatException(file + ": dtype must be float32 or float64, got " + d.group(0));
            }
            float32 = width == 4;
            ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN
                    : d.group(1).equals("=") ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
            String[] dims = s.group(1).split(",");
            long[] shape = new long[2];
            int rank = 0;
            for (String dim : dims) {
                if (!dim.isBlank()) {
                    if (rank == 2) {
                        rank++;
                        break;
                    }
                    String digits = dim.trim();
                    if (digits.endsWith("L")) {
                        digits = digits.substring(0, digits.length() - 1);
                    }
                    if (!digits.matches("[0-9]{1,18}")) {
                        throw new NpyFormatException(file + ": shape must be a tuple of non-negative integers, got ("
                                + s.group(1) + ")");
                    }
                    shape[rank++] = Long.parseLong(digits);
                }
            }
            if (rank != 2) {
                throw new NpyFormatException(file + ": array must be two-dimensional (samples × dimension), got shape ("
                        + s.group(1) + ")");
            }
            if (f.group(1).equals("True") && shape[1] > 1 && shape[0] > 1) {
                throw new NpyFormatException(file + ": array must be in C order for memory mapping, got Fortran order");
            }
            rows = shape[0];
            if (shape[1] < 1 || shape[1] > Integer.MAX_VALUE / 8) {
                throw new NpyFormatException(file + ": number of columns must be in [1, 2^28), got " + shape[1]);
            }
            cols = (int) shape[1];
            long dataStart = prefix + headerLength;
            long rowBytes = (long) cols * width;
            if (rows > (Long.MAX_VALUE - dataStart) / rowBytes) {
                throw new NpyFormatException(file + ": shape (" + rows + ", " + cols + ") is larger than any file");
            }
            long needed = dataStart + rows * rowBytes;
            if (length < needed) {
                throw new NpyFormatException(file + ": truncated: shape (" + rows + ", " + cols + ") needs " + needed
                        + " bytes, the file has " + length);
            }
            rowsPerSegment = Math.max(1, SEGMENT / rowBytes);
            int segments = (int) Math.max(1, (rows + rowsPerSegment - 1) / rowsPerSegment);
            doubles = float32 ? null : new DoubleBuffer[segments];
            floats = float32 ? new FloatBuffer[segments] : null;
            for (int i = 0; i < segments; i++) {
                long first = i * rowsPerSegment;
                long count = Math.min(rowsPerSegment, rows - first);
                MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + first * rowBytes,
                        count * rowBytes);
                m.order(order);
                if (float32) {
                    floats[i] = m.asFloatBuffer();
                } else {
                    doubles[i] = m.asDoubleBuffer();
                }
            }
        }
    }

    /** Copies row {@code r} into {@code out[offset … offset + cols)}. */
    void row(long r, double[] out, int offset) {
        int seg = (int) (r / rowsPerSegment);
        int at = (int) ((r % rowsPerSegment) * cols);
        if (float32) {
            FloatBuffer fb = floats[seg];
            for (int j = 0; j < cols; j++) {
                out[offset + j] = fb.get(at + j);
            }
        } else {
            doubles[seg].get(at, out, offset, cols);
        }
    }
}
