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
 * seeds. A point is (study, seed).
 */
public final class EquivalenceSection implements ReportSection {

    static final double RIDGE_LAMBDA = 1e-2;

    record Sizes(int n, int d, double time, int logPoints, int testSamples, int onlineSeeds, int ermSeeds) {
    }

    private final Sizes sizes;
    private final ErmStudies.Problem erm;
    private final ReportContext context;

    public EquivalenceSection(ReportScale scale, ReportContext context) {
        this.sizes = scale.pick(new Sizes(60, 6, 1, 6, 500, 2, 2), new Sizes(400, 40, 10, 20, 5000, 6, 4),
                new Sizes(1000, 100, 50, 40, 10_000, 10, 10));
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
        for (int s = 0; s < sizes.onlineSeeds; s++) {
            points.add(ExperimentPoint.of("study", "online", "N", sizes.n, "D", sizes.d, "seed", s));
        }
        for (int s = 0; s < sizes.ermSeeds; s++) {
            points.add(ExperimentPoint.of("study", "ridge", "N", erm.n(), "D", erm.d(), "seed", s));
        }
        return points;
    }

    @Override
    public ReportTable run(ExperimentPoint p) {
        if (p.label("study").equals("online")) {
            return TwinStudies.online(p.integer("N"), p.integer("D"), sizes.time, sizes.logPoints, sizes.testSamples,
                    p.seed(), context);
        }
        ErmResult r = ErmStudies.run(erm, ErmStudies.GENERATOR, ErmLoss.RIDGE, RIDGE_LAMBDA, p.seed(), false, 1,
                SaddlePointOptions.defaults(), context);
        ReportTable rows = new ReportTable("rows", List.of("alpha", "test_error_generator", "test_error_gaussian",
                "test_error_difference", "train_loss_difference"));
        for (ErmCurveEquivalence.Point q : r.equivalence().points()) {
            if (!q.converged()) {
                throw new IllegalStateException("ERM did not converge at α = " + q.alpha() + " (seed " + p.seed() + ")");
            }
            rows.addRow(q.alpha(), q.generatorTestError(), q.gaussianTestError(), q.testErrorDifference(),
                    q.trainLossDifference());
        }
        return rows;
    }

    @Override
    public SectionBody summarise(ReportTable results) {
        ReportTable online = SeedAverage.summarise(results.where("study", "online"), List.of("t"),
                List.of("eg_generator", "eg_gaussian", "difference"), id() + "-online");
        ReportTable ridge = SeedAverage.summarise(results.where("study", "ridge"), List.of("alpha"),
                List.of("test_error_generator", "test_error_gaussian", "test_error_difference",
                        "train_loss_difference"), id() + "-ridge");
        ReportTable shownOnline = new ReportTable(id() + "-online-table", List.of("t", "eg_generator_mean",
                "eg_gaussian_mean", "difference_mean", "difference_sem", "seeds"));
        ReportTable shownRidge = new ReportTable(id() + "-ridge-table", List.of("alpha", "test_error_generator_mean",
                "test_error_gaussian_mean", "test_error_difference_mean", "test_error_difference_sem", "seeds"));
        for (int i = 0; i < ridge.rowCount(); i++) {
            shownRidge.addRow(ridge.number(i, "alpha"), ridge.number(i, "test_error_generator_mean"),
                    ridge.number(i, "test_error_gaussian_mean"), ridge.number(i, "test_error_difference_mean"),
                    ridge.number(i, "test_error_difference_sem"), ridge.number(i, "test_error_difference_count"));
        }
        for (int i : Summaries.spreadRows(online.rowCount(), 8)) {
            shownOnline.addRow(online.number(i, "t"), online.number(i, "eg_generator_mean"),
                    online.number(i, "eg_gaussian_mean"), online.number(i, "difference_mean"),
                    online.number(i, "difference_sem"), online.number(i, "difference_count"));
        }
        List<String> verdicts = List.of(
                "Online (N = " + sizes.n + ", " + sizes.onlineSeeds + " seeds): " + difference(online, "t", "difference",
                        "t") + ".",
                "Ridge (λ = " + Numbers.display(RIDGE_LAMBDA) + ", P = " + erm.features() + ", " + sizes.ermSeeds
                        + " seeds): " + difference(ridge, "alpha", "test_error_difference", "α") + ".");
        FigureData figure = new FigureData(id(), "Paired differences generator − Gaussian twin, mean ± 1 SE over seeds "
                + "(same teacher, initial weights or features, and latent vectors per seed).", List.of(
                new FigureData.Panel("online: ε_g(generator) − ε_g(twin)", "time t = steps / N", "difference", true,
                        false, List.of(Summaries.markers("difference", online, "t", "difference", 0),
                        zero(online.numbers("t")))),
                new FigureData.Panel("ridge: test error (generator) − (twin)", "α = n / d", "difference", false, false,
                        List.of(Summaries.markers("difference", ridge, "alpha", "test_error_difference", 1),
                                zero(ridge.numbers("alpha"))))));
        return new SectionBody(List.of(shownOnline, shownRidge), List.of(figure), verdicts, List.of(),
                List.of(online, ridge));
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

    private static String difference(ReportTable s, String x, String column, String xName) {
        int best = -1;
        int consistent = 0;
        int rows = 0;
        for (int i = 0; i < s.rowCount(); i++) {
            if (!(s.number(i, x) > 0)) {
                continue;
            }
            rows++;
            double m = s.number(i, column + SeedAverage.MEAN);
            double se = s.number(i, column + SeedAverage.SEM);
            if (best < 0 || Math.abs(m) > Math.abs(s.number(best, column + SeedAverage.MEAN))) {
                best = i;
            }
            if (Double.isFinite(se) && Math.abs(m) <= 2 * se) {
                consistent++;
            }
        }
        if (best < 0) {
            return "no points";
        }
        return "largest |difference| " + Numbers.withError(s.number(best, column + SeedAverage.MEAN),
                s.number(best, column + SeedAverage.SEM)) + " at " + xName + " = " + Numbers.display(s.number(best, x))
                + "; " + consistent + " of " + rows + " within 2 SE of zero";
    }
}
