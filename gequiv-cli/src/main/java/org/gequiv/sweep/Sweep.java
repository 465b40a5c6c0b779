package org.gequiv.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.gequiv.io.AtomicFiles;
import org.gequiv.plot.SweepPlot;
import org.gequiv.validation.InvalidInputException;

/**
 * One run of a sweep: {@link #validate} every point before any work, then {@link #run} the
 * unfinished ones on an executor and write the tables ({@link SweepTables}) and the figure
 * ({@link SweepPlot}).
 *
 * <p>Resumption: a point already finished in the folder ({@link SweepFolder#isFinished}) is
 * skipped; a failed one is not finished and runs again on the next call. A stop request
 * ({@code stop}, set by the command line on SIGINT or SIGTERM) lets the running points end, starts
 * no new one, and still writes the tables of what is finished. Silent: it reports to its
 * {@link Listener}.
 */
public final class Sweep {

    /** What a sweep tells its front end while it runs. */
    public interface Listener {
        /** Before the first point: how many there are, how many were finished before. */
        default void started(int total, int alreadyDone) {
        }

        /** After each point of this run ({@code done} and {@code failed} count this run's points). */
        default void pointEnded(PointOutcome outcome, int done, int failed, int toRun) {
        }
    }

    /**
     * @param total       points in the spec
     * @param alreadyDone points finished before this run
     * @param succeeded   points this run finished
     * @param failures    points this run could not finish, by id, in the spec's order
     * @param stopped     whether a stop request ended the run early
     * @param remaining   points still unfinished
     * @param written     the files written
     */
    public record Report(int total, int alreadyDone, int succeeded, Map<String, PointOutcome> failures,
                         boolean stopped, int remaining, List<Path> written) {
    }

    private Sweep() {
    }

    /**
     * Checks every key of the spec and builds every point's specs with the command's own code,
     * before any point runs.
     *
     * @throws SweepSpecException naming the key and its line, or the point and the option
     */
    public static void validate(SweepSpec spec, PointRunner runner) {
        spec.checkKeys(runner);
        for (SweepPoint p : spec.points()) {
            try {
                runner.validate(p);
            } catch (InvalidInputException e) {
                throw new SweepSpecException(spec.source() + ": " + p.describe(spec.varyingKeys()) + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Runs the unfinished points of a validated spec in {@code folder} (which the caller has
     * claimed) and writes the tables.
     *
     * @param provenance the run's provenance, for {@code sweep.json}
     * @param force      whether a folder of another spec may be used
     */
    public static Report run(SweepSpec spec, Path folder, SweepExecutor executor, boolean force, BooleanSupplier stop,
                             Listener listener, Map<String, Object> provenance) throws Exception {
        SweepFolder.checkSpec(folder, spec, force);
        SweepFolder.writeSpec(folder, spec, provenance, executor.description());
        List<SweepPoint> todo = new ArrayList<>();
        for (SweepPoint p : spec.points()) {
            if (!SweepFolder.isFinished(folder, p)) {
                todo.add(p);
            }
        }
        int alreadyDone = spec.points().size() - todo.size();
        listener.started(spec.points().size(), alreadyDone);
        Map<String, SweepPoint> byId = new HashMap<>();
        for (SweepPoint p : todo) {
            byId.put(p.id(), p);
        }
        Map<String, PointOutcome> failed = new HashMap<>();
        int[] succeeded = {0};
        Object lock = new Object();
        if (!todo.isEmpty()) {
            executor.run(spec.command(), todo, folder, stop, outcome -> {
                synchronized (lock) {
                    SweepPoint p = byId.get(outcome.id());
                    PointOutcome o = outcome;
                    if (p == null) {
                        throw new IllegalStateException("executor returned an unknown point id " + outcome.id());
                    }
                    if (o.ok()) {
                        try {
                            SweepFolder.finish(folder, p, o);
                        } catch (IOException e) {
                            o = PointOutcome.failure(p.id(), "refused", "cannot write its files: " + e.getMessage());
                        }
                    }
                    if (o.ok()) {
                        succeeded[0]++;
                    } else {
                        failed.put(p.id(), o);
                    }
                    listener.pointEnded(o, succeeded[0], failed.size(), todo.size());
                }
            });
        }
        List<SweepTables.Finished> finished = new ArrayList<>();
        for (SweepPoint p : spec.points()) {
            if (SweepFolder.isFinished(folder, p)) {
                finished.add(new SweepTables.Finished(p, SweepFolder.rows(folder, p)));
            }
        }
        List<Path> written = new ArrayList<>();
        Path results = folder.resolve("results.csv");
        AtomicFiles.writeString(results, SweepTables.results(spec.varyingKeys(), finished));
        written.add(results);
        SweepTables.Summary summary = SweepTables.summary(spec.varyingKeys(), finished);
        Path summaryFile = folder.resolve("summary.csv");
        AtomicFiles.writeString(summaryFile, summary.text());
        written.add(summaryFile);
        Path failures = folder.resolve("failures.csv");
        AtomicFiles.writeString(failures, SweepTables.failures(spec.varyingKeys(), spec.points(), failed));
        written.add(failures);
        if (!finished.isEmpty() && SweepPlot.save(spec.command(), spec.varyingKeys(), summary,
                folder.resolve("summary"))) {
            written.add(folder.resolve("summary.png"));
            written.add(folder.resolve("summary.svg"));
        }
        Map<String, PointOutcome> failedInOrder = new LinkedHashMap<>();
        for (SweepPoint p : spec.points()) {
            if (failed.containsKey(p.id())) {
                failedInOrder.put(p.id(), failed.get(p.id()));
            }
        }
        int remaining = spec.points().size() - finished.size();
        return new Report(spec.points().size(), alreadyDone, succeeded[0], failedInOrder, stop.getAsBoolean(),
                remaining, written);
    }
}
