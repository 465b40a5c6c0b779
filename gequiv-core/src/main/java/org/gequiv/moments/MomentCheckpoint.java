package org.gequiv.moments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * Binary checkpoint of a {@link MomentState}.
 *
 * <p>Layout (little-endian): the 8 ASCII bytes {@code GQMOMCK1}; an int32 header length; a UTF-8
 * JSON header with the identity of the run ({@code generator}, {@code fingerprint}, {@code seed},
 * {@code N}, {@code D}, {@code blockSize}) and its progress ({@code samples}, {@code blocks},
 * {@code logEntries}); then float64 arrays mean_c (D), mean_x (N), M_xx (N·N), M_xc (N·D) and
 * the log (5 per entry); finally the CRC-32 of all preceding bytes as an int64. Files are written
 * to a sibling temporary file and moved into place, so a crash never leaves a half-written
 * checkpoint under the final name.
 */
final class MomentCheckpoint {

    private static final byte[] MAGIC = "GQMOMCK1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 20;

    /** What a checkpoint must agree with to be resumed. */
    record Identity(String generator, String fingerprint, long seed, int n, int d, int blockSize) {
    }

    private MomentCheckpoint() {
    }

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
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.put(MAGIC).putInt(header.length);
            flush(ch, buf, crc);
            for (int off = 0; off < header.length; off += CHUNK) {
                buf.put(header, off, Math.min(CHUNK, header.length - off));
                flush(ch, buf, crc);
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
            for (double[] a : new double[][] {s.meanC, s.meanX, s.m2xx, s.m2xc, logValues}) {
                for (double v : a) {
                    if (buf.remaining() < Double.BYTES) {
                        flush(ch, buf, crc);
                    }
                    buf.putDouble(v);
                }
            }
            flush(ch, buf, crc);
            buf.putLong(crc.getValue());
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + tmp, e);
        }
        try {
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move checkpoint into place at " + file, e);
        }
    }

    private static void flush(FileChannel ch, ByteBuffer buf, CRC32 crc) throws IOException {
        buf.flip();
        crc.update(buf.duplicate());
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }

    /**
     * Reads a checkpoint and checks that it belongs to the run {@code expected}.
     *
     * @throws IncompatibleCheckpointException naming the first field that disagrees, or the
     *                                         corruption found
     */
    static MomentState read(Path file, Identity expected) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
        String where = "checkpoint " + file;
        if (all.length < MAGIC.length + 4 + 8) {
            throw new IncompatibleCheckpointException(where + " is truncated: " + all.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IncompatibleCheckpointException(where + " is not a gequiv moment checkpoint (bad magic)");
        }
        int headerLength = b.getInt();
        if (headerLength < 2 || headerLength > all.length - b.position() - 8) {
            throw new IncompatibleCheckpointException(where + " is truncated or corrupt: header length " + headerLength);
        }
        JsonNode h;
        try {
            h = JSON.readTree(new String(all, b.position(), headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IncompatibleCheckpointException(where + " has a corrupt header", e);
        }
        b.position(b.position() + headerLength);
        String why = mismatch(h, expected);
        if (why != null) {
            throw new IncompatibleCheckpointException("refusing to resume from " + where + ": " + why);
        }
        long count = h.path("samples").asLong(-1);
        long blocks = h.path("blocks").asLong(-1);
        int logEntries = h.path("logEntries").asInt(-1);
        if (count < 1 || blocks < 1 || logEntries < 0) {
            throw new IncompatibleCheckpointException(where + " has a corrupt header: samples " + count
                    + ", blocks " + blocks + ", logEntries " + logEntries);
        }
        int n = expected.n();
        int d = expected.d();
        long doubles = (long) d + n + (long) n * n + (long) n * d + 5L * logEntries;
        long expectedLength = b.position() + doubles * Double.BYTES + 8;
        if (all.length != expectedLength) {
            throw new IncompatibleCheckpointException(where + " is truncated or corrupt: " + all.length
                    + " bytes, expected " + expectedLength);
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (stored != crc.getValue()) {
            throw new IncompatibleCheckpointException(where + " is corrupt: CRC-32 mismatch");
        }
        MomentState s = new MomentState(n, d);
        s.count = count;
        s.blocksDone = blocks;
        b.asDoubleBuffer().get(s.meanC);
        b.position(b.position() + d * Double.BYTES);
        b.asDoubleBuffer().get(s.meanX);
        b.position(b.position() + n * Double.BYTES);
        b.asDoubleBuffer().get(s.m2xx);
        b.position(b.position() + n * n * Double.BYTES);
        b.asDoubleBuffer().get(s.m2xc);
        b.position(b.position() + n * d * Double.BYTES);
        for (int i = 0; i < logEntries; i++) {
            s.log.add(new ConvergenceRecord((long) b.getDouble(), b.getDouble(), b.getDouble(),
                    b.getDouble(), b.getDouble()));
        }
        return s;
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
