package org.gequiv.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.activation.StandardActivation;
import org.gequiv.experiment.LearningCurveEquivalence;
import org.gequiv.experiment.OnlineResult;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.Generator;
import org.gequiv.generator.GeneratorSpec;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OnlineSpec;

/**
 * One online point on the single-layer sign generator x = sign(Ac/√D) (docs/theory.md §2.3) and its
 * Gaussian twin (§2.2): the ODE theory from the seed's initial weights, and one-pass SGD on the
 * generator and on the twin with the experiment layer's pairing (same teacher, initial weights and
 * latent vectors; {@link LearningCurveEquivalence}), all for one master seed. Rows: {@code t},
 * {@code eg_theory}, {@code eg_generator}, {@code eg_gaussian}, the relative gaps
 * {@code gap_generator}, {@code gap_gaussian} ((simulation − theory) / theory) and the paired
 * {@code difference} ε_g(generator) − ε_g(twin). Stateless.
 */
final class TwinStudies {

    private TwinStudies() {
    }

    static ReportTable online(int n, int d, double time, int logPoints, int testSamples, long seed,
                              ReportContext context) {
        Generator g = new GeneratorSpec("single-layer", n, d, 1, 0, StandardActivation.SIGN, CovarianceRule.EXACT,
                seed).build();
        OnlineSpec spec = OnlineStudies.spec(time, logPoints, testSamples, seed);
        OnlineResult r = OnlineStudies.run(spec, true, false, 1, g, context);
        LearningCurveEquivalence.Result eq = r.equivalence();
        LearningCurve theory = r.theory();
        LearningCurve gen = eq.generatorCurves().get(0);
        LearningCurve twin = eq.gaussianCurves().get(0);
        if (!gen.termination().completed() || !twin.termination().completed()) {
            LearningCurve bad = gen.termination().completed() ? twin : gen;
            throw new IllegalStateException("simulation on the " + (bad == gen ? "generator" : "Gaussian twin")
                    + " stopped at t = " + bad.termination().stoppedAt() + ": " + bad.termination().reason());
        }
        double[] times = spec.logTimes();
        ReportTable rows = new ReportTable("rows", List.of("t", "eg_theory", "eg_generator", "eg_gaussian",
                "gap_generator", "gap_gaussian", "difference"));
        for (int i = 0; i < times.length; i++) {
            double th = theory.points().get(i).generalisationError();
            double a = gen.points().get(i).generalisationError();
            double b = twin.points().get(i).generalisationError();
            rows.addRow(times[i], th, a, b, OnlineStudies.relativeGap(a, th), OnlineStudies.relativeGap(b, th), a - b);
        }
        return rows;
    }

    /**
     * Per point (every parameter but {@code t}) the mean of the {@code columns} over the recorded
     * times t ≥ {@code fromTime}: one row per point, for seed averages of time-averaged gaps.
     */
    static ReportTable timeAverages(ReportTable results, List<String> pointKeys, List<String> columns,
                                    double fromTime, String name) {
        return averagesOver(results, "t", fromTime, pointKeys, columns, name);
    }

    /**
     * Per point (the {@code pointKeys}) the mean of the {@code columns} over its rows with
     * {@code x} ≥ {@code from}: one row per point.
     */
    static ReportTable averagesOver(ReportTable results, String x, double from, List<String> pointKeys,
                                    List<String> columns, String name) {
        Map<List<Object>, double[]> sums = new LinkedHashMap<>();
        Map<List<Object>, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < results.rowCount(); i++) {
            if (results.number(i, x) < from) {
                continue;
            }
            List<Object> key = new ArrayList<>();
            for (String k : pointKeys) {
                key.add(results.cell(i, k));
            }
            double[] s = sums.computeIfAbsent(key, k -> new double[columns.size()]);
            for (int c = 0; c < columns.size(); c++) {
                s[c] += results.number(i, columns.get(c));
            }
            counts.merge(key, 1, Integer::sum);
        }
        List<String> header = new ArrayList<>(pointKeys);
        header.addAll(columns);
        ReportTable out = new ReportTable(name, header);
        for (Map.Entry<List<Object>, double[]> e : sums.entrySet()) {
            List<Object> row = new ArrayList<>(e.getKey());
            int count = counts.get(e.getKey());
            for (double s : e.getValue()) {
                row.add(s / count);
            }
            out.addRow(row.toArray());
        }
        return out;
    }
}
