package org.gequiv.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.gequiv.io.LabelledCsvTable;

/**
 * Runs a section: every point in order, the long results table of the points that ran, then the
 * summary. Each point is first looked up in a {@link PointStore} and, when it has to run, handed to
 * the store as soon as it has finished, so that a rerun of an interrupted report redoes only the
 * points that had not finished.
 *
 * <p>A point that throws is a recorded failure ({@link PointFailure}: its parameters and message),
 * not stored, so it runs again next time; the section is summarised from the other points, and its
 * body gains a first verdict saying how many points failed, the table {@code <id>-failures} (every
 * failed point's parameters and message) and a "Failed: …" sentence in each figure caption. The
 * section itself fails — an outcome with its message, not an exception — when no point ran or the
 * summary throws. Only the store's own write failure is thrown (of a point or of a result that
 * several points share, {@link SharedResults}, which the runner hands to {@link ReportSection#run(ExperimentPoint,
 * SharedResults)} and whose reuse it records in the outcome). Silent; progress goes to a
 * {@link Listener}. Stateless.
 */
public final class ReportRunner {

    /** Progress of a running report. */
    public interface Listener {
        /** No progress. */
        Listener NONE = (section, done, total) -> { };

        /** {@code done} of {@code total} points of {@code section} have ended (run, failed or read back). */
        void pointsDone(ReportSection section, int done, int total);
    }

    /**
     * A point that failed.
     *
     * @param point   the point
     * @param message the exception's type and message
     */
    public record PointFailure(ExperimentPoint point, String message) {
    }

    /**
     * How a section ended.
     *
     * @param section  the section
     * @param results  the long results table of the points that ran, or null when none did
     * @param body     what the page shows, or null when the section failed
     * @param failure  the section's failure message, or null when it was summarised
     * @param failures the points that failed, in the section's order; empty when all ran
     * @param seconds  wall time of the points (for a point read from the store, the time it took when it ran)
     *                 and of the summary
     * @param reused   how many points were read from the store instead of run
     * @param reusedSeconds the part of {@code seconds} that the reused points took when they ran
     * @param sharedReused  the names of the results shared by several points ({@link SharedResults}) that
     *                      were read from the store instead of computed, in the order they were read
     */
    public record Outcome(ReportSection section, ReportTable results, SectionBody body, String failure,
                          List<PointFailure> failures, double seconds, int reused, double reusedSeconds,
                          List<String> sharedReused) {
        public Outcome {
            failures = List.copyOf(failures);
            sharedReused = List.copyOf(sharedReused);
        }

        /** Whether the section as a whole failed (nothing to show). */
        public boolean failed() {
            return failure != null;
        }

        /** Whether the section failed or some of its points did. */
        public boolean incomplete() {
            return failed() || !failures.isEmpty();
        }
    }

    private ReportRunner() {
    }

    /**
     * @param store where finished points are read from and written to ({@link PointStore#NONE} for nowhere)
     * @throws IOException when the store cannot keep a finished point
     */
    public static Outcome run(ReportSection section, PointStore store, Listener listener) throws IOException {
        List<ExperimentPoint> points;
        try {
            points = section.points();
        } catch (RuntimeException e) {
            return new Outcome(section, null, null, message(e), List.of(), 0, 0, 0, List.of());
        }
        double seconds = 0;
        int reused = 0;
        double reusedSeconds = 0;
        List<ExperimentPoint> ran = new ArrayList<>();
        List<ReportTable> rows = new ArrayList<>();
        List<PointFailure> failures = new ArrayList<>();
        Shared shared = new Shared(store.shared(section));
        for (int i = 0; i < points.size(); i++) {
            ExperimentPoint p = points.get(i);
            PointStore.Stored stored = store.read(section, i, p);
            if (stored != null) {
                reused++;
                reusedSeconds += stored.seconds();
            } else {
                long t0 = System.nanoTime();
                ReportTable r;
                try {
                    r = section.run(p, shared);
                } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                    shared.rethrowWriteFailure();
                    seconds += (System.nanoTime() - t0) / 1e9;
                    failures.add(new PointFailure(p, message(e)));
                    listener.pointsDone(section, i + 1, points.size());
                    continue;
                }
                shared.rethrowWriteFailure();
                stored = new PointStore.Stored(r, (System.nanoTime() - t0) / 1e9);
                store.write(section, i, p, stored);
            }
            seconds += stored.seconds();
            ran.add(p);
            rows.add(stored.rows());
            listener.pointsDone(section, i + 1, points.size());
        }
        if (ran.isEmpty()) {
            String why = points.isEmpty() ? "the section has no points"
                    : "all " + points.size() + " points failed; the first: " + failures.get(0).message();
            return new Outcome(section, null, null, why, failures, seconds, reused, reusedSeconds, shared.reused);
        }
        long s0 = System.nanoTime();
        ReportTable results;
        try {
            results = combine(section.id() + "-results", ran, rows);
            SectionBody body = section.summarise(results);
            if (!failures.isEmpty()) {
                body = withFailures(section.id(), body, failures, points.size());
            }
            return new Outcome(section, results, body, null, failures, seconds + (System.nanoTime() - s0) / 1e9,
                    reused, reusedSeconds, shared.reused);
        } catch (RuntimeException e) {
            String why = message(e) + (failures.isEmpty() ? "" : " (after " + count(failures.size(), points.size())
                    + " failed; the first: " + failures.get(0).message() + ")");
            return new Outcome(section, null, null, why, failures, seconds + (System.nanoTime() - s0) / 1e9, reused,
                    reusedSeconds, shared.reused);
        }
    }

    /**
     * The store's shared results of one section, noting which were read back and the first write
     * failure: a point catches nothing of it, since the report stops when the store cannot keep
     * what it computed, as for a point's own write.
     */
    private static final class Shared implements SharedResults {
        private final SharedResults inner;
        final List<String> reused = new ArrayList<>();
        private IOException writeFailure;

        Shared(SharedResults inner) {
            this.inner = inner;
        }

        @Override
        public <T> T read(String name, Map<String, Object> parameters, Reader<T> reader) {
            T value = inner.read(name, parameters, reader);
            if (value != null) {
                reused.add(name);
            }
            return value;
        }

        @Override
        public void write(String name, Map<String, Object> parameters, Writer writer) throws IOException {
            try {
                inner.write(name, parameters, writer);
            } catch (IOException e) {
                if (writeFailure == null) {
                    writeFailure = e;
                }
                throw e;
            }
        }

        void rethrowWriteFailure() throws IOException {
            if (writeFailure != null) {
                throw writeFailure;
            }
        }
    }

    /** The long table: each point's parameters prepended to each of its rows; absent cells NaN. */
    static ReportTable combine(String name, List<ExperimentPoint> points, List<ReportTable> rows) {
        Set<String> columns = new LinkedHashSet<>();
        for (ExperimentPoint p : points) {
            columns.addAll(p.parameters().keySet());
        }
        for (ReportTable t : rows) {
            for (String c : t.columns()) {
                if (columns.contains(c) && points.stream().anyMatch(p -> p.parameters().containsKey(c))) {
                    throw new IllegalArgumentException("column " + c + " is both a parameter and a result");
                }
                columns.add(c);
            }
        }
        ReportTable out = new ReportTable(name, new ArrayList<>(columns));
        for (int i = 0; i < points.size(); i++) {
            ReportTable t = rows.get(i);
            for (int r = 0; r < t.rowCount(); r++) {
                Map<String, Object> row = new LinkedHashMap<>(points.get(i).parameters());
                row.putAll(t.row(r));
                out.addRow(row);
            }
        }
        return out;
    }

    /** The table of failed points: their parameters (absent ones NaN) and the message. */
    static ReportTable failureTable(String name, List<PointFailure> failures) {
        Set<String> columns = new LinkedHashSet<>();
        for (PointFailure f : failures) {
            columns.addAll(f.point().parameters().keySet());
        }
        columns.add("message");
        ReportTable t = new ReportTable(name, new ArrayList<>(columns));
        for (PointFailure f : failures) {
            Map<String, Object> row = new LinkedHashMap<>(f.point().parameters());
            row.put("message", LabelledCsvTable.oneLine(f.message()));
            t.addRow(row);
        }
        return t;
    }

    /** {@code body} with the failed points stated: a first verdict, their table, a sentence in each caption. */
    private static SectionBody withFailures(String id, SectionBody body, List<PointFailure> failures, int total) {
        ReportTable table = failureTable(id + "-failures", failures);
        String verdict = count(failures.size(), total) + " failed and are left out of the tables, figures and "
                + "verdicts below (table " + table.name() + "); they run again when the report is rerun.";
        List<String> verdicts = new ArrayList<>();
        verdicts.add(verdict);
        verdicts.addAll(body.verdicts());
        StringBuilder which = new StringBuilder(" Failed: ");
        int shown = Math.min(3, failures.size());
        for (int k = 0; k < shown; k++) {
            which.append(k == 0 ? "" : "; ").append(describe(failures.get(k).point()));
        }
        if (failures.size() > shown) {
            which.append("; and ").append(failures.size() - shown).append(" more");
        }
        which.append(" (").append(failures.get(0).message()).append(failures.size() > 1 ? ", …" : "").append(").");
        List<FigureData> figures = body.figures().stream()
                .map(f -> new FigureData(f.name(), f.caption() + which, f.panels())).toList();
        List<ReportTable> tables = new ArrayList<>(body.tables());
        tables.add(table);
        return new SectionBody(tables, figures, verdicts, body.notes(), body.files());
    }

    /** "1 of 4 points", "2 of 4 points". */
    private static String count(int k, int total) {
        return k + " of " + total + (total == 1 ? " point" : " points");
    }

    /** "loss = ridge, seed = 1". */
    static String describe(ExperimentPoint p) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : p.parameters().entrySet()) {
            Object v = e.getValue();
            parts.add(e.getKey() + " = " + (v instanceof Number n ? Numbers.display(n.doubleValue()) : v));
        }
        return String.join(", ", parts);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
