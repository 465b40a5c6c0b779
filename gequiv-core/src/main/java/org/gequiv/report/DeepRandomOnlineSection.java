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
import org.gequiv.linalg.Covariances;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OnlineSpec;
import org.gequiv.validation.InvalidInputException;

/**
 * Section 2: online SGD on the deep random sign generator of depth 4 (docs/theory.md §2.4, the
 * authors' {@code rand} scenario), ε_g(t) and the order parameters of the simulation against the
 * ODE theory (§5) from the same initial weights, over seeds; the theory once with the exact
 * covariance rule and once with the published linearised recursion, on the same generator and
 * seeds. A point is (rule, seed): the exact point runs theory and simulation, the linearised point
 * the theory only (the simulation does not depend on the rule). Every point records the extreme
 * eigenvalues of its rule's Ω and how many lie below −{@link Covariances#NEGATIVE_EIGENVALUE_TOLERANCE}
 * times the largest magnitude. An Ω with such eigenvalues is not the covariance of any data, and
 * the ODEs, which need Ω ⪰ 0, are not integrated for it: the point's {@code status} says
 * {@value #NOT_PSD} and the section states it as a finding (the eigenvalues, what was done), not as
 * a failure.
 */
public final class DeepRandomOnlineSection implements ReportSection {

    /** Sizes of one scale. */
    record Sizes(int n, int d, int depth, double time, int logPoints, int testSamples, int seeds) {
    }

    /** The status of a point whose Ω has negative eigenvalues beyond round-off. */
    static final String NOT_PSD = "omega not positive semi-definite";

    private final Sizes sizes;
    private final ReportContext context;

    public DeepRandomOnlineSection(ReportScale scale, ReportContext context) {
        this.sizes = scale.pick(new Sizes(60, 12, 4, 2, 8, 1000, 2), new Sizes(500, 50, 4, 20, 30, 10_000, 8),
                new Sizes(1000, 100, 4, 100, 50, 10_000, ReportScale.FULL_SEEDS));
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
        int n = point.integer("N");
        double[] omega = g.analyticMoments().orElseThrow(() -> new IllegalStateException("the deep random "
                + "generator has analytic moments")).omega();
        double[] eigenvalues = context.linearAlgebra().symmetricEigenvalues(n, omega);
        double largest = 0;
        for (double e : eigenvalues) {
            largest = Math.max(largest, Math.abs(e));
        }
        int negative = 0;
        for (double e : eigenvalues) {
            if (e < -Covariances.NEGATIVE_EIGENVALUE_TOLERANCE * largest) {
                negative++;
            }
        }
        Map<String, Object> spectrum = new LinkedHashMap<>();
        spectrum.put("omega_min_eigenvalue", eigenvalues[0]);
        spectrum.put("omega_max_eigenvalue", eigenvalues[eigenvalues.length - 1]);
        spectrum.put("omega_negative_eigenvalues", negative);
        List<String> columns = new ArrayList<>(List.of("t", "status"));
        columns.addAll(spectrum.keySet());
        ReportTable rows;
        if (negative > 0 && !exact) {
            rows = new ReportTable("rows", columns);
            Map<String, Object> m = new LinkedHashMap<>(spectrum);
            m.put("t", Double.NaN);
            m.put("status", NOT_PSD);
            return rows.addRow(m);
        }
        OnlineResult r;
        try {
            r = OnlineStudies.run(spec, true, exact, 0, g, context);
        } catch (InvalidInputException e) {
            if (exact) {
                throw e;
            }
            rows = new ReportTable("rows", columns);
            Map<String, Object> m = new LinkedHashMap<>(spectrum);
            m.put("t", Double.NaN);
            // a CSV label: no commas, quotes or line breaks
            m.put("status", ("theory refused: " + e.getMessage()).replaceAll("[,\"\r\n]", ";"));
            return rows.addRow(m);
        }
        List<Map<String, Object>> cells = new ArrayList<>();
        double[] times = spec.logTimes();
        for (int i = 0; i < times.length; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", times[i]);
            m.put("status", "ok");
            m.putAll(spectrum);
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
                if (!NOT_PSD.equals(row.get("status"))) {
                    refused.add((String) row.get("status"));
                }
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

        ReportTable omega = omegaTable(results);
        List<String> verdicts = new ArrayList<>();
        verdicts.add("Exact rule: " + Summaries.largestGap(ex, "gap", OnlineStudies.GAP_FROM_TIME) + " (N = "
                + sizes.n + ", D = " + sizes.d + ", " + sizes.seeds + " seeds).");
        if (lin.rowCount() > 0) {
            verdicts.add("Linearised rule: " + Summaries.largestGap(lin, "gap", OnlineStudies.GAP_FROM_TIME)
                    + " (over the seeds where its Ω is positive semi-definite).");
        }
        String finding = omegaFinding(omega);
        if (finding != null) {
            verdicts.add(finding);
        }
        if (!refused.isEmpty()) {
            verdicts.add("Linearised rule: no theory in " + refused.size() + " of " + sizes.seeds + " seeds — "
                    + refused.get(0) + ".");
        } else if (lin.rowCount() == 0 && finding == null) {
            verdicts.add("Linearised rule: no point ran.");
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
        return new SectionBody(List.of(shown, omega), List.of(figure), verdicts, List.of(
                "Gap: (ε_g simulation − ε_g theory) / ε_g theory per seed, then mean ± SE over seeds; verdicts over "
                        + "the recorded times t ≥ " + Numbers.display(OnlineStudies.GAP_FROM_TIME) + ".",
                "Ω of each rule: its smallest and largest eigenvalues and the count below −"
                        + Numbers.display(Covariances.NEGATIVE_EIGENVALUE_TOLERANCE) + " × the largest magnitude (the "
                        + "round-off bound of the theory's check), mean ± SE over the seeds; a rule whose Ω has such "
                        + "eigenvalues in a seed gets no theory in that seed."), List.of(summary));
    }

    private static final List<String> OMEGA = List.of("omega_min_eigenvalue", "omega_max_eigenvalue",
            "omega_negative_eigenvalues");

    /** Per rule: seeds, seeds whose Ω is not PSD, and the seed averages of its extreme eigenvalues and negative count. */
    private ReportTable omegaTable(ReportTable results) {
        // one row per point: its first row carries the point's spectrum
        ReportTable perPoint = new ReportTable("points", new ArrayList<>(List.of("covariance_rule", "seed",
                "not_psd", OMEGA.get(0), OMEGA.get(1), OMEGA.get(2))));
        java.util.Set<List<Object>> seen = new java.util.HashSet<>();
        for (int i = 0; i < results.rowCount(); i++) {
            if (seen.add(List.of(results.cell(i, "covariance_rule"), results.cell(i, "seed")))) {
                perPoint.addRow(results.cell(i, "covariance_rule"), results.cell(i, "seed"),
                        results.number(i, OMEGA.get(2)) > 0 ? 1 : 0, results.cell(i, OMEGA.get(0)),
                        results.cell(i, OMEGA.get(1)), results.cell(i, OMEGA.get(2)));
            }
        }
        List<String> values = new ArrayList<>(OMEGA);
        values.add("not_psd");
        ReportTable avg = SeedAverage.summarise(perPoint, List.of("covariance_rule"), values, "omega");
        ReportTable shown = new ReportTable(id() + "-omega", List.of("covariance_rule", "seeds", "seeds_not_psd",
                "min_eigenvalue_mean", "min_eigenvalue_sem", "max_eigenvalue_mean", "max_eigenvalue_sem",
                "negative_eigenvalues_mean", "negative_eigenvalues_sem", "N"));
        for (int i = 0; i < avg.rowCount(); i++) {
            double seeds = avg.number(i, "not_psd" + SeedAverage.COUNT);
            shown.addRow(avg.label(i, "covariance_rule"), seeds,
                    Math.round(avg.number(i, "not_psd" + SeedAverage.MEAN) * seeds),
                    avg.number(i, OMEGA.get(0) + SeedAverage.MEAN), avg.number(i, OMEGA.get(0) + SeedAverage.SEM),
                    avg.number(i, OMEGA.get(1) + SeedAverage.MEAN), avg.number(i, OMEGA.get(1) + SeedAverage.SEM),
                    avg.number(i, OMEGA.get(2) + SeedAverage.MEAN), avg.number(i, OMEGA.get(2) + SeedAverage.SEM),
                    sizes.n);
        }
        return shown;
    }

    /**
     * The finding when a rule's Ω is not positive semi-definite in some seed: its eigenvalues and
     * what was done, with the exact rule's smallest eigenvalue beside it; null when every Ω is.
     */
    private String omegaFinding(ReportTable omega) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < omega.rowCount(); i++) {
            double bad = omega.number(i, "seeds_not_psd");
            if (bad == 0) {
                continue;
            }
            String rule = omega.label(i, "covariance_rule");
            sb.append(rule.equals(CovarianceRule.LINEARISED.id()) ? "Linearised rule (the published recursion)"
                    : "The " + rule + " rule").append(": its Ω is not positive semi-definite in ")
                    .append(Numbers.display(bad)).append(" of ").append(Numbers.display(omega.number(i, "seeds")))
                    .append(" seeds at N = ").append(sizes.n).append(", D = ").append(sizes.d).append(", depth ")
                    .append(sizes.depth).append(" — smallest eigenvalue ")
                    .append(Numbers.withError(omega.number(i, "min_eigenvalue_mean"),
                            omega.number(i, "min_eigenvalue_sem"))).append(" against a largest of ")
                    .append(Numbers.withError(omega.number(i, "max_eigenvalue_mean"),
                            omega.number(i, "max_eigenvalue_sem"))).append(", ")
                    .append(Numbers.withError(omega.number(i, "negative_eigenvalues_mean"),
                            omega.number(i, "negative_eigenvalues_sem"))).append(" of ").append(sizes.n)
                    .append(" eigenvalues negative beyond round-off — so it is the covariance of no data; the ODEs "
                            + "need Ω ⪰ 0 and were not integrated with it there (no theory curve of this rule from "
                            + "those seeds), while the simulation, which does not depend on the rule, is unchanged");
            ReportTable other = omega.where("covariance_rule", CovarianceRule.EXACT.id());
            if (!rule.equals(CovarianceRule.EXACT.id()) && other.rowCount() == 1) {
                sb.append("; the exact rule's Ω has smallest eigenvalue ")
                        .append(Numbers.withError(other.number(0, "min_eigenvalue_mean"),
                                other.number(0, "min_eigenvalue_sem")))
                        .append(" and is positive semi-definite in ")
                        .append(Numbers.display(other.number(0, "seeds") - other.number(0, "seeds_not_psd")))
                        .append(" of ").append(Numbers.display(other.number(0, "seeds"))).append(" seeds");
            }
            sb.append(". ");
        }
        return sb.length() == 0 ? null : sb.toString().trim();
    }
}
