package org.gequiv.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.gequiv.experiment.MomentsExperiment;
import org.gequiv.experiment.OnlineResult;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.moments.GeneratorWithMoments;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.online.OnlineSpec;
import org.gequiv.random.RandomStreams;

/**
 * Section 3: online SGD on deep generators of fixed size — the shipped pre-trained ones in
 * {@code models/} (the MNIST decoder, the Fashion-MNIST DCGAN and, at the full scale, the
 * Fashion-MNIST real NVP) and, at the full scale, the randomly initialised DCGAN with N = 3072
 * (docs/theory.md §7.1) — whose moments are estimated by Monte Carlo (§7.2) and fed to the ODE theory
 * (§5), against the simulation from the same initial weights over seeds. The inputs are centred
 * with the estimated mean (§1.1). A point is (generator, moment samples, seed); the moment estimate
 * of a generator does not depend on the point's seed (it uses the stream {@link #MOMENT_STREAM}
 * of seed 0) and is computed once per section object.
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

    public DeepGeneratorsSection(ReportScale scale, ReportContext context) {
        this.studies = scale.pick(
                List.of(new Study("onnx:mnist-decoder.onnx", 2000, 0.5, 5, 500, 2)),
                List.of(new Study("onnx:mnist-decoder.onnx", 20_000, 5, 15, 2000, 3),
                        new Study("dcgan:fashion-dcgan.npz", 10_000, 2, 10, 2000, 2)),
                List.of(new Study("onnx:mnist-decoder.onnx", 200_000, 20, 30, 10_000, 10),
                        new Study("dcgan:fashion-dcgan.npz", 200_000, 20, 30, 10_000, 10),
                        // about 8 ms of CPU per sample on one core: 27 CPU-minutes of moments, 4 of SGD per seed
                        new Study(REAL_NVP, 200_000, 20, 30, 10_000, 10),
                        new Study("dcgan", 200_000, 10, 30, 10_000, 10)));
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
        Moments m = moments.computeIfAbsent(study.generator() + "@" + samples, k -> new MomentsExperiment(
                MomentEstimationSpec.of(samples, RandomStreams.derivedSeed(0, MOMENT_STREAM, 0), context.threads()),
                context.linearAlgebra()).run(g, r -> { }).estimate().moments());
        OnlineSpec spec = OnlineStudies.spec(p.number("time"), study.logPoints(), study.testSamples(), p.seed());
        OnlineResult r = OnlineStudies.run(spec, true, true, 0, new GeneratorWithMoments(g, m), context);
        ReportTable rows = null;
        double[] times = spec.logTimes();
        for (int i = 0; i < times.length; i++) {
            Map<String, Object> cells = new LinkedHashMap<>();
            cells.put("t", times[i]);
            cells.put("N", g.inputDimension());
            cells.put("D", g.latentDimension());
            cells.putAll(OnlineStudies.cells("sim", r.simulation(), i));
            cells.putAll(OnlineStudies.cells("theory", r.theory(), i));
            cells.put("gap", OnlineStudies.relativeGap((double) cells.get("eg_sim"), (double) cells.get("eg_theory")));
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
                List.of("eg_sim", "eg_theory", "gap"), id() + "-summary");
        ReportTable shown = new ReportTable(id() + "-table", List.of("generator", "N", "D", "moment_samples", "t",
                "eg_sim_mean", "eg_sim_sem", "eg_theory_mean", "gap_mean", "gap_sem", "seeds"));
        List<String> verdicts = new ArrayList<>();
        List<FigureData.Panel> panels = new ArrayList<>();
        int colour = 0;
        for (Study study : studies) {
            ReportTable s = summary.where("generator", study.generator());
            if (s.rowCount() == 0) {
                continue;
            }
            for (int i : Summaries.spreadRows(s.rowCount(), 4)) {
                shown.addRow(study.generator(), s.number(i, "N"), s.number(i, "D"), s.number(i, "moment_samples"),
                        s.number(i, "t"), s.number(i, "eg_sim_mean"), s.number(i, "eg_sim_sem"),
                        s.number(i, "eg_theory_mean"), s.number(i, "gap_mean"), s.number(i, "gap_sem"),
                        s.number(i, "eg_sim_count"));
            }
            verdicts.add(study.generator() + " (N = " + (int) s.number(0, "N") + ", D = " + (int) s.number(0, "D")
                    + ", moments from " + study.momentSamples() + " samples, " + study.seeds() + " seeds): "
                    + Summaries.largestGap(s, "gap", Math.min(OnlineStudies.GAP_FROM_TIME, study.time())) + ".");
            panels.add(new FigureData.Panel(study.generator() + " (N = " + (int) s.number(0, "N") + ")",
                    "time t = steps / N", "generalisation error ε_g", true, true, List.of(
                    Summaries.markers("simulation", s, "t", "eg_sim", colour),
                    Summaries.line("theory", s, "t", "eg_theory_mean", colour + 1, FigureData.Style.LINE))));
            colour += 2;
        }
        FigureData figure = new FigureData(id(), "Markers: simulation, mean ± 1 SE over seeds; lines: the ODE theory "
                + "with the Monte-Carlo moments, from the same initial weights, averaged over the same seeds.", panels);
        return new SectionBody(List.of(shown), List.of(figure), verdicts, List.of(
                "The moments are estimated once per generator (seed 0 of the stream " + MOMENT_STREAM + "); with N/P "
                        + "not small the estimate's own error is part of the gap."), List.of(summary));
    }
}
