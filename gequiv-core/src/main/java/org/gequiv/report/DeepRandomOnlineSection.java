package org.gequiv.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.activation.StandardActivation;
import org.gequiv.experiment.OnlineResult;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.Generator;
import org.gequiv.generator.GeneratorSpec;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OnlineSpec;
import org.gequiv.validation.InvalidInputException;

/**
 * Section 2: online SGD on the deep random sign generator of depth 4 (docs/theory.md §2.4, the
 * authors' {@code rand} scenario), ε_g(t) and the order parameters of the simulation against the
 * ODE theory (§5) from the same initial weights, over seeds; the theory once with the exact
 * covariance rule and once with the published linearised recursion, on the same generator and
 * seeds. A point is (rule, seed): the exact point runs theory and simulation, the linearised point
 * the theory only (the simulation does not depend on the rule). A rule whose Ω is refused (not
 * positive semi-definite) is recorded as such in the point's {@code status}, not as a failure.
 */
public final class DeepRandomOnlineSection implements ReportSection {

    /** Sizes of one scale. */
    record Sizes(int n, int d, int depth, double time, int logPoints, int testSamples, int seeds) {
    }

    private final Sizes sizes;
    private final ReportContext context;

    public DeepRandomOnlineSection(ReportScale scale, ReportContext context) {
        this.sizes = scale.pick(new Sizes(60, 12, 4, 2, 8, 1000, 2), new Sizes(500, 50, 4, 20, 30, 10_000, 8),
                new Sizes(1000, 100, 4, 100, 50, 10_000, 10));
        this.context = context;
    }

    @Override
    public String id() {
        return "online-deep-random";
    }

    @Override
    public String title() {
        return "Online SGD on the deep random sign generator";
    }

    @Override
    public String claim() {
        return "For data from a depth-" + sizes.depth + " random generator with sign activations, the ODEs of the "
                + "order-parameter densities, fed with the generator's (Ω, Φ), predict the generalisation error and the "
                + "order parameters of one-pass SGD (docs/theory.md §5); the covariance rule used for Ω matters.";
    }

    @Override
    public List<ExperimentPoint> points() {
        List<ExperimentPoint> points = new ArrayList<>();
        for (int s = 0; s < sizes.seeds; s++) {
            for (CovarianceRule rule : List.of(CovarianceRule.EXACT, CovarianceRule.LINEARISED)) {
                points.add(ExperimentPoint.of("covariance_rule", rule.id(), "N", sizes.n, "D", sizes.d, "depth",
                        sizes.depth, "time", sizes.time, "seed", s));
            }
        }
        return points;
    }

    @Override
    public ReportTable run(ExperimentPoint point) {
        CovarianceRule rule = CovarianceRule.byId(point.label("covariance_rule"));
        boolean exact = rule == CovarianceRule.EXACT;
        Generator g = new GeneratorSpec("deep-random", point.integer("N"), point.integer("D"), point.integer("depth"),
                0, StandardActivation.SIGN, rule, point.seed()).build();
        OnlineSpec spec = OnlineStudies.spec(point.number("time"), sizes.logPoints, sizes.testSamples, point.seed());
        List<String> columns = new ArrayList<>(List.of("t", "status"));
        ReportTable rows;
        OnlineResult r;
        try {
            r = OnlineStudies.run(spec, true, exact, 0, g, context);
        } catch (InvalidInputException e) {
            if (exact) {
                throw e;
            }
            rows = new ReportTable("rows", columns);
            // a CSV label: no commas, quotes or line breaks
            rows.addRow(Double.NaN, ("theory refused: " + e.getMessage()).replaceAll("[,\"\r\n]", ";"));
            return rows;
        }
        List<Map<String, Object>> cells = new ArrayList<>();
        double[] times = spec.logTimes();
        for (int i = 0; i < times.length; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", times[i]);
            m.put("status", "ok");
            m.putAll(OnlineStudies.cells("theory", r.theory(), i));
            if (exact) {
                m.putAll(OnlineStudies.cells("sim", r.simulation(), i));
            }
            cells.add(m);
        }
        rows = new ReportTable("rows", new ArrayList<>(cells.get(0).keySet()));
        cells.forEach(rows::addRow);
        return rows;
    }

    @Override
    public SectionBody summarise(ReportTable results) {
        // the simulation of each (seed, t), for the gaps of both rules' theories
        Map<List<Double>, Double> simulated = new HashMap<>();
        ReportTable exact = results.where("covariance_rule", "exact");
        for (int i = 0; i < exact.rowCount(); i++) {
            simulated.put(List.of(exact.number(i, "seed"), exact.number(i, "t")), exact.number(i, "eg_sim"));
        }
        List<String> cols = new ArrayList<>(results.columns());
        cols.add("gap");
        ReportTable withGap = new ReportTable("gaps", cols);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < results.rowCount(); i++) {
            Map<String, Object> row = results.row(i);
            if (!"ok".equals(row.get("status"))) {
                refused.add((String) row.get("status"));
                continue;
            }
            Double sim = simulated.get(List.of(results.number(i, "seed"), results.number(i, "t")));
            row.put("gap", sim == null ? Double.NaN : OnlineStudies.relativeGap(sim, results.number(i, "eg_theory")));
            withGap.addRow(row);
        }
        List<String> values = new ArrayList<>();
        for (String c : cols) {
            if (c.startsWith("eg_") || c.startsWith("Q_") || c.startsWith("R_") || c.equals("gap")) {
                values.add(c);
            }
        }
        ReportTable summary = SeedAverage.summarise(withGap, List.of("covariance_rule", "t"), values,
                id() + "-summary");
        ReportTable ex = summary.where("covariance_rule", "exact");
        ReportTable lin = summary.where("covariance_rule", "linearised");

        ReportTable shown = new ReportTable(id() + "-table", List.of("t", "eg_sim_mean", "eg_sim_sem",
                "eg_theory_exact", "gap_exact_mean", "gap_exact_sem", "eg_theory_linearised", "gap_linearised_mean",
                "gap_linearised_sem", "seeds"));
        for (int i : Summaries.spreadRows(ex.rowCount(), 8)) {
            double t = ex.number(i, "t");
            ReportTable l = lin.where("t", t);
            shown.addRow(t, ex.number(i, "eg_sim_mean"), ex.number(i, "eg_sim_sem"), ex.number(i, "eg_theory_mean"),
                    ex.number(i, "gap_mean"), ex.number(i, "gap_sem"),
                    l.rowCount() == 0 ? Double.NaN : l.number(0, "eg_theory_mean"),
                    l.rowCount() == 0 ? Double.NaN : l.number(0, "gap_mean"),
                    l.rowCount() == 0 ? Double.NaN : l.number(0, "gap_sem"), ex.number(i, "eg_sim_count"));
        }

        List<String> verdicts = new ArrayList<>();
        verdicts.add("Exact rule: " + Summaries.largestGap(ex, "gap", OnlineStudies.GAP_FROM_TIME) + " (N = "
                + sizes.n + ", D = " + sizes.d + ", " + sizes.seeds + " seeds).");
        if (lin.rowCount() > 0) {
            verdicts.add("Linearised rule: " + Summaries.largestGap(lin, "gap", OnlineStudies.GAP_FROM_TIME) + ".");
        } else {
            verdicts.add("Linearised rule: no theory at N = " + sizes.n + ", D = " + sizes.d + " — "
                    + (refused.isEmpty() ? "no point ran" : refused.get(0)) + " (" + refused.size() + " of "
                    + sizes.seeds + " seeds).");
        }

        List<FigureData.Series> eg = new ArrayList<>();
        eg.add(Summaries.markers("simulation", ex, "t", "eg_sim", 0));
        eg.add(Summaries.line("theory, exact rule", ex, "t", "eg_theory_mean", 1, FigureData.Style.LINE));
        if (lin.rowCount() > 0) {
            eg.add(Summaries.line("theory, linearised rule", lin, "t", "eg_theory_mean", 2, FigureData.Style.DASHED));
        }
        List<FigureData.Series> op = new ArrayList<>();
        int colour = 0;
        for (String q : List.of("Q_0_0", "Q_1_1", "R_0_0", "R_1_1")) {
            op.add(Summaries.markers(q + " simulation", ex, "t", q + "_sim", colour));
            op.add(Summaries.line(q + " theory", ex, "t", q + "_theory_mean", colour, FigureData.Style.LINE));
            colour++;
        }
        FigureData figure = new FigureData(id(), "Markers: simulation, mean ± 1 SE over " + sizes.seeds + " seeds; lines: "
                + "the ODE theory from the same initial weights, averaged over the same seeds.", List.of(
                new FigureData.Panel("ε_g, deep random sign generator (L = " + sizes.depth + ", N = " + sizes.n + ")",
                        "time t = steps / N", "generalisation error ε_g", true, true, eg),
                new FigureData.Panel("order parameters (exact rule)", "time t = steps / N", "order parameter", true,
                        false, op)));
        return new SectionBody(List.of(shown), List.of(figure), verdicts, List.of(
                "Gap: (ε_g simulation − ε_g theory) / ε_g theory per seed, then mean ± SE over seeds; verdicts over "
                        + "the recorded times t ≥ " + Numbers.display(OnlineStudies.GAP_FROM_TIME) + "."), List.of(summary));
    }
}
