package org.gequiv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.Generator;
import org.gequiv.io.CsvTable;
import org.gequiv.io.Json;
import org.gequiv.io.LearningCurveTable;
import org.gequiv.io.Provenance;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSimulation;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.TrainedLayers;
import org.gequiv.plot.Figures;
import org.gequiv.plot.LearningCurvePlot;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gequiv online}: a two-layer network trained by one-pass SGD on generator data. */
@Command(name = "online", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a two-layer student by one-pass SGD on data from a generator (theory.md §1.4) "
                + "and record its learning curve.",
                "Writes DIR/curve.csv, DIR/run.json and the figure DIR/curve.png / DIR/curve.svg."})
final class OnlineCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Mixin
    GeneratorOptions generatorOptions = new GeneratorOptions();

    @Option(names = "-K", defaultValue = "2", description = "Student hidden units K. Default: ${DEFAULT-VALUE}.")
    int studentHidden;

    @Option(names = "-M", defaultValue = "2", description = "Teacher hidden units M. Default: ${DEFAULT-VALUE}.")
    int teacherHidden;

    @Option(names = "--activation", defaultValue = "erf", paramLabel = "G",
            description = "Student activation: linear, erf (= erf(z/√2)), relu, sign, tanh. Default: ${DEFAULT-VALUE}.")
    String studentActivation;

    @Option(names = "--teacher-activation", paramLabel = "G",
            description = "Teacher activation; default: the student's.")
    String teacherActivation;

    @Option(names = "--teacher", defaultValue = "latent", paramLabel = "latent|input",
            description = "What the teacher acts on: the latent c (hidden manifold) or the input x. Default: ${DEFAULT-VALUE}.")
    String teacherInput;

    @Option(names = "--teacher-second-layer", defaultValue = "1",
            description = "Value of every teacher second-layer weight A_m. Default: ${DEFAULT-VALUE}.")
    double teacherSecondLayer;

    @Option(names = "--lr", defaultValue = "0.2", description = "Learning rate η (second layer η/N). Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--time", defaultValue = "100", description = "Final time t = steps/N. Default: ${DEFAULT-VALUE}.")
    double time;

    @Option(names = "--train", defaultValue = "both", paramLabel = "both|first",
            description = "Train both layers or the first only. Default: ${DEFAULT-VALUE}.")
    String train;

    @Option(names = "--batch-size", defaultValue = "1",
            description = "Samples per SGD step (mean gradient; t still counts samples/N). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--test-samples", defaultValue = "10000", description = "Size of the fixed test set. Default: ${DEFAULT-VALUE}.")
    int testSamples;

    @Option(names = "--log-points", defaultValue = "200",
            description = "Number of recorded times: t = 0 and log-spaced times up to --time. Default: ${DEFAULT-VALUE}.")
    int logPoints;

    @Option(names = "--threads", defaultValue = "2",
            description = "1: sample and train on one thread; 2: draw the next block of samples on a second thread. "
                    + "Results are identical. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--seed", defaultValue = "0", description = "Master seed of every random stream. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "out/online", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        OnlineSpec spec = buildSpec();
        Generator generator = generatorOptions.build(seed);
        if (threads < 1 || threads > 2) {
            throw new BadInputException("--threads must be 1 or 2, got " + threads);
        }
        Path dir = OutputFolder.prepare(out);
        Terminal.announceLinearAlgebra(err);

        Provenance provenance = Provenance.start("gequiv online");
        provenance.put("spec", specDescription(spec));
        provenance.put("generator", generator.description());
        provenance.put("seeds", Map.of("master", seed, "streams",
                "teacher, student, generator-weights, training-data (per block of " + OnlineSimulation.BLOCK
                        + "), test-data (per block)"));

        OnlineProblem problem = OnlineProblem.initialise(spec, generator);
        LearningCurve simulated = new OnlineSimulation(threads > 1).run(problem, Terminal.progress(err, "SGD"));
        provenance.put("simulation", termination(simulated.termination()));
        provenance.finish();

        Map<String, Object> prov = provenance.entries();
        CsvTable table = LearningCurveTable.of(spec.logTimes(), List.of("sim"), List.of(simulated), List.of(true));
        table.write(dir.resolve("curve.csv"), prov);
        Json.write(dir.resolve("run.json"), prov);
        List<LearningCurvePlot.Series> series = new ArrayList<>();
        series.add(new LearningCurvePlot.Series("simulation", simulated, true));
        String title = generator.id() + ", N=" + generator.inputDimension() + ", D=" + generator.latentDimension()
                + ", K=" + spec.studentHidden() + ", M=" + spec.teacherHidden() + ", η=" + spec.learningRate();
        Figures.save(List.of(LearningCurvePlot.generalisationError(title, series),
                LearningCurvePlot.orderParameters("order parameters", series)), dir.resolve("curve"));

        stdout.println("wrote " + dir.resolve("curve.csv") + ", " + dir.resolve("run.json") + ", "
                + dir.resolve("curve.png") + ", " + dir.resolve("curve.svg"));
        List<LearningCurve.Point> points = simulated.points();
        if (!points.isEmpty()) {
            LearningCurve.Point last = points.get(points.size() - 1);
            stdout.printf("final: t = %.6g, eg_sim = %.6g%n", last.time(), last.generalisationError());
        }
        if (!simulated.termination().completed()) {
            err.println("gequiv: " + simulated.termination().reason() + "; the curve up to t = "
                    + simulated.termination().stoppedAt() + " was written");
            return Main.EXIT_STOPPED_EARLY;
        }
        return 0;
    }

    private OnlineSpec buildSpec() {
        if (studentHidden < 1) {
            throw new BadInputException("-K must be >= 1, got " + studentHidden);
        }
        if (teacherHidden < 1) {
            throw new BadInputException("-M must be >= 1, got " + teacherHidden);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new BadInputException("--lr must be finite and > 0, got " + learningRate);
        }
        if (!(time > 0) || !Double.isFinite(time)) {
            throw new BadInputException("--time must be finite and > 0, got " + time);
        }
        if (testSamples < 1) {
            throw new BadInputException("--test-samples must be >= 1, got " + testSamples);
        }
        if (batchSize < 1) {
            throw new BadInputException("--batch-size must be >= 1, got " + batchSize);
        }
        if (logPoints < 2) {
            throw new BadInputException("--log-points must be >= 2, got " + logPoints);
        }
        StandardActivation student = GeneratorOptions.option("--activation", () -> StandardActivation.byId(studentActivation));
        StandardActivation teacher = teacherActivation == null ? student
                : GeneratorOptions.option("--teacher-activation", () -> StandardActivation.byId(teacherActivation));
        TeacherInput input = GeneratorOptions.option("--teacher", () -> TeacherInput.byId(teacherInput));
        TrainedLayers layers = GeneratorOptions.option("--train", () -> TrainedLayers.byId(train));
        return new OnlineSpec(studentHidden, teacherHidden, student, teacher, input, learningRate, time, layers,
                batchSize, testSamples, OnlineSpec.logSpacedTimes(time, logPoints), teacherSecondLayer, seed);
    }

    static Map<String, Object> termination(LearningCurve.Termination t) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("completed", t.completed());
        d.put("stoppedAt", t.stoppedAt());
        if (t.reason() != null) {
            d.put("reason", t.reason());
        }
        return d;
    }

    static Map<String, Object> specDescription(OnlineSpec spec) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("K", spec.studentHidden());
        d.put("M", spec.teacherHidden());
        d.put("studentActivation", spec.studentActivation().id());
        d.put("teacherActivation", spec.teacherActivation().id());
        d.put("teacher", spec.teacherInput().id());
        d.put("teacherSecondLayer", spec.teacherSecondLayer());
        d.put("learningRate", spec.learningRate());
        d.put("secondLayerLearningRate", "lr / N");
        d.put("time", spec.maxTime());
        d.put("train", spec.trainedLayers().id());
        d.put("batchSize", spec.batchSize());
        d.put("testSamples", spec.testSamples());
        d.put("logPoints", spec.logTimes().length);
        d.put("seed", spec.seed());
        d.put("initialisation", "teacher and student first layers N(0,1); student v(0) N(0,1)");
        return d;
    }
}
