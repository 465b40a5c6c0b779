package org.gequiv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gequiv.equivalence.FieldDiagnosticsSpec;
import org.gequiv.equivalence.FieldStatistic;
import org.gequiv.equivalence.RateFit;
import org.gequiv.equivalence.SizeSummary;
import org.gequiv.equivalence.SweepSize;
import org.gequiv.equivalence.WeightKind;
import org.gequiv.equivalence.WeightSpec;
import org.gequiv.experiment.PhaseTimings;
import org.gequiv.experiment.CheckExperiment;
import org.gequiv.experiment.CheckExperimentSpec;
import org.gequiv.experiment.CheckResult;
import org.gequiv.experiment.ResultTables;
import org.gequiv.experiment.SeedRules;
import org.gequiv.experiment.WeightTrajectory;
import org.gequiv.generator.Generator;
import org.gequiv.generator.GeneratorSpec;
import org.gequiv.io.Json;
import org.gequiv.io.LabelledCsvTable;
import org.gequiv.io.Provenance;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.model.TeacherInput;
import org.gequiv.plot.RatePlot;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gequiv check}: measures how Gaussian the local fields of fixed weights are, and how fast that improves. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample the local fields (λ, ν) of fixed weights under a generator, compare them with the "
                + "Gaussian law N(μ, C) its moments predict (docs/theory.md §2.1, §2.5), beside Monte-Carlo floors, "
                + "over a sweep of N, and fit the decay exponent of every distance.",
                "A generator family (single-layer, deep-random, …) is swept over --sizes with D = round(δ N), or D = -D "
                        + "at every N with --fixed-latent. A generator of fixed size (dcgan, nvp, onnx:, "
                        + "samples:), or any generator with --moments, is measured at its own N with the moments of "
                        + "--moments or a Monte-Carlo estimate (--moment-samples); so are weights saved by 'online'.",
                "Writes DIR/fields.csv and DIR/run.json, and for a sweep DIR/rates.csv and the figure DIR/check.png / "
                        + "DIR/check.svg."})
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Mixin
    GeneratorOptions generatorOptions = new GeneratorOptions();

    @Option(names = "--sizes", defaultValue = "250,500,1000,2000", split = ",", paramLabel = "N,...",
            description = "Input dimensions N of the sweep. Default: ${DEFAULT-VALUE}.")
    int[] sizes;

    @Option(names = "--delta", defaultValue = "0.5", description = "δ = D/N at every size. Default: ${DEFAULT-VALUE}.")
    double delta;

    @Option(names = "--fixed-latent", description = "Keep D = -D fixed instead of D = δN.")
    boolean fixedLatent;

    @Option(names = "--weights", defaultValue = "gaussian", paramLabel = "gaussian|localised|FILE.npz",
            description = "Student weights: i.i.d. Gaussian (delocalised), localised on --support input "
                    + "coordinates (the counter-example), or the weights saved by 'gequiv online --save-weights "
                    + "FILE.npz', measured at each recorded time under the generator they were trained on "
                    + "(same generator options and --seed/--gen-seed). Default: ${DEFAULT-VALUE}.")
    String weights;

    @Option(names = "--moment-samples", defaultValue = "" + CheckExperimentSpec.DEFAULT_MOMENT_SAMPLES,
            description = "Samples of the Monte-Carlo moment estimate of a fixed-size generator given without "
                    + "--moments. Default: ${DEFAULT-VALUE}.")
    long momentSamples;

    @Option(names = "--support", defaultValue = "" + WeightSpec.DEFAULT_SUPPORT,
            description = "Non-zero entries of each localised student vector. Default: ${DEFAULT-VALUE}.")
    int support;

    @Option(names = "-K", defaultValue = "2", description = "Student vectors K. Default: ${DEFAULT-VALUE}.")
    int students;

    @Option(names = "-M", defaultValue = "2", description = "Teacher vectors M (0: students only). Default: ${DEFAULT-VALUE}.")
    int teachers;

    @Option(names = "--teacher", defaultValue = "latent", paramLabel = "latent|input",
            description = "What the teacher acts on. Default: ${DEFAULT-VALUE}.")
    String teacherInput;

    @Option(names = "--samples", defaultValue = "100000", paramLabel = "P",
            description = "Samples of the fields per size and instance. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--instances", defaultValue = "1",
            description = "Independent generators and weights per size, averaged. Default: ${DEFAULT-VALUE}.")
    int instances;

    @Option(names = "--directions", defaultValue = "" + FieldDiagnosticsSpec.DEFAULT_DIRECTIONS,
            description = "Random unit directions for the sliced distances. Default: ${DEFAULT-VALUE}.")
    int directions;

    @Option(names = "--floor-replicates", defaultValue = "" + FieldDiagnosticsSpec.DEFAULT_FLOOR_REPLICATES,
            description = "Exact-Gaussian replicates behind each floor. Default: ${DEFAULT-VALUE}.")
    int floorReplicates;

    @Option(names = "--resolution-sigmas", defaultValue = "" + FieldDiagnosticsSpec.DEFAULT_RESOLUTION_SIGMAS,
            description = "A statistic is resolved above floor + this many null standard deviations. Default: ${DEFAULT-VALUE}.")
    double resolutionSigmas;

    @Option(names = "--batch", defaultValue = "" + FieldDiagnosticsSpec.DEFAULT_BATCH, description = "Samples per projected block. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--threads", description = "Worker threads (results do not depend on it). Default: all cores.")
    Integer threads;

    @Option(names = "--seed", defaultValue = "0", description = "Master seed of every random stream. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "out/check", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    /** Set by a sweep for one of its points; null for a command of its own. */
    SweepPointContext point;

    /** Spec field → option of this command. */
    static final OptionMap NAMES = new OptionMap(
            "kind", "--weights", "students", "-K", "teachers", "-M", "teacherInput", "--teacher", "support", "--support",
            "samples", "--samples", "batch", "--batch", "directions", "--directions",
            "floorReplicates", "--floor-replicates", "resolutionSigmas", "--resolution-sigmas", "threads", "--threads",
            "instances", "--instances", "momentSamples", "--moment-samples", "sizes", "--sizes", "n", "--sizes",
            "d", "-D", "delta", "--delta", "weights", "--weights", "moments", "--moments");

    @Override
    public Integer call() throws Exception {
        // phase "start": the JVM and the parsing of the options, up to here
        PhaseTimings timings = PhaseTimings.begin();
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        WeightTrajectory saved = isWeightsFile() ? Inputs.read("--weights", weights,
                () -> WeightTrajectory.readNpz(Path.of(weights))) : null;
        WeightKind kind = saved != null ? WeightKind.GAUSSIAN
                : GeneratorOptions.option("--weights", () -> WeightKind.byId(weights));
        TeacherInput input = GeneratorOptions.option("--teacher", () -> TeacherInput.byId(teacherInput));
        WeightSpec weightSpec = NAMES.apply(() -> new WeightSpec(kind, students, teachers, input, support));
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        FieldDiagnosticsSpec spec = NAMES.apply(() -> new FieldDiagnosticsSpec(samples, batch, directions,
                floorReplicates, resolutionSigmas, seed, workers));
        CheckExperimentSpec experimentSpec = NAMES.apply(() -> new CheckExperimentSpec(weightSpec, spec, instances,
                generatorOptions.generatorSeed, momentSamples));
        CheckExperiment experiment = new CheckExperiment(experimentSpec, LinearAlgebra.get());
        boolean fixedSize = saved != null || generatorOptions.isFixedSize() || generatorOptions.moments != null;
        List<SweepSize> sweepSizes = fixedSize ? null : sweepSizes();
        Generator fixed = null;
        int fields = saved != null ? saved.studentHidden() + saved.teacherHidden() : students + teachers;
        if (fixedSize) {
            fixed = generatorOptions.build(seed, (n, d) -> experimentSpec.memory(n, d, fields), NAMES);
        } else {
            // build every generator spec once up front, so that a bad generator option fails before any work,
            // and check the memory of the sizes (one at a time) before anything is allocated
            OptionMap names = NAMES.and(new OptionMap("inputDim", "--sizes")).and(GeneratorOptions.NAMES);
            for (SweepSize s : sweepSizes) {
                GeneratorSpec g = generatorSpecAt(s.n(), s.d(), seed);
                Resources.check(g.memory().plus(experimentSpec.memory(s.n(), s.d(), fields)), names);
            }
        }
        if (point != null && point.validateOnly) {
            return 0;
        }
        Path dir = SweepPointContext.folder(point, out);
        org.gequiv.parallel.StopRequest stop = SweepPointContext.stop(point);
        Terminal.announceLinearAlgebra(err);

        Provenance provenance = Provenance.start("gequiv check");
        Generator generator = fixed;
        // several sampling workers each running a multi-threaded GEMM would oversubscribe the cores
        Terminal.Bar bar = SweepPointContext.progress(point, err);
        CheckResult result;
        try {
            result = Terminal.withSingleThreadedBlas(workers > 1, () -> NAMES.apply(() -> saved != null
                    ? experiment.ofWeights(generator, null, saved, bar, stop)
                    : generator != null ? experiment.atOwnSize(generator, null, bar, stop)
                    : experiment.sweep((n, d, s) -> generatorSpecAt(n, d, s).build(), sweepSizes,
                            fixedLatent ? "fixed D" : "fixed delta = " + delta, familyDescription(), bar, stop)));
        } finally {
            bar.finish();
        }
        result.provenance().forEach(provenance::put);
        provenance.finish();
        timings.end("run");
        Map<String, Object> prov = provenance.entries();

        List<String> w1 = new ArrayList<>();
        List<String> ks = new ArrayList<>();
        for (String label : labels(weightSpec, saved)) {
            w1.add("w1_" + label);
            ks.add("ks_" + label);
        }
        if (directions > 0) {
            w1.add("w1_sliced");
            ks.add("ks_sliced");
        }
        // figures first and run.json last: a failed write (a full disk) never leaves tables without
        // their figures, nor a run.json describing files that are not there
        List<String> written = new ArrayList<>();
        boolean sweep = sweepSizes != null;
        if (sweep) {
            String title = generatorOptions.generator + " ("
                    + generatorOptions.activation + "), " + weightSpec.kind().id() + " weights, "
                    + (fixedLatent ? "D = " + generatorOptions.latentDim : "δ = " + delta) + ", P = " + samples;
            SweepPointContext.saveFigures(point, () -> List.of(RatePlot.distances("Wasserstein-1, " + title, "W1 to N(μ, C) marginal", result, w1),
                    RatePlot.distances("Kolmogorov-Smirnov", "KS to N(μ, C) marginal", result, ks)), dir.resolve("check"));
        }
        org.gequiv.io.LabelledCsvTable fieldsTable = saved != null
                ? ResultTables.fieldsOverTime(result.times(), result.summaries())
                : ResultTables.fields(result.summaries());
        fieldsTable.write(dir.resolve("fields.csv"), prov);
        if (point != null) {
            point.table = fieldsTable;
        }
        written.add(dir.resolve("fields.csv").toString());
        if (sweep) {
            ResultTables.rates(result.rates()).write(dir.resolve("rates.csv"), prov);
            written.add(dir.resolve("rates.csv").toString());
        }
        Map<String, Object> json = new LinkedHashMap<>(prov);
        if (sweep) {
            json.put("rates", rateSummary(result.rates()));
        }
        timings.end("outputs");
        json.put("timings", timings.record());
        Json.write(dir.resolve("run.json"), json);
        written.add(dir.resolve("run.json").toString());
        if (sweep) {
            written.add(dir.resolve("check.png").toString());
            written.add(dir.resolve("check.svg").toString());
        }
        stdout.println("wrote " + String.join(", ", written));
        if (sweep) {
            for (RateFit f : result.rates()) {
                if (w1.contains(f.statistic()) || ks.contains(f.statistic())) {
                    stdout.println(f.verdict() == RateFit.Verdict.NOT_RESOLVED
                            ? String.format(Locale.ROOT, "%-14s not resolved (%d of %d sizes above the floor)",
                                    f.statistic(), f.resolvedPoints(), f.totalPoints())
                            : String.format(Locale.ROOT, "%-14s exponent %.3f, %.0f%% CI [%.3f, %.3f]: %s", f.statistic(),
                                    f.exponent(), 100 * f.confidence(), f.ciLow(), f.ciHigh(), f.verdict().id()));
                }
            }
        } else {
            double[] times = result.times();
            for (int i = 0; i < result.summaries().size(); i++) {
                SizeSummary s = result.summaries().get(i);
                for (FieldStatistic st : s.statistics()) {
                    if (w1.contains(st.name())) {
                        stdout.println(String.format(Locale.ROOT, "%s%-14s %.4g (floor %.4g): %s",
                                times == null ? "" : String.format(Locale.ROOT, "t = %-8.4g ", times[i]), st.name(),
                                st.value(), st.floor(), st.resolved() ? "resolved" : "at the floor"));
                    }
                }
            }
        }
        if (result.interrupted()) {
            err.println(Interruption.message(result.provenance().get("interrupted"), "what was computed was "
                    + "written, run.json says \"status\": \"interrupted\""));
            return Interruption.exitCode();
        }
        return 0;
    }

    /**
     * Says in --help when the shared generator option -N is used here: only for a generator family
     * measured at its own size (with --moments or --weights FILE.npz); a sweep takes its sizes
     * from --sizes.
     */
    static void describeSharedOptions(CommandSpec spec) {
        picocli.CommandLine.Model.OptionSpec n = spec.findOption("-N");
        if (n != null) {
            spec.remove(n);
            spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(n).description("Input dimension N of a "
                    + "generator family measured at its own size (with --moments, or with weights saved by online); a sweep "
                    + "takes its sizes from --sizes instead. Default: ${DEFAULT-VALUE}.").build());
        }
    }

    private boolean isWeightsFile() {
        String w = weights.trim().toLowerCase(Locale.ROOT);
        return w.endsWith(".npz");
    }

    private List<SweepSize> sweepSizes() {
        if (sizes == null || sizes.length == 0) {
            throw new BadInputException("--sizes must list at least one N, got none");
        }
        return NAMES.apply(() -> fixedLatent ? SweepSize.fixedLatent(sizes, generatorOptions.latentDim)
                : SweepSize.fixedRatio(sizes, delta));
    }

    /**
     * The seed of the generator's weights at size N (the rule of {@link SeedRules#sweepGenerator}):
     * the instance's own, or with --gen-seed one per size for every instance.
     */
    long generatorSeed(int n, long instanceGeneratorSeed) {
        return SeedRules.sweepGenerator(n, instanceGeneratorSeed, generatorOptions.generatorSeed);
    }

    /** The generator options with N and D of one size of the sweep. */
    private GeneratorSpec generatorSpecAt(int n, int d, long generatorSeed) {
        GeneratorSpec base = generatorOptions.spec(generatorSeed);
        return GeneratorOptions.NAMES.apply(() -> new GeneratorSpec(base.kind(), n, d, base.depth(), base.hiddenWidth(),
                base.activation(), base.rule(), generatorSeed));
    }

    private Map<String, Object> familyDescription() {
        GeneratorSpec g = generatorOptions.spec(seed);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("generator", g.kind());
        d.put("activation", g.activation().id());
        d.put("depth", g.depth());
        d.put("hiddenWidth", g.hiddenWidth() == 0 ? "D" : g.hiddenWidth());
        d.put("covarianceRule", g.rule().id());
        return d;
    }

    private static List<String> labels(WeightSpec w, WeightTrajectory saved) {
        int students = saved != null ? saved.studentHidden() : w.students();
        int teachers = saved != null ? saved.teacherHidden() : w.teachers();
        List<String> labels = new ArrayList<>();
        for (int k = 1; k <= students; k++) {
            labels.add("lambda_" + k);
        }
        for (int m = 1; m <= teachers; m++) {
            labels.add("nu_" + m);
        }
        return labels;
    }

    private static List<Map<String, Object>> rateSummary(List<RateFit> fits) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RateFit f : fits) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("statistic", f.statistic());
            m.put("verdict", f.verdict().id());
            if (f.verdict() != RateFit.Verdict.NOT_RESOLVED) {
                m.put("exponent", f.exponent());
                m.put("ciLow", f.ciLow());
                m.put("ciHigh", f.ciHigh());
            }
            m.put("resolvedPoints", f.resolvedPoints());
            out.add(m);
        }
        return out;
    }
}
