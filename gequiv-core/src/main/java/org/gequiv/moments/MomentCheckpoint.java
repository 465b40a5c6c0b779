package org.gequiv.moments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.gequiv.io.AtomicFiles;

/**
 * Binary checkpoint of a {@link MomentState}.
 *
 * <p>Layout (little-endian): the 8 ASCII bytes {@code GQMOMCK1}; an int32 header length; a UTF-8
 * JSON header with the identity of the run ({@code generator}, {@code fingerprint}, {@code seed},
 * {@code N}, {@code D}, {@code blockSize}) and its progress ({@code samples}, {@code blocks},
 * {@code logEntries}); then float64 arrays mean_c (D), mean_x (N), M_xx (N·N), M_xc (N·D) and
 * the log (5 per entry); finally the CRC-32 of all preceding bytes as an int64. Files are written
 * with {@link AtomicFiles} (a temporary file unique to the process, moved into place), so a crash
 * or a full disk never leaves a half-written checkpoint under the final name, nor a temporary file.
 */
final class MomentCheckpoint {

    private static final byte[] MAGIC = "GQMOMCK1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 20;
    /** Longest header accepted; real headers are a few hundred bytes. */
    private static final int MAX_HEADER = 1 << 24;

    /** What a checkpoint must agree with to be resumed. */
    record Identity(String generator, String fingerprint, long seed, int n, int d, int blockSize) {
    }

    private MomentCheckpoint() {
    }

    /**
     * Writes the checkpoint with {@link AtomicFiles}: a failure (a full disk, say) leaves the
     * previous checkpoint in place and no temporary file.
     *
     * @throws UncheckedIOException naming the file and the cause
     */
    static void write(Path file, Identity id, MomentState s) {
        ObjectNode h = JSON.createObjectNode();
        h.put("format", 1);
        h.put("generator", id.generator());
        h.put("fingerprint", id.fingerprint());
        h.put("seed", id.seed());
        h.put("N", id.n());
        h.put("D", id.d());
        h.put("blockSize", id.blockSize());
        h.put("samples", s.count);
        h.put("blocks", s.blocksDone);
        h.put("logEntries", s.log.size());
        s.symmetrise();
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        if (header.length > MAX_HEADER) {
            throw new IllegalStateException("checkpoint header must be <= " + MAX_HEADER + " bytes, got "
                    + header.length);
        }
        double[] logValues = new double[5 * s.log.size()];
        for (int i = 0; i < s.log.size(); i++) {
            ConvergenceRecord r = s.log.get(i);
            logValues[5 * i] = r.samples();
            logValues[5 * i + 1] = r.relChangeOmega();
            logValues[5 * i + 2] = r.relChangePhi();
            logValues[5 * i + 3] = r.relErrorOmega();
            logValues[5 * i + 4] = r.relErrorPhi();
        }
        try {
            AtomicFiles.write(file, out -> {
                CRC32 crc = new CRC32();
                ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                buf.put(MAGIC).putInt(header.length);
                flush(out, buf, crc);
                for (int off = 0; off < header.length; off += CHUNK) {
                    buf.put(header, off, Math.min(CHUNK, header.length - off));
                    flush(out, buf, crc);
                }
                for (double[] a : new double[][] {s.meanC, s.meanX, s.m2xx, s.m2xc, logValues}) {
                    for (double v : a) {
                        if (buf.remaining() < Double.BYTES) {
                            flush(out, buf, crc);
                        }
                        buf.putDouble(v);
                    }
                }
                flush(out, buf, crc);
                buf.putLong(crc.getValue());
                out.write(buf.array(), 0, buf.position());
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static void flush(OutputStream out, ByteBuffer buf, CRC32 crc) throws IOException {
        crc.update(buf.array(), 0, buf.position());
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    /**
     * Reads a checkpoint and checks that it belongs to the run {@code expected}. The file is
     * streamed, and its length is checked against the header before the state is allocated, so a
     * corrupt header cannot cause a large allocation and files beyond 2 GiB (N above about 16 000)
     * can be read.
     *
     * @throws IncompatibleCheckpointException naming the first field that disagrees, or the
     *                                         corruption found
     * @throws UncheckedIOException            if the file cannot be read
     */
    static MomentState read(Path file, Identity expected) {
        String where = "checkpoint " + file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            int prefix = MAGIC.length + 4;
            if (length < prefix + 8) {
                throw new IncompatibleCheckpointException(where + " is truncated: " + length + " bytes");
            }
            CRC32 crc = new CRC32();
            ByteBuffer pre = readExactly(ch, prefix, crc);
            byte[] magic = new byte[MAGIC.length];
            pre.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IncompatibleCheckpointException(where + " is not a gequiv moment checkpoint (bad magic)");
            }
            int headerLength = pre.getInt();
            if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > length - prefix - 8) {
                throw new IncompatibleCheckpointException(where + " is truncated or corrupt: header length "
                        + headerLength + " in a file of " + length + " bytes");
            }
            ByteBuffer headerBytes = readExactly(ch, headerLength, crc);
            JsonNode h;
            try {
                h = JSON.readTree(new String(headerBytes.array(), 0, headerLength, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IncompatibleCheckpointException(where + " has a corrupt header", e);
            }
            if (h == null || !h.isObject()) {
                throw new IncompatibleCheckpointException(where + " has a corrupt header: it must be a JSON object");
            }
            String why = mismatch(h, expected);
            if (why != null) {
                throw new IncompatibleCheckpointException("refusing to resume from " + where + ": " + why);
            }
            long count = h.path("samples").asLong(-1);
            long blocks = h.path("blocks").asLong(-1);
            long logEntries = h.path("logEntries").asLong(-1);
            if (count < 1 || blocks < 1 || logEntries < 0 || logEntries > Integer.MAX_VALUE / 5) {
                throw new IncompatibleCheckpointException(where + " has a corrupt header: samples " + count
                        + ", blocks " + blocks + ", logEntries " + logEntries);
            }
            int n = expected.n();
            int d = expected.d();
            long doubles = (long) d + n + (long) n * n + (long) n * d + 5L * logEntries;
            long expectedLength = prefix + headerLength + doubles * Double.BYTES + 8;
            if (length != expectedLength) {
                throw new IncompatibleCheckpointException(where + " is truncated or corrupt: " + length
                        + " bytes, expected " + expectedLength);
            }
            MomentState s = new MomentState(n, d);
            s.count = count;
            s.blocksDone = blocks;
            double[] logValues = new double[(int) (5 * logEntries)];
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            for (double[] a : new double[][] {s.meanC, s.meanX, s.m2xx, s.m2xc, logValues}) {
                for (int i = 0; i < a.length; i++) {
                    if (buf.remaining() < Double.BYTES) {
                        refill(ch, buf, crc, where);
                    }
                    a[i] = buf.getDouble();
                }
            }
            if (buf.hasRemaining()) {
                throw new IllegalStateException("checkpoint reader out of step: " + buf.remaining() + " bytes left");
            }
            long computed = crc.getValue();
            long stored = readExactly(ch, 8, null).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (stored != computed) {
                throw new IncompatibleCheckpointException(where + " is corrupt: CRC-32 mismatch");
            }
            for (int i = 0; i < logEntries; i++) {
                s.log.add(new ConvergenceRecord((long) logValues[5 * i], logValues[5 * i + 1], logValues[5 * i + 2],
                        logValues[5 * i + 3], logValues[5 * i + 4]));
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where + ": " + e.getMessage(), e);
        }
    }

    /** Reads exactly {@code n} bytes at the channel's position, adding them to {@code crc} if given. */
    private static ByteBuffer readExactly(FileChannel ch, int n, CRC32 crc) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("file ended after " + ch.position() + " bytes");
            }
        }
        b.flip();
        if (crc != null) {
            crc.update(b.duplicate());
        }
        return b;
    }

    /**
     * Moves what is left of {@code buf} to its front and fills it from the channel, in whole
     * doubles, without reading into the trailing CRC; the new bytes go into {@code crc}.
     */
    private static void refill(FileChannel ch, ByteBuffer buf, CRC32 crc, String where) throws IOException {
        buf.compact();
        long left = ch.size() - 8 - ch.position();
        int want = (int) Math.min(buf.remaining(), left);
        want -= want % Double.BYTES;
        if (want <= 0) {
            throw new IncompatibleCheckpointException(where + " is truncated: the data ends early");
        }
        int start = buf.position();
        buf.limit(start + want);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new IncompatibleCheckpointException(where + " is truncated: the data ends early");
            }
        }
        ByteBuffer added = buf.duplicate();
        added.position(start);
        added.limit(buf.position());
        crc.update(added);
        buf.flip();
    }

    private static String mismatch(JsonNode h, Identity e) {
        if (h.path("format").asInt() != 1) {
            return "unknown format " + h.path("format");
        }
        String gen = h.path("generator").asText();
        if (!gen.equals(e.generator())) {
            return "it was written for generator '" + gen + "', this run uses '" + e.generator() + "'";
        }
        String fp = h.path("fingerprint").asText();
        if (!fp.equals(e.fingerprint())) {
            return "it was written for generator '" + gen + "' with parameters " + fp
                    + ", this run uses " + e.fingerprint();
        }
        if (h.path("N").asInt() != e.n() || h.path("D").asInt() != e.d()) {
            return "it has dimensions N = " + h.path("N").asInt() + ", D = " + h.path("D").asInt()
                    + ", this run has N = " + e.n() + ", D = " + e.d();
        }
        if (h.path("seed").asLong() != e.seed()) {
            return "it was written with seed " + h.path("seed").asLong() + ", this run uses seed " + e.seed();
        }
        if (h.path("blockSize").asInt() != e.blockSize()) {
            return "it was written with block size " + h.path("blockSize").asInt()
                    + ", this run uses block size " + e.blockSize();
        }
        return null;
    }
}
