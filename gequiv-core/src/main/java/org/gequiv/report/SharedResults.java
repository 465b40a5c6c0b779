package org.gequiv.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Results that several points of one section share — section 3's Monte-Carlo moments of a
 * generator, which every seed of that generator uses — kept by the {@link PointStore} beside the
 * section's points, so that a rerun of an interrupted report reads them back instead of computing
 * them again. A stored result is answered under the store's rule for points: the same parameters
 * and the same build, and never when the store reuses nothing (a fresh run); one that cannot be
 * read is no result, so it is computed again, as an unreadable point runs again. Each result is one
 * file, written by the section's own writer (for example {@code MomentsFile}) and marked finished by
 * the store after it is complete.
 *
 * <p>Implementations may be called for one section at a time from one thread.
 */
public interface SharedResults {

    /** Reads a stored result's file. */
    @FunctionalInterface
    interface Reader<T> {
        /**
         * @throws IOException (or an unchecked exception) when the file is unreadable; the result is
         *                     then computed again
         */
        T read(Path file) throws IOException;
    }

    /** Writes a result's file. */
    @FunctionalInterface
    interface Writer {
        void write(Path file) throws IOException;
    }

    /** Keeps nothing: every shared result is computed by the section object that needs it. */
    SharedResults NONE = new SharedResults() {
        @Override
        public <T> T read(String name, Map<String, Object> parameters, Reader<T> reader) {
            return null;
        }

        @Override
        public void write(String name, Map<String, Object> parameters, Writer writer) {
        }
    };

    /**
     * The stored result, or null when there is none that may be reused (none, of other parameters
     * or another build, a fresh run, or {@code reader} failed on it).
     *
     * @param name       the result's file, relative to the section's folder: segments of letters, digits,
     *                   {@code .}, {@code _} and {@code -} not starting with {@code .}, separated by {@code /},
     *                   for example {@code moments/onnx-mnist-decoder-onnx-10000.npz}
     * @param parameters everything the result depends on but the build (numbers or labels)
     */
    <T> T read(String name, Map<String, Object> parameters, Reader<T> reader);

    /**
     * Keeps a result: {@code writer} writes its file, then the store records the parameters and the
     * build beside it, so that an interruption at any moment leaves it either kept whole or not at all.
     *
     * @throws IOException when it cannot be kept; the report stops, as for a point ({@link PointStore#write})
     */
    void write(String name, Map<String, Object> parameters, Writer writer) throws IOException;
}
