package org.gequiv.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import org.gequiv.io.NpyFormatException;

/**
 * Reads a file the user named: a missing, unreadable or malformed file, or one whose content the
 * reader refuses, is bad input of the option that named it.
 */
final class Inputs {

    private Inputs() {
    }

    /** What reads the file. */
    interface Reader<T> {
        T read() throws IOException;
    }

    /**
     * Runs {@code reader}, the reader of the file given to {@code option}; its
     * IllegalArgumentExceptions are its verdict on the file's content.
     */
    static <T> T read(String option, Object file, Reader<T> reader) {
        try {
            return reader.read();
        } catch (NoSuchFileException e) {
            throw new BadInputException(option + ": file not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw new BadInputException(option + ": cannot read " + file + ": permission denied", e);
        } catch (NpyFormatException e) {
            throw new BadInputException(option + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BadInputException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + ": " + e.getMessage(), e);
        }
    }
}
