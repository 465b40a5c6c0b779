package org.gequiv.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gequiv.validation.InvalidInputException;

/**
 * An exclusive lock that makes one run the only writer of an output folder (or of one file, such
 * as a moments checkpoint), so that a second run into the same place is refused instead of
 * silently overwriting the first.
 *
 * <p>The lock is an operating-system lock ({@link FileChannel#tryLock()}) on the file
 * {@value #FOLDER_LOCK} in the folder, or {@code .<name>.lock} beside a locked file. The file holds
 * the holder's PID and start time, which a refused run reports. The lock is released by
 * {@link #close()} and, because the operating system holds it, when the process dies, even by
 * {@code kill -9}; a lock file left behind by a dead process has no live lock and is simply taken
 * over. The file itself is left in place (emptied) on close: deleting it would let two later runs
 * lock two different files of the same name.
 *
 * <p>Within one JVM a second lock on the same place is refused as well (a registry of held locks
 * keeps the second attempt from opening, and then closing, a channel on the file, which on POSIX
 * systems would drop the first holder's lock). Thread-safe.
 */
public final class OutputLock implements AutoCloseable {

    /** Name of the lock file inside a locked folder. */
    public static final String FOLDER_LOCK = ".gequiv.lock";

    private static final Pattern PID = Pattern.compile("(?m)^pid=(\\d{1,19})$");
    private static final Pattern STARTED = Pattern.compile("(?m)^started=(\\S{1,64})$");
    /** Locks held by this JVM, by the real path of their lock file. */
    private static final Map<Path, OutputLock> HELD = new HashMap<>();

    private final Path guarded;
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private OutputLock(Path guarded, Path lockFile, FileChannel channel, FileLock lock) {
        this.guarded = guarded;
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks the folder {@code dir} (creating it, and its parents, if needed) for this process.
     *
     * @param field the spec field or option that named the folder, for the refusal (for example
     *              {@code out})
     * @throws OutputLockedException if another run, in this or another process, holds the lock
     * @throws IOException           if the folder or the lock file cannot be created
     */
    public static OutputLock onFolder(Path dir, String field) throws IOException {
        return acquire(dir, createFolder(dir, dir).toRealPath().resolve(FOLDER_LOCK), field);
    }

    private static Path createFolder(Path folder, Path guarded) throws IOException {
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException("cannot lock " + guarded + ": cannot create " + folder + ": "
                    + AtomicFiles.describe(e), e);
        }
    }

    /**
     * Locks the single file {@code file} (which need not exist; its folder is created if needed)
     * through the lock file {@code .<name>.lock} beside it.
     *
     * @param field the spec field or option that named the file (for example {@code checkpoint})
     * @throws OutputLockedException if another run holds the lock
     * @throws IOException           if the folder or the lock file cannot be created
     */
    public static OutputLock onFile(Path file, String field) throws IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getFileName() == null || abs.getParent() == null) {
            throw new IOException("cannot lock " + file + ": it is not a file name");
        }
        Path lockFile = createFolder(abs.getParent(), file).toRealPath().resolve("." + abs.getFileName() + ".lock");
        return acquire(file, lockFile, field);
    }

    private static OutputLock acquire(Path guarded, Path lockFile, String field) throws IOException {
        synchronized (HELD) {
            if (HELD.containsKey(lockFile)) {
                // opening and closing a second channel on the file would drop the holder's lock
                throw refusal(guarded, lockFile, field, holderText());
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new IOException("cannot lock " + guarded + ": cannot open " + lockFile + ": "
                        + AtomicFiles.describe(e), e);
            }
            FileLock lock;
            boolean thisJvm = false;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                // locked by this JVM outside this class (the registry covers every OutputLock)
                lock = null;
                thisJvm = true;
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch, e);
                throw e;
            }
            if (lock == null) {
                OutputLockedException refused = refusal(guarded, lockFile, field,
                        thisJvm ? holderText() : readHolder(lockFile));
                closeQuietly(ch, refused);
                throw refused;
            }
            OutputLock held = new OutputLock(guarded, lockFile, ch, lock);
            try {
                held.writeHolder();
            } catch (IOException | RuntimeException e) {
                held.release(e);
                throw e;
            }
            HELD.put(lockFile, held);
            return held;
        }
    }

    /** What a lock file of this process says. */
    private static String holderText() {
        ProcessHandle self = ProcessHandle.current();
        String started = self.info().startInstant().map(Instant::toString).orElse("unknown");
        return "pid=" + self.pid() + "\nstarted=" + started + "\n";
    }

    private void writeHolder() throws IOException {
        byte[] text = holderText().getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        ByteBuffer b = ByteBuffer.wrap(text);
        long at = 0;
        while (b.hasRemaining()) {
            at += channel.write(b, at);
        }
        channel.force(false);
    }

    private static OutputLockedException refusal(Path guarded, Path lockFile, String field, String text) {
        OptionalLong pid = OptionalLong.empty();
        String who = "another process";
        if (text != null) {
            Matcher p = PID.matcher(text);
            if (p.find()) {
                try {
                    pid = OptionalLong.of(Long.parseLong(p.group(1)));
                    who = "process " + p.group(1);
                } catch (NumberFormatException ignored) {
                    // more than 19 digits cannot be a PID: keep "another process"
                }
            }
            Matcher s = STARTED.matcher(text);
            if (s.find()) {
                who += " (started " + s.group(1) + ")";
            }
        }
        if (pid.isPresent() && pid.getAsLong() == ProcessHandle.current().pid()) {
            who += ", this one";
        }
        String message = field + " must be a place no other run is writing to, got " + guarded
                + ", which is locked by " + who + " through " + lockFile
                + "; wait for that run to finish or choose another";
        return new OutputLockedException(field, guarded.toString(), message, pid);
    }

    /** The first 4 KiB of the lock file, or null when it cannot be read. */
    private static String readHolder(Path lockFile) {
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // keep reading up to the cap
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** What is locked: the folder or file given when the lock was taken. */
    public Path guarded() {
        return guarded;
    }

    /** The lock file. */
    public Path lockFile() {
        return lockFile;
    }

    /** Releases the lock (idempotent); the emptied lock file stays. */
    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            IOException failure = null;
            try {
                channel.truncate(0);
            } catch (IOException e) {
                failure = e;
            }
            release(failure);
            if (failure != null) {
                throw new IOException("cannot release the lock on " + guarded + ": " + AtomicFiles.describe(failure),
                        failure);
            }
        }
    }

    private void release(Throwable failure) {
        synchronized (HELD) {
            closed = true;
            HELD.remove(lockFile, this);
            try {
                lock.release();
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
            closeQuietly(channel, failure);
        }
    }

    private static void closeQuietly(FileChannel ch, Throwable failure) {
        try {
            ch.close();
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * A run refused because another run holds the lock; {@link #holderPid()} is the holder's PID
     * when its lock file names one.
     */
    public static final class OutputLockedException extends InvalidInputException {
        private static final long serialVersionUID = 1L;

        private final transient OptionalLong holderPid;

        OutputLockedException(String field, String source, String message, OptionalLong holderPid) {
            super(field, source, message, null);
            this.holderPid = holderPid;
        }

        /** The PID of the process holding the lock, if its lock file names one. */
        public OptionalLong holderPid() {
            return holderPid == null ? OptionalLong.empty() : holderPid;
        }
    }
}
