package org.gequiv.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes single arrays in NumPy's {@code .npy} format (format versions 1.0, 2.0 and
 * 3.0; see numpy.lib.format).
 *
 * <p>Readable: dtypes float64 and float32 ({@code <f8 >f8 <f4 >f4}), either byte order, C or
 * Fortran order, any rank including 0-d scalars. Everything else is rejected with an
 * {@link NpyFormatException} naming the source. Arrays are returned in C order as double.
 *
 * <p>Written: version 1.0 headers padded to 64 bytes as NumPy does, float64 little-endian C order
 * by default, or any readable {@link Encoding}. Stateless and thread-safe.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy caps header parsing at 10 000 bytes for safety; we allow a little more. */
    private static final int MAX_HEADER = 1 << 16;

    private Npy() {
    }

    /**
     * How an array is stored: element type, byte order, memory order.
     *
     * @param float32      4-byte floats (otherwise 8-byte)
     * @param order        byte order of the elements
     * @param fortranOrder column-major storage
     */
    public record Encoding(boolean float32, ByteOrder order, boolean fortranOrder) {
        /** float64, little-endian, C order: what numpy writes by default on x86. */
        public static final Encoding DEFAULT = new Encoding(false, ByteOrder.LITTLE_ENDIAN, false);

        public Encoding {
            if (order == null) {
                throw new IllegalArgumentException("byte order must be given");
            }
        }

        String descr() {
            return (order == ByteOrder.LITTLE_ENDIAN ? "<" : ">") + (float32 ? "f4" : "f8");
        }
    }

    /** Reads the {@code .npy} file at {@code path}. */
    public static NpyArray read(Path path) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            return read(in, path.toString());
        }
    }

    /**
     * Reads one array from {@code in} (which is left positioned after the data).
     *
     * @param source what to call the input in error messages (a file name, "file.npz, key 'q'")
     */
    public static NpyArray read(InputStream in, String source) throws IOException {
        byte[] magic = readFully(in, 8, source, "magic string and version");
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new NpyFormatException(source + ": not a .npy array: magic string must be \\x93NUMPY, got "
                        + printable(magic, 6));
            }
        }
        int major = magic[6] & 0xFF;
        int headerLength;
        if (major == 1) {
            byte[] len = readFully(in, 2, source, "header length");
            headerLength = (len[0] & 0xFF) | (len[1] & 0xFF) << 8;
        } else if (major == 2 || major == 3) {
            byte[] len = readFully(in, 4, source, "header length");
            long l = (len[0] & 0xFFL) | (len[1] & 0xFFL) << 8 | (len[2] & 0xFFL) << 16 | (len[3] & 0xFFL) << 24;
            if (l > MAX_HEADER) {
                throw new NpyFormatException(source + ": header length must be <= " + MAX_HEADER + " bytes, got " + l);
            }
            headerLength = (int) l;
        } else {
            throw new NpyFormatException(source + ": format version must be 1.x, 2.x or 3.x, got " + major + "."
                    + (magic[7] & 0xFF));
        }
        byte[] headerBytes = readFully(in, headerLength, source, "header");
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = Header.parse(header, source);

        long size = 1;
        for (int s : h.shape) {
            size *= s;
            if (size > Integer.MAX_VALUE - 8) {
                throw new NpyFormatException(source + ": array size must fit in a Java array, got shape "
                        + NpyArray.shapeString(h.shape));
            }
        }
        int width = h.width();
        long bytes = size * width;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException(source + ": array data must be < 2 GiB, got " + bytes + " bytes");
        }
        byte[] raw = readFully(in, (int) bytes, source, "array data of shape " + NpyArray.shapeString(h.shape)
                + " and dtype " + h.descr());
        ByteBuffer buf = ByteBuffer.wrap(raw).order(h.encoding.order());
        double[] stored = new double[(int) size];
        if (h.integer() == 'b') {
            for (int i = 0; i < stored.length; i++) {
                stored[i] = buf.get() & 0xFF;
            }
        } else if (h.integer() == 'l') {
            for (int i = 0; i < stored.length; i++) {
                stored[i] = buf.getLong();
            }
        } else if (h.encoding.float32()) {
            for (int i = 0; i < stored.length; i++) {
                stored[i] = buf.getFloat();
            }
        } else {
            buf.asDoubleBuffer().get(stored);
        }
        double[] data = h.encoding.fortranOrder() && h.shape.length > 1 ? fortranToC(h.shape, stored) : stored;
        return new NpyArray(h.shape, data);
    }

    /** Writes {@code array} to {@code path} as float64 little-endian C order ({@link AtomicFiles}). */
    public static void write(Path path, NpyArray array) throws IOException {
        write(path, array, Encoding.DEFAULT);
    }

    /**
     * Writes {@code array} to {@code path} with the given encoding (float32 rounds the values),
     * atomically and with the umask's permissions ({@link AtomicFiles}).
     */
    public static void write(Path path, NpyArray array, Encoding encoding) throws IOException {
        AtomicFiles.write(path, out -> write(out, array, encoding));
    }

    /** Writes one array to {@code out} (not closed). */
    public static void write(OutputStream out, NpyArray array, Encoding encoding) throws IOException {
        int[] shape = array.shape();
        writeHeader(out, encoding.descr(), encoding.fortranOrder(), shape);
        double[] data = encoding.fortranOrder() && shape.length > 1 ? cToFortran(shape, array.data()) : array.data();
        int width = encoding.float32() ? 4 : 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.min(data.length, 8192) * width + 8).order(encoding.order());
        for (int i = 0; i < data.length; i++) {
            if (encoding.float32()) {
                buf.putFloat((float) data[i]);
            } else {
                buf.putDouble(data[i]);
            }
            if (buf.remaining() < width) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    private static void writeHeader(OutputStream out, String descr, boolean fortranOrder, int[] shape)
            throws IOException {
        StringBuilder dict = new StringBuilder();
        dict.append("{'descr': '").append(descr).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': ")
                .append(NpyArray.shapeString(shape)).append(", }");
        // magic(6) + version(2) + length(2) + dict + padding + '\n' is a multiple of 64
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        dict.append(" ".repeat(padding)).append('\n');
        byte[] header = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (header.length > 0xFFFF) {
            throw new IllegalArgumentException("npy header must be < 65536 bytes, got " + header.length);
        }
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length & 0xFF);
        out.write(header.length >>> 8);
        out.write(header);
    }

    /**
     * Writes UTF-8 {@code text} as a uint8 vector ({@code '|u1'}), which NumPy decodes with
     * {@code a.tobytes().decode()}; {@link #read} returns its byte values.
     */
    public static void writeText(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeHeader(out, "|u1", false, new int[] {bytes.length});
        out.write(bytes);
    }

    /** Writes {@code value} as a 0-d int64 array ({@code '<i8'}); {@link #read} returns it as a double. */
    public static void writeInt64(OutputStream out, long value) throws IOException {
        writeHeader(out, "<i8", false, new int[0]);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    /** C-order data from Fortran-order storage of the same shape. */
    static double[] fortranToC(int[] shape, double[] fortran) {
        double[] c = new double[fortran.length];
        permute(shape, fortran, c, true);
        return c;
    }

    static double[] cToFortran(int[] shape, double[] c) {
        double[] f = new double[c.length];
        permute(shape, c, f, false);
        return f;
    }

    /** Walks the C-order multi-index; {@code fromFortran} chooses the direction of the copy. */
    private static void permute(int[] shape, double[] src, double[] dst, boolean fromFortran) {
        int r = shape.length;
        int[] fStride = new int[r];
        int s = 1;
        for (int i = 0; i < r; i++) {
            fStride[i] = s;
            s *= shape[i];
        }
        int[] idx = new int[r];
        int fIndex = 0;
        for (int cIndex = 0; cIndex < src.length; cIndex++) {
            if (fromFortran) {
                dst[cIndex] = src[fIndex];
            } else {
                dst[fIndex] = src[cIndex];
            }
            for (int d = r - 1; d >= 0; d--) {
                idx[d]++;
                fIndex += fStride[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                fIndex -= idx[d] * fStride[d];
                idx[d] = 0;
            }
        }
    }

    private static byte[] readFully(InputStream in, int n, String source, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new NpyFormatException(source + ": truncated file: " + what + " must have " + n + " bytes, got "
                    + b.length);
        }
        return b;
    }

    private static String printable(byte[] b, int n) {
        StringBuilder s = new StringBuilder("'");
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c >= 32 && c < 127) {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.append('\'').toString();
    }

    /** The parsed header dictionary. */
    private record Header(Encoding encoding, int[] shape, char integer, String descr) {

        /** Bytes per element. */
        int width() {
            return integer == 'b' ? 1 : encoding.float32() ? 4 : 8;
        }

        static Header parse(String text, String source) throws NpyFormatException {
            String t = text.strip();
            if (!t.startsWith("{") || !t.endsWith("}")) {
                throw new NpyFormatException(source + ": header must be a Python dict literal, got " + quote(t));
            }
            String descr = null;
            Boolean fortran = null;
            int[] shape = null;
            Parser p = new Parser(t.substring(1, t.length() - 1), source, t);
            while (true) {
                p.skipSpaces();
                if (p.atEnd()) {
                    break;
                }
                String key = p.string();
                p.expect(':');
                switch (key) {
                    case "descr" -> descr = p.string();
                    case "fortran_order" -> fortran = p.bool();
                    case "shape" -> shape = p.tuple();
                    default -> throw new NpyFormatException(source + ": header keys must be descr, fortran_order, "
                            + "shape, got '" + key + "' in " + quote(t));
                }
                p.skipSpaces();
                if (p.atEnd()) {
                    break;
                }
                p.expect(',');
            }
            if (descr == null || fortran == null || shape == null) {
                throw new NpyFormatException(source + ": header must define descr, fortran_order and shape, got "
                        + quote(t));
            }
            Encoding enc;
            char integer = 0;
            switch (descr) {
                case "<f8" -> enc = new Encoding(false, ByteOrder.LITTLE_ENDIAN, fortran);
                case ">f8" -> enc = new Encoding(false, ByteOrder.BIG_ENDIAN, fortran);
                case "<f4" -> enc = new Encoding(true, ByteOrder.LITTLE_ENDIAN, fortran);
                case ">f4" -> enc = new Encoding(true, ByteOrder.BIG_ENDIAN, fortran);
                case "|u1", "<u1" -> {
                    enc = new Encoding(false, ByteOrder.LITTLE_ENDIAN, fortran);
                    integer = 'b';
                }
                case "<i8" -> {
                    enc = new Encoding(false, ByteOrder.LITTLE_ENDIAN, fortran);
                    integer = 'l';
                }
                case ">i8" -> {
                    enc = new Encoding(false, ByteOrder.BIG_ENDIAN, fortran);
                    integer = 'l';
                }
                default -> throw new NpyFormatException(source + ": dtype must be float64, float32, int64 or uint8 "
                        + "('<f8', '>f8', '<f4', '>f4', '<i8', '>i8', '|u1'), got '" + descr + "'");
            }
            return new Header(enc, shape, integer, descr);
        }

        private static String quote(String s) {
            return "\"" + (s.length() > 200 ? s.substring(0, 200) + "…" : s) + "\"";
        }
    }

    /** A tiny reader for the literals numpy writes in headers. */
    private static final class Parser {
        private final String s;
        private final String source;
        private final String whole;
        private int pos;

        Parser(String s, String source, String whole) {
            this.s = s;
            this.source = source;
            this.whole = whole;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        void expect(char c) throws NpyFormatException {
            skipSpaces();
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        String string() throws NpyFormatException {
            skipSpaces();
            if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
                throw error("a quoted string");
            }
            char q = s.charAt(pos++);
            int end = s.indexOf(q, pos);
            if (end < 0) {
                throw error("a closing quote");
            }
            String v = s.substring(pos, end);
            pos = end + 1;
            return v;
        }

        boolean bool() throws NpyFormatException {
            skipSpaces();
            if (s.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw error("True or False");
        }

        int[] tuple() throws NpyFormatException {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (true) {
                skipSpaces();
                if (pos < s.length() && s.charAt(pos) == ')') {
                    pos++;
                    break;
                }
                int start = pos;
                // ASCII digits only, as in a Python literal (Character.isDigit accepts any script's)
                while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                    pos++;
                }
                // numpy may write Python 2 long literals such as 3L
                String digits = s.substring(start, pos);
                if (pos < s.length() && s.charAt(pos) == 'L') {
                    pos++;
                }
                if (digits.isEmpty()) {
                    throw error("a non-negative dimension");
                }
                long v;
                try {
                    v = Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw error("a dimension that fits in an int");
                }
                if (v > Integer.MAX_VALUE) {
                    throw error("a dimension that fits in an int");
                }
                dims.add((int) v);
                skipSpaces();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                }
            }
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }

        private NpyFormatException error(String expected) {
            return new NpyFormatException(source + ": malformed header: expected " + expected + " at position "
                    + pos + " of " + Header.quote(whole));
        }
    }
}
