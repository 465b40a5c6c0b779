package org.gequiv.report;

import java.util.ArrayList;
import java.util.List;

import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.experiment.ErmCurveEquivalence;
import org.gequiv.experiment.ErmResult;

/**
 * Section 6: equivalence of learning curves (docs/theory.md §2.2): the same learning problem on the
 * single-layer sign generator and on its Gaussian twin with the experiment layer's pairing (same
 * teacher, initial weights or features, latent vectors and labels per seed), online (ε_g(t) of
 * one-pass SGD) and full batch (ridge test error against α), the paired difference mean ± SE over
 * seeds, each at several sizes. A point is (study, N, seed).
 *
 * <p>The verdicts explain the difference from the section's own points: per seed the relative
 * difference — online (ε_g generator − ε_g twin) / ε_g theory averaged over the recorded times
 * t ≥ {@link OnlineStudies#GAP_FROM_TIME}, for ridge (test error generator − twin) / test error
 * twin averaged over α — then mean ± SE over seeds at each size, with each curve's own gap to the
 * theory online (the ODEs are exact for the twin up to sampling noise, so a difference is the
 * generator's finite-size correction, which section 4 measures against N).
 */
public final class EquivalenceSection implements ReportSection {

    static final double RIDGE_LAMBDA = 1e-2;

    /**
     * @param n       the online input dimensions, D = δN
     * @param ridgeN  the ridge input dimensions N = P = 2D
     */
    record Sizes(int[] n, double delta, double time, int logPoints, int testSamples, int onlineSeeds, int[] ridgeN,
                 int ermSeeds) {
    }

    private final Sizes sizes;
    private final ErmStudies.Problem erm;
    private final ReportContext context;

    public EquivalenceSection(ReportScale scale, ReportContext context) {
        this.sizes = scale.pick(new Sizes(new int[] {40, 80}, 0.1, 1, 6, 500, 2, new int[] {40, 80}, 2),
                new Sizes(new int[] {200, 400, 800}, 0.1, 10, 20, 5000, 6, new int[] {200, 400}, 4),
                new Sizes(new int[] {250, 500, 1000}, 0.1, 50, 40, 10_000, ReportScale.FULL_SEEDS,
                        new int[] {400, 800}, ReportScale.FULL_SEEDS));
        this.erm = scale.pick(new ErmStudies.Problem(40, 20, 40, ErmStudies.grid(0.5, 2, 4), 200),
                new ErmStudies.Problem(200, 100, 200, ErmStudies.grid(0.2, 3, 8), 2000),
                new ErmStudies.Problem(800, 400, 800, ErmStudies.grid(0.1, 3, 15), 10_000));
        this.context = context;
    }

    @Override
    public String id() {
        return "equivalence";
    }

    @Override
    public String title() {
        return "Equivalence of learning curves: generator against its Gaussian twin";
    }

    @Override
    public String claim() {
        return "Replacing the generator's outputs by Gaussian vectors with the same mean, covariance Ω and cross-"
                + "covariance Φ with the latent leaves the learning curves unchanged, online and full batch.";
    }

    @Override
    public List<ExperimentPoint> points() {
        List<ExperimentPoint> points = new ArrayList<>();
        for (int n : sizes.n) {
            for (int s = 0; s < sizes.onlineSeeds; s++) {
                points.add(ExperimentPoint.of("study", "online", "N", n, "D",
                        Math.max(1, (int) Math.round(sizes.delta * n)), "seed", s));
            }
        }
        for (int n : sizes.ridgeN) {
            for (int s = 0; s < sizes.ermSeeds; s++) {
                points.add(ExperimentPoint.of("study", "ridge", "N", n, "D", n / 2, "seed", s));
            }
        }
        return points;
    }

    @Override
    public ReportTable run(ExperimentPoint p) {
        if (p.label("study").equals("online")) {
            return TwinStudies.online(p.integer("N"), p.integer("D"), sizes.time, sizes.logPoints, sizes.testSamples,
                    p.seed(), context);
        }
        ErmStudies.Problem sized = erm.resized(p.integer("N"), p.integer("D"), p.integer("N"));
        ErmResult r = ErmStudies.run(sized, ErmStudies.GENERATOR, ErmLoss.RIDGE, RIDGE_LAMBDA, p.seed(), false, 1,
                SaddlePointOptions.defaults(), context);
        ReportTable rows = new ReportTable("rows", List.of("alpha", "test_error_generator", "test_error_gaussian",
                "test_error_difference", "train_loss_difference", "test_error_relative_difference"));
        for (ErmCurveEquivalence.Point q : r.equivalence().points()) {
            if (!q.converged()) {
                throw new IllegalStateException("ERM did not converge at α = " + q.alpha() + " (seed " + p.seed() + ")");
            }
            rows.addRow(q.alpha(), q.generatorTestError(), q.gaussianTestError(), q.testErrorDifference(),
                    q.trainLossDifference(), q.testErrorDifference() / q.gaussianTestError());
        }
        return rows;
    }

    @Override
    public SectionBody summarise(ReportTable results) {
        ReportTable onlineRows = results.where("study", "online");
        ReportTable ridgeRows = results.where("study", "ridge");
        ReportTable online = SeedAverage.summarise(onlineRows, List.of("N", "D", "t"),
                List.of("eg_generator", "eg_gaussian", "difference"), id() + "-online");
        ReportTable ridge = SeedAverage.summarise(ridgeRows, List.of("N", "D", "alpha"),
                List.of("test_error_generator", "test_error_gaussian", "test_error_difference",
                        "train_loss_difference"), id() + "-ridge");

        // per seed: online the gaps to the theory averaged over t ≥ GAP_FROM_TIME, their difference
        // relative to the theory; ridge the relative difference averaged over α
        ReportTable onlinePerSeed = TwinStudies.timeAverages(onlineRows, List.of("N", "D", "seed"),
                List.of("gap_generator", "gap_gaussian"), OnlineStudies.GAP_FROM_TIME, "per-seed");
        ReportTable withDifference = new ReportTable("per-seed", List.of("N", "D", "seed", "gap_generator",
                "gap_gaussian", "relative_difference"));
        for (int i = 0; i < onlinePerSeed.rowCount(); i++) {
            double a = onlinePerSeed.number(i, "gap_generator");
            double b = onlinePerSeed.number(i, "gap_gaussian");
            withDifference.addRow(onlinePerSeed.cell(i, "N"), onlinePerSeed.cell(i, "D"),
                    onlinePerSeed.cell(i, "seed"), a, b, a - b);
        }
        ReportTable onlineSizes = SeedAverage.summarise(withDifference, List.of("N", "D"),
                List.of("relative_difference", "gap_generator", "gap_gaussian"), id() + "-online-sizes");
        ReportTable ridgeSizes = SeedAverage.summarise(TwinStudies.averagesOver(ridgeRows, "alpha",
                        Double.NEGATIVE_INFINITY, List.of("N", "D", "seed"), List.of("test_error_relative_difference"),
                        "per-seed"), List.of("N", "D"), List.of("test_error_relative_difference"),
                id() + "-ridge-sizes");

        ReportTable shownOnline = new ReportTable(id() + "-online-table", List.of("N", "D", "seeds",
                "relative_difference_mean", "relative_difference_sem", "gap_generator_mean", "gap_generator_sem",
                "gap_gaussian_mean", "gap_gaussian_sem", "times_within_2se", "times"));
        for (int i = 0; i < onlineSizes.rowCount(); i++) {
            int[] within = within2se(online.where("N", onlineSizes.cell(i, "N")), "t", "difference");
            shownOnline.addRow(onlineSizes.cell(i, "N"), onlineSizes.cell(i, "D"),
                    onlineSizes.number(i, "relative_difference" + SeedAverage.COUNT),
                    onlineSizes.number(i, "relative_difference" + SeedAverage.MEAN),
                    onlineSizes.number(i, "relative_difference" + SeedAverage.SEM),
                    onlineSizes.number(i, "gap_generator" + SeedAverage.MEAN),
                    onlineSizes.number(i, "gap_generator" + SeedAverage.SEM),
                    onlineSizes.number(i, "gap_gaussian" + SeedAverage.MEAN),
                    onlineSizes.number(i, "gap_gaussian" + SeedAverage.SEM), within[0], within[1]);
        }
        ReportTable shownRidge = new ReportTable(id() + "-ridge-table", List.of("N", "P", "seeds",
                "relative_difference_mean", "relative_difference_sem", "alphas_within_2se", "alphas",
                "largest_difference_mean", "largest_difference_sem", "largest_difference_alpha"));
        for (int i = 0; i < ridgeSizes.rowCount(); i++) {
            ReportTable atSize = ridge.where("N", ridgeSizes.cell(i, "N"));
            int[] within = within2se(atSize, "alpha", "test_error_difference");
            int largest = largest(atSize, "test_error_difference");
            shownRidge.addRow(ridgeSizes.cell(i, "N"), ridgeSizes.cell(i, "N"),
                    ridgeSizes.number(i, "test_error_relative_difference" + SeedAverage.COUNT),
                    ridgeSizes.number(i, "test_error_relative_difference" + SeedAverage.MEAN),
                    ridgeSizes.number(i, "test_error_relative_difference" + SeedAverage.SEM), within[0], within[1],
                    atSize.number(largest, "test_error_difference" + SeedAverage.MEAN),
                    atSize.number(largest, "test_error_difference" + SeedAverage.SEM),
                    atSize.number(largest, "alpha"));
        }

        List<String> verdicts = new ArrayList<>();
        if (shownOnline.rowCount() > 0) {
            verdicts.add(onlineVerdict(shownOnline));
        }
        if (shownRidge.rowCount() > 0) {
            verdicts.add(ridgeVerdict(shownRidge));
        }
        if (verdicts.isEmpty()) {
            verdicts.add("No point of either study ran.");
        }

        List<FigureData.Series> onlineSeries = new ArrayList<>();
        List<FigureData.Series> ridgeSeries = new ArrayList<>();
        for (int i = 0; i < onlineSizes.rowCount(); i++) {
            onlineSeries.add(Summaries.markers("N = " + Numbers.display(onlineSizes.number(i, "N")),
                    online.where("N", onlineSizes.cell(i, "N")), "t", "difference", i));
        }
        onlineSeries.add(zero(online.numbers("t")));
        for (int i = 0; i < ridgeSizes.rowCount(); i++) {
            ridgeSeries.add(Summaries.markers("N = P = " + Numbers.display(ridgeSizes.number(i, "N")),
                    ridge.where("N", ridgeSizes.cell(i, "N")), "alpha", "test_error_difference", i));
        }
        ridgeSeries.add(zero(ridge.numbers("alpha")));
        FigureData figure = new FigureData(id(), "Paired differences generator − Gaussian twin, mean ± 1 SE over seeds "
                + "(same teacher, initial weights or features, and latent vectors per seed).", List.of(
                new FigureData.Panel("online: ε_g(generator) − ε_g(twin)", "time t = steps / N", "difference", true,
                        false, onlineSeries),
                new FigureData.Panel("ridge: test error (generator) − (twin)", "α = n / d", "difference", false, false,
                        ridgeSeries)));
        return new SectionBody(List.of(shownOnline, shownRidge), List.of(figure), verdicts, List.of(
                "Relative difference per seed: online (ε_g generator − ε_g twin) / ε_g theory averaged over the "
                        + "recorded times t ≥ " + Numbers.display(OnlineStudies.GAP_FROM_TIME) + " up to t = "
                        + Numbers.display(sizes.time) + " (the gap of each curve to the theory, the same average, "
                        + "beside it); ridge (test error generator − twin) / test error twin averaged over α; then "
                        + "mean ± SE over seeds. “Within 2 SE” counts the recorded times or α where the mean "
                        + "difference is within two standard errors of zero."), List.of(online, ridge, onlineSizes,
                ridgeSizes));
    }

    /**
     * "Online (D = N/10, 6 seeds): the generator − twin difference relative to the theory's ε_g,
     * averaged over t ≥ 1, is −3.1 ± 0.9 % at N = 200, …; within 2 SE of zero at 13/11/18 of 19
     * recorded times." and why: the twin's and the generator's own gaps to the theory, and whether
     * the difference shrinks with N.
     */
    static String onlineVerdict(ReportTable t) {
        int sizes = t.rowCount();
        StringBuilder v = new StringBuilder("Online (D = " + Numbers.display(t.number(0, "D") / t.number(0, "N")) + "·N"
                + ", " + seeds(t) + " seeds): the generator − twin difference of ε_g relative to the theory's, "
                + "averaged over t ≥ " + Numbers.display(OnlineStudies.GAP_FROM_TIME) + ", is ");
        v.append(perSize(t, "relative_difference", "N = "));
        v.append("; within 2 SE of zero at ").append(counts(t, "times_within_2se")).append(" of ")
                .append(counts(t, "times")).append(" recorded times. ");
        int twinWithin = countWithin(t, "gap_gaussian");
        int genWithin = countWithin(t, "gap_generator");
        int diffWithin = countWithin(t, "relative_difference");
        v.append("The twin's own gap to the theory is ").append(slashed(t, "gap_gaussian")).append(" (within 2 SE "
                + "at ").append(twinWithin).append(" of ").append(sizes).append(" sizes), the generator's ")
                .append(slashed(t, "gap_generator")).append(" (").append(genWithin).append(" of ").append(sizes)
                .append(")");
        if (twinWithin == sizes && diffWithin < sizes) {
            v.append(": the theory holds for the twin, so the difference is the generator's own finite-size gap to "
                    + "the theory (section 4 measures it against N)");
        }
        return v.append(trend(t, "N = ")).toString();
    }

    /** The ridge verdict: the relative difference per size, the α within 2 SE, the largest difference. */
    static String ridgeVerdict(ReportTable t) {
        int sizes = t.rowCount();
        StringBuilder v = new StringBuilder("Ridge (λ = " + Numbers.display(RIDGE_LAMBDA) + ", D = N/2, P = N, "
                + seeds(t) + " seeds): the generator − twin test-error difference relative to the twin's, averaged "
                + "over α, is ");
        v.append(perSize(t, "relative_difference", "N = P = "));
        v.append("; within 2 SE of zero at ").append(counts(t, "alphas_within_2se")).append(" of ")
                .append(counts(t, "alphas")).append(" α; the largest |difference| ");
        for (int i = 0; i < sizes; i++) {
            v.append(i == 0 ? "" : ", ").append(Numbers.withError(t.number(i, "largest_difference_mean"),
                    t.number(i, "largest_difference_sem"))).append(" at α = ")
                    .append(Numbers.display(t.number(i, "largest_difference_alpha")));
        }
        return v.append(trend(t, "N = P = ")).toString();
    }

    /**
     * How the relative difference behaves from the smallest to the largest size: "; no difference
     * is resolved …", "; it shrinks to within 2 SE of zero at N = 800, as a finite-size correction
     * does.", and so on.
     */
    static String trend(ReportTable t, String sizePrefix) {
        int last = t.rowCount() - 1;
        String first = sizePrefix + Numbers.display(t.number(0, "N"));
        String largest = sizePrefix + Numbers.display(t.number(last, "N"));
        if (countWithin(t, "relative_difference") == t.rowCount()) {
            return "; no difference is resolved at these sizes and seeds (within 2 SE of zero at each).";
        }
        if (last == 0) {
            return "; one size only, so how it changes with N is not measured.";
        }
        boolean shrinks = Math.abs(t.number(last, "relative_difference" + SeedAverage.MEAN))
                < Math.abs(t.number(0, "relative_difference" + SeedAverage.MEAN));
        boolean resolvedAtLargest = !Summaries.withinTwoSe(t, last, "relative_difference");
        if (shrinks) {
            return "; it shrinks from " + first + " to " + largest + (resolvedAtLargest
                    ? ", as a finite-size correction does, but is still beyond 2 SE there."
                    : ", to within 2 SE of zero, as a finite-size correction does.");
        }
        return resolvedAtLargest
                ? "; it does not shrink from " + first + " to " + largest + " and is beyond 2 SE at both, so these "
                        + "sizes do not show it to be a finite-size correction."
                : "; it is within 2 SE of zero at " + largest + " but not smaller there than at " + first
                        + " (its SE is " + Numbers.significant(t.number(last, "relative_difference" + SeedAverage.SEM)
                        / t.number(0, "relative_difference" + SeedAverage.SEM), 2) + " times larger), so these seeds "
                        + "do not resolve how it changes with N.";
    }

    /** "−3.1 ± 0.9 % at N = 200, −3.0 ± 0.8 % at N = 400". */
    private static String perSize(ReportTable t, String column, String prefix) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            parts.add(Summaries.percentWithError(t.number(i, column + SeedAverage.MEAN),
                    t.number(i, column + SeedAverage.SEM)) + " at " + prefix + Numbers.display(t.number(i, "N")));
        }
        return String.join(", ", parts);
    }

    /** "+0.1 ± 0.5 % / −0.2 ± 0.4 %", in the order of the sizes. */
    private static String slashed(ReportTable t, String column) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            parts.add(Summaries.percentWithError(t.number(i, column + SeedAverage.MEAN),
                    t.number(i, column + SeedAverage.SEM)));
        }
        return String.join(" / ", parts);
    }

    /** "13/11/18" from one column. */
    private static String counts(ReportTable t, String column) {
        List<String> c = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            c.add(Numbers.display(t.number(i, column)));
        }
        return String.join("/", c);
    }

    /** "6", or "5–6" when some seeds failed. */
    private static String seeds(ReportTable t) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double s : t.numbers("seeds")) {
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        return lo == hi ? Numbers.display(hi) : Numbers.display(lo) + "–" + Numbers.display(hi);
    }

    private static int countWithin(ReportTable t, String column) {
        int k = 0;
        for (int i = 0; i < t.rowCount(); i++) {
            k += Summaries.withinTwoSe(t, i, column) ? 1 : 0;
        }
        return k;
    }

    /** {within 2 SE of zero, rows} over the rows of a seed-averaged table with x > 0. */
    private static int[] within2se(ReportTable s, String x, String column) {
        int consistent = 0;
        int rows = 0;
        for (int i = 0; i < s.rowCount(); i++) {
            if (!(s.number(i, x) > 0)) {
                continue;
            }
            rows++;
            double m = s.number(i, column + SeedAverage.MEAN);
            double se = s.number(i, column + SeedAverage.SEM);
            if (Summaries.withinTwoSe(m, se)) {
                consistent++;
            }
        }
        return new int[] {consistent, rows};
    }

    /** The row of a seed-averaged table with the largest |mean| of {@code column}. */
    private static int largest(ReportTable s, String column) {
        int best = 0;
        for (int i = 1; i < s.rowCount(); i++) {
            if (Math.abs(s.number(i, column + SeedAverage.MEAN)) > Math.abs(s.number(best, column + SeedAverage.MEAN))) {
                best = i;
            }
        }
        return best;
    }

    private static FigureData.Series zero(double[] x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            if (v > 0) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return new FigureData.Series("zero", new double[] {lo, hi}, new double[] {0, 0}, null, FigureData.Style.DASHED,
                7);
    }
}
