package org.gequiv.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Child process of {@link OutputLockTest}: locks the folder {@code args[0]}, reports on its
 * standard output that it holds the lock, and keeps it until its standard input closes (or it is
 * killed).
 */
public final class OutputLockHolder {

    private OutputLockHolder() {
    }

    public static void main(String[] args) throws IOException {
        try (OutputLock lock = OutputLock.onFolder(Path.of(args[0]), "out")) {
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our input
            }
        }
    }
}
