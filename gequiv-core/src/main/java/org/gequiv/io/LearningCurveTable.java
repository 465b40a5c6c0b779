package org.gequiv.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.gequiv.online.LearningCurve;

/**
 * The table of one or more learning curves recorded at the same requested times, as written to
 * {@code curve.csv}: column {@code t}, then for each curve with suffix s (for example "sim",
 * "theory") the columns {@code eg_s}, {@code Q_k_l_s} (k ≤ l), {@code R_k_m_s}, {@code v_k_s}.
 * A simulated curve also gets {@code t_s}, the exact sample time of each point. Points a curve
 * does not have (it stopped early) are empty fields.
 */
public final class LearningCurveTable {
    private LearningCurveTable() {
    }

    /**
     * @param times    the requested times, one row each
     * @param suffixes one suffix per curve
     * @param curves   the curves; point i belongs to row i
     * @param exactTimeColumn per curve, whether to add its own time column {@code t_s}
     */
    public static CsvTable of(double[] times, List<String> suffixes, List<LearningCurve> curves,
                              List<Boolean> exactTimeColumn) {
        if (suffixes.size() != curves.size() || curves.size() != exactTimeColumn.size() || curves.isEmpty()) {
            throw new IllegalArgumentException("suffixes, curves and time flags must have one entry per curve, got "
                    + suffixes.size() + ", " + curves.size() + ", " + exactTimeColumn.size());
        }
        int k = curves.get(0).studentHidden();
        int m = curves.get(0).teacherHidden();
        List<String> columns = new ArrayList<>();
        columns.add("t");
        for (int c = 0; c < curves.size(); c++) {
            String s = suffixes.get(c);
            if (exactTimeColumn.get(c)) {
                columns.add("t_" + s);
            }
            columns.add("eg_" + s);
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    columns.add("Q_" + i + "_" + j + "_" + s);
                }
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < m; j++) {
                    columns.add("R_" + i + "_" + j + "_" + s);
                }
            }
            for (int i = 0; i < k; i++) {
                columns.add("v_" + i + "_" + s);
            }
        }
        CsvTable table = new CsvTable(columns);
        for (int row = 0; row < times.length; row++) {
            double[] values = new double[columns.size()];
            Arrays.fill(values, Double.NaN);
            int col = 0;
            values[col++] = times[row];
            for (int c = 0; c < curves.size(); c++) {
                LearningCurve curve = curves.get(c);
                LearningCurve.Point p = row < curve.points().size() ? curve.points().get(row) : null;
                if (exactTimeColumn.get(c)) {
                    values[col++] = p == null ? Double.NaN : p.time();
                }
                values[col++] = p == null ? Double.NaN : p.generalisationError();
                for (int i = 0; i < k; i++) {
                    for (int j = i; j < k; j++) {
                        values[col++] = p == null ? Double.NaN : p.q()[i * k + j];
                    }
                }
                for (int i = 0; i < k * m; i++) {
                    values[col++] = p == null ? Double.NaN : p.r()[i];
                }
                for (int i = 0; i < k; i++) {
                    values[col++] = p == null ? Double.NaN : p.v()[i];
                }
            }
            table.addRow(values);
        }
        return table;
    }
}
