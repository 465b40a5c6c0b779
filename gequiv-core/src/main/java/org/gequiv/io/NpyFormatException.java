package org.gequiv.io;

import java.io.IOException;

/**
 * A NumPy {@code .npy}/{@code .npz} file that cannot be read: bad magic or header, an unsupported
 * dtype, truncated data, a damaged archive. The message names the file (and the archive key) and
 * says what was expected and what was found.
 */
public class NpyFormatException extends IOException {

    public NpyFormatException(String message) {
        super(message);
    }

    public NpyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
