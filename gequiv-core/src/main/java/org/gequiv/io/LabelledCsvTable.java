package org.gequiv.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CSV table whose cells may be text as well as numbers (for example a statistic's name beside its
 * value), written like {@link CsvTable}: {@code #} provenance lines, a header, then rows; numbers
 * with 17 significant digits, NaN as an empty field. Text cells must not contain commas, quotes or
 * line breaks. Not thread-safe.
 */
public final class LabelledCsvTable {

    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();

    public LabelledCsvTable(List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("columns must not be empty");
        }
        this.columns = List.copyOf(columns);
    }

    public List<String> columns() {
        return columns;
    }

    /** Adds a row of {@link String} and {@link Number} cells. */
    public LabelledCsvTable addRow(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("row must have " + columns.size() + " cells, got " + cells.length);
        }
        for (Object c : cells) {
            if (c instanceof String s) {
                if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
                    throw new IllegalArgumentException("text cells must not contain commas, quotes or line breaks, got '"
                            + s + "'");
                }
            } else if (!(c instanceof Number)) {
                throw new IllegalArgumentException("cells must be strings or numbers, got " + c);
            }
        }
        rows.add(cells.clone());
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    /** The text of the table with the given provenance as comment lines. */
    public String render(Map<String, Object> provenance) {
        // the comment lines and header exactly as CsvTable writes them
        StringBuilder sb = new StringBuilder(new CsvTable(columns).render(provenance));
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                if (row[i] instanceof String s) {
                    sb.append(s);
                } else {
                    double v = ((Number) row[i]).doubleValue();
                    if (!Double.isNaN(v)) {
                        sb.append(CsvTable.format(v));
                    }
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
}
