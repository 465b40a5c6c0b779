package org.gequiv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gequiv.activation.StandardActivation;
import org.gequiv.experiment.LearningCurveEquivalence;
import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.experiment.OnlineExperimentSpec;
import org.gequiv.experiment.OnlineResult;
import org.gequiv.experiment.PhaseTimings;
import org.gequiv.experiment.ResultTables;
import org.gequiv.generator.Generator;
import org.gequiv.io.AtomicFiles;
import org.gequiv.io.CsvTable;
import org.gequiv.io.Json;
import org.gequiv.io.Provenance;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.LearningProblem;
import org.gequiv.online.OdeInitialState;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.Recording;
import org.gequiv.online.SgdProtocol;
import org.gequiv.online.TrainedLayers;
import org.gequiv.plot.Figures;
import org.gequiv.plot.LearningCurvePlot;
import org.gequiv.spectral.LanczosOptions;
import org.gequiv.spectral.PlainMeasure;
import org.gequiv.spectral.SpectralMethod;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code gequiv online}: a two-layer network trained by one-pass SGD on generator data. */
@Command(name = "online", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a two-layer student by one-pass SGD on data from a generator and integrate the ODEs "
                + "(docs/theory.md §1.4, §5) of the order-parameter densities from the same weights.",
                "Writes DIR/curve.csv, DIR/run.json and the figure DIR/curve.png / DIR/curve.svg.",
                "With --checkpoint-every it also writes the checkpoint " + OnlineCommand.CHECKPOINT + " in DIR."})
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

    @Option(names = "--teacher-second-layer", defaultValue = "" + LearningProblem.DEFAULT_TEACHER_SECOND_LAYER,
            description = "Value of every teacher second-layer weight A_m. Default: ${DEFAULT-VALUE}.")
    double teacherSecondLayer;

    @Option(names = "--lr", defaultValue = "" + SgdProtocol.DEFAULT_LEARNING_RATE, description = "Learning rate η (second layer η/N). Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--time", defaultValue = "100", description = "Final time t = steps/N. Default: ${DEFAULT-VALUE}.")
    double time;

    @Option(names = "--train", defaultValue = "both", paramLabel = "both|first",
            description = "Train both layers or the first only. Default: ${DEFAULT-VALUE}.")
    String train;

    @Option(names = "--batch-size", defaultValue = "1",
            description = "Samples per SGD step (mean gradient; t still counts samples/N). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--test-samples", defaultValue = "" + Recording.DEFAULT_TEST_SAMPLES, description = "Size of the fixed test set. Default: ${DEFAULT-VALUE}.")
    int testSamples;

    @Option(names = "--log-points", defaultValue = "200",
            description = "Number of recorded times: t = 0 and log-spaced times up to --time. Default: ${DEFAULT-VALUE}.")
    int logPoints;

    @Option(names = "--threads", defaultValue = "2",
            description = "1: sample and train on one thread; 2: draw the blocks of samples ahead on worker threads, "
                    + "one per core, while SGD trains. Results are identical. Default: ${DEFAULT-VALUE}.")
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

    @Option(names = "--dt", defaultValue = "0.01", description = "Step of euler and rk4 (refused with adaptive). Default: ${DEFAULT-VALUE}.")
    double dt;

    @Option(names = "--rtol", defaultValue = "" + OdeOptions.DEFAULT_RELATIVE_TOLERANCE, description = "Relative tolerance of adaptive (refused with euler, rk4). Default: ${DEFAULT-VALUE}.")
    double relativeTolerance;

    @Option(names = "--atol", defaultValue = "" + OdeOptions.DEFAULT_ABSOLUTE_TOLERANCE, description = "Absolute tolerance of adaptive (refused with euler, rk4). Default: ${DEFAULT-VALUE}.")
    double absoluteTolerance;

    @Option(names = "--merge-eigenvalues", defaultValue = "" + OdeOptions.DEFAULT_EIGENVALUE_MERGING, paramLabel = "TOL",
            description = "Eigenvalues of Omega within TOL * max|rho| share one density in the ODEs (exact for equal "
                    + "eigenvalues, which the eigensolver spreads by ~1e-15: the (N-D)-fold bulk of a linear generator "
                    + "becomes one density; non-linear generators have no repeated eigenvalues); 0 merges only "
                    + "identical values, a negative value none; run.json records the density count. "
                    + "Default: ${DEFAULT-VALUE}.")
    double eigenvalueMerging;

    @Mixin
    SpectralOptions spectral = new SpectralOptions();

    @Option(names = "--plain-measure", defaultValue = "auto", paramLabel = "auto|eigenvalues|stochastic|deflated",
            description = "Plain spectral measure of the Lanczos path: the eigenvalues of Omega (exact, O(N^3) without "
                    + "eigenvectors), stochastic Lanczos quadrature (" + LanczosOptions.DEFAULT_PROBES + " probes, "
                    + "matched to N, tr Omega, tr Omega^2), or the same deflated of Omega[Phi, G] (Hutch++-style, "
                    + "at most N/" + PlainMeasure.DEFLATION_RANK_DIVISOR + " vectors); auto takes the eigenvalues up "
                    + "to N = " + PlainMeasure.EIGENVALUES_LIMIT + " and wherever D + "
                    + PlainMeasure.DEFLATION_OVERSAMPLING + " > N/" + PlainMeasure.DEFLATION_RANK_DIVISOR
                    + " (up to N = " + PlainMeasure.EXACT_LIMIT + "), deflated otherwise, and "
                    + "the eigenvalues instead (up to N = " + PlainMeasure.EXACT_LIMIT + ") when the deflated "
                    + "measure's estimate misses --lanczos-tolerance. "
                    + "Default: ${DEFAULT-VALUE}.")
    String plainMeasure;

    @Option(names = "--versus-gaussian", defaultValue = "0", paramLabel = "S",
            description = "Also simulate S seeds (--seed, --seed + 1, …) on the generator and on its Gaussian equivalent "
                    + "with the same moments, teacher, initial weights and latent vectors "
                    + "(docs/theory.md §2.2), and write the mean curves and their difference ± SE to "
                    + "DIR/equivalence.csv and the figure DIR/equivalence.png / .svg. Default: ${DEFAULT-VALUE} (off).")
    int versusGaussian;

    @Option(names = "--save-weights", paramLabel = "FILE.npz",
            description = "Also write the student's weights at every recorded time of the simulation (keys t, w, v, "
                    + "theta, A, N, D, teacher_on_input), for 'gequiv check --weights FILE.npz' (docs/theory.md §2.5, §8).")
    Path saveWeights;

    @Option(names = "--checkpoint-every", paramLabel = "T",
            description = "Write the whole state of the run (student weights, position in the sample stream, curve so "
                    + "far, finished theory) atomically to DIR/" + CHECKPOINT + " every T units of simulation time, "
                    + "after the theory and when interrupted, for --resume.")
    Double checkpointEvery;

    @Option(names = "--resume",
            description = "Continue from DIR/" + CHECKPOINT + ", written by this same run (same options); the "
                    + "results are bit-identical to an uninterrupted run. Keeps checkpointing at the saved T unless "
                    + "--checkpoint-every is given.")
    boolean resume;

    @Option(names = "--seed", defaultValue = "0", description = "Master seed of every random stream. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "out/online", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    /** Set by a sweep for one of its points; null for a command of its own. */
    SweepPointContext point;
    /** The checkpoint file in the output folder. */
    static final String CHECKPOINT = "online-checkpoint.json";

    /** Spec field → option of this command, for the messages of refused values. */
    static final OptionMap NAMES = new OptionMap(
            "studentHidden", "-K", "teacherHidden", "-M", "studentActivation", "--activation",
            "teacherActivation", "--teacher-activation", "teacherInput", "--teacher",
            "teacherSecondLayer", "--teacher-second-layer", "learningRate", "--lr", "trainedLayers", "--train",
            "batchSize", "--batch-size", "maxTime", "--time", "logTimes", "--print-times", "logPoints", "--log-points",
            "testSamples", "--test-samples", "versusGaussianSeeds", "--versus-gaussian", "run", "--no-theory",
            "moments", "--moments", "rule", "--covariance-rule", "dt", "--dt", "relativeTolerance", "--rtol", "absoluteTolerance", "--atol",
            "eigenvalueMerging", "--merge-eigenvalues", "spectralMethod", "--spectral-method",
            "lanczosSteps", "--lanczos-steps", "lanczosTolerance", "--lanczos-tolerance", "plainMeasure",
            "--plain-measure", "checkpointEvery", "--checkpoint-every", "resume", "--resume",
            "checkpoint", "--checkpoint-every");

    @Override
    public Integer call() throws Exception {
        // phase "start": the JVM and the parsing of the options, up to here
        PhaseTimings timings = PhaseTimings.begin();
        // OpenBLAS loads while the options are checked and the generator's weights are drawn
        LinearAlgebra.loadInBackground();
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        boolean theory = !noTheory;
        boolean simulate = !noSimulate && initFile == null;
        if (threads < 1 || threads > 2) {
            throw new BadInputException("--threads must be 1 or 2, got " + threads);
        }
        if (saveWeights != null && !simulate) {
            throw new BadInputException("--save-weights: the weights come from the simulation, which is off "
                    + "(--no-simulate or --init)");
        }
        if (checkpointEvery != null && !(checkpointEvery > 0 && Double.isFinite(checkpointEvery))) {
            throw new BadInputException("--checkpoint-every must be finite and > 0, got " + checkpointEvery);
        }
        if ((checkpointEvery != null || resume) && initFile != null) {
            throw new BadInputException((resume ? "--resume" : "--checkpoint-every") + ": a theory from --init is not "
                    + "checkpointed (it has no simulation); drop one of them");
        }
        if ((checkpointEvery != null || resume) && saveWeights != null) {
            throw new BadInputException((resume ? "--resume" : "--checkpoint-every") + " cannot be combined with "
                    + "--save-weights (the weight trajectory is not checkpointed); drop one of them");
        }
        OdeOptions odeOptions = theory ? buildOdeOptions() : null;
        LanczosOptions lanczos = buildLanczosOptions();
        SpectralMethod method = spectral.method(OnlineExperimentSpec.DEFAULT_SPECTRAL_METHOD);
        double[] times = outputTimes();
        OnlineSpec spec = buildSpec(times);
        OnlineExperimentSpec asked = NAMES.apply(() -> new OnlineExperimentSpec(spec, theory, simulate,
                odeOptions, versusGaussian, threads > 1, method, lanczos));
        OnlineExperimentSpec experimentSpec = saveInit == null ? asked
                : NAMES.parse("--save-init", asked::keepingEigenDirections);
        if (experimentSpec.spectralMethod() != asked.spectralMethod()) {
            err.println("gequiv: --save-init: the theory runs with --spectral-method eigen (the --init format holds "
                    + "eigen-directions)");
        }
        OdeInitialState given = initFile != null ? readInit() : null;
        Generator generator = given == null ? generatorOptions.build(seed, (n, d) -> {
            experimentSpec.checkDuration(n);
            return experimentSpec.memory(n, d, generatorOptions.hasAnalyticKernel());
        }, NAMES) : null;
        if (given != null) {
            NAMES.apply(() -> {
                experimentSpec.checkDuration(given.size());
                return null;
            });
            Resources.check(experimentSpec.memory(given.size(), 1), NAMES.and(new OptionMap("inputDim", "--init")));
        }
        Path checkpoint = checkpointEvery != null || resume ? out.resolve(CHECKPOINT) : null;
        if (resume && !java.nio.file.Files.exists(checkpoint)) {
            throw new BadInputException("--resume: checkpoint " + checkpoint + " not found (start the run without "
                    + "--resume, with --checkpoint-every T)");
        }
        if (point != null && point.validateOnly) {
            return 0;
        }
        OutputFolder.writableFile(saveInit, "--save-init");
        OutputFolder.writableFile(saveWeights, "--save-weights");
        Path dir = SweepPointContext.folder(point, out);
        // from here a signal stops the run at its next safe point and the files are still written
        org.gequiv.parallel.StopRequest stop = SweepPointContext.stop(point);
        Terminal.announceLinearAlgebra(err);
        Provenance provenance = Provenance.start("gequiv online");

        // with sampler threads beside SGD the cores are busy: a multi-threaded BLAS on the small block
        // products would only add contention (results are the same either way); the theory keeps its threads
        OnlineExperiment.SimulationScope scope = simulate && threads > 1 ? Terminal.SINGLE_THREADED_BLAS
                : OnlineExperiment.SimulationScope.NONE;
        OnlineExperiment experiment = new OnlineExperiment(experimentSpec, LinearAlgebra.get(), scope);
        OnlineExperiment.Control control = NAMES.apply(() -> new OnlineExperiment.Control(stop,
                checkpoint, checkpointEvery == null ? 0 : checkpointEvery, resume));
        Terminal.Bar bar = SweepPointContext.progress(point, err);
        timings.end("generator");
        OnlineResult result;
        try {
            result = NAMES.apply(() -> given != null
                    ? experiment.run(given, Map.of("file", initFile.toAbsolutePath().toString()), bar, stop)
                    : experiment.run(generator, bar, saveWeights != null, control, timings));
        } finally {
            bar.finish();
        }
        if (given != null) {
            // the experiment from given densities is the theory alone
            timings.end("theory");
        }
        result.provenance().forEach(provenance::put);
        provenance.finish();

        List<String> names = new ArrayList<>();
        List<LearningCurve> curves = new ArrayList<>();
        List<Boolean> exactTimes = new ArrayList<>();
        List<LearningCurvePlot.Series> series = new ArrayList<>();
        if (result.simulation() != null) {
            names.add("sim");
            curves.add(result.simulation());
            exactTimes.add(true);
            series.add(new LearningCurvePlot.Series("simulation", result.simulation(), true));
        }
        if (result.theory() != null) {
            names.add("theory");
            curves.add(result.theory());
            exactTimes.add(false);
            series.add(new LearningCurvePlot.Series("theory", result.theory(), false));
        }
        String title = given != null
                ? "theory from " + initFile.getFileName() + ", N=" + given.size() + ", η=" + learningRate
                : generator.id() + ", N=" + generator.inputDimension() + ", D=" + generator.latentDimension()
                        + ", K=" + spec.studentHidden() + ", M=" + spec.teacherHidden() + ", η=" + spec.learningRate();

        Map<String, Object> prov = provenance.entries();
        // the tables' provenance lines leave the timings out: they end with run.json, written last
        prov.remove("timings");
        // the figures are drawn on threads of their own while the tables are formatted here (the
        // first table also starts Jackson, for its provenance lines); then figures first and
        // run.json last: a failed write (a full disk) never leaves tables without their figures,
        // nor a run.json describing files that are not there
        LearningCurveEquivalence.Result equivalence = result.equivalence();
        Figures.Drawing curveFigure = SweepPointContext.drawFigures(point,
                () -> List.of(LearningCurvePlot.generalisationError(title, series),
                        LearningCurvePlot.orderParameters(LearningCurvePlot.orderParameterTitle(series), series)),
                dir.resolve("curve"));
        Figures.Drawing equivalenceFigure = equivalence == null ? Figures.Drawing.NONE
                : SweepPointContext.drawFigures(point, () -> LearningCurvePlot.versusGaussian(title + ", "
                        + equivalence.seeds().length + " seeds", equivalence.times(), equivalence.generatorMean(),
                        equivalence.gaussianMean(), equivalence.differenceMean(),
                        equivalence.differenceStandardError()), dir.resolve("equivalence"));
        CsvTable table = ResultTables.learningCurves(times, names, curves, exactTimes);
        String curveCsv = table.render(prov);
        String equivalenceCsv = equivalence == null ? null : ResultTables.onlineEquivalence(equivalence).render(prov);
        curveFigure.write();
        equivalenceFigure.write();
        AtomicFiles.writeString(dir.resolve("curve.csv"), curveCsv);
        if (point != null) {
            point.table = table;
        }
        if (equivalence != null) {
            AtomicFiles.writeString(dir.resolve("equivalence.csv"), equivalenceCsv);
        }
        boolean savedInit = saveInit != null && result.initialState() != null && given == null;
        if (savedInit) {
            result.initialState().writeNpz(saveInit, true);
        } else if (saveInit != null && given == null && result.theory() != null) {
            err.println("gequiv: --save-init: not written: the theory came from the checkpoint, without its "
                    + "eigendecomposition; a run without --resume writes it");
        }
        if (saveWeights != null) {
            result.weights().writeNpz(saveWeights);
        }
        timings.end("outputs");
        prov.put("timings", timings.record());
        Json.write(dir.resolve("run.json"), prov);
        stdout.println("wrote " + dir.resolve("curve.csv") + ", " + dir.resolve("run.json") + ", "
                + dir.resolve("curve.png") + ", " + dir.resolve("curve.svg")
                + (savedInit ? ", " + saveInit : "")
                + (saveWeights != null ? ", " + saveWeights : "")
                + (equivalence != null ? ", " + dir.resolve("equivalence.csv") + ", " + dir.resolve("equivalence.png")
                        + ", " + dir.resolve("equivalence.svg") : ""));
        // the ODEs' size (issue 11 item 6): merging helps only where Ω has repeated eigenvalues
        if (result.provenance().get("theory") instanceof Map<?, ?> theoryRecord && theoryRecord.get("densities") != null) {
            Object eigenvalues = theoryRecord.get("eigenvalues");
            stdout.println("theory: " + theoryRecord.get("densities") + " densities"
                    + (eigenvalues != null ? " for " + eigenvalues + " eigenvalues of Omega" : " (Lanczos quadrature nodes)"));
        }
        int exit = 0;
        if (result.interrupted()) {
            err.println(Interruption.message(result.provenance().get("interrupted"), "what was computed was "
                    + "written, run.json says \"status\": \"interrupted\""
                    + (checkpoint != null ? "; continue with --resume" : "")));
            return Interruption.exitCode();
        }
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

    private OdeInitialState readInit() {
        TeacherInput input = GeneratorOptions.option("--teacher", () -> TeacherInput.byId(teacherInput));
        return Inputs.read("--init", initFile, () -> OdeInitialState.fromNpz(initFile, input));
    }

    private OdeOptions buildOdeOptions() {
        OdeOptions.Method method = GeneratorOptions.option("--integrator", () -> OdeOptions.Method.byId(integrator));
        // every integrator option given is checked, also those the chosen method does not use
        OdeOptions fixedStep = NAMES.parse("--dt", () -> OdeOptions.rk4(dt));
        OdeOptions adaptive = NAMES.parse("--rtol/--atol", () -> OdeOptions.adaptive(relativeTolerance,
                absoluteTolerance));
        // an option the chosen integrator would ignore is refused, not silently dropped
        ParseResult given = commandSpec.commandLine().getParseResult();
        if (method == OdeOptions.Method.ADAPTIVE && given.hasMatchedOption("--dt")) {
            throw new BadInputException("--dt is the step of --integrator euler or rk4; the adaptive integrator "
                    + "chooses its own steps from --rtol/--atol, got --dt " + dt + " with --integrator adaptive");
        }
        if (method != OdeOptions.Method.ADAPTIVE
                && (given.hasMatchedOption("--rtol") || given.hasMatchedOption("--atol"))) {
            throw new BadInputException("--rtol/--atol are the tolerances of --integrator adaptive; " + method.id()
                    + " takes fixed steps of --dt, got --rtol/--atol with --integrator " + method.id());
        }
        OdeOptions options = switch (method) {
            case EULER -> OdeOptions.euler(dt);
            case RK4 -> fixedStep;
            case ADAPTIVE -> adaptive;
        };
        return NAMES.parse("--merge-eigenvalues", () -> options.withEigenvalueMerging(eigenvalueMerging));
    }

    private LanczosOptions buildLanczosOptions() {
        // checked whatever the method, as the integrator options are
        PlainMeasure.Method plain = NAMES.parse("--plain-measure", () -> PlainMeasure.Method.byId(plainMeasure));
        return spectral.lanczos(plain);
    }

    private double[] outputTimes() {
        boolean timeGiven = commandSpec.commandLine().getParseResult().hasMatchedOption("--time");
        if (printTimes == null) {
            return NAMES.apply(() -> OnlineSpec.logSpacedTimes(time, logPoints));
        }
        if (!timeGiven && printTimes.length > 0) {
            time = printTimes[printTimes.length - 1];
        }
        return printTimes.clone();
    }

    private OnlineSpec buildSpec(double[] times) {
        StandardActivation student = GeneratorOptions.option("--activation", () -> StandardActivation.byId(studentActivation));
        StandardActivation teacher = teacherActivation == null ? student
                : GeneratorOptions.option("--teacher-activation", () -> StandardActivation.byId(teacherActivation));
        TeacherInput input = GeneratorOptions.option("--teacher", () -> TeacherInput.byId(teacherInput));
        TrainedLayers layers = GeneratorOptions.option("--train", () -> TrainedLayers.byId(train));
        // -K and -M are read from the file on the --init path; the file's own values are checked there
        return NAMES.apply(() -> new OnlineSpec(
                new LearningProblem(studentHidden, teacherHidden, student, teacher, input, teacherSecondLayer),
                new SgdProtocol(learningRate, layers, batchSize),
                new Recording(time, times, testSamples, seed)));
    }
}
