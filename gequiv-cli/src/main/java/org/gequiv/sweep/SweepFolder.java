package org.gequiv.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.gequiv.io.AtomicFiles;
import org.gequiv.io.Json;

/**
 * The layout of a sweep folder and the rule of what is finished:
 *
 * <pre>
 * DIR/sweep.json            the spec, its identity and the provenance of the latest run
 * DIR/points/&lt;id&gt;/          the point's usual files (curve.csv, run.json, figures, …)
 * DIR/points/&lt;id&gt;/rows.csv  the header and rows of its main table, as results.csv takes them
 * DIR/points/&lt;id&gt;/done.json the marker: the point's command and parameters
 * DIR/results.csv, summary.csv, summary.png/.svg, failures.csv
 * </pre>
 *
 * <p>A point is finished when its {@code done.json} exists and names the point's command and
 * parameters. Every file is written atomically (a temporary file renamed into place), and the
 * marker is written last, after the point's files and rows are complete: a sweep killed at any
 * moment, even by {@code kill -9}, leaves each point either finished with complete files or
 * unfinished, and a rerun runs exactly the unfinished ones again (a partly written point's files
 * are overwritten whole). Stateless.
 */
public final class SweepFolder {

    /** The marker of a finished point. */
    public static final String MARKER = "done.json";
    /** The main table's rows of a finished point. */
    public static final String ROWS = "rows.csv";
    /** The spec and provenance of the sweep. */
    public static final String SPEC = "sweep.json";

    private SweepFolder() {
    }

    /** The folder of point {@code p}. */
    public static Path pointFolder(Path sweep, SweepPoint p) {
        return sweep.resolve("points").resolve(p.id());
    }

    /** Whether {@code p} is finished in {@code sweep}: its rows and a marker naming it ({@link #names}). */
    public static boolean isFinished(Path sweep, SweepPoint p) {
        Path dir = pointFolder(sweep, p);
        return Files.isRegularFile(dir.resolve(ROWS)) && names(dir.resolve(MARKER), p);
    }

    /**
     * The rule of what may be reused: whether {@code marker} exists and names {@code p}'s command
     * and parameters (the build among them, where the caller puts it there). Also the rule of the
     * paper report's results shared by several points ({@link SectionPoints#shared}).
     */
    public static boolean names(Path marker, SweepPoint p) {
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        try {
            JsonNode m = Json.mapper().readTree(Files.readString(marker));
            if (!p.command().equals(m.path("command").asText())) {
                return false;
            }
            Map<String, String> params = new LinkedHashMap<>();
            m.path("parameters").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            return params.equals(p.parameters());
        } catch (IOException | RuntimeException e) {
            // an unreadable marker is no marker: the point runs again
            return false;
        }
    }

    /** Writes {@code marker} naming {@code p} (atomically), the last file of whatever it marks as finished. */
    public static void writeMarker(Path marker, SweepPoint p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("index", p.index());
        m.put("command", p.command());
        m.put("parameters", p.parameters());
        Json.write(marker, m);
    }

    /**
     * Completes point {@code p} with outcome {@code o} (a success): writes the files it carries,
     * then its rows, then the marker.
     */
    public static void finish(Path sweep, SweepPoint p, PointOutcome o) throws IOException {
        Path dir = pointFolder(sweep, p);
        if (o.files() != null) {
            for (Map.Entry<String, byte[]> f : o.files().entrySet()) {
                Path target = dir.resolve(f.getKey()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("point " + p.id() + " file " + f.getKey() + " is outside its folder");
                }
                byte[] bytes = f.getValue();
                AtomicFiles.write(target, out -> out.write(bytes));
            }
        }
        StringBuilder rows = new StringBuilder(o.header()).append('\n');
        for (String r : o.rows()) {
            rows.append(r).append('\n');
        }
        AtomicFiles.writeString(dir.resolve(ROWS), rows.toString());
        writeMarker(dir.resolve(MARKER), p);
    }

    /** The header (element 0) and rows of a finished point's main table. */
    public static List<String> rows(Path sweep, SweepPoint p) throws IOException {
        String text = Files.readString(pointFolder(sweep, p).resolve(ROWS), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /**
     * Refuses a folder that holds a sweep of another spec, unless {@code force}: its
     * {@code sweep.json} has another identity ({@link SweepSpec#identity}).
     */
    public static void checkSpec(Path sweep, SweepSpec spec, boolean force) throws IOException {
        Path file = sweep.resolve(SPEC);
        if (force || !Files.isRegularFile(file)) {
            return;
        }
        String identity;
        String command;
        try {
            JsonNode j = Json.mapper().readTree(Files.readString(file));
            identity = j.path("specIdentity").asText("");
            command = j.path("spec").path("command").asText("?");
        } catch (IOException | RuntimeException e) {
            throw new SweepSpecException("--out must be a folder of this sweep or a new one, got " + sweep + ", whose "
                    + SPEC + " cannot be read (" + e.getMessage() + "); add --force to use it anyway", e);
        }
        if (!identity.equals(spec.identity())) {
            throw new SweepSpecException("--out must be a folder of this sweep or a new one, got " + sweep
                    + ", which holds a sweep of another spec (" + command + ", identity " + shortId(identity)
                    + "; this one " + shortId(spec.identity()) + "); choose another folder, or add --force to run "
                    + "this spec there (finished points with the same id are kept)");
        }
    }

    private static String shortId(String identity) {
        return identity.length() > 12 ? identity.substring(0, 12) : identity;
    }

    /** Writes {@code sweep.json}. */
    public static void writeSpec(Path sweep, SweepSpec spec, Map<String, Object> provenance, String executor)
            throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("spec", spec.description());
        json.put("specFile", spec.source());
        json.put("specIdentity", spec.identity());
        json.put("executor", executor);
        List<Map<String, Object>> points = new ArrayList<>();
        for (SweepPoint p : spec.points()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("parameters", p.parameters());
            points.add(m);
        }
        json.put("points", points);
        json.put("provenance", provenance);
        Json.write(sweep.resolve(SPEC), json);
    }
}
