package org.gequiv.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CSV table whose cells may be text as well as numbers (for example a statistic's name beside its
 * value), written like {@link CsvTable}: {@code #} provenance lines, a header, then rows; numbers
 * with 17 significant digits, NaN as an empty field. A text cell that holds a comma, a double quote
 * or a line break is quoted as RFC 4180 prescribes ({@link #quote}); {@link #fields} reads a
 * record back. These two are the project's one CSV quoting rule (the sweep tables use them too).
 * Not thread-safe.
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
            if (!(c instanceof String) && !(c instanceof Number)) {
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
                    sb.append(quote(s));
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

    /**
     * A CSV field of {@code text} (RFC 4180, section 2): unchanged unless it holds a comma, a double
     * quote or a line break, else enclosed in double quotes with each double quote doubled.
     */
    public static String quote(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + text.replace("\"", "\"\"") + '"';
            }
        }
        return text;
    }

    /**
     * {@code text} on one line: trimmed, each line break with the blanks around it replaced by
     * {@code "; "}, so that a message cell keeps its table readable line by line.
     */
    public static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /**
     * The fields of one CSV record written on one line, as {@link #quote} writes them: split at the
     * commas outside double quotes, each quoted field unquoted. A record with a line break inside a
     * quoted field spans several lines and is not one {@code line}.
     *
     * @throws IllegalArgumentException for a quote that is not closed or is followed by text
     */
    public static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    int q = line.indexOf('"', i);
                    if (q < 0) {
                        throw new IllegalArgumentException("a CSV field's quote must be closed, got " + line);
                    }
                    field.append(line, i, q);
                    i = q + 1;
                    if (i < line.length() && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("a quoted CSV field must end at a comma, got " + line);
                }
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? line.length() : comma;
                field.append(line, i, end);
                i = end;
            }
            out.add(field.toString());
            field.setLength(0);
            if (i >= line.length()) {
                return out;
            }
            i++; // the comma
        }
    }

    /** Writes the table atomically. */
    public void write(Path target, Map<String, Object> provenance) throws IOException {
        AtomicFiles.writeString(target, render(provenance));
    }
}
