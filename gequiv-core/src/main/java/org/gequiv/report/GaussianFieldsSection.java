package org.gequiv.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.activation.StandardActivation;
import org.gequiv.equivalence.EquivalenceSweep;
import org.gequiv.equivalence.FieldDiagnosticsSpec;
import org.gequiv.equivalence.FieldStatistic;
import org.gequiv.equivalence.RateFit;
import org.gequiv.equivalence.SizeSummary;
import org.gequiv.equivalence.SweepSize;
import org.gequiv.equivalence.WeightKind;
import org.gequiv.equivalence.WeightSpec;
import org.gequiv.experiment.CheckExperiment;
import org.gequiv.experiment.CheckExperimentSpec;
import org.gequiv.experiment.CheckResult;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.GeneratorSpec;

/**
 * Section 1: Gaussian equivalence of the single-layer sign generator x = sign(Ac/√D)
 * (docs/theory.md §2.1, §2.3, §2.5): the Wasserstein-1 and Kolmogorov–Smirnov distances of the student's
 * local field λ₁ = w·x/√N to its Gaussian law against N at D = N/2, each beside its Monte-Carlo
 * floor, and the decay exponent fitted over the resolved sizes ({@link RateFit}); Gaussian
 * (delocalised) weights, and weights localised on a few coordinates as the counter-example.
 * A point is (weights, seed): one {@link CheckExperiment#sweep} over the sizes.
 */
public final class GaussianFieldsSection implements ReportSection {

    /** The statistics shown and fitted. */
    static final List<String> STATISTICS = List.of("w1_lambda_1", "ks_lambda_1", "w1_lambda_2", "ks_lambda_2");

    record Sizes(int[] n, int samples, int instances, int floorReplicates) {
    }

    private static final double DELTA = 0.5;
    private final Sizes sizes;
    private final ReportContext context;

    public GaussianFieldsSection(ReportScale scale, ReportContext context) {
        this.sizes = scale.pick(new Sizes(new int[] {8, 16, 32}, 2000, 1, 4),
                new Sizes(new int[] {8, 11, 16, 23, 32, 45, 64}, 20_000, 2, FieldDiagnosticsSpec.DEFAULT_FLOOR_REPLICATES),
                new Sizes(new int[] {8, 11, 16, 23, 32, 45, 64, 90, 128}, 100_000, ReportScale.FULL_SEEDS,
                        FieldDiagnosticsSpec.DEFAULT_FLOOR_REPLICATES));
        this.context = context;
    }

    @Override
    public String id() {
        return "gaussian-fields";
    }

    @Override
    public String title() {
        return "Gaussian equivalence of a single-layer generator";
    }

    @Override
    public String claim() {
        return "For delocalised weights the local fields of generator data approach the Gaussian law that the "
                + "generator's (μ, Ω, Φ) predict, with a distance that decays with N; for weights localised on a few "
                + "input coordinates they do not.";
    }

    @Override
    public List<ExperimentPoint> points() {
        List<ExperimentPoint> points = new ArrayList<>();
        for (WeightKind k : List.of(WeightKind.GAUSSIAN, WeightKind.LOCALISED)) {
            points.add(ExperimentPoint.of("weights", k.id(), "samples", sizes.samples, "instances", sizes.instances,
                    "seed", 1));
        }
        return points;
    }

    @Override
    public ReportTable run(ExperimentPoint p) {
        WeightSpec w = WeightSpec.of(WeightKind.byId(p.label("weights")));
        FieldDiagnosticsSpec d = new FieldDiagnosticsSpec(p.integer("samples"), FieldDiagnosticsSpec.DEFAULT_BATCH,
                0, sizes.floorReplicates, FieldDiagnosticsSpec.DEFAULT_RESOLUTION_SIGMAS, p.seed(), context.threads());
        CheckExperimentSpec spec = new CheckExperimentSpec(w, d, p.integer("instances"), null,
                CheckExperimentSpec.DEFAULT_MOMENT_SAMPLES);
        Map<String, Object> family = new LinkedHashMap<>();
        family.put("generator", "single-layer");
        family.put("activation", "sign");
        family.put("covarianceRule", CovarianceRule.EXACT.id());
        CheckResult r = new CheckExperiment(spec, context.linearAlgebra()).sweep(
                (n, dd, s) -> new GeneratorSpec("single-layer", n, dd, 1, 0, StandardActivation.SIGN,
                        CovarianceRule.EXACT, s).build(), SweepSize.fixedRatio(sizes.n, DELTA),
                "fixed delta = " + DELTA, family);
        ReportTable rows = new ReportTable("rows", List.of("N", "D", "statistic", "value", "floor", "floor_spread",
                "resolved"));
        for (SizeSummary s : r.summaries()) {
            for (FieldStatistic st : s.statistics()) {
                if (STATISTICS.contains(st.name())) {
                    rows.addRow(s.size().n(), s.size().d(), st.name(), st.value(), st.floor(), st.floorSpread(),
                            st.resolved() ? 1 : 0);
                }
            }
        }
        return rows;
    }

    @Override
    public SectionBody summarise(ReportTable results) {
        ReportTable rates = new ReportTable(id() + "-rates", List.of("weights", "statistic", "exponent", "ci_low",
                "ci_high", "resolved_sizes", "sizes", "verdict", "value_at_largest_N", "floor_at_largest_N"));
        Map<String, Map<String, RateFit>> fits = new LinkedHashMap<>();
        List<FigureData.Panel> panels = new ArrayList<>();
        for (String metric : List.of("w1", "ks")) {
            List<FigureData.Series> series = new ArrayList<>();
            int colour = 0;
            for (String weights : List.of("gaussian", "localised")) {
                ReportTable w = results.where("weights", weights);
                if (w.rowCount() == 0) {
                    continue;
                }
                for (String stat : STATISTICS) {
                    if (!stat.startsWith(metric)) {
                        continue;
                    }
                    ReportTable s = w.where("statistic", stat);
                    double[] n = s.numbers("N");
                    double[] v = s.numbers("value");
                    double[] res = s.numbers("resolved");
                    boolean[] resolved = new boolean[n.length];
                    for (int i = 0; i < n.length; i++) {
                        resolved[i] = res[i] == 1;
                    }
                    RateFit f = RateFit.fit(stat, n, v, resolved, EquivalenceSweep.CONFIDENCE);
                    fits.computeIfAbsent(weights, k -> new LinkedHashMap<>()).put(stat, f);
                    int last = n.length - 1;
                    rates.addRow(weights, stat, f.exponent(), f.ciLow(), f.ciHigh(), f.resolvedPoints(),
                            f.totalPoints(), f.verdict().id(), v[last], s.number(last, "floor"));
                    if (stat.endsWith("_1")) {
                        series.add(new FigureData.Series(weights + " weights", n, v, null, FigureData.Style.MARKERS,
                                colour));
                        series.add(new FigureData.Series(weights + " floor", n, s.numbers("floor"), null,
                                FigureData.Style.DASHED, colour));
                        if (f.verdict() != RateFit.Verdict.NOT_RESOLVED) {
                            double[] y = new double[n.length];
                            for (int i = 0; i < n.length; i++) {
                                y[i] = f.predict(n[i]);
                            }
                            series.add(new FigureData.Series(weights + " fit N^" + Numbers.significant(f.exponent(), 2),
                                    n, y, null, FigureData.Style.LINE, colour));
                        }
                        colour++;
                    }
                }
            }
            panels.add(new FigureData.Panel(metric.equals("w1") ? "Wasserstein-1 of λ₁" : "Kolmogorov–Smirnov of λ₁",
                    "N (D = N/2)", metric.equals("w1") ? "W1 to the Gaussian marginal" : "KS to the Gaussian marginal",
                    true, true, series));
        }
        List<String> verdicts = new ArrayList<>();
        for (Map.Entry<String, Map<String, RateFit>> e : fits.entrySet()) {
            RateFit w1 = e.getValue().get("w1_lambda_1");
            RateFit ks = e.getValue().get("ks_lambda_1");
            verdicts.add(e.getKey() + " weights: " + describe(w1) + "; " + describe(ks) + ".");
        }
        FigureData figure = new FigureData(id(), "Dots: the distance of the first student field to its Gaussian "
                + "marginal (" + sizes.samples + " samples, " + sizes.instances + " instance(s) per N); dashed: the same "
                + "statistic for exact Gaussian samples (the Monte-Carlo floor); lines: the fitted power law.", panels);
        return new SectionBody(List.of(rates), List.of(figure), verdicts, List.of(
                "A size counts as resolved when the statistic exceeds its floor by 3 null standard deviations; "
                        + "exponents are fitted over resolved sizes only (95 % t interval), and a statistic at its "
                        + "floor is reported as not resolved, never as a decay."), List.of());
    }

    private static String describe(RateFit f) {
        String name = f.statistic().startsWith("w1") ? "W1" : "KS";
        if (f.verdict() == RateFit.Verdict.NOT_RESOLVED) {
            return name + " not resolved (" + f.resolvedPoints() + " of " + f.totalPoints() + " sizes above the floor)";
        }
        return name + " ∝ N^" + Numbers.significant(f.exponent(), 2) + " [" + Numbers.significant(f.ciLow(), 2) + ", "
                + Numbers.significant(f.ciHigh(), 2) + "], " + f.verdict().id().replace('_', ' ') + " ("
                + f.resolvedPoints() + " of " + f.totalPoints() + " sizes resolved)";
    }
}
