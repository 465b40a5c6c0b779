package org.gequiv.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.ErmPoint;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.experiment.ErmResult;

/**
 * Section 5: full-batch ERM on random features of generator data (docs/theory.md §6): ridge
 * regression at a small penalty, where the test error peaks at the interpolation threshold α = 1,
 * and logistic classification, each over α = n/d, the saddle-point theory against ERM solved on
 * one sampled data set per seed, mean ± SE over seeds. A saddle point that does not converge fails
 * the point (it is not a prediction).
 */
public final class ErmSection implements ReportSection {

    /** Penalties: small for ridge (the interpolation peak), moderate for logistic. */
    static final double RIDGE_LAMBDA = 1e-3;
    static final double LOGISTIC_LAMBDA = 1e-2;

    private final ErmStudies.Problem problem;
    private final int seeds;
    private final ReportContext context;
    private final Function<ExperimentPoint, SaddlePointOptions> saddlePoint;

    /** The section with the default saddle-point options at every point. */
    public ErmSection(ReportScale scale, ReportContext context) {
        this(scale, context, p -> SaddlePointOptions.defaults());
    }

    /**
     * @param saddlePoint the saddle-point options of each point; they are not among the point's
     *                    parameters, so a point store must not mix runs with different options (the
     *                    report uses the defaults; tests cap one point's iterations to make it fail)
     */
    public ErmSection(ReportScale scale, ReportContext context,
                      Function<ExperimentPoint, SaddlePointOptions> saddlePoint) {
        this.problem = scale.pick(new ErmStudies.Problem(40, 20, 40, ErmStudies.grid(0.5, 2, 4), 200),
                new ErmStudies.Problem(200, 100, 200, ErmStudies.grid(0.2, 3, 15), 2000),
                new ErmStudies.Problem(800, 400, 800, ErmStudies.grid(0.1, 3, 30), 10_000));
        this.seeds = scale.pick(2, 5, 10);
        this.context = context;
        this.saddlePoint = saddlePoint;
    }

    @Override
    public String id() {
        return "erm";
    }

    @Override
    public String title() {
        return "Full-batch ERM: ridge and logistic learning curves";
    }

    @Override
    public String claim() {
        return "The saddle-point equations of the Gaussian covariate model, fed with the covariances of random features "
                + "of generator data, predict the test error and training loss of empirical risk minimisation on that "
                + "data, including the interpolation peak of ridge regression at α = 1 for a small penalty.";
    }

    @Override
    public List<ExperimentPoint> points() {
        List<ExperimentPoint> points = new ArrayList<>();
        for (ErmLoss loss : List.of(ErmLoss.RIDGE, ErmLoss.LOGISTIC)) {
            for (int s = 0; s < seeds; s++) {
                points.add(ExperimentPoint.of("loss", loss.id(), "lambda", loss == ErmLoss.RIDGE ? RIDGE_LAMBDA
                        : LOGISTIC_LAMBDA, "N", problem.n(), "D", problem.d(), "P", problem.features(), "seed", s));
            }
        }
        return points;
    }

    @Override
    public ReportTable run(ExperimentPoint p) {
        ErmLoss loss = ErmLoss.byId(p.label("loss"));
        ErmResult r = ErmStudies.run(problem, loss, p.number("lambda"), p.seed(), true, 0,
                saddlePoint.apply(p), context);
        ReportTable rows = new ReportTable("rows", List.of("alpha", "test_error_theory", "train_loss_theory",
                "test_error_sim", "train_loss_sim", "test_error_gap", "train_loss_gap"));
        for (int i = 0; i < r.theory().size(); i++) {
            ErmPoint t = r.theory().get(i);
            ErmPoint s = r.simulation().get(i);
            rows.addRow(t.alpha(), t.testError(), t.trainLoss(), s.testError(), s.trainLoss(),
                    s.testError() - t.testError(), s.trainLoss() - t.trainLoss());
        }
        return rows;
    }

    @Override
    public SectionBody summarise(ReportTable results) {
        List<String> values = List.of("test_error_theory", "train_loss_theory", "test_error_sim", "train_loss_sim",
                "test_error_gap", "train_loss_gap");
        ReportTable summary = SeedAverage.summarise(results, List.of("loss", "lambda", "alpha"), values,
                id() + "-summary");
        ReportTable shown = new ReportTable(id() + "-table", List.of("loss", "lambda", "alpha", "test_error_theory",
                "test_error_sim_mean", "test_error_sim_sem", "train_loss_theory", "train_loss_sim_mean",
                "train_loss_sim_sem", "seeds"));
        List<String> verdicts = new ArrayList<>();
        List<FigureData.Panel> panels = new ArrayList<>();
        for (ErmLoss loss : List.of(ErmLoss.RIDGE, ErmLoss.LOGISTIC)) {
            ReportTable s = summary.where("loss", loss.id());
            if (s.rowCount() == 0) {
                continue;
            }
            double lambda = s.number(0, "lambda");
            for (int i : Summaries.spreadRows(s.rowCount(), 8)) {
                shown.addRow(loss.id(), lambda, s.number(i, "alpha"), s.number(i, "test_error_theory_mean"),
                        s.number(i, "test_error_sim_mean"), s.number(i, "test_error_sim_sem"),
                        s.number(i, "train_loss_theory_mean"), s.number(i, "train_loss_sim_mean"),
                        s.number(i, "train_loss_sim_sem"), s.number(i, "test_error_sim_count"));
            }
            StringBuilder v = new StringBuilder(loss.id() + " (λ = " + Numbers.display(lambda) + "): ");
            if (loss == ErmLoss.RIDGE) {
                int peak = argmax(s.numbers("test_error_theory_mean"));
                v.append("the theory's test error peaks at α = ").append(Numbers.display(s.number(peak, "alpha")))
                        .append(" (").append(Numbers.display(s.number(peak, "test_error_theory_mean")))
                        .append("), the simulation there gives ")
                        .append(Numbers.withError(s.number(peak, "test_error_sim_mean"),
                                s.number(peak, "test_error_sim_sem"))).append("; ");
            }
            v.append(largestDifference(s, "test_error_gap", "test error")).append("; ")
                    .append(largestDifference(s, "train_loss_gap", "training loss")).append('.');
            verdicts.add(v.toString());
            String yLabel = loss.isClassification() ? "classification error" : "test error ρ + q − 2m";
            panels.add(new FigureData.Panel(loss.id() + ", λ = " + Numbers.display(lambda), "α = n / d", yLabel,
                    false, loss == ErmLoss.RIDGE, List.of(
                    Summaries.markers("test error, simulation", s, "alpha", "test_error_sim", 0),
                    Summaries.line("test error, theory", s, "alpha", "test_error_theory_mean", 0,
                            FigureData.Style.LINE),
                    Summaries.markers("training loss, simulation", s, "alpha", "train_loss_sim", 1),
                    Summaries.line("training loss, theory", s, "alpha", "train_loss_theory_mean", 1,
                            FigureData.Style.LINE))));
        }
        FigureData figure = new FigureData(id(), "Random features (P = " + problem.features() + ", erf) of the "
                + "single-layer sign generator (N = " + problem.n() + ", D = " + problem.d() + "); markers: ERM on one "
                + "data set per seed, mean ± 1 SE over " + seedsRun(summary) + " seeds; lines: the saddle point, averaged over the "
                + "same seeds.", panels);
        return new SectionBody(List.of(shown), List.of(figure), verdicts, List.of(
                "Differences are simulation − theory per seed, then mean ± SE over seeds; “within 2 SE” counts the α "
                        + "where the mean difference is within two standard errors of zero. The theory column is its "
                        + "mean over the seeds (each seed draws its own generator, teacher and features); every α is "
                        + "in " + summary.name() + ".csv."), List.of(summary));
    }

    private static String largestDifference(ReportTable s, String column, String what) {
        int best = 0;
        int consistent = 0;
        for (int i = 0; i < s.rowCount(); i++) {
            double m = s.number(i, column + SeedAverage.MEAN);
            double se = s.number(i, column + SeedAverage.SEM);
            if (Math.abs(m) > Math.abs(s.number(best, column + SeedAverage.MEAN))) {
                best = i;
            }
            if (Double.isFinite(se) && Math.abs(m) <= 2 * se) {
                consistent++;
            }
        }
        return "largest " + what + " difference " + Numbers.withError(s.number(best, column + SeedAverage.MEAN),
                s.number(best, column + SeedAverage.SEM)) + " at α = " + Numbers.display(s.number(best, "alpha"))
                + ", " + consistent + " of " + s.rowCount() + " α within 2 SE";
    }

    /** "5", or "4–5" when some seeds failed at some α. */
    private static String seedsRun(ReportTable summary) {
        double[] n = summary.numbers("test_error_sim" + SeedAverage.COUNT);
        double lo = java.util.Arrays.stream(n).min().orElse(0);
        double hi = java.util.Arrays.stream(n).max().orElse(0);
        return lo == hi ? Numbers.display(hi) : Numbers.display(lo) + "–" + Numbers.display(hi);
    }

    private static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
