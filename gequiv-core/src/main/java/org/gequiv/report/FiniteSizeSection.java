package org.gequiv.report;

import java.util.ArrayList;
import java.util.List;

import org.gequiv.equivalence.EquivalenceSweep;
import org.gequiv.equivalence.RateFit;

/**
 * Section 4: finite-size scaling of the theory–simulation gap (docs/theory.md §5, §2.2). For the
 * single-layer sign generator at D = δN and for its Gaussian twin, the relative gap
 * (ε_g simulation − ε_g theory) / ε_g theory, averaged over the recorded times t ≥ 1 per seed,
 * then mean ± SE over seeds, against N; the generator's |gap| is fitted as a·N^b by least squares
 * on log–log axes over the sizes where it exceeds 2 SE ({@link RateFit#weightedFit}, weighted by each
 * size's SE, 95 % t interval). The
 * ODEs are exact for the twin at every N up to sampling noise, so its gap measures the noise floor,
 * and what the generator adds on top of it is its finite-size correction.
 */
public final class FiniteSizeSection implements ReportSection {

    record Sizes(int[] n, double delta, double time, int logPoints, int testSamples, int seeds) {
    }

    private final Sizes sizes;
    private final ReportContext context;

    public FiniteSizeSection(ReportScale scale, ReportContext context) {
        this.sizes = scale.pick(new Sizes(new int[] {40, 80, 160}, 0.1, 1, 6, 500, 2),
                new Sizes(new int[] {50, 100, 200, 400, 800}, 0.1, 10, 20, 5000, 8),
                new Sizes(new int[] {250, 500, 1000, 2000}, 0.1, 50, 40, 10_000, ReportScale.FULL_SEEDS));
        this.context = context;
    }

    @Override
    public String id() {
        return "finite-size";
    }

    @Override
    public String title() {
        return "Finite-size scaling of the theory–simulation gap";
    }

    @Override
    public String claim() {
        return "The ODE theory is exact as N → ∞; at finite N the simulation on the generator departs from it by a "
                + "correction that shrinks with N, while on the Gaussian twin (same μ, Ω, Φ) only sampling noise remains.";
    }

    @Override
    public List<ExperimentPoint> points() {
        List<ExperimentPoint> points = new ArrayList<>();
        for (int n : sizes.n) {
            for (int s = 0; s < sizes.seeds; s++) {
                points.add(ExperimentPoint.of("N", n, "D", Math.max(1, (int) Math.round(sizes.delta * n)), "time",
                        sizes.time, "seed", s));
            }
        }
        return points;
    }

    @Override
    public ReportTable run(ExperimentPoint p) {
        return TwinStudies.online(p.integer("N"), p.integer("D"), p.number("time"), sizes.logPoints,
                sizes.testSamples, p.seed(), context);
    }

    @Override
    public SectionBody summarise(ReportTable results) {
        ReportTable perSeed = TwinStudies.timeAverages(results, List.of("N", "D", "seed"),
                List.of("gap_generator", "gap_gaussian"), OnlineStudies.GAP_FROM_TIME, id() + "-per-seed");
        ReportTable table = SeedAverage.summarise(perSeed, List.of("N", "D"), List.of("gap_generator", "gap_gaussian"),
                id() + "-table");
        double[] n = table.numbers("N");
        double[] gen = table.numbers("gap_generator_mean");
        double[] genSe = table.numbers("gap_generator_sem");
        boolean[] resolved = new boolean[n.length];
        for (int i = 0; i < n.length; i++) {
            resolved[i] = Double.isFinite(genSe[i]) && Math.abs(gen[i]) > 2 * genSe[i];
        }
        // weighted by each size's standard error: the residual-only interval of RateFit.fit was far
        // narrower than the points' own errors allow (two degrees of freedom, unweighted)
        RateFit fit = RateFit.weightedFit("gap_generator", n, gen, genSe, resolved, EquivalenceSweep.CONFIDENCE);
        double[] twin = table.numbers("gap_gaussian_mean");
        double[] twinSe = table.numbers("gap_gaussian_sem");
        int largestTwin = 0;
        int twinConsistent = 0;
        for (int i = 0; i < n.length; i++) {
            if (Math.abs(twin[i]) > Math.abs(twin[largestTwin])) {
                largestTwin = i;
            }
            if (Summaries.withinTwoSe(twin[i], twinSe[i])) {
                twinConsistent++;
            }
        }
        List<String> verdicts = new ArrayList<>();
        String genGaps = "generator gap " + Summaries.percentWithError(gen[0], genSe[0]) + " at N = "
                + (int) n[0] + ", " + Summaries.percentWithError(gen[n.length - 1], genSe[n.length - 1]) + " at N = "
                + (int) n[n.length - 1];
        verdicts.add(fit.verdict() == RateFit.Verdict.NOT_RESOLVED
                ? "Generator: " + genGaps + "; fewer than " + RateFit.MIN_POINTS + " sizes with |gap| > 2 SE, so no "
                        + "exponent is fitted."
                : "Generator: " + genGaps + "; |gap| ∝ N^" + Numbers.significant(fit.exponent(), 2) + ", "
                        + Math.round(100 * fit.confidence()) + " % interval [" + Numbers.significant(fit.ciLow(), 2)
                        + ", " + Numbers.significant(fit.ciHigh(), 2) + "] over " + fit.resolvedPoints() + " of "
                        + fit.totalPoints() + " sizes (" + fit.verdict().id() + ").");
        verdicts.add("Gaussian twin: |gap| at most " + Numbers.percent(Math.abs(twin[largestTwin]), 2) + " (N = "
                + (int) n[largestTwin] + ", " + Summaries.percentWithError(twin[largestTwin], twinSe[largestTwin])
                + "); " + twinConsistent + " of " + n.length + " sizes within 2 SE of zero.");

        List<FigureData.Series> gaps = new ArrayList<>();
        gaps.add(scaled("generator", n, gen, genSe, 0, FigureData.Style.MARKERS));
        gaps.add(scaled("Gaussian twin", n, twin, twinSe, 1, Summaries.TWIN_STYLE));
        gaps.add(new FigureData.Series("zero", new double[] {n[0], n[n.length - 1]}, new double[] {0, 0}, null,
                FigureData.Style.DASHED, 7));
        if (fit.verdict() != RateFit.Verdict.NOT_RESOLVED) {
            double sign = Math.signum(gen[n.length - 1]);
            double[] y = new double[n.length];
            for (int i = 0; i < n.length; i++) {
                y[i] = 100 * sign * fit.predict(n[i]);
            }
            gaps.add(new FigureData.Series("fit ∝ N^" + Numbers.significant(fit.exponent(), 2), n, y, null,
                    FigureData.Style.DASHED, 0));
        }
        int largest = sizes.n[sizes.n.length - 1];
        ReportTable atLargest = SeedAverage.summarise(results.where("N", largest), List.of("t"),
                List.of("eg_theory", "eg_generator", "eg_gaussian"), id() + "-curves-N" + largest);
        List<FigureData.Series> curves = List.of(
                Summaries.markers("generator", atLargest, "t", "eg_generator", 0),
                Summaries.markers("Gaussian twin", atLargest, "t", "eg_gaussian", 1, Summaries.TWIN_STYLE),
                Summaries.line("theory", atLargest, "t", "eg_theory_mean", 2, FigureData.Style.LINE));
        FigureData figure = new FigureData(id(), "Filled markers: the generator; open markers: its Gaussian twin "
                + "(the same SGD on the Gaussian with the same moments). Left: relative gap, time-averaged over t ≥ "
                + Numbers.display(OnlineStudies.GAP_FROM_TIME) + ", mean ± 1 SE over " + sizes.seeds + " seeds, δ = D/N = "
                + Numbers.display(sizes.delta) + ". Right: the curves at N = " + largest + ".", List.of(
                new FigureData.Panel("(ε_g sim − ε_g theory) / ε_g theory", "N", "relative gap (%)", true, false, gaps),
                new FigureData.Panel("ε_g at N = " + largest, "time t = steps / N", "generalisation error ε_g", true,
                        true, curves)));
        return new SectionBody(List.of(table), List.of(figure), verdicts, List.of(
                "Gap per seed: (ε_g simulation − ε_g theory) / ε_g theory averaged over the recorded times t ≥ "
                        + Numbers.display(OnlineStudies.GAP_FROM_TIME) + " up to t = " + Numbers.display(sizes.time)
                        + "; theory and both simulations share the seed's teacher, initial weights and latent vectors.",
                "Exponent: least squares of log |mean gap| on log N over the sizes where |mean| > 2 SE, with a t interval."),
                List.of(perSeed, atLargest));
    }

    private static FigureData.Series scaled(String label, double[] x, double[] y, double[] se, int colour,
                                            FigureData.Style style) {
        double[] yy = new double[y.length];
        double[] ee = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            yy[i] = 100 * y[i];
            ee[i] = Double.isFinite(se[i]) ? 100 * se[i] : Double.NaN;
        }
        return new FigureData.Series(label, x, yy, ee, style, colour);
    }
}
