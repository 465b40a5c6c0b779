package org.gequiv.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Where the points of a sweep run. An executor hands every outcome to {@code done} as soon as its
 * point ends (so that a stopped sweep keeps each finished point), starts no new point once
 * {@code stop} says so, and returns when every started point has ended. {@code done} may be called
 * from several threads; the sweep serialises it.
 */
public interface SweepExecutor extends AutoCloseable {

    /** For sweep.json and messages, for example "local, 2 workers" or "spark local[2]". */
    String description();

    /**
     * Runs {@code points} of {@code command}.
     *
     * @param folder the sweep folder; point {@code p} belongs in {@code folder/points/<p.id()>}
     */
    void run(String command, List<SweepPoint> points, Path folder, BooleanSupplier stop, Consumer<PointOutcome> done)
            throws Exception;

    /** Releases the executor's resources (a Spark context); the local executor has none. */
    @Override
    default void close() {
    }

    /**
     * A kind of executor found through {@link java.util.ServiceLoader} (the gequiv-spark module
     * provides "spark"), so that the command line needs none of its classes.
     */
    interface Provider {
        /** The executor's name, as in {@code --spark}. */
        String name();

        /**
         * An executor on {@code master} (for Spark: {@code local[N]}, {@code spark://host:port}, or
         * {@code submit} for the master spark-submit set) whose tasks run points with
         * {@code runner}, which must then be serialisable.
         *
         * @throws SweepSpecException when the cluster cannot be reached, with the reason
         */
        SweepExecutor create(String master, PointRunner runner);
    }
}
