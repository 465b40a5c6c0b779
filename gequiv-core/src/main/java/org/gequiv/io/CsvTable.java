package org.gequiv.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** Significant digits of a number that is not a small whole number. */
    private static final int SIGNIFICANT = 17;

    /**
     * The text of {@code String.format(Locale.ROOT, "%.17g", v)} with the zeros after the last
     * significant digit removed (and "d.e" made "de"), as the tables have always been written,
     * built from the digits of {@link Double#toString} instead: %g pads those same shortest
     * digits with zeros to 17 (CsvTableTest compares the two on 10⁶ values), and Formatter and
     * its regular expression cost ~0.2 ms per number before the JIT has compiled them, 2 ms per
     * row of a learning curve (issue 11).
     */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
        }
        String shortest = Double.toString(Math.abs(v));
        int e = shortest.indexOf('E');
        String mantissa = e < 0 ? shortest : shortest.substring(0, e);
        int point = mantissa.indexOf('.');
        String all = mantissa.substring(0, point) + mantissa.substring(point + 1);
        int lead = 0;
        while (lead < all.length() - 1 && all.charAt(lead) == '0') {
            lead++;
        }
        int last = all.length();
        while (last > lead + 1 && all.charAt(last - 1) == '0') {
            last--;
        }
        String digits = all.substring(lead, last);
        // v = d₀.d₁d₂… × 10^exponent
        int exponent = point + (e < 0 ? 0 : Integer.parseInt(shortest.substring(e + 1))) - lead - 1;
        if (digits.length() > SIGNIFICANT) {
            // Java 17's Double.toString gives 18 digits for some values; %.17g rounds them half up
            char[] kept = digits.substring(0, SIGNIFICANT).toCharArray();
            int i = SIGNIFICANT - 1;
            if (digits.charAt(SIGNIFICANT) >= '5') {
                while (i >= 0 && kept[i] == '9') {
                    kept[i--] = '0';
                }
                if (i >= 0) {
                    kept[i]++;
                }
            }
            if (i < 0) {
                digits = "1";
                exponent++;
            } else {
                int end = SIGNIFICANT;
                while (end > 1 && kept[end - 1] == '0') {
                    end--;
                }
                digits = new String(kept, 0, end);
            }
        }
        StringBuilder sb = new StringBuilder(26);
        if (v < 0) {
            sb.append('-');
        }
        if (exponent < -4 || exponent >= 17) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            int magnitude = Math.abs(exponent);
            sb.append(exponent < 0 ? "e-" : "e+").append(magnitude < 10 ? "0" : "").append(magnitude);
        } else if (exponent < 0) {
            sb.append("0.");
            for (int i = -1; i > exponent; i--) {
                sb.append('0');
            }
            sb.append(digits);
        } else {
            for (int i = 0; i <= exponent; i++) {
                sb.append(i < digits.length() ? digits.charAt(i) : '0');
            }
            // %.17g keeps 16 − exponent fraction digits; a point before none of them stays
            if (exponent < 16) {
                sb.append('.');
                if (digits.length() > exponent + 1) {
                    sb.append(digits, exponent + 1, digits.length());
                }
            }
        }
        return sb.toString();
    }
}
