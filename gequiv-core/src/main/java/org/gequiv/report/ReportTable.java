package org.gequiv.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.io.LabelledCsvTable;
import org.gequiv.validation.Checks;

/**
 * A named table of a report section: one header, rows of cells that are numbers (doubles, NaN for
 * a missing value) or labels (strings). It is what a section's points produce, what the seed
 * averages are computed from, what the page shows and what is written as CSV next to it
 * ({@link LabelledCsvTable}, 17 significant digits), so the page and the file show one set of
 * numbers. Not thread-safe.
 */
public final class ReportTable {

    private final String name;
    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();

    /**
     * @param name    file name without extension, also the table's id on the page
     * @param columns the header, at least one distinct column
     */
    public ReportTable(String name, List<String> columns) {
        this.name = Checks.given("name", name);
        if (columns.isEmpty() || columns.stream().distinct().count() != columns.size()) {
            throw new IllegalArgumentException("columns must be distinct and not empty, got " + columns);
        }
        this.columns = List.copyOf(columns);
    }

    public String name() {
        return name;
    }

    public List<String> columns() {
        return columns;
    }

    public int rowCount() {
        return rows.size();
    }

    /** Adds a row of numbers ({@link Number}, stored as double) and labels ({@link String}). */
    public ReportTable addRow(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("row must have " + columns.size() + " cells, got " + cells.length);
        }
        Object[] row = new Object[cells.length];
        for (int i = 0; i < cells.length; i++) {
            Object c = cells[i];
            if (c instanceof Number n) {
                row[i] = n.doubleValue();
            } else if (c instanceof String s) {
                row[i] = s;
            } else {
                throw new IllegalArgumentException("cell " + columns.get(i) + " must be a number or a string, got "
                        + (c == null ? "null" : c.getClass().getSimpleName()));
            }
        }
        rows.add(row);
        return this;
    }

    /** Adds a row given by column name; missing numeric columns are NaN. */
    public ReportTable addRow(Map<String, ?> cells) {
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            Object c = cells.get(columns.get(i));
            row[i] = c == null ? Double.NaN : c;
        }
        for (String key : cells.keySet()) {
            if (!columns.contains(key)) {
                throw new IllegalArgumentException("row has column " + key + ", which the table " + name
                        + " does not have");
            }
        }
        return addRow(row);
    }

    /** The cell in {@code row} of {@code column}: a Double or a String. */
    public Object cell(int row, String column) {
        return rows.get(row)[index(column)];
    }

    /** The numeric cell in {@code row} of {@code column}. */
    public double number(int row, String column) {
        Object c = cell(row, column);
        if (c instanceof Double d) {
            return d;
        }
        throw new IllegalArgumentException("column " + column + " of table " + name + " holds labels, not numbers");
    }

    /** The label in {@code row} of {@code column}. */
    public String label(int row, String column) {
        return String.valueOf(cell(row, column));
    }

    /** A numeric column. */
    public double[] numbers(String column) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(i, column);
        }
        return out;
    }

    /** A copy of row {@code i} by column name. */
    public Map<String, Object> row(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        Object[] r = rows.get(i);
        for (int c = 0; c < r.length; c++) {
            m.put(columns.get(c), r[c]);
        }
        return m;
    }

    /** The rows whose cell in {@code column} equals {@code value} (a String or a number), in order. */
    public ReportTable where(String column, Object value) {
        int c = index(column);
        Object wanted = value instanceof Number n ? (Object) n.doubleValue() : value;
        ReportTable out = new ReportTable(name, columns);
        for (Object[] r : rows) {
            if (r[c].equals(wanted)) {
                out.rows.add(r.clone());
            }
        }
        return out;
    }

    public boolean hasColumn(String column) {
        return columns.contains(column);
    }

    private int index(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("table " + name + " has no column " + column + ", got " + columns);
        }
        return i;
    }

    /** The CSV form. */
    public LabelledCsvTable csv() {
        LabelledCsvTable t = new LabelledCsvTable(columns);
        for (Object[] r : rows) {
            t.addRow(r.clone());
        }
        return t;
    }

    /** Writes the CSV form atomically, with provenance as {@code #} lines. */
    public void write(Path target, Map<String, Object> provenance) throws IOException {
        csv().write(target, provenance);
    }

    /** A JSON-ready form: {@code name}, {@code columns}, {@code rows} (NaN as null). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("columns", columns);
        List<List<Object>> r = new ArrayList<>();
        for (Object[] row : rows) {
            r.add(Arrays.stream(row).map(c -> c instanceof Double d && !Double.isFinite(d) ? nonFinite(d) : c)
                    .toList());
        }
        m.put("rows", r);
        return m;
    }

    /** The table of {@link #toMap}. */
    @SuppressWarnings("unchecked")
    public static ReportTable fromMap(Map<String, Object> m) {
        ReportTable t = new ReportTable((String) m.get("name"), (List<String>) m.get("columns"));
        for (List<Object> row : (List<List<Object>>) m.get("rows")) {
            Object[] cells = new Object[row.size()];
            for (int i = 0; i < cells.length; i++) {
                Object c = row.get(i);
                cells[i] = c == null ? Double.NaN
                        : c instanceof Map<?, ?> special ? Double.valueOf((String) special.get("double")) : c;
            }
            t.addRow(cells);
        }
        return t;
    }

    private static Object nonFinite(double d) {
        return Double.isNaN(d) ? null : Map.of("double", Double.toString(d));
    }
}
