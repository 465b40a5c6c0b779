package org.gequiv.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks before any work that an output folder can be created and written. */
final class OutputFolder {
    private OutputFolder() {
    }

    static Path prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".gequiv-write-test", ".tmp");
            Files.delete(probe);
            return dir;
        } catch (IOException | SecurityException e) {
            throw new BadInputException("--out: cannot write to folder '" + dir + "': " + e);
        }
    }
}
