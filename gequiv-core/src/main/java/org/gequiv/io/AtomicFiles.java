package org.gequiv.io;

import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that a reader never sees a partial one and a failure leaves nothing behind: the
 * content goes to a temporary file in the target's folder, is flushed to the disk, and the
 * temporary file is then renamed over the target (atomically where the file system allows).
 *
 * <p>The temporary file is {@code .<name>.<pid>.<random>.tmp}, so that two processes, or two
 * threads, writing the same target never share one, and temporaries of the target left by a
 * process that has died (killed while writing), untouched for ten minutes, are removed by the next
 * write. It is removed
 * whenever the write does not complete: an {@link IOException} (a full disk, a read-only folder), an unchecked exception or an
 * error thrown by the body. It is created with the default attributes, so the target gets the
 * permissions a plain {@link Files#newOutputStream} would give a new file (0666 &amp; ~umask on
 * POSIX systems), not the 0600 of {@link Files#createTempFile}.
 *
 * <p>Writes use a {@link FileOutputStream}, which a thread interrupt does not close, so results
 * can still be written by a thread that has been interrupted to stop its computation.
 *
 * <p>An I/O failure is reported as an {@link IOException} whose message names the target and the
 * cause ({@code "cannot write out/curve.csv: No space left on device"}); the original exception is
 * its cause. Stateless and thread-safe; concurrent writers of one target leave one complete file,
 * the last one renamed.
 */
public final class AtomicFiles {

    /** Longest part of the target's name kept in the temporary name (file names are ≤ 255 bytes). */
    private static final int MAX_NAME_PART = 200;
    /** How long a temporary of a dead PID must have been left untouched to be removed. */
    private static final Duration STALE_AFTER = Duration.ofMinutes(10);
    /** What follows {@code .<name>.} in a temporary name: the PID and the random part. */
    private static final Pattern TEMPORARY_TAIL = Pattern.compile("([0-9]{1,19})\\.[0-9a-f]{1,16}\\.tmp");

    private AtomicFiles() {
    }

    /**
     * Writes what {@code body} produces to {@code target}, creating its folder if needed. The
     * stream given to the body is buffered; closing it is allowed and only flushes it.
     *
     * @throws IOException naming {@code target} and the cause when the file cannot be written;
     *                     {@code target} is then unchanged and no temporary file is left
     */
    public static void write(Path target, OutputBody body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null) {
            throw new IOException("cannot write " + target + ": it is not a file name");
        }
        if (Files.isDirectory(abs)) {
            throw new IOException("cannot write " + target + ": it is a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure(target, "cannot create its folder: ", e);
        }
        Path tmp;
        try {
            removeStaleTemporaries(dir, abs.getFileName().toString());
            tmp = createTemporary(dir, abs.getFileName().toString());
        } catch (IOException e) {
            throw failure(target, "", e);
        }
        boolean done = false;
        try {
            try (FileOutputStream file = new FileOutputStream(tmp.toFile());
                 UnclosableBufferedStream out = new UnclosableBufferedStream(file)) {
                body.writeTo(out);
                out.flush();
                file.getFD().sync();
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw removing(tmp, failure(target, "", e));
        } catch (RuntimeException e) {
            throw removing(tmp, e);
        } catch (Error e) {
            throw removing(tmp, e);
        } finally {
            if (!done) {
                // covers a checked exception thrown sneakily by the body
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // already reported through removing() where there was an exception to attach to
                }
            }
        }
    }

    /** Writes a UTF-8 string with {@link #write}. */
    public static void writeString(Path target, String content) throws IOException {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The message of an I/O failure in human terms: the reason a file-system exception carries, or
     * what its type means when it carries none (an {@link AccessDeniedException} has only the file
     * name as its message).
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String reason = f.getReason();
            if (reason == null) {
                if (f instanceof AccessDeniedException) {
                    reason = "permission denied";
                } else if (f instanceof NoSuchFileException) {
                    reason = "no such file or folder";
                } else if (f instanceof NotDirectoryException) {
                    reason = "not a folder";
                } else if (f instanceof FileAlreadyExistsException) {
                    reason = "already exists";
                } else {
                    reason = f.getClass().getSimpleName();
                }
            }
            return f.getFile() == null ? reason : reason + " (" + f.getFile() + ")";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static IOException failure(Path target, String context, IOException cause) {
        return new IOException("cannot write " + target + ": " + context + describe(cause), cause);
    }

    private static <T extends Throwable> T removing(Path tmp, T failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static String base(String name) {
        return name.length() > MAX_NAME_PART ? name.substring(0, MAX_NAME_PART) : name;
    }

    /**
     * Deletes the temporary files of this target left by processes that no longer run (killed
     * while writing, by {@code kill -9} or a power cut); those of live processes are theirs.
     */
    private static void removeStaleTemporaries(Path dir, String name) throws IOException {
        String prefix = "." + base(name) + ".";
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> {
            String f = p.getFileName().toString();
            return f.startsWith(prefix) && f.endsWith(".tmp");
        })) {
            for (Path p : s) {
                String rest = p.getFileName().toString().substring(prefix.length());
                Matcher m = TEMPORARY_TAIL.matcher(rest);
                if (m.matches()) {
                    long pid;
                    try {
                        pid = Long.parseLong(m.group(1));
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                    // on a folder shared between machines the PID may be another host's: only a
                    // file nobody has written to for a while is taken to be abandoned
                    try {
                        if (Files.getLastModifiedTime(p).toInstant().isAfter(Instant.now().minus(STALE_AFTER))) {
                            continue;
                        }
                    } catch (IOException e) {
                        continue;
                    }
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // someone else's file we may not delete: leave it
                    }
                }
            }
        }
    }

    private static Path createTemporary(Path dir, String name) throws IOException {
        String base = base(name);
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            String random = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            Path tmp = dir.resolve("." + base + "." + pid + "." + random + ".tmp");
            try {
                // default attributes: the umask decides the permissions, as for a plain new file
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 16) {
                    throw e;
                }
            }
        }
    }

    /** Produces the bytes of a file. */
    @FunctionalInterface
    public interface OutputBody {
        /**
         * Writes the content to {@code out}.
         *
         * @param out buffered; closing it only flushes it
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** A buffered stream whose close() only flushes, so that the file can be synced afterwards. */
    private static final class UnclosableBufferedStream extends FilterOutputStream {
        private final byte[] buf = new byte[1 << 16];
        private int count;

        UnclosableBufferedStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buf.length) {
                drain();
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len >= buf.length) {
                drain();
                out.write(b, off, len);
                return;
            }
            if (len > buf.length - count) {
                drain();
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private void drain() throws IOException {
            if (count > 0) {
                out.write(buf, 0, count);
                count = 0;
            }
        }
    }
}
