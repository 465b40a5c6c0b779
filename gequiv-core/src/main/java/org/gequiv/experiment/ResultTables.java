package org.gequiv.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.gequiv.equivalence.FieldStatistic;
import org.gequiv.equivalence.RateFit;
import org.gequiv.equivalence.SizeSummary;
import org.gequiv.erm.ErmPoint;
import org.gequiv.io.CsvTable;
import org.gequiv.io.LabelledCsvTable;
import org.gequiv.moments.ConvergenceRecord;
import org.gequiv.online.LearningCurve;

/**
 * The tables every front end writes from experiment results, defined once: {@link #learningCurves}
 * (online {@code curve.csv}), {@link #onlineEquivalence}, {@link #ermCurve}, {@link #ermEquivalence},
 * {@link #fields} and {@link #rates} (check), {@link #convergence} (moments).
 *
 * <p>The learning-curve table holds one or more curves recorded at the same requested times:
 * column {@code t}, then for each curve with suffix s (for example "sim",
 * "theory") the columns {@code eg_s}, {@code Q_k_l_s} (k ≤ l), {@code R_k_m_s}, {@code v_k_s}.
 * A simulated curve also gets {@code t_s}, the exact sample time of each point. Points a curve
 * does not have (it stopped early) are empty fields.
 */
public final class ResultTables {
    private ResultTables() {
    }

    /**
     * @param times    the requested times, one row each
     * @param suffixes one suffix per curve
     * @param curves   the curves; point i belongs to row i
     * @param exactTimeColumn per curve, whether to add its own time column {@code t_s}
     */
    public static CsvTable learningCurves(double[] times, List<String> suffixes, List<LearningCurve> curves,
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
                        values[col++] = p == null ? Double.NaN : p.q(i * k + j);
                    }
                }
                for (int i = 0; i < k * m; i++) {
                    values[col++] = p == null ? Double.NaN : p.r(i);
                }
                for (int i = 0; i < k; i++) {
                    values[col++] = p == null ? Double.NaN : p.v(i);
                }
            }
            table.addRow(values);
        }
        return table;
    }

    /** {@code equivalence.csv} of online learning: t, mean ε_g on both generators, their difference ± SE. */
    public static CsvTable onlineEquivalence(LearningCurveEquivalence.Result r) {
        CsvTable table = new CsvTable(List.of("t", "eg_generator", "eg_gaussian", "difference", "difference_sem"));
        double[] times = r.times();
        double[] gen = r.generatorMean();
        double[] gauss = r.gaussianMean();
        double[] diff = r.differenceMean();
        double[] se = r.differenceStandardError();
        for (int i = 0; i < times.length; i++) {
            table.addRow(times[i], gen[i], gauss[i], diff[i], se[i]);
        }
        return table;
    }

    /** {@code curve.csv} of full-batch learning: the theory's columns, then the simulation's when given. */
    public static CsvTable ermCurve(List<ErmPoint> theory, List<ErmPoint> simulated) {
        List<String> cols = new ArrayList<>(List.of("alpha", "lambda", "test_error_theory", "train_loss_theory", "V",
                "q", "m", "converged", "iterations", "residual"));
        if (simulated != null) {
            cols.addAll(List.of("test_error_sim", "test_error_sim_sem", "train_loss_sim", "train_loss_sim_sem"));
        }
        CsvTable table = new CsvTable(cols);
        for (int i = 0; i < theory.size(); i++) {
            ErmPoint t = theory.get(i);
            double[] row = new double[cols.size()];
            row[0] = t.alpha();
            row[1] = t.lambda();
            row[2] = t.testError();
            row[3] = t.trainLoss();
            row[4] = t.v();
            row[5] = t.q();
            row[6] = t.m();
            row[7] = t.converged() ? 1 : 0;
            row[8] = t.iterations();
            row[9] = t.residual();
            if (simulated != null) {
                ErmPoint s = simulated.get(i);
                row[10] = s.testError();
                row[11] = s.testErrorSem();
                row[12] = s.trainLoss();
                row[13] = s.trainLossSem();
            }
            table.addRow(row);
        }
        return table;
    }

    /** {@code equivalence.csv} of full-batch learning. */
    public static CsvTable ermEquivalence(ErmCurveEquivalence.Result r) {
        CsvTable table = new CsvTable(List.of("alpha", "lambda", "test_error_generator", "test_error_gaussian",
                "difference", "difference_sem", "train_loss_difference", "train_loss_difference_sem", "converged"));
        for (ErmCurveEquivalence.Point p : r.points()) {
            table.addRow(p.alpha(), p.lambda(), p.generatorTestError(), p.gaussianTestError(), p.testErrorDifference(),
                    p.testErrorDifferenceSem(), p.trainLossDifference(), p.trainLossDifferenceSem(),
                    p.converged() ? 1 : 0);
        }
        return table;
    }

    /** {@code fields.csv} of the field diagnostics: one row per size and statistic. */
    public static LabelledCsvTable fields(List<SizeSummary> summaries) {
        LabelledCsvTable fields = new LabelledCsvTable(
                List.of("N", "D", "statistic", "value", "floor", "floor_spread", "resolved"));
        for (SizeSummary s : summaries) {
            for (FieldStatistic st : s.statistics()) {
                fields.addRow(s.size().n(), s.size().d(), st.name(), st.value(), st.floor(), st.floorSpread(),
                        st.resolved() ? 1 : 0);
            }
        }
        return fields;
    }

    /** {@code fields.csv} of saved weights: one row per recorded time and statistic, led by {@code t}. */
    public static LabelledCsvTable fieldsOverTime(double[] times, List<SizeSummary> summaries) {
        LabelledCsvTable fields = new LabelledCsvTable(
                List.of("t", "N", "D", "statistic", "value", "floor", "floor_spread", "resolved"));
        for (int i = 0; i < summaries.size(); i++) {
            SizeSummary s = summaries.get(i);
            for (FieldStatistic st : s.statistics()) {
                fields.addRow(times[i], s.size().n(), s.size().d(), st.name(), st.value(), st.floor(),
                        st.floorSpread(), st.resolved() ? 1 : 0);
            }
        }
        return fields;
    }

    /** {@code rates.csv} of a sweep: one fitted exponent per statistic. */
    public static LabelledCsvTable rates(List<RateFit> fits) {
        LabelledCsvTable rates = new LabelledCsvTable(List.of("statistic", "exponent", "ci_low", "ci_high",
                "confidence", "resolved_points", "total_points", "verdict"));
        for (RateFit f : fits) {
            rates.addRow(f.statistic(), f.exponent(), f.ciLow(), f.ciHigh(), f.confidence(), f.resolvedPoints(),
                    f.totalPoints(), f.verdict().id());
        }
        return rates;
    }

    /** {@code FILE.convergence.csv} of a moment estimate. */
    public static CsvTable convergence(List<ConvergenceRecord> log) {
        CsvTable table = new CsvTable(List.of("samples", "rel_change_omega", "rel_change_phi", "rel_error_omega",
                "rel_error_phi"));
        for (ConvergenceRecord r : log) {
            table.addRow(r.samples(), r.relChangeOmega(), r.relChangePhi(), r.relErrorOmega(), r.relErrorPhi());
        }
        return table;
    }
}
