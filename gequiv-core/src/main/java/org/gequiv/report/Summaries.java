package org.gequiv.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading seed-averaged tables ({@link SeedAverage}) into verdict phrases and figure series, the
 * same way in every section. Stateless.
 */
final class Summaries {

    private Summaries() {
    }

    /**
     * The agreement rule of every verdict: a mean is consistent with zero when |mean| ≤ 2 SE (a
     * missing or non-finite SE never is).
     */
    static boolean withinTwoSe(double mean, double se) {
        return Double.isFinite(se) && Math.abs(mean) <= 2 * se;
    }

    /** {@link #withinTwoSe(double, double)} of the columns {@code column_mean} and {@code column_sem}. */
    static boolean withinTwoSe(ReportTable t, int row, String column) {
        return withinTwoSe(t.number(row, column + SeedAverage.MEAN), t.number(row, column + SeedAverage.SEM));
    }

    /** About {@code wanted} row indices spread evenly over {@code count} rows, always with the last. */
    static int[] spreadRows(int count, int wanted) {
        if (count <= wanted) {
            int[] all = new int[count];
            for (int i = 0; i < count; i++) {
                all[i] = i;
            }
            return all;
        }
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < wanted; k++) {
            int i = (int) Math.round((double) k * (count - 1) / (wanted - 1));
            if (out.isEmpty() || out.get(out.size() - 1) != i) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * "largest gap −8.0 ± 1.2 % at t = 50" over the rows with t ≥ {@code fromTime}: the row whose
     * mean |gap| is largest, its mean ± SE, and how many of the rows are within 2 SE of zero.
     */
    static String largestGap(ReportTable summary, String gap, double fromTime) {
        int best = -1;
        int consistent = 0;
        int rows = 0;
        for (int i = 0; i < summary.rowCount(); i++) {
            if (summary.number(i, "t") < fromTime || !Double.isFinite(summary.number(i, gap + SeedAverage.MEAN))) {
                continue;
            }
            rows++;
            double m = summary.number(i, gap + SeedAverage.MEAN);
            double se = summary.number(i, gap + SeedAverage.SEM);
            if (withinTwoSe(m, se)) {
                consistent++;
            }
            if (best < 0 || Math.abs(m) > Math.abs(summary.number(best, gap + SeedAverage.MEAN))) {
                best = i;
            }
        }
        if (best < 0) {
            return "no recorded time t ≥ " + Numbers.display(fromTime);
        }
        double m = summary.number(best, gap + SeedAverage.MEAN);
        double se = summary.number(best, gap + SeedAverage.SEM);
        return "largest gap " + percentWithError(m, se) + " at t = " + Numbers.significant(summary.number(best, "t"), 3)
                + "; " + consistent + " of " + rows + " recorded times within 2 SE of zero";
    }

    /** "−8.0 ± 1.2 %". */
    static String percentWithError(double mean, double se) {
        return Numbers.withError(100 * mean, 100 * se) + " %";
    }

    /** Markers with error bars from the columns {@code base_mean} and {@code base_sem}. */
    static FigureData.Series markers(String label, ReportTable summary, String x, String base, int colour) {
        return markers(label, summary, x, base, colour, FigureData.Style.MARKERS);
    }

    /**
     * {@link #markers(String, ReportTable, String, String, int)} drawn as {@code style}, one of the
     * marker styles.
     */
    static FigureData.Series markers(String label, ReportTable summary, String x, String base, int colour,
                                     FigureData.Style style) {
        return new FigureData.Series(label, summary.numbers(x), summary.numbers(base + SeedAverage.MEAN),
                summary.numbers(base + SeedAverage.SEM), style, colour);
    }

    /** A line through the column {@code y}. */
    static FigureData.Series line(String label, ReportTable summary, String x, String y, int colour,
                                  FigureData.Style style) {
        return new FigureData.Series(label, summary.numbers(x), summary.numbers(y), null, style, colour);
    }
}
