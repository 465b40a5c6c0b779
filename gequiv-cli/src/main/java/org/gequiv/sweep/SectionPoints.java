package org.gequiv.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.gequiv.io.Json;
import org.gequiv.report.ExperimentPoint;
import org.gequiv.report.PointStore;
import org.gequiv.report.ReportSection;
import org.gequiv.report.ReportTable;
import org.gequiv.report.SharedResults;

/**
 * The report's point store ({@link PointStore}) on sweep folders: section {@code s} keeps its
 * points in {@code ROOT/s/}, laid out and finished as every sweep's points are ({@link SweepFolder}:
 * {@code points/<id>/rows.csv}, then {@code done.json} last, each written atomically), so a report
 * killed at any moment resumes from the points that had finished.
 *
 * <p>A point is a {@link SweepPoint} of the command {@code paper:<section id>}: its parameters are
 * the experiment point's (numbers in {@link SweepSpec#canonical} text) plus {@value #REVISION}, the
 * build that computed it; its id hashes the parameters without the revision, so a new build
 * recomputes a point in the same folder instead of beside it. Besides {@code rows.csv}, the point
 * folder holds {@value #TABLE}: the rows with their types (labels and numbers, every digit) and the
 * point's wall time, which is what is read back. Results that several points of a section share
 * ({@link #shared}, section 3's moments) are files of the section's folder with a marker of the same
 * form beside them, reused under the same rule. Not thread-safe.
 */
public final class SectionPoints implements PointStore {

    /** The parameter that names the build (commit and version) a point was computed by. */
    public static final String REVISION = "revision";
    /** The file of a point's typed rows and wall time. */
    public static final String TABLE = "rows.json";

    /** A shared result's name: relative, segments not starting with '.', so it stays inside the section's folder. */
    private static final Pattern SHARED_NAME =
            Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    private final Path root;
    private final String revision;
    private final boolean reuse;

    /**
     * @param root     the folder holding one sweep folder per section
     * @param revision the build, for example the git commit and version; points of another build run again
     * @param reuse    whether finished points are read back (false: every point runs and is written over)
     */
    public SectionPoints(Path root, String revision, boolean reuse) {
        this.root = root;
        this.revision = revision;
        this.reuse = reuse;
    }

    /** The sweep folder of {@code section}. */
    public Path folder(ReportSection section) {
        return root.resolve(section.id());
    }

    /** The sweep point of point {@code index} of {@code section}. */
    public SweepPoint point(ReportSection section, int index, ExperimentPoint point) {
        Map<String, String> parameters = canonical(point.parameters());
        String command = command(section);
        String id = SweepPoint.of(index + 1, section.points().size(), command, parameters).id();
        parameters.put(REVISION, revision);
        return new SweepPoint(index + 1, id, command, parameters);
    }

    /**
     * What the marker of shared result {@code name} of {@code section} names: index 0 (it is none of
     * the section's points), the name as its id, the section's command, its parameters and the build.
     */
    SweepPoint sharedPoint(ReportSection section, String name, Map<String, Object> parameters) {
        Map<String, String> p = canonical(parameters);
        p.put(REVISION, revision);
        return new SweepPoint(0, name, command(section), p);
    }

    private static String command(ReportSection section) {
        return "paper:" + section.id();
    }

    /** Parameters as marker text: numbers in {@link SweepSpec#canonical} form; {@value #REVISION} refused. */
    private static Map<String, String> canonical(Map<String, Object> values) {
        Map<String, String> parameters = new TreeMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            parameters.put(e.getKey(), v instanceof Number n ? SweepSpec.canonical(n.doubleValue()) : String.valueOf(v));
        }
        if (parameters.containsKey(REVISION)) {
            throw new IllegalArgumentException("a report point's parameters must not be named " + REVISION + ", got "
                    + values);
        }
        return parameters;
    }

    /** The file of shared result {@code name} of {@code section}. */
    public Path sharedFile(ReportSection section, String name) {
        if (!SHARED_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a shared result's name must be a relative file name of letters, "
                    + "digits, '.', '_' and '-' (no segment starting with '.'), got '" + name + "'");
        }
        return folder(section).resolve(name);
    }

    /** The marker of a shared result's {@code file}: {@code <file>.done.json}, written after the file. */
    public static Path sharedMarker(Path file) {
        return file.resolveSibling(file.getFileName() + "." + SweepFolder.MARKER);
    }

    /**
     * The results shared by several points of {@code section}, kept in its folder as
     * {@code <name>} with its marker {@link #sharedMarker}, under the points' rule
     * ({@link SweepFolder#names}: the marker names the section, the parameters and the build; nothing
     * is reused when this store reuses nothing); a marked file that its reader cannot read is
     * computed again, as a point with an unreadable table runs again.
     */
    @Override
    public SharedResults shared(ReportSection section) {
        return new SharedResults() {
            @Override
            public <T> T read(String name, Map<String, Object> parameters, Reader<T> reader) {
                Path file = sharedFile(section, name);
                if (!reuse || !Files.isRegularFile(file)
                        || !SweepFolder.names(sharedMarker(file), sharedPoint(section, name, parameters))) {
                    return null;
                }
                try {
                    return reader.read(file);
                } catch (IOException | RuntimeException e) {
                    return null;
                }
            }

            @Override
            public void write(String name, Map<String, Object> parameters, Writer writer) throws IOException {
                Path file = sharedFile(section, name);
                SweepPoint p = sharedPoint(section, name, parameters);
                // the old marker goes first, so that a file left half-written by a writer that is not atomic
                // is never marked finished
                Files.deleteIfExists(sharedMarker(file));
                Files.createDirectories(file.getParent());
                writer.write(file);
                SweepFolder.writeMarker(sharedMarker(file), p);
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public Stored read(ReportSection section, int index, ExperimentPoint point) {
        if (!reuse) {
            return null;
        }
        Path folder = folder(section);
        SweepPoint p = point(section, index, point);
        if (!SweepFolder.isFinished(folder, p)) {
            return null;
        }
        try {
            Map<String, Object> m = Json.mapper().readValue(SweepFolder.pointFolder(folder, p).resolve(TABLE).toFile(),
                    Map.class);
            return new Stored(ReportTable.fromMap((Map<String, Object>) m.get("rows")),
                    ((Number) m.get("seconds")).doubleValue());
        } catch (IOException | RuntimeException e) {
            // a finished marker beside an unreadable table is not trusted: the point runs again
            return null;
        }
    }

    @Override
    public void write(ReportSection section, int index, ExperimentPoint point, Stored result) throws IOException {
        Path folder = folder(section);
        SweepPoint p = point(section, index, point);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", result.seconds());
        m.put("rows", result.rows().toMap());
        byte[] table = (Json.toCompactJson(m) + "\n").getBytes(StandardCharsets.UTF_8);
        List<String> lines;
        try {
            lines = Arrays.asList(result.rows().csv().render(null).split("\n"));
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot keep " + p.describe(point.parameters().keySet()) + " of section "
                    + section.id() + ": " + e.getMessage(), e);
        }
        PointOutcome o = PointOutcome.success(p.id(), lines.get(0), lines.subList(1, lines.size()))
                .withFiles(Map.of(TABLE, table));
        SweepFolder.finish(folder, p, o);
    }
}
