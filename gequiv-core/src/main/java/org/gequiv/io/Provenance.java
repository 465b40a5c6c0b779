package org.gequiv.io;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.gequiv.linalg.LinearAlgebra;

/**
 * Where a result came from: the tool's version and git commit, Java, OS and architecture, the
 * linear-algebra backend, start and wall time, plus whatever the caller adds (the full spec and
 * seeds). Serialised beside every result as JSON and as {@code #} lines at the top of CSV files.
 *
 * <p>The git commit is read from the system property {@code gequiv.commit} (the launcher script
 * sets it), and is "unknown" otherwise. Not thread-safe.
 */
public final class Provenance {

    private final Instant start;
    private final Map<String, Object> entries = new LinkedHashMap<>();

    private Provenance(Instant start) {
        this.start = start;
    }

    /** Starts a record now, filled with the environment. */
    public static Provenance start(String command) {
        Provenance p = new Provenance(Instant.now());
        p.entries.put("tool", "gequiv");
        p.entries.put("version", version());
        p.entries.put("gitCommit", System.getProperty("gequiv.commit", "unknown"));
        p.entries.put("command", command);
        p.entries.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        p.entries.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        p.entries.put("arch", System.getProperty("os.arch"));
        p.entries.put("cores", Runtime.getRuntime().availableProcessors());
        p.entries.put("linearAlgebra", LinearAlgebra.get().name());
        p.entries.put("startTime", p.start.toString());
        return p;
    }

    /** Adds or replaces an entry (values: strings, numbers, booleans, lists, maps, arrays). */
    public Provenance put(String key, Object value) {
        entries.put(key, value);
        return this;
    }

    /** Records the wall time since {@link #start}, in seconds, and the end time. */
    public Provenance finish() {
        Instant end = Instant.now();
        entries.put("endTime", end.toString());
        entries.put("wallSeconds", Duration.between(start, end).toNanos() / 1e9);
        return this;
    }

    /** The entries, in insertion order. */
    public Map<String, Object> entries() {
        return new LinkedHashMap<>(entries);
    }

    /** The project version from the build, or "unknown" when run from unpackaged classes. */
    public static String version() {
        try (InputStream in = Provenance.class.getResourceAsStream("/org/gequiv/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
