package org.gequiv.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.gequiv.io.AtomicFiles;
import org.gequiv.io.OutputLock;

/**
 * Checks before any work that an output folder can be created and written, and claims it for this
 * run: {@link #prepare} takes the folder's {@link OutputLock}, so that a second run into the same
 * folder is refused (bad input naming the holder's PID) instead of overwriting the first; the lock
 * is held until the command returns ({@link #releaseAll}, called by {@link Main}) or the process
 * ends.
 */
final class OutputFolder {
    private static final List<OutputLock> HELD = new ArrayList<>();

    private OutputFolder() {
    }

    /**
     * Creates {@code dir} and checks that it can be written, without claiming it (a file's folder).
     *
     * @throws UncheckedIOException (exit 4) naming the folder and the cause in words
     */
    static Path writable(Path dir) {
        return writable(dir, "--out");
    }

    /** {@link #writable(Path)} for the folder of the file given to {@code option}. */
    static Path writable(Path dir, String option) {
        // a regular file on the way makes createDirectories say "already exists": say what it is
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UncheckedIOException(new IOException(option + ": cannot write to folder " + dir + ": "
                            + p + " is a file, not a folder"));
                }
                break;
            }
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".gequiv-write-test", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(option + ": cannot write to folder " + dir + ": "
                    + AtomicFiles.describe(e), e));
        }
        return dir;
    }

    /**
     * Checks before any work that the file given to {@code option} can be written: not a folder,
     * in a folder that can be created and written. Creates that folder.
     *
     * @return {@code file}
     */
    static Path writableFile(Path file, String option) {
        if (file == null) {
            return null;
        }
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new UncheckedIOException(new IOException(option + ": cannot write " + file + ": it is a folder"));
        }
        writable(abs.getParent(), option);
        if (Files.exists(abs) && !Files.isWritable(abs)) {
            throw new UncheckedIOException(new IOException(option + ": cannot write " + file
                    + ": permission denied (the file is read-only)"));
        }
        return file;
    }

    /**
     * An I/O failure in words: the message of an exception of the library's writers (which name
     * the file and the cause), or the reason a file-system exception carries.
     */
    static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException) {
            return "cannot access " + AtomicFiles.describe(e);
        }
        return e.getMessage() != null ? e.getMessage() : AtomicFiles.describe(e);
    }

    /** {@link #writable} and the claim of the folder for this run. */
    static Path prepare(Path dir) {
        writable(dir);
        try {
            OutputLock lock = OutputLock.onFolder(dir, "--out");
            synchronized (HELD) {
                HELD.add(lock);
            }
        } catch (IOException e) {
            throw new BadInputException("--out: cannot lock folder '" + dir + "': " + e.getMessage(), e);
        }
        return dir;
    }

    /**
     * Claims the single file {@code file} for this run (a moments checkpoint): a second run on
     * the same file is refused as bad input naming the holder's PID.
     *
     * @param option the option that named the file, for the messages
     */
    static void claimFile(Path file, String option) {
        try {
            OutputLock lock = OutputLock.onFile(file, option);
            synchronized (HELD) {
                HELD.add(lock);
            }
        } catch (IOException e) {
            throw new BadInputException(option + ": cannot lock '" + file + "': " + e.getMessage(), e);
        }
    }

    /** Releases the folders this process claimed (the end of a command). */
    static void releaseAll() {
        synchronized (HELD) {
            for (OutputLock lock : HELD) {
                try {
                    lock.close();
                } catch (IOException e) {
                    // the OS releases the lock when the process ends; nothing is lost
                }
            }
            HELD.clear();
        }
    }
}
