package org.gequiv.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.api.java.function.Function;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.sweep.PointOutcome;
import org.gequiv.sweep.PointRunner;
import org.gequiv.sweep.SweepPoint;

/**
 * One point as a Spark task: the sweep's {@link PointRunner} (the command line's
 * {@code CommandPoints}, serialised with the task) runs it into a temporary folder of the executor,
 * whose files then travel back with the outcome (the driver writes them into
 * {@code points/<id>/}), and the folder is removed.
 *
 * <p>The executor's native BLAS is set single-threaded once per JVM: Spark runs as many tasks at
 * once as the executor has cores, and OpenBLAS's thread count is process-wide (see
 * {@code LocalExecutor}). Stateless apart from that one-time setting; serialisable.
 */
final class PointTask implements Function<SweepPoint, PointOutcome> {
    private static final long serialVersionUID = 1L;

    private static volatile boolean blasSet;

    private final PointRunner runner;

    PointTask(PointRunner runner) {
        if (!(runner instanceof java.io.Serializable)) {
            throw new IllegalArgumentException("runner must be serialisable to run as a Spark task, got " + runner);
        }
        this.runner = runner;
    }

    private static void singleThreadedBlas() {
        if (!blasSet) {
            synchronized (PointTask.class) {
                if (!blasSet) {
                    LinearAlgebra.get().setNativeThreads(1);
                    blasSet = true;
                }
            }
        }
    }

    @Override
    public PointOutcome call(SweepPoint point) throws IOException {
        singleThreadedBlas();
        Path dir = Files.createTempDirectory("gequiv-point-");
        try {
            PointOutcome outcome = runner.run(point, dir);
            if (!outcome.ok()) {
                return outcome;
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    String name = dir.relativize(f).toString();
                    // a lock left by a command, or a temporary: not part of the point's result
                    if (!name.startsWith(".")) {
                        files.put(name, Files.readAllBytes(f));
                    }
                }
            }
            return outcome.withFiles(files);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the point's temporary folder " + dir, e);
        }
    }
}
