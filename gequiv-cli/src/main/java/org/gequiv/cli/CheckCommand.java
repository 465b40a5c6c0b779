package org.gequiv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gequiv.equivalence.EquivalenceSweep;
import org.gequiv.equivalence.FieldDiagnosticsSpec;
import org.gequiv.equivalence.FieldStatistic;
import org.gequiv.equivalence.RateFit;
import org.gequiv.equivalence.SizeSummary;
import org.gequiv.equivalence.SweepSize;
import org.gequiv.equivalence.WeightKind;
import org.gequiv.equivalence.WeightSpec;
import org.gequiv.generator.GeneratorSpec;
import org.gequiv.io.Json;
import org.gequiv.io.LabelledCsvTable;
import org.gequiv.io.Provenance;
import org.gequiv.model.TeacherInput;
import org.gequiv.plot.Figures;
import org.gequiv.plot.RatePlot;
import org.gequiv.random.RandomStreams;

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
                "Sizes come from --sizes with D = round(δ N), or D = -D at every N with --fixed-latent; -N is unused.",
                "Writes DIR/fields.csv, DIR/rates.csv, DIR/run.json and the figure DIR/check.png / DIR/check.svg."})
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

    @Option(names = "--weights", defaultValue = "gaussian", paramLabel = "gaussian|localised",
            description = "Student weights: i.i.d. Gaussian (delocalised) or localised on --support input "
                    + "coordinates (the counter-example). Default: ${DEFAULT-VALUE}.")
    String weights;

    @Option(names = "--support", defaultValue = "4",
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

    @Option(names = "--directions", defaultValue = "8",
            description = "Random unit directions for the sliced distances. Default: ${DEFAULT-VALUE}.")
    int directions;

    @Option(names = "--floor-replicates", defaultValue = "16",
            description = "Exact-Gaussian replicates behind each floor. Default: ${DEFAULT-VALUE}.")
    int floorReplicates;

    @Option(names = "--resolution-sigmas", defaultValue = "3",
            description = "A statistic is resolved above floor + this many null standard deviations. Default: ${DEFAULT-VALUE}.")
    double resolutionSigmas;

    @Option(names = "--batch", defaultValue = "512", description = "Samples per projected block. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--threads", description = "Worker threads (results do not depend on it). Default: all cores.")
    Integer threads;

    @Option(names = "--seed", defaultValue = "0", description = "Master seed of every random stream. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "out/check", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        List<SweepSize> sweepSizes = sweepSizes();
        WeightSpec weightSpec = new WeightSpec(GeneratorOptions.option("--weights", () -> WeightKind.byId(weights)),
                positive("-K", students), nonNegative("-M", teachers),
                GeneratorOptions.option("--teacher", () -> TeacherInput.byId(teacherInput)), positive("--support", support));
        FieldDiagnosticsSpec spec = GeneratorOptions.option("--samples", () -> new FieldDiagnosticsSpec(samples, batch,
                directions, floorReplicates, resolutionSigmas, seed,
                threads == null ? Runtime.getRuntime().availableProcessors() : threads));
        positive("--instances", instances);
        // build every generator once up front, so that a bad generator option fails before any work
        for (SweepSize s : sweepSizes) {
            generatorSpecAt(s.n(), s.d(), seed);
            if (weightSpec.kind() == WeightKind.LOCALISED && (long) students * support > s.n()) {
                throw new BadInputException("-K · --support must be <= N = " + s.n() + ", got " + (long) students * support);
            }
        }
        Path dir = OutputFolder.prepare(out);
        Terminal.announceLinearAlgebra(err);

        Provenance provenance = Provenance.start("gequiv check");
        provenance.put("spec", description(sweepSizes, weightSpec, spec));
        provenance.put("generator", generatorDescription());
        provenance.put("seeds", Map.of("master", seed, "streams",
                "instance j: generator-weights (index N), student and teacher (index N) of derivedSeed(seed, instance, j); "
                        + "field-samples (per block), slice-directions, null-floor (per replicate), "
                        + "gaussian-fields-r (per block)"));
        EquivalenceSweep.Result result = EquivalenceSweep.run(
                (n, d, s) -> generatorSpecAt(n, d, generatorSeed(n, s)).build(), sweepSizes, weightSpec, spec, instances);
        provenance.finish();
        Map<String, Object> prov = provenance.entries();

        LabelledCsvTable fields = new LabelledCsvTable(
                List.of("N", "D", "statistic", "value", "floor", "floor_spread", "resolved"));
        for (SizeSummary s : result.summaries()) {
            for (FieldStatistic st : s.statistics()) {
                fields.addRow(s.size().n(), s.size().d(), st.name(), st.value(), st.floor(), st.floorSpread(),
                        st.resolved() ? 1 : 0);
            }
        }
        LabelledCsvTable rates = new LabelledCsvTable(List.of("statistic", "exponent", "ci_low", "ci_high",
                "confidence", "resolved_points", "total_points", "verdict"));
        for (RateFit f : result.rates()) {
            rates.addRow(f.statistic(), f.exponent(), f.ciLow(), f.ciHigh(), f.confidence(), f.resolvedPoints(),
                    f.totalPoints(), f.verdict().id());
        }
        fields.write(dir.resolve("fields.csv"), prov);
        rates.write(dir.resolve("rates.csv"), prov);
        Map<String, Object> json = new LinkedHashMap<>(prov);
        json.put("rates", rateSummary(result.rates()));
        Json.write(dir.resolve("run.json"), json);

        List<String> w1 = new ArrayList<>();
        List<String> ks = new ArrayList<>();
        for (String label : labels(weightSpec)) {
            w1.add("w1_" + label);
            ks.add("ks_" + label);
        }
        if (directions > 0) {
            w1.add("w1_sliced");
            ks.add("ks_sliced");
        }
        String title = generatorOptions.generator + " ("
                + generatorOptions.activation + "), " + weightSpec.kind().id() + " weights, "
                + (fixedLatent ? "D = " + generatorOptions.latentDim : "δ = " + delta) + ", P = " + samples;
        Figures.save(List.of(RatePlot.distances("Wasserstein-1, " + title, "W1 to N(μ, C) marginal", result, w1),
                RatePlot.distances("Kolmogorov-Smirnov", "KS to N(μ, C) marginal", result, ks)), dir.resolve("check"));

        stdout.println("wrote " + dir.resolve("fields.csv") + ", " + dir.resolve("rates.csv") + ", "
                + dir.resolve("run.json") + ", " + dir.resolve("check.png") + ", " + dir.resolve("check.svg"));
        for (RateFit f : result.rates()) {
            if (w1.contains(f.statistic()) || ks.contains(f.statistic())) {
                stdout.println(f.verdict() == RateFit.Verdict.NOT_RESOLVED
                        ? String.format(Locale.ROOT, "%-14s not resolved (%d of %d sizes above the floor)",
                                f.statistic(), f.resolvedPoints(), f.totalPoints())
                        : String.format(Locale.ROOT, "%-14s exponent %.3f, %.0f%% CI [%.3f, %.3f]: %s", f.statistic(),
                                f.exponent(), 100 * f.confidence(), f.ciLow(), f.ciHigh(), f.verdict().id()));
            }
        }
        return 0;
    }

    private List<SweepSize> sweepSizes() {
        if (sizes == null || sizes.length == 0) {
            throw new BadInputException("--sizes must list at least one N, got none");
        }
        for (int n : sizes) {
            positive("--sizes", n);
        }
        if (fixedLatent) {
            positive("-D", generatorOptions.latentDim);
            return SweepSize.fixedLatent(sizes, generatorOptions.latentDim);
        }
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new BadInputException("--delta must be finite and > 0, got " + delta);
        }
        return SweepSize.fixedRatio(sizes, delta);
    }

    /**
     * The seed of the generator's weights at size N: the instance's own (fresh weights per
     * instance), or, with --gen-seed, derivedSeed(gen-seed, generator-weights, N) for every instance
     * (one generator per size; teacher, student and samples still vary over instances).
     */
    long generatorSeed(int n, long instanceGeneratorSeed) {
        Long fixed = generatorOptions.generatorSeed;
        return fixed == null ? instanceGeneratorSeed
                : RandomStreams.derivedSeed(fixed, RandomStreams.GENERATOR_WEIGHTS, n);
    }

    /** The generator options with N and D of one size of the sweep. */
    private GeneratorSpec generatorSpecAt(int n, int d, long generatorSeed) {
        GeneratorSpec base = generatorOptions.spec(generatorSeed);
        return new GeneratorSpec(base.kind(), n, d, base.depth(), base.hiddenWidth(),
                base.activation(), base.rule(), generatorSeed);
    }

    private Map<String, Object> generatorDescription() {
        GeneratorSpec g = generatorOptions.spec(seed);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("generator", g.kind());
        d.put("activation", g.activation().id());
        d.put("depth", g.depth());
        d.put("hiddenWidth", g.hiddenWidth() == 0 ? "D" : g.hiddenWidth());
        d.put("covarianceRule", g.rule().id());
        d.put("weights", generatorOptions.generatorSeed == null
                ? "fresh per size and instance, seed derivedSeed(instance seed, generator-weights, N)"
                : "one per size for all instances, seed derivedSeed(--gen-seed " + generatorOptions.generatorSeed
                        + ", generator-weights, N)");
        return d;
    }

    private static int positive(String name, int value) {
        if (value < 1) {
            throw new BadInputException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    private static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new BadInputException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    private static List<String> labels(WeightSpec w) {
        List<String> labels = new ArrayList<>();
        for (int k = 1; k <= w.students(); k++) {
            labels.add("lambda_" + k);
        }
        for (int m = 1; m <= w.teachers(); m++) {
            labels.add("nu_" + m);
        }
        return labels;
    }

    private Map<String, Object> description(List<SweepSize> sweepSizes, WeightSpec w, FieldDiagnosticsSpec spec) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sizes", sweepSizes.stream().map(s -> List.of(s.n(), s.d())).toList());
        d.put("schedule", fixedLatent ? "fixed D" : "fixed delta = " + delta);
        d.put("weights", w.kind().id());
        d.put("support", w.support());
        d.put("K", w.students());
        d.put("M", w.teachers());
        d.put("teacher", w.teacherInput().id());
        d.put("samples", spec.samples());
        d.put("instances", instances);
        d.put("directions", spec.directions());
        d.put("floorReplicates", spec.floorReplicates());
        d.put("resolutionSigmas", spec.resolutionSigmas());
        d.put("batch", spec.batch());
        d.put("threads", spec.threads());
        d.put("confidence", EquivalenceSweep.CONFIDENCE);
        d.put("seed", spec.seed());
        d.put("moments", "analytic, rule " + generatorOptions.covarianceRule);
        return d;
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
