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
import org.gequiv.equivalence.LearningCurveEquivalence;
import org.gequiv.generator.Moments;
import org.gequiv.io.CsvTable;
import org.gequiv.io.Json;
import org.gequiv.io.LearningCurveTable;
import org.gequiv.io.Provenance;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.DensityOdes;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OdeInitialState;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OdeTheory;
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
        description = {"Train a two-layer student by one-pass SGD on data from a generator (docs/theory.md §1.4) "
                + "and integrate the ODEs of the order-parameter densities (§5) from the same weights.",
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

    @Option(names = "--print-times", split = ",", paramLabel = "t1,t2,...",
            description = "Record exactly these times instead of --log-points log-spaced ones; --time defaults to the last.")
    double[] printTimes;

    @Option(names = "--no-theory", description = "Skip the ODE theory (docs/theory.md §5).")
    boolean noTheory;

    @Option(names = "--no-simulate", description = "Skip the SGD simulation.")
    boolean noSimulate;

    @Option(names = "--init", paramLabel = "FILE.npz",
            description = "Integrate the theory from these initial densities (keys rho, q, r, tildet, T, A, v, delta) "
                    + "instead of drawing weights; implies --no-simulate. --teacher says what the teacher acted on.")
    Path initFile;

    @Option(names = "--save-init", paramLabel = "FILE.npz",
            description = "Also write the theory's initial densities in the --init format.")
    Path saveInit;

    @Option(names = "--integrator", defaultValue = "adaptive", paramLabel = "euler|rk4|adaptive",
            description = "ODE integrator: explicit Euler (the published one), classical RK4, or adaptive "
                    + "Dormand-Prince 5(4) with error control. Default: ${DEFAULT-VALUE}.")
    String integrator;

    @Option(names = "--dt", defaultValue = "0.01", description = "Step of euler and rk4. Default: ${DEFAULT-VALUE}.")
    double dt;

    @Option(names = "--rtol", defaultValue = "1e-8", description = "Relative tolerance of adaptive. Default: ${DEFAULT-VALUE}.")
    double relativeTolerance;

    @Option(names = "--atol", defaultValue = "1e-10", description = "Absolute tolerance of adaptive. Default: ${DEFAULT-VALUE}.")
    double absoluteTolerance;

    @Option(names = "--merge-eigenvalues", defaultValue = "1e-12", paramLabel = "TOL",
            description = "Eigenvalues of Omega within TOL * max|rho| share one density in the ODEs (exact for equal "
                    + "eigenvalues, which the eigensolver spreads by ~1e-15: the (N-D)-fold bulk of a single-layer "
                    + "generator becomes one density); 0 merges only identical values, a negative value none. "
                    + "Default: ${DEFAULT-VALUE}.")
    double eigenvalueMerging;

    @Option(names = "--versus-gaussian", defaultValue = "0", paramLabel = "S",
            description = "Also simulate S seeds (--seed, --seed + 1, …) on the generator and on its Gaussian equivalent "
                    + "with the same moments, teacher, initial weights and latent vectors, and write "
                    + "DIR/equivalence.csv and DIR/equivalence.png/svg: mean curves and their difference ± SE "
                    + "(docs/theory.md §2.2). Default: ${DEFAULT-VALUE} (off).")
    int versusGaussian;

    @Option(names = "--seed", defaultValue = "0", description = "Master seed of every random stream. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "out/online", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        boolean theory = !noTheory;
        boolean simulate = !noSimulate && initFile == null;
        if (!theory && !simulate) {
            throw new BadInputException("--no-theory: with --no-simulate or --init nothing is left to compute");
        }
        if (threads < 1 || threads > 2) {
            throw new BadInputException("--threads must be 1 or 2, got " + threads);
        }
        OdeOptions odeOptions = theory ? buildOdeOptions() : null;
        double[] times = outputTimes();
        Path dir = OutputFolder.prepare(out);
        Terminal.announceLinearAlgebra(err);
        Provenance provenance = Provenance.start("gequiv online");

        List<String> names = new ArrayList<>();
        List<LearningCurve> curves = new ArrayList<>();
        List<Boolean> exactTimes = new ArrayList<>();
        List<LearningCurvePlot.Series> series = new ArrayList<>();
        String title;
        LearningCurveEquivalence.Result equivalence = null;
        if (initFile != null) {
            OdeInitialState init = readInit();
            StandardActivation student = activation("--activation", studentActivation);
            StandardActivation teacher = teacherActivation == null ? student
                    : activation("--teacher-activation", teacherActivation);
            TrainedLayers layers = GeneratorOptions.option("--train", () -> TrainedLayers.byId(train));
            checkLearningRate();
            provenance.put("init", Map.of("file", initFile.toAbsolutePath().toString(), "N", init.size(),
                    "K", init.studentHidden(), "M", init.teacherHidden(), "delta", init.delta(),
                    "teacher", init.teacherInput().id()));
            provenance.put("spec", Map.of("studentActivation", student.id(), "teacherActivation", teacher.id(),
                    "learningRate", learningRate, "train", layers.id(), "times", times));
            long t0 = System.nanoTime();
            LearningCurve curve = OdeTheory.integrate(init, student, teacher, learningRate, layers, times, odeOptions);
            provenance.put("theory", theoryRecord(curve, init, odeOptions, 0, System.nanoTime() - t0));
            names.add("theory");
            curves.add(curve);
            exactTimes.add(false);
            series.add(new LearningCurvePlot.Series("theory", curve, false));
            title = "theory from " + initFile.getFileName() + ", N=" + init.size() + ", η=" + learningRate;
        } else {
            OnlineSpec spec = buildSpec(times);
            Generator generator = centredWhenMeanKnown(generatorOptions.build(seed));
            provenance.put("spec", specDescription(spec));
            provenance.put("generator", generator.description());
            provenance.put("seeds", Map.of("master", seed, "streams",
                    "teacher, student, generator-weights, training-data (per block of " + OnlineSimulation.BLOCK
                            + "), test-data (per block)"));
            OnlineProblem problem = OnlineProblem.initialise(spec, generator);
            if (theory) {
                Moments moments = generator.analyticMoments().orElseThrow(() -> new BadInputException(
                        "--generator " + generator.id() + " has no analytic moments: estimate them with 'gequiv moments "
                                + "--generator " + generatorOptions.generator + " --out M.npz' and pass --moments M.npz, "
                                + "or add --no-theory"));
                long t0 = System.nanoTime();
                OdeInitialState init = GeneratorOptions.option("moments", () -> OdeInitialState.fromProblem(problem, moments));
                long setup = System.nanoTime() - t0;
                if (saveInit != null) {
                    init.writeNpz(saveInit, true);
                }
                t0 = System.nanoTime();
                LearningCurve curve = OdeTheory.integrate(spec, init, odeOptions);
                provenance.put("theory", theoryRecord(curve, init, odeOptions, setup, System.nanoTime() - t0));
                names.add("theory");
                curves.add(curve);
                exactTimes.add(false);
                series.add(new LearningCurvePlot.Series("theory", curve, false));
            }
            if (simulate) {
                LearningCurve simulated = new OnlineSimulation(threads > 1).run(problem, Terminal.progress(err, "SGD"));
                provenance.put("simulation", termination(simulated.termination()));
                names.add(0, "sim");
                curves.add(0, simulated);
                exactTimes.add(0, true);
                series.add(0, new LearningCurvePlot.Series("simulation", simulated, true));
            }
            title = generator.id() + ", N=" + generator.inputDimension() + ", D=" + generator.latentDimension()
                    + ", K=" + spec.studentHidden() + ", M=" + spec.teacherHidden() + ", η=" + spec.learningRate();
            if (versusGaussian > 0) {
                equivalence = versusGaussian(spec, generator, title, dir, provenance);
            }
        }
        provenance.finish();

        Map<String, Object> prov = provenance.entries();
        CsvTable table = LearningCurveTable.of(times, names, curves, exactTimes);
        table.write(dir.resolve("curve.csv"), prov);
        Json.write(dir.resolve("run.json"), prov);
        Figures.save(List.of(LearningCurvePlot.generalisationError(title, series),
                LearningCurvePlot.orderParameters("order parameters (markers: simulation, lines: theory)", series)),
                dir.resolve("curve"));

        if (equivalence != null) {
            writeEquivalence(equivalence, title, dir, prov);
        }
        stdout.println("wrote " + dir.resolve("curve.csv") + ", " + dir.resolve("run.json") + ", "
                + dir.resolve("curve.png") + ", " + dir.resolve("curve.svg")
                + (saveInit != null && theory && initFile == null ? ", " + saveInit : "")
                + (equivalence != null ? ", " + dir.resolve("equivalence.csv") + ", " + dir.resolve("equivalence.png")
                        + ", " + dir.resolve("equivalence.svg") : ""));
        int exit = 0;
        for (int c = 0; c < curves.size(); c++) {
            LearningCurve curve = curves.get(c);
            List<LearningCurve.Point> points = curve.points();
            if (!points.isEmpty()) {
                LearningCurve.Point last = points.get(points.size() - 1);
                stdout.printf("final %s: t = %.6g, eg = %.6g%n", names.get(c), last.time(), last.generalisationError());
            }
            if (!curve.termination().completed()) {
                err.println("gequiv: " + names.get(c) + ": " + curve.termination().reason() + "; the curve up to t = "
                        + curve.termination().stoppedAt() + " was written");
                exit = Main.EXIT_STOPPED_EARLY;
            }
        }
        return exit;
    }

    /**
     * The theory assumes centred inputs (docs/theory.md §1.1): a generator whose mean is known and not
     * zero (ReLU layers, loaded moments) is centred, x = G(c) − μ, for simulation and theory alike.
     */
    static Generator centredWhenMeanKnown(Generator generator) {
        java.util.Optional<Moments> moments = generator.analyticMoments();
        if (moments.isEmpty() || java.util.Arrays.stream(moments.get().mean()).allMatch(m -> m == 0.0)) {
            return generator;
        }
        return org.gequiv.moments.GeneratorWithMoments.centred(generator, moments.get());
    }

    private LearningCurveEquivalence.Result versusGaussian(OnlineSpec spec, Generator generator, String title, Path dir,
                                                           Provenance provenance) {
        Moments moments = GeneratorOptions.momentsForGaussianEquivalent(generator);
        long[] seeds = GeneratorOptions.consecutiveSeeds(seed, versusGaussian);
        long t0 = System.nanoTime();
        LearningCurveEquivalence.Result result = GeneratorOptions.option("--versus-gaussian",
                () -> LearningCurveEquivalence.online(spec, generator, moments, seeds, new OnlineSimulation(threads > 1)));
        provenance.put("versusGaussian", Map.of("seeds", seeds, "construction",
                "x = mu + Phi c + (Omega - Phi Phi^T)^(1/2) z with the generator's moments; same teacher, initial weights "
                        + "and latent vectors per seed", "seconds", (System.nanoTime() - t0) / 1e9));
        return result;
    }

    private static void writeEquivalence(LearningCurveEquivalence.Result r, String title, Path dir,
                                         Map<String, Object> provenance) throws java.io.IOException {
        CsvTable table = new CsvTable(List.of("t", "eg_generator", "eg_gaussian", "difference", "difference_sem"));
        for (int i = 0; i < r.times().length; i++) {
            table.addRow(r.times()[i], r.generatorMean()[i], r.gaussianMean()[i], r.differenceMean()[i],
                    r.differenceStandardError()[i]);
        }
        table.write(dir.resolve("equivalence.csv"), provenance);
        Figures.save(LearningCurvePlot.versusGaussian(title + ", " + r.seeds().length + " seeds", r.times(),
                r.generatorMean(), r.gaussianMean(), r.differenceMean(), r.differenceStandardError()),
                dir.resolve("equivalence"));
    }

    private OdeInitialState readInit() {
        TeacherInput input = GeneratorOptions.option("--teacher", () -> TeacherInput.byId(teacherInput));
        try {
            return OdeInitialState.fromNpz(initFile, input);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInputException("--init: file not found: " + initFile);
        } catch (java.io.IOException | RuntimeException e) {
            throw new BadInputException("--init: " + e.getMessage(), e);
        }
    }

    private OdeOptions buildOdeOptions() {
        OdeOptions.Method method = GeneratorOptions.option("--integrator", () -> OdeOptions.Method.byId(integrator));
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new BadInputException("--dt must be finite and > 0, got " + dt);
        }
        if (!(relativeTolerance > 0) || !(absoluteTolerance > 0)) {
            throw new BadInputException("--rtol and --atol must be > 0, got " + relativeTolerance + " and " + absoluteTolerance);
        }
        OdeOptions options = switch (method) {
            case EULER -> OdeOptions.euler(dt);
            case RK4 -> OdeOptions.rk4(dt);
            case ADAPTIVE -> OdeOptions.adaptive(relativeTolerance, absoluteTolerance);
        };
        return GeneratorOptions.option("--merge-eigenvalues", () -> options.withEigenvalueMerging(eigenvalueMerging));
    }

    private double[] outputTimes() {
        boolean timeGiven = commandSpec.commandLine().getParseResult().hasMatchedOption("--time");
        if (printTimes == null) {
            if (!(time > 0) || !Double.isFinite(time)) {
                throw new BadInputException("--time must be finite and > 0, got " + time);
            }
            if (logPoints < 2) {
                throw new BadInputException("--log-points must be >= 2, got " + logPoints);
            }
            return OnlineSpec.logSpacedTimes(time, logPoints);
        }
        double[] t = printTimes.clone();
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] >= 0) || !Double.isFinite(t[i]) || (i > 0 && !(t[i] > t[i - 1]))) {
                throw new BadInputException("--print-times must be finite, >= 0 and strictly ascending, got "
                        + java.util.Arrays.toString(t));
            }
        }
        if (timeGiven && t[t.length - 1] > time) {
            throw new BadInputException("--print-times must not go beyond --time " + time + ", got " + t[t.length - 1]);
        }
        if (!timeGiven) {
            time = t[t.length - 1];
        }
        if (!(time > 0)) {
            throw new BadInputException("--print-times must reach a time > 0, got " + java.util.Arrays.toString(t));
        }
        return t;
    }

    private static Map<String, Object> theoryRecord(LearningCurve curve, OdeInitialState init, OdeOptions options,
                                                    long setupNanos, long nanos) {
        Map<String, Object> d = new LinkedHashMap<>(termination(curve.termination()));
        d.put("integrator", options.method().id());
        if (options.method() == OdeOptions.Method.ADAPTIVE) {
            d.put("rtol", options.relativeTolerance());
            d.put("atol", options.absoluteTolerance());
        } else {
            d.put("dt", options.dt());
        }
        d.put("mergeEigenvalues", options.eigenvalueMerging());
        d.put("eigenvalues", init.size());
        d.put("densities", DensityOdes.mergedEigenvalues(init.rho(), options.eigenvalueMerging()));
        d.put("setupSeconds", setupNanos / 1e9);
        d.put("integrationSeconds", nanos / 1e9);
        return d;
    }

    private static StandardActivation activation(String option, String id) {
        return GeneratorOptions.option(option, () -> StandardActivation.byId(id));
    }

    private void checkLearningRate() {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new BadInputException("--lr must be finite and > 0, got " + learningRate);
        }
    }

    private OnlineSpec buildSpec(double[] times) {
        if (studentHidden < 1) {
            throw new BadInputException("-K must be >= 1, got " + studentHidden);
        }
        if (teacherHidden < 1) {
            throw new BadInputException("-M must be >= 1, got " + teacherHidden);
        }
        checkLearningRate();
        if (testSamples < 1) {
            throw new BadInputException("--test-samples must be >= 1, got " + testSamples);
        }
        if (batchSize < 1) {
            throw new BadInputException("--batch-size must be >= 1, got " + batchSize);
        }
        StandardActivation student = GeneratorOptions.option("--activation", () -> StandardActivation.byId(studentActivation));
        StandardActivation teacher = teacherActivation == null ? student
                : GeneratorOptions.option("--teacher-activation", () -> StandardActivation.byId(teacherActivation));
        TeacherInput input = GeneratorOptions.option("--teacher", () -> TeacherInput.byId(teacherInput));
        TrainedLayers layers = GeneratorOptions.option("--train", () -> TrainedLayers.byId(train));
        return new OnlineSpec(studentHidden, teacherHidden, student, teacher, input, learningRate, time, layers,
                batchSize, testSamples, times, teacherSecondLayer, seed);
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
