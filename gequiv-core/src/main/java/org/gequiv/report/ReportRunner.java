package org.gequiv.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.gequiv.io.AtomicFiles;
import org.gequiv.io.Json;

/**
 * Runs a section: every point in order, the long results table, then the summary; a section
 * whose points all ran is cached in {@code CACHE/<id>.json} (written atomically), so that a rerun
 * of an interrupted report redoes only the sections that had not finished. A cache entry is used
 * only when its list of points (and the build's commit) equals the current one. A failure — an
 * exception of a point or of the summary — is returned as a failed outcome with its message and
 * is never cached. Silent; progress goes to a {@link Listener}. Stateless.
 */
public final class ReportRunner {

    /** Progress of a running report. */
    public interface Listener {
        /** No progress. */
        Listener NONE = (section, done, total) -> { };

        /** {@code done} of {@code total} points of {@code section} have run. */
        void pointsDone(ReportSection section, int done, int total);
    }

    /**
     * How a section ended.
     *
     * @param section   the section
     * @param results   the long results table, or null when a point failed
     * @param body      what the page shows, or null when the section failed
     * @param failure   the failure's message, or null when the section succeeded
     * @param seconds   wall time of the points (from the cache entry when cached) and the summary
     * @param fromCache whether the points were read from the cache instead of run
     */
    public record Outcome(ReportSection section, ReportTable results, SectionBody body, String failure,
                          double seconds, boolean fromCache) {
        public boolean failed() {
            return failure != null;
        }
    }

    private ReportRunner() {
    }

    /**
     * @param cache    the cache folder, or null for none
     * @param revision what the cache must also match besides the points (for example the git commit)
     */
    public static Outcome run(ReportSection section, Path cache, String revision, Listener listener) {
        long t0 = System.nanoTime();
        ReportTable results = null;
        boolean cached = false;
        double pointSeconds;
        String fingerprint;
        Path file = cache == null ? null : cache.resolve(section.id() + ".json");
        try {
            List<ExperimentPoint> points = section.points();
            fingerprint = Json.toCompactJson(Map.of("points", points.stream().map(ExperimentPoint::parameters)
                    .toList(), "revision", revision));
            CacheEntry entry = file == null ? null : read(file, fingerprint);
            if (entry != null) {
                results = entry.results;
                pointSeconds = entry.seconds;
                cached = true;
            } else {
                List<ReportTable> rows = new ArrayList<>();
                for (int i = 0; i < points.size(); i++) {
                    rows.add(section.run(points.get(i)));
                    listener.pointsDone(section, i + 1, points.size());
                }
                results = combine(section.id() + "-results", points, rows);
                pointSeconds = (System.nanoTime() - t0) / 1e9;
                if (file != null) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("fingerprint", fingerprint);
                    m.put("seconds", pointSeconds);
                    m.put("results", results.toMap());
                    AtomicFiles.writeString(file, Json.toCompactJson(m) + "\n");
                }
            }
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            return new Outcome(section, null, null, message(e), (System.nanoTime() - t0) / 1e9, false);
        }
        long s0 = System.nanoTime();
        try {
            SectionBody body = section.summarise(results);
            double seconds = pointSeconds + (System.nanoTime() - s0) / 1e9;
            return new Outcome(section, results, body, null, seconds, cached);
        } catch (RuntimeException e) {
            return new Outcome(section, results, null, message(e), pointSeconds + (System.nanoTime() - s0) / 1e9,
                    cached);
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

    private record CacheEntry(ReportTable results, double seconds) {
    }

    @SuppressWarnings("unchecked")
    private static CacheEntry read(Path file, String fingerprint) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Map<String, Object> m = Json.mapper().readValue(file.toFile(), Map.class);
            if (!fingerprint.equals(m.get("fingerprint"))) {
                return null;
            }
            return new CacheEntry(ReportTable.fromMap((Map<String, Object>) m.get("results")),
                    ((Number) m.get("seconds")).doubleValue());
        } catch (IOException | RuntimeException e) {
            // an unreadable entry is recomputed, never trusted
            return null;
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
