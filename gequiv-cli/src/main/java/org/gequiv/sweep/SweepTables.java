package org.gequiv.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.gequiv.io.CsvTable;
import org.gequiv.io.LabelledCsvTable;

/**
 * The sweep's tables, built from the finished points in the spec's order (never in the order they
 * ran, so they are byte-identical however and wherever the points ran):
 *
 * <ul>
 *   <li>{@code results.csv}: columns {@code point}, the varying keys, then the command's own columns
 *       (the union over the points, in order of first appearance; a column a point does not have is
 *       empty); one row per row of each point's main table, its cells as the command wrote them. A
 *       varying key with the name of one of the command's columns (an ERM grid over {@code alpha})
 *       is not repeated: the command's column holds the value.</li>
 *   <li>{@code summary.csv}: the same grouped over {@code seed}. A group is the points that differ
 *       only in their seed, and within them one row position with the same key cells (the row's
 *       coordinates: {@link #KEY_COLUMNS} and every text column). Columns: the varying keys but the
 *       seed, {@code points} (the group's size), the key cells, then for every other numeric
 *       column c {@code c_mean}, {@code c_sem} (the standard error s/√n, s the sample standard
 *       deviation with n − 1; empty for n &lt; 2) and {@code c_count} (n, the non-empty cells). Sums
 *       run in the spec's order of points.</li>
 *   <li>{@code failures.csv}: {@code point}, the varying keys, {@code kind}, {@code message}.</li>
 * </ul>
 *
 * <p>Cells holding a comma, a quote or a line break are quoted as in RFC 4180 (a list value of a
 * varying key, a message). No provenance lines: the provenance is in {@code sweep.json} and each
 * point's {@code run.json}, and wall times would break the byte identity. Stateless.
 */
public final class SweepTables {

    /** The command columns that locate a row rather than measure something (t, α, λ, N, D, P). */
    public static final Set<String> KEY_COLUMNS = Set.of("t", "alpha", "lambda", "N", "D", "statistic", "samples");

    private SweepTables() {
    }

    /** A finished point and its main table (header first). */
    public record Finished(SweepPoint point, List<String> table) {
    }

    /** A parsed view of the finished points: the union of columns and each row's cells by column. */
    private record LongTable(List<String> columns, List<SweepPoint> points, List<Integer> rowIndex,
                        List<Map<String, String>> cells) {
    }

    private static LongTable longTable(List<Finished> finished) {
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        List<SweepPoint> points = new ArrayList<>();
        List<Integer> rowIndex = new ArrayList<>();
        List<Map<String, String>> cells = new ArrayList<>();
        for (Finished f : finished) {
            List<String> header = LabelledCsvTable.fields(f.table().get(0));
            columns.addAll(header);
            for (int r = 1; r < f.table().size(); r++) {
                List<String> c = LabelledCsvTable.fields(f.table().get(r));
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.size() && i < c.size(); i++) {
                    row.put(header.get(i), c.get(i));
                }
                points.add(f.point());
                rowIndex.add(r - 1);
                cells.add(row);
            }
        }
        return new LongTable(new ArrayList<>(columns), points, rowIndex, cells);
    }

    private static List<String> parameterColumns(List<String> varyingKeys, List<String> commandColumns) {
        List<String> keys = new ArrayList<>();
        for (String k : varyingKeys) {
            if (!commandColumns.contains(k) && !k.equals("point")) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** The text of {@code results.csv}. */
    public static String results(List<String> varyingKeys, List<Finished> finished) {
        LongTable t = longTable(finished);
        List<String> keys = parameterColumns(varyingKeys, t.columns());
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>();
        header.add("point");
        header.addAll(keys);
        header.addAll(t.columns());
        sb.append(String.join(",", header)).append('\n');
        for (int r = 0; r < t.cells().size(); r++) {
            SweepPoint p = t.points().get(r);
            List<String> row = new ArrayList<>();
            row.add(p.id());
            for (String k : keys) {
                row.add(quote(p.parameters().getOrDefault(k, "")));
            }
            for (String c : t.columns()) {
                row.add(t.cells().get(r).getOrDefault(c, ""));
            }
            sb.append(String.join(",", row)).append('\n');
        }
        return sb.toString();
    }

    /** The columns of a summary: what {@link #summary} writes and what a figure reads. */
    public record Summary(List<String> columns, List<List<String>> rows) {
        /** The text of {@code summary.csv}. */
        public String text() {
            StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
            for (List<String> r : rows) {
                List<String> q = new ArrayList<>();
                for (String c : r) {
                    q.add(quote(c));
                }
                sb.append(String.join(",", q)).append('\n');
            }
            return sb.toString();
        }

        /** The cell of {@code column} in row {@code r}, or "" when there is no such column. */
        public String cell(int r, String column) {
            int i = columns.indexOf(column);
            return i < 0 ? "" : rows.get(r).get(i);
        }

        /** The number in a cell, NaN when empty or absent. */
        public double number(int r, String column) {
            String s = cell(r, column);
            return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        }
    }

    /** {@code summary.csv}: the long table grouped over {@code seed}. */
    public static Summary summary(List<String> varyingKeys, List<Finished> finished) {
        LongTable t = longTable(finished);
        List<String> keys = new ArrayList<>(parameterColumns(varyingKeys, t.columns()));
        keys.remove("seed");
        Set<String> text = new LinkedHashSet<>();
        for (Map<String, String> row : t.cells()) {
            for (Map.Entry<String, String> e : row.entrySet()) {
                if (!e.getValue().isEmpty() && !isNumber(e.getValue())) {
                    text.add(e.getKey());
                }
            }
        }
        List<String> keyCells = new ArrayList<>();
        List<String> measured = new ArrayList<>();
        for (String c : t.columns()) {
            if (KEY_COLUMNS.contains(c) || text.contains(c)) {
                keyCells.add(c);
            } else {
                measured.add(c);
            }
        }
        // groups in order of first appearance; members in the spec's order of points
        Map<List<String>, List<Integer>> groups = new LinkedHashMap<>();
        for (int r = 0; r < t.cells().size(); r++) {
            SweepPoint p = t.points().get(r);
            List<String> g = new ArrayList<>();
            for (String k : keys) {
                g.add(p.parameters().getOrDefault(k, ""));
            }
            g.add(Integer.toString(t.rowIndex().get(r)));
            for (String c : keyCells) {
                g.add(t.cells().get(r).getOrDefault(c, ""));
            }
            groups.computeIfAbsent(g, x -> new ArrayList<>()).add(r);
        }
        List<String> columns = new ArrayList<>(keys);
        columns.add("points");
        columns.addAll(keyCells);
        for (String c : measured) {
            columns.add(c + "_mean");
            columns.add(c + "_sem");
            columns.add(c + "_count");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<List<String>, List<Integer>> g : groups.entrySet()) {
            List<Integer> members = g.getValue();
            int first = members.get(0);
            List<String> row = new ArrayList<>();
            for (String k : keys) {
                row.add(t.points().get(first).parameters().getOrDefault(k, ""));
            }
            row.add(Integer.toString(members.size()));
            for (String c : keyCells) {
                row.add(t.cells().get(first).getOrDefault(c, ""));
            }
            for (String c : measured) {
                double sum = 0;
                int n = 0;
                for (int r : members) {
                    String s = t.cells().get(r).getOrDefault(c, "");
                    if (!s.isEmpty()) {
                        sum += Double.parseDouble(s);
                        n++;
                    }
                }
                double mean = n == 0 ? Double.NaN : sum / n;
                double ss = 0;
                for (int r : members) {
                    String s = t.cells().get(r).getOrDefault(c, "");
                    if (!s.isEmpty()) {
                        double d = Double.parseDouble(s) - mean;
                        ss += d * d;
                    }
                }
                double sem = n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1) / n);
                row.add(Double.isNaN(mean) ? "" : CsvTable.number(mean));
                row.add(Double.isNaN(sem) ? "" : CsvTable.number(sem));
                row.add(Integer.toString(n));
            }
            rows.add(row);
        }
        return new Summary(columns, rows);
    }

    /** The text of {@code failures.csv}. */
    public static String failures(List<String> varyingKeys, List<SweepPoint> points, Map<String, PointOutcome> failed) {
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>();
        header.add("point");
        header.addAll(varyingKeys);
        header.add("kind");
        header.add("message");
        sb.append(String.join(",", header)).append('\n');
        for (SweepPoint p : points) {
            PointOutcome o = failed.get(p.id());
            if (o == null) {
                continue;
            }
            List<String> row = new ArrayList<>();
            row.add(p.id());
            for (String k : varyingKeys) {
                row.add(quote(p.parameters().getOrDefault(k, "")));
            }
            row.add(quote(o.kind()));
            row.add(quote(o.message() == null ? "" : LabelledCsvTable.oneLine(o.message())));
            sb.append(String.join(",", row)).append('\n');
        }
        return sb.toString();
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A CSV cell, quoted as RFC 4180 prescribes ({@link LabelledCsvTable#quote}). */
    static String quote(String s) {
        return LabelledCsvTable.quote(s);
    }
}
