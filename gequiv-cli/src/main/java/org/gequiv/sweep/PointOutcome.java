package org.gequiv.sweep;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What running one point gave: on success the header and rows of the command's main table (its
 * {@code curve.csv}, {@code fields.csv}, … without the provenance lines), on failure the reason.
 * An executor that runs points away from the sweep folder (a Spark executor) also carries the
 * point's files, which the driver writes into {@code points/<id>/}; a local run leaves
 * {@code files} null because it wrote them in place. Immutable (the byte arrays are not copied:
 * they are only written out).
 *
 * @param id      the point's id
 * @param ok      whether the point finished
 * @param kind    for a failure: "refused", "stopped" (divergence, an unconverged saddle point) or
 *                "internal error"; null for success
 * @param message for a failure, what happened; null for success
 * @param header  the main table's header line (success only)
 * @param rows    the main table's rows as written (success only)
 * @param files   the point's files by name, or null when they are already in place
 */
public record PointOutcome(String id, boolean ok, String kind, String message, String header, List<String> rows,
                           Map<String, byte[]> files) implements Serializable {
    private static final long serialVersionUID = 1L;

    public PointOutcome {
        rows = rows == null ? null : List.copyOf(rows);
        files = files == null ? null : Map.copyOf(files);
    }

    /** A finished point. */
    public static PointOutcome success(String id, String header, List<String> rows) {
        return new PointOutcome(id, true, null, null, header, rows, null);
    }

    /** A failed point. */
    public static PointOutcome failure(String id, String kind, String message) {
        return new PointOutcome(id, false, kind, message, null, null, null);
    }

    /** The same outcome carrying the point's files. */
    public PointOutcome withFiles(Map<String, byte[]> pointFiles) {
        return new PointOutcome(id, ok, kind, message, header, rows, pointFiles);
    }
}
