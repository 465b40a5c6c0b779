package org.gequiv.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.gequiv.experiment.InputCentring;
import org.gequiv.experiment.MomentsExperiment;
import org.gequiv.experiment.OnlineResult;
import org.gequiv.generator.GaussianEquivalentGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.moments.GeneratorWithMoments;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OnlineSpec;
import org.gequiv.random.RandomStreams;
import org.gequiv.random.Repeats;
import org.gequiv.validation.InvalidInputException;

/**
 * Section 3: online SGD on deep generators of fixed size — the shipped pre-trained ones in
 * {@code models/} (the MNIST decoder, the Fashion-MNIST DCGAN and, at the full scale, the
 * Fashion-MNIST real NVP) and, at the full scale, the randomly initialised DCGAN with N = 3072
 * (docs/theory.md §7.1) — whose moments are estimated by Monte Carlo (§7.2) and fed to the ODE theory
 * (§5), against the simulation from the same initial weights over seeds, and against the simulation
 * on the Gaussian twin of the estimated moments (§2.2) with the experiment layer's pairing (same
 * teacher, initial weights and latent vectors). The ODEs are exact for the twin up to finite-N
 * fluctuations, so the twin tells a gap of finite size and seeds (the twin shares it) from one of
 * the generator or its moment estimate (the twin does not); the verdict says which, from the
 * time-averaged gaps per seed. A twin that cannot be built (Ω − ΦΦᵀ not positive semi-definite
 * beyond round-off, as Monte-Carlo moments from too few samples give) is recorded with its
 * message and the point runs without it. The inputs are centred with the estimated mean (§1.1). A
 * point is (generator, moment samples, seed); the moment estimate of a generator does not depend
 * on the point's seed (it uses the stream {@link #MOMENT_STREAM} of seed 0) and is computed once per
 * section object.
 */
public final class DeepGeneratorsSection implements ReportSection {

    /** Stream of the moment estimates. */
    public static final String MOMENT_STREAM = "report-moments";

    /** The shipped Fashion-MNIST real NVP; it runs at the full scale only (its samples cost 8 ms each). */
    static final String REAL_NVP = "nvp:fashion-nvp.npz";

    /** One generator of the study. */
    record Study(String generator, long momentSamples, double time, int logPoints, int testSamples, int seeds) {
    }

    private final List<Study> studies;
    private final ReportContext context;
    private final Map<String, Moments> moments = new ConcurrentHashMap<>();
    /** Per moment estimate, why its Gaussian twin cannot be built, or {@link #NO_REFUSAL}. */
    private final Map<String, String> twinRefusals = new ConcurrentHashMap<>();

    /** The {@code twin_refusal} cell of a point whose Gaussian twin ran. */
    static final String NO_REFUSAL = "none";

    /** Legend entries of the figure, named in its caption. */
    static final String SIMULATION = "simulation";
    static final String THEORY = "theory";
    static final String TWIN = "Gaussian twin (simulation)";

    public DeepGeneratorsSection(ReportScale scale, ReportContext context) {
        this.studies = scale.pick(
                // 10⁴ moment samples so that the tests see the Gaussian twin: at 2000 the estimated Ω − ΦΦᵀ has
                // an eigenvalue −0.11 and the twin is refused
                List.of(new Study("onnx:mnist-decoder.onnx", 10_000, 0.5, 5, 500, 2)),
                // 4 seeds, so that the seed-to-seed spread is measured; the DCGAN's moments from 4·10⁴ samples,
                // since at 10⁴ its Ω − ΦΦᵀ has an eigenvalue of −1.25e-4 and no Gaussian twin exists
                List.of(new Study("onnx:mnist-decoder.onnx", 20_000, 5, 15, 2000, 4),
                        new Study("dcgan:fashion-dcgan.npz", 40_000, 2, 10, 2000, 4)),
                List.of(new Study("onnx:mnist-decoder.onnx", 200_000, 20, 30, 10_000, ReportScale.FULL_SEEDS),
                        new Study("dcgan:fashion-dcgan.npz", 200_000, 20, 30, 10_000, ReportScale.FULL_SEEDS),
                        // about 8 ms of CPU per sample on one core: 27 CPU-minutes of moments, 4 of SGD per seed
                        new Study(REAL_NVP, 200_000, 20, 30, 10_000, ReportScale.FULL_SEEDS),
                        new Study("dcgan", 200_000, 10, 30, 10_000, ReportScale.FULL_SEEDS)));
        this.context = context;
    }

    @Override
    public String id() {
        return "deep-generators";
    }

    @Override
    public String title() {
        return "Online SGD on deep generators";
    }

    @Override
    public String claim() {
        boolean full = studies.stream().anyMatch(s -> s.generator().equals("dcgan"));
        return "For deep generators — the pre-trained ones shipped in models/" + (full
                ? " (the MNIST decoder, the adversarially trained Fashion-MNIST DCGAN and the Fashion-MNIST real NVP "
                + "trained by maximum likelihood) and a randomly initialised DCGAN with N = 3072"
                : " (the MNIST decoder and the Fashion-MNIST DCGAN; the Fashion-MNIST real NVP and the random DCGAN "
                + "with N = 3072 run with --full only)")
                + " — the ODE theory fed with the Monte-Carlo estimates of (μ, Ω, Φ) still predicts the learning curve "
                + "of one-pass SGD on their samples.";
    }

    @Override
    public List<ExperimentPoint> points() {
        List<ExperimentPoint> points = new ArrayList<>();
        for (Study s : studies) {
            for (int seed = 0; seed < s.seeds(); seed++) {
                points.add(ExperimentPoint.of("generator", s.generator(), "moment_samples", s.momentSamples(), "time",
                        s.time(), "seed", seed));
            }
        }
        return points;
    }

    @Override
    public ReportTable run(ExperimentPoint p) {
        Study study = studies.stream().filter(s -> s.generator().equals(p.label("generator"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no study of generator " + p.label("generator")));
        Generator g = context.generators().build(study.generator(), context.models(), 0);
        long samples = (long) p.number("moment_samples");
        String key = study.generator() + "@" + samples;
        Moments m = moments.computeIfAbsent(key, k -> new MomentsExperiment(
                MomentEstimationSpec.of(samples, RandomStreams.derivedSeed(0, MOMENT_STREAM, 0), context.threads()),
                context.linearAlgebra()).run(g, r -> { }).estimate().moments());
        Generator withMoments = new GeneratorWithMoments(g, m);
        // the twin of the moments the experiment uses (centred as it centres them), built once to see
        // whether it exists: Monte-Carlo moments from too few samples give Ω − ΦΦᵀ negative eigenvalues
        String refusal = twinRefusals.computeIfAbsent(key, k -> {
            try {
                new GaussianEquivalentGenerator(InputCentring.centredWhenMeanKnown(withMoments).analyticMoments()
                        .orElseThrow(), withMoments.id());
                return NO_REFUSAL;
            } catch (InvalidInputException e) {
                return e.getMessage();
            }
        });
        boolean twin = refusal.equals(NO_REFUSAL);
        OnlineSpec spec = OnlineStudies.spec(p.number("time"), study.logPoints(), study.testSamples(), p.seed());
        OnlineResult r = OnlineStudies.run(spec, true, !twin, twin ? 1 : 0, withMoments, context);
        LearningCurve simulation = twin ? r.equivalence().generatorCurves().get(0) : r.simulation();
        LearningCurve gaussian = twin ? r.equivalence().gaussianCurves().get(0) : null;
        for (LearningCurve c : twin ? List.of(simulation, gaussian) : List.of(simulation)) {
            if (!c.termination().completed()) {
                throw new IllegalStateException("simulation on the " + (c == gaussian ? "Gaussian twin" : "generator")
                        + " stopped at t = " + c.termination().stoppedAt() + ": " + c.termination().reason());
            }
        }
        ReportTable rows = null;
        double[] times = spec.logTimes();
        for (int i = 0; i < times.length; i++) {
            Map<String, Object> cells = new LinkedHashMap<>();
            cells.put("t", times[i]);
            cells.put("N", g.inputDimension());
            cells.put("D", g.latentDimension());
            cells.putAll(OnlineStudies.cells("sim", simulation, i));
            cells.putAll(OnlineStudies.cells("theory", r.theory(), i));
            double theory = (double) cells.get("eg_theory");
            double sim = (double) cells.get("eg_sim");
            double gauss = twin ? gaussian.points().get(i).generalisationError() : Double.NaN;
            cells.put("gap", OnlineStudies.relativeGap(sim, theory));
            cells.put("eg_gaussian", gauss);
            cells.put("gap_gaussian", OnlineStudies.relativeGap(gauss, theory));
            cells.put("twin_refusal", refusal);
            if (rows == null) {
                rows = new ReportTable("rows", new ArrayList<>(cells.keySet()));
            }
            rows.addRow(cells);
        }
        return rows;
    }

    @Override
    public List<SampleGrid> sampleGrids() {
        List<SampleGrid> grids = new ArrayList<>();
        for (Study s : studies) {
            // the shipped MNIST decoder has sigmoid outputs in (0, 1), the real NVP's logit output transform
            // maps into (−α/(1 − 2α), (1 − α)/(1 − 2α)) ≈ (−0.06, 1.06), the DCGANs have tanh outputs in (−1, 1)
            boolean unit = s.generator().startsWith("onnx:mnist") || s.generator().equals(REAL_NVP);
            String name = id() + "-samples-" + s.generator().replaceAll("[^A-Za-z0-9]+", "-");
            grids.add(new SampleGrid(name, "Samples of " + s.generator() + ".", s.generator(), 3, 10, unit ? 0 : -1, 1,
                    1));
        }
        return grids;
    }

    @Override
    public SectionBody summarise(ReportTable results) {
        ReportTable summary = SeedAverage.summarise(results, List.of("generator", "moment_samples", "N", "D", "t"),
                List.of("eg_sim", "eg_theory", "gap", "eg_gaussian", "gap_gaussian"), id() + "-summary");
        // N, D and the moment samples of each generator are in its panel title and verdict (and in the summary CSV)
        ReportTable shown = new ReportTable(id() + "-table", List.of("generator", "t", "eg_sim_mean", "eg_sim_sem",
                "eg_theory_mean", "gap_mean", "gap_sem", "eg_gaussian_mean", "eg_gaussian_sem", "gap_gaussian_mean",
                "gap_gaussian_sem", "seeds"));
        ReportTable perSeed = new ReportTable(id() + "-per-seed", List.of("generator", "seed", "gap", "gap_gaussian",
                "difference"));
        ReportTable averaged = new ReportTable(id() + "-time-averaged", List.of("generator", "from_t", "seeds",
                "gap_mean", "gap_sem", "gap_gaussian_mean", "gap_gaussian_sem", "difference_mean", "difference_sem"));
        List<String> verdicts = new ArrayList<>();
        List<FigureData.Panel> panels = new ArrayList<>();
        List<String> noTwin = new ArrayList<>();
        int colour = 0;
        for (Study study : studies) {
            ReportTable s = summary.where("generator", study.generator());
            if (s.rowCount() == 0) {
                continue;
            }
            for (int i : Summaries.spreadRows(s.rowCount(), 4)) {
                shown.addRow(study.generator(), s.number(i, "t"), s.number(i, "eg_sim_mean"), s.number(i, "eg_sim_sem"),
                        s.number(i, "eg_theory_mean"), s.number(i, "gap_mean"), s.number(i, "gap_sem"),
                        s.number(i, "eg_gaussian_mean"), s.number(i, "eg_gaussian_sem"),
                        s.number(i, "gap_gaussian_mean"), s.number(i, "gap_gaussian_sem"), s.number(i, "eg_sim_count"));
            }
            double from = Math.min(OnlineStudies.GAP_FROM_TIME, study.time());
            ReportTable rows = results.where("generator", study.generator());
            ReportTable seeds = TwinStudies.timeAverages(rows, List.of("seed"), List.of("gap", "gap_gaussian"), from,
                    "seeds");
            ReportTable studySeeds = new ReportTable("per-seed", perSeed.columns());
            for (int i = 0; i < seeds.rowCount(); i++) {
                double a = seeds.number(i, "gap");
                double b = seeds.number(i, "gap_gaussian");
                studySeeds.addRow(study.generator(), seeds.cell(i, "seed"), a, b, a - b);
                perSeed.addRow(study.generator(), seeds.cell(i, "seed"), a, b, a - b);
            }
            ReportTable avg = SeedAverage.summarise(studySeeds, List.of("generator"),
                    List.of("gap", "gap_gaussian", "difference"), "avg");
            averaged.addRow(study.generator(), from, avg.number(0, "gap" + SeedAverage.COUNT),
                    avg.number(0, "gap" + SeedAverage.MEAN), avg.number(0, "gap" + SeedAverage.SEM),
                    avg.number(0, "gap_gaussian" + SeedAverage.MEAN), avg.number(0, "gap_gaussian" + SeedAverage.SEM),
                    avg.number(0, "difference" + SeedAverage.MEAN), avg.number(0, "difference" + SeedAverage.SEM));
            String refusal = rows.label(0, "twin_refusal");
            verdicts.add(study.generator() + " (N = " + (int) s.number(0, "N") + ", D = " + (int) s.number(0, "D")
                    + ", moments from " + study.momentSamples() + " samples, " + seedsText(studySeeds) + " seeds): "
                    + Summaries.largestGap(s, "gap", from) + ". " + verdict(averaged, averaged.rowCount() - 1,
                    studySeeds, refusal.equals(NO_REFUSAL) ? null : refusal));
            List<FigureData.Series> series = new ArrayList<>(List.of(
                    Summaries.markers(SIMULATION, s, "t", "eg_sim", colour),
                    Summaries.line(THEORY, s, "t", "eg_theory_mean", colour + 1, FigureData.Style.LINE)));
            if (refusal.equals(NO_REFUSAL)) {
                series.add(Summaries.markers(TWIN, s, "t", "eg_gaussian", colour + 2, FigureData.Style.OPEN_MARKERS));
            } else {
                noTwin.add(study.generator());
            }
            panels.add(new FigureData.Panel(study.generator() + " (N = " + (int) s.number(0, "N") + ")",
                    "time t = steps / N", "generalisation error ε_g", true, true, series));
            colour += 3;
        }
        FigureData figure = new FigureData(id(), "Filled markers (" + SIMULATION + "): one-pass SGD on the "
                + "generator's samples; open markers (" + TWIN + "): the same SGD, from the same teacher, initial "
                + "weights and latent vectors, on the Gaussian with the estimated μ, Ω, Φ; both mean ± 1 SE over "
                + "seeds. Line (" + THEORY + "): the ODEs with the Monte-Carlo moments, from the same initial "
                + "weights, averaged over the same seeds." + (noTwin.isEmpty() ? "" : " No Gaussian twin for "
                + String.join(", ", noTwin) + " (its verdict says why)."), panels);
        return new SectionBody(List.of(shown, averaged), List.of(figure), verdicts, List.of(
                "The moments are estimated once per generator (seed 0 of the stream " + MOMENT_STREAM + "); with N/P "
                        + "not small the estimate's own error is part of the gap.",
                "Time-averaged gaps (table " + averaged.name() + "): per seed, (ε_g simulation − ε_g theory) / ε_g "
                        + "theory averaged over the recorded times t ≥ from_t, on the generator and on its Gaussian "
                        + "twin (same teacher, initial weights and latent vectors), and their difference; then "
                        + "mean ± SE over seeds. The ODEs are exact for the twin up to finite-N fluctuations, so the "
                        + "twin separates what the moments predict from what the generator adds."),
                List.of(summary, perSeed));
    }

    /**
     * Whether the theory predicts the simulation (time-averaged gap within 2 SE of zero) and, when it
     * does not, why, from the Gaussian twin and the seeds: the twin has exactly the moments the
     * theory uses, so a twin with the same gap puts the cause in finite size and seeds, not in the
     * moments or the generator.
     *
     * @param refusal why the twin could not be built, or null when it ran
     */
    static String verdict(ReportTable averaged, int row, ReportTable perSeed, String refusal) {
        double gap = averaged.number(row, "gap_mean");
        double gapSe = averaged.number(row, "gap_sem");
        String from = Numbers.display(averaged.number(row, "from_t"));
        StringBuilder v = new StringBuilder("Averaged over t ≥ " + from + " the gap is "
                + Summaries.percentWithError(gap, gapSe));
        if (Summaries.withinTwoSe(gap, gapSe)) {
            v.append(", within 2 SE of zero: the theory with the Monte-Carlo moments predicts the simulation");
            if (refusal == null) {
                v.append(" (Gaussian twin ").append(Summaries.percentWithError(averaged.number(row, "gap_gaussian_mean"),
                        averaged.number(row, "gap_gaussian_sem"))).append(')');
            } else {
                v.append(" (no Gaussian twin: ").append(refusal).append(')');
            }
            return v.append('.').toString();
        }
        v.append(", beyond 2 SE of zero (").append(Double.isFinite(gapSe) && gapSe > 0
                ? Numbers.significant(Math.abs(gap) / gapSe, 2) + " SE" : "no SE").append("), so the claim is not "
                + "confirmed here. ");
        if (refusal != null) {
            v.append("The Gaussian twin, which would separate the moments from finite size, could not be built: ")
                    .append(refusal).append(". ");
        } else {
            double twin = averaged.number(row, "gap_gaussian_mean");
            double twinSe = averaged.number(row, "gap_gaussian_sem");
            double diff = averaged.number(row, "difference_mean");
            double diffSe = averaged.number(row, "difference_sem");
            String twinText = "the Gaussian twin's gap is " + Summaries.percentWithError(twin, twinSe)
                    + ", generator − twin " + Summaries.percentWithError(diff, diffSe);
            if (Summaries.withinTwoSe(diff, diffSe) && !Summaries.withinTwoSe(twin, twinSe)) {
                v.append("Why: ").append(twinText).append(" (within 2 SE): the twin, which has exactly the moments "
                        + "the theory uses, departs from the theory as much as the generator does, so the gap is "
                        + "not in the moments nor in the generator's non-Gaussianity but in the finite size and the "
                        + "seeds of this run. ");
            } else if (Summaries.withinTwoSe(diff, diffSe)) {
                v.append("Why: ").append(twinText).append(" (both within 2 SE): the generator is not resolved from "
                        + "its twin, and the twin agrees with the theory, so the generator's gap is not resolved as "
                        + "its own either; it is within the seed-to-seed scatter of these few seeds. ");
            } else if (Summaries.withinTwoSe(twin, twinSe)) {
                v.append("Why: ").append(twinText).append(" (beyond 2 SE): the twin agrees with the theory while the "
                        + "generator departs from its twin, so the gap is the generator's own — its non-Gaussian "
                        + "finite-size correction or an error of the moment estimate. ");
            } else {
                v.append("Why: ").append(twinText).append(": both the twin's gap and the generator − twin difference "
                        + "are beyond 2 SE, so finite size and the generator both contribute. ");
            }
        }
        return v.append(seedDiagnosis(perSeed)).toString();
    }

    /**
     * "Per seed the gaps are −4.5, −5.6, −1.0, +0.2 % (seeds 0–3); the largest |gap| is seed 1's;
     * without it −1.8 ± 1.7 %."
     */
    static String seedDiagnosis(ReportTable perSeed) {
        int n = perSeed.rowCount();
        List<String> gaps = new ArrayList<>();
        int worst = 0;
        for (int i = 0; i < n; i++) {
            double g = perSeed.number(i, "gap");
            gaps.add((g > 0 ? "+" : "") + Numbers.significant(100 * g, 2));
            if (Math.abs(g) > Math.abs(perSeed.number(worst, "gap"))) {
                worst = i;
            }
        }
        StringBuilder v = new StringBuilder("Per seed the gaps are " + String.join(", ", gaps) + " % (seeds "
                + String.join(", ", perSeedLabels(perSeed)) + ")");
        if (n > 2) {
            double[] rest = new double[n - 1];
            for (int i = 0, k = 0; i < n; i++) {
                if (i != worst) {
                    rest[k++] = perSeed.number(i, "gap");
                }
            }
            double m = Repeats.mean(rest);
            double se = Repeats.standardError(rest);
            v.append("; the largest |gap| is seed ").append(Numbers.display(perSeed.number(worst, "seed")))
                    .append("'s, and without it the mean is ").append(Summaries.percentWithError(m, se))
                    .append(Summaries.withinTwoSe(m, se)
                            ? " (within 2 SE): one seed carries the gap, more seeds would settle it"
                            : " (still beyond 2 SE)");
        }
        return v.append('.').toString();
    }

    private static List<String> perSeedLabels(ReportTable perSeed) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < perSeed.rowCount(); i++) {
            out.add(Numbers.display(perSeed.number(i, "seed")));
        }
        return out;
    }

    /** "4", from the per-seed rows. */
    private static String seedsText(ReportTable perSeed) {
        return Integer.toString(perSeed.rowCount());
    }
}
