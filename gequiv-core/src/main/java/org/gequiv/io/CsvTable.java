package org.gequiv.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A numeric table written as CSV: optional {@code #} comment lines (provenance), one header row,
 * then rows of numbers. Doubles are written with 17 significant digits so they read back exactly;
 * missing values are empty fields. Readers such as pandas take it with {@code comment='#'}.
 * Not thread-safe.
 */
public final class CsvTable {

    private final List<String> columns;
    private final List<double[]> rows = new ArrayList<>();

    public CsvTable(List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("columns must not be empty");
        }
        this.columns = List.copyOf(columns);
    }

    public List<String> columns() {
        return columns;
    }

    /** Adds a row; NaN is written as an empty field. The array is copied. */
    public CsvTable addRow(double... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row must have " + columns.size() + " values, got " + values.length);
        }
        rows.add(values.clone());
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    /** The text of the table with the given provenance as comment lines. */
    public String render(Map<String, Object> provenance) {
        StringBuilder sb = new StringBuilder();
        if (provenance != null) {
            for (Map.Entry<String, Object> e : provenance.entrySet()) {
                String value = e.getValue() instanceof String s ? s : Json.toCompactJson(e.getValue());
                sb.append("# ").append(e.getKey()).append(": ").append(value.replace('\n', ' ')).append('\n');
            }
        }
        sb.append(String.join(",", columns)).append('\n');
        for (double[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                if (!Double.isNaN(row[i])) {
                    sb.append(format(row[i]));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes the table atomically. */
    public void write(Path target, Map<String, Object> provenance) throws IOException {
        AtomicFiles.writeString(target, render(provenance));
    }

    /**
     * A number as every table writes it: a whole number below 10¹⁵ without a fraction, anything
     * else with 17 significant digits and no trailing zeros (so it reads back exactly).
     */
    public static String number(double v) {
        return format(v);
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.17g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e");
    }
}
