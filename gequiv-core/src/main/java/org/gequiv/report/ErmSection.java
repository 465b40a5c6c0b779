package org.gequiv.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Theory and simulation are the same experiment: the same generator, teacher and feature
 * weights per seed, the same λ, predictions w·v/√d, a sum of losses plus (λ/2)‖w‖², no intercept
 * (§6.1, §6.6). What remains between them is finite size, which the section measures: both losses
 * also run at other sizes N = P = 2D (the finite-size ladder of the scale) and, at the main size,
 * on the generator's Gaussian twin (same moments, Gaussian inputs); a table and a verdict per loss
 * give the relative test-error gap away from the peak and at it, per size and for the twin.
 */
public final class ErmSection implements ReportSection {

    /** Penalties: small for ridge (the interpolation peak), moderate for logistic. */
    static final double RIDGE_LAMBDA = 1e-3;
    static final double LOGISTIC_LAMBDA = 1e-2;

    /** "Away from the peak": |α − 1| at least this. */
    static final double PEAK_DISTANCE = 0.5;

    private final ErmStudies.Problem problem;
    /** Input dimensions N of the ridge finite-size ladder (D = N/2, P = N), the main size among them. */
    private final int[] ladder;
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
        this.ladder = scale.pick(new int[] {40, 80}, new int[] {200, 400}, new int[] {200, 400, 800, 1600});
        this.seeds = scale.pick(2, 8, ReportScale.FULL_SEEDS);
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
                points.add(point(loss, ErmStudies.GENERATOR, problem.n(), problem.d(), problem.features(), s));
            }
            for (int n : ladder) {
                if (n != problem.n()) {
                    for (int s = 0; s < seeds; s++) {
                        points.add(point(loss, ErmStudies.GENERATOR, n, n / 2, n, s));
                    }
                }
            }
            for (int s = 0; s < seeds; s++) {
                points.add(point(loss, ErmStudies.TWIN, problem.n(), problem.d(), problem.features(), s));
            }
        }
        return points;
    }

    private static ExperimentPoint point(ErmLoss loss, String generator, int n, int d, int p, int seed) {
        return ExperimentPoint.of("loss", loss.id(), "lambda", loss == ErmLoss.RIDGE ? RIDGE_LAMBDA : LOGISTIC_LAMBDA,
                "generator", generator, "N", n, "D", d, "P", p, "seed", seed);
    }

    @Override
    public ReportTable run(ExperimentPoint p) {
        ErmLoss loss = ErmLoss.byId(p.label("loss"));
        ErmStudies.Problem sized = problem.resized(p.integer("N"), p.integer("D"), p.integer("P"));
        ErmResult r = ErmStudies.run(sized, p.label("generator"), loss, p.number("lambda"), p.seed(), true, 0,
                saddlePoint.apply(p), context);
        ReportTable rows = new ReportTable("rows", List.of("alpha", "test_error_theory", "train_loss_theory",
                "test_error_sim", "train_loss_sim", "test_error_gap", "train_loss_gap", "test_error_relative_gap"));
        for (int i = 0; i < r.theory().size(); i++) {
            ErmPoint t = r.theory().get(i);
            ErmPoint s = r.simulation().get(i);
            rows.addRow(t.alpha(), t.testError(), t.trainLoss(), s.testError(), s.trainLoss(),
                    s.testError() - t.testError(), s.trainLoss() - t.trainLoss(),
                    (s.testError() - t.testError()) / t.testError());
        }
        return rows;
    }

    @Override
    public SectionBody summarise(ReportTable results) {
        List<String> values = List.of("test_error_theory", "train_loss_theory", "test_error_sim", "train_loss_sim",
                "test_error_gap", "train_loss_gap", "test_error_relative_gap");
        ReportTable summary = SeedAverage.summarise(results, List.of("loss", "lambda", "generator", "N", "D", "P",
                "alpha"), values, id() + "-summary");
        ReportTable main = summary.where("generator", ErmStudies.GENERATOR).where("N", problem.n());
        ReportTable shown = new ReportTable(id() + "-table", List.of("loss", "lambda", "alpha", "test_error_theory",
                "test_error_sim_mean", "test_error_sim_sem", "train_loss_theory", "train_loss_sim_mean",
                "train_loss_sim_sem", "seeds"));
        List<String> verdicts = new ArrayList<>();
        List<FigureData.Panel> panels = new ArrayList<>();
        for (ErmLoss loss : List.of(ErmLoss.RIDGE, ErmLoss.LOGISTIC)) {
            ReportTable s = main.where("loss", loss.id());
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
            StringBuilder v = new StringBuilder(loss.id() + " (λ = " + Numbers.display(lambda) + ", N = P = "
                    + problem.n() + ", D = " + problem.d() + "): ");
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
        ReportTable finiteSize = finiteSize(results);
        for (ErmLoss loss : List.of(ErmLoss.RIDGE, ErmLoss.LOGISTIC)) {
            String sizes = finiteSizeVerdict(loss, finiteSize.where("loss", loss.id()));
            if (sizes != null) {
                verdicts.add(sizes);
            }
        }
        FigureData figure = new FigureData(id(), "Random features (P = " + problem.features() + ", erf) of the "
                + "single-layer sign generator (N = " + problem.n() + ", D = " + problem.d() + "); markers: ERM on one "
                + "data set per seed, mean ± 1 SE over " + seedsRun(main) + " seeds; lines: the saddle point, averaged "
                + "over the same seeds.", panels);
        List<ReportTable> tables = new ArrayList<>(List.of(shown));
        if (finiteSize.rowCount() > 0) {
            tables.add(finiteSize);
        }
        return new SectionBody(tables, List.of(figure), verdicts, List.of(
                "Differences are simulation − theory per seed, then mean ± SE over seeds; “within 2 SE” counts the α "
                        + "where the mean difference is within two standard errors of zero. Within a seed every α "
                        + "shares one teacher, one feature matrix, nested training sets and one test set, so the α "
                        + "of a seed are not independent checks. The theory column is its mean over the seeds (each "
                        + "seed draws its own generator, teacher and features); every α is in " + summary.name()
                        + ".csv.",
                "Finite size (table " + id() + "-finite-size): per seed, the relative test-error gap (simulation − "
                        + "theory) / theory averaged over the α with |α − 1| ≥ " + Numbers.display(PEAK_DISTANCE)
                        + " (away from the peak) and taken at the α nearest 1 (the peak), then mean ± SE over seeds; "
                        + "at N = P = 2D, and on the Gaussian twin of the generator (Gaussian inputs with "
                        + "its mean, Ω and Φ) at the main size."), List.of(summary));
    }

    /**
     * Per (loss, generator, N): the seed averages of the relative test-error gap away from the peak
     * and at it.
     */
    private ReportTable finiteSize(ReportTable ridge) {
        ReportTable perSeed = new ReportTable("per-seed", List.of("loss", "generator", "N", "D", "P", "seed", "away",
                "peak"));
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < ridge.rowCount(); i++) {
            groups.computeIfAbsent(List.of(ridge.cell(i, "loss"), ridge.cell(i, "generator"), ridge.cell(i, "N"),
                    ridge.cell(i, "seed")), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> rows : groups.values()) {
            double sum = 0;
            int count = 0;
            int peak = rows.get(0);
            for (int i : rows) {
                double alpha = ridge.number(i, "alpha");
                if (Math.abs(alpha - 1) >= PEAK_DISTANCE) {
                    sum += ridge.number(i, "test_error_relative_gap");
                    count++;
                }
                if (Math.abs(alpha - 1) < Math.abs(ridge.number(peak, "alpha") - 1)) {
                    peak = i;
                }
            }
            int first = rows.get(0);
            perSeed.addRow(ridge.cell(first, "loss"), ridge.cell(first, "generator"), ridge.cell(first, "N"), ridge.cell(first, "D"),
                    ridge.cell(first, "P"), ridge.cell(first, "seed"), count == 0 ? Double.NaN : sum / count,
                    ridge.number(peak, "test_error_relative_gap"));
        }
        ReportTable avg = SeedAverage.summarise(perSeed, List.of("loss", "generator", "N", "D", "P"),
                List.of("away", "peak"), "avg");
        ReportTable out = new ReportTable(id() + "-finite-size", List.of("loss", "generator", "N", "D", "P", "seeds",
                "relative_gap_away_mean", "relative_gap_away_sem", "relative_gap_peak_mean", "relative_gap_peak_sem"));
        for (int i = 0; i < avg.rowCount(); i++) {
            out.addRow(avg.cell(i, "loss"), avg.cell(i, "generator"), avg.cell(i, "N"), avg.cell(i, "D"), avg.cell(i, "P"),
                    avg.number(i, "away" + SeedAverage.COUNT), avg.number(i, "away" + SeedAverage.MEAN),
                    avg.number(i, "away" + SeedAverage.SEM), avg.number(i, "peak" + SeedAverage.MEAN),
                    avg.number(i, "peak" + SeedAverage.SEM));
        }
        return out;
    }

    /**
     * "ridge, finite size: relative test-error gap away from the peak −4.0 ± 1.3 % (3.0 SE from zero) at
     * N = P = 200, 0.4 ± 1.4 % (0.3 SE) at N = P = 400; Gaussian twin …; …", or null when the loss has
     * no row.
     */
    private String finiteSizeVerdict(ErmLoss loss, ReportTable t) {
        ReportTable gen = t.where("generator", ErmStudies.GENERATOR);
        if (gen.rowCount() == 0) {
            return null;
        }
        StringBuilder v = new StringBuilder(loss.id() + ", finite size: relative test-error gap (simulation − theory) "
                + "/ theory away from the peak ");
        for (int i = 0; i < gen.rowCount(); i++) {
            v.append(i == 0 ? "" : ", ").append(percent(gen, i, "away")).append(" (").append(zText(gen, i, "away"))
                    .append(") at N = P = ").append(Numbers.display(gen.number(i, "N")));
        }
        ReportTable twin = t.where("generator", ErmStudies.TWIN);
        if (twin.rowCount() > 0) {
            v.append("; on the Gaussian twin at N = P = ").append(Numbers.display(twin.number(0, "N"))).append(": ")
                    .append(percent(twin, 0, "away")).append(" (").append(zText(twin, 0, "away")).append(')');
        }
        if (loss == ErmLoss.RIDGE) {
            v.append("; at the peak ");
            for (int i = 0; i < gen.rowCount(); i++) {
                v.append(i == 0 ? "" : ", ").append(percent(gen, i, "peak")).append(" at N = P = ")
                        .append(Numbers.display(gen.number(i, "N")));
            }
            if (twin.rowCount() > 0) {
                v.append(", ").append(percent(twin, 0, "peak")).append(" on the twin");
            }
        }
        int main = -1;
        for (int i = 0; i < gen.rowCount(); i++) {
            if (gen.number(i, "N") == problem.n()) {
                main = i;
            }
        }
        int largest = gen.rowCount() - 1;
        if (main >= 0 && largest != main && !within2se(gen, main) && within2se(gen, largest)
                && Math.abs(gen.number(largest, "relative_gap_away_mean"))
                < Math.abs(gen.number(main, "relative_gap_away_mean"))) {
            v.append(". The gap at N = P = ").append(problem.n()).append(" is consistent with a finite-size effect: "
                    + "beyond 2 SE there, within 2 SE of zero in the same experiment at N = P = ")
                    .append(Numbers.display(gen.number(largest, "N")));
        } else if (main >= 0 && !within2se(gen, main)) {
            v.append(". The gap at N = P = ").append(problem.n()).append(" is beyond 2 SE and the larger sizes do not "
                    + "show it vanishing");
        }
        return v.append('.').toString();
    }

    private static boolean within2se(ReportTable t, int row) {
        return Summaries.withinTwoSe(t, row, "relative_gap_away");
    }

    /** "3.0 SE from zero". */
    private static String zText(ReportTable t, int row, String which) {
        double m = t.number(row, "relative_gap_" + which + "_mean");
        double se = t.number(row, "relative_gap_" + which + "_sem");
        return Double.isFinite(se) && se > 0 ? Numbers.significant(Math.abs(m) / se, 2) + " SE from zero"
                : "no SE";
    }

    private static String percent(ReportTable t, int row, String which) {
        return Summaries.percentWithError(t.number(row, "relative_gap_" + which + "_mean"),
                t.number(row, "relative_gap_" + which + "_sem"));
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
            if (Summaries.withinTwoSe(m, se)) {
                consistent++;
            }
        }
        return "largest " + what + " difference " + Numbers.withError(s.number(best, column + SeedAverage.MEAN),
                s.number(best, column + SeedAverage.SEM)) + " at α = " + Numbers.display(s.number(best, "alpha"))
                + ", " + consistent + " of " + s.rowCount() + " α within 2 SE";
    }

    /** "5", or "4–5" when some seeds failed. */
    private static String seedsRun(ReportTable summary) {
        double[] n = summary.numbers("test_error_sim" + SeedAverage.COUNT);
        double lo = Arrays.stream(n).min().orElse(0);
        double hi = Arrays.stream(n).max().orElse(0);
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
