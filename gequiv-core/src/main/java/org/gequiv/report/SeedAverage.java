package org.gequiv.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.random.Repeats;

/**
 * Averages over seeds, the one rule behind every "mean ± standard error" of the report: rows of a
 * long results table that agree on every key column (all columns but the seed and the measured
 * values) form a group; each measured column becomes {@code c_mean}, {@code c_sem} (sample
 * standard deviation over √count, {@link Repeats#standardError}; NaN for one value) and
 * {@code c_count}, counted over the group's finite values only. The order of the groups is that of
 * their first rows. Stateless.
 */
public final class SeedAverage {

    private SeedAverage() {
    }

    /** Suffixes of the summary columns. */
    public static final String MEAN = "_mean";
    public static final String SEM = "_sem";
    public static final String COUNT = "_count";

    /**
     * @param results the long table (one row per point and recorded row)
     * @param keys    the columns that identify a group (labels or numbers)
     * @param values  the numeric columns to average
     * @param name    the summary table's name
     */
    public static ReportTable summarise(ReportTable results, List<String> keys, List<String> values, String name) {
        List<String> columns = new ArrayList<>(keys);
        for (String v : values) {
            columns.add(v + MEAN);
            columns.add(v + SEM);
            columns.add(v + COUNT);
        }
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < results.rowCount(); i++) {
            List<Object> key = new ArrayList<>();
            for (String k : keys) {
                key.add(results.cell(i, k));
            }
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
        }
        ReportTable out = new ReportTable(name, columns);
        for (Map.Entry<List<Object>, List<Integer>> g : groups.entrySet()) {
            List<Object> row = new ArrayList<>(g.getKey());
            for (String v : values) {
                double[] finite = g.getValue().stream().mapToDouble(i -> results.number(i, v))
                        .filter(Double::isFinite).toArray();
                row.add(finite.length == 0 ? Double.NaN : Repeats.mean(finite));
                row.add(Repeats.standardError(finite));
                row.add(finite.length);
            }
            out.addRow(row.toArray());
        }
        return out;
    }
}
