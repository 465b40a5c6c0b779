package org.gequiv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gequiv.activation.StandardActivation;
import org.gequiv.erm.CovariateModel;
import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.ErmPoint;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureMap;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.Overlaps;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.erm.Spectra;
import org.gequiv.erm.SpectraFiles;
import org.gequiv.experiment.PhaseTimings;
import org.gequiv.experiment.ErmCurveEquivalence;
import org.gequiv.experiment.ErmExperiment;
import org.gequiv.experiment.ErmExperimentSpec;
import org.gequiv.experiment.ErmResult;
import org.gequiv.experiment.ResultTables;
import org.gequiv.generator.Generator;
import org.gequiv.io.CsvTable;
import org.gequiv.io.Json;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.io.Provenance;
import org.gequiv.plot.ErmCurvePlot;
import org.gequiv.spectral.LanczosOptions;
import org.gequiv.spectral.PlainMeasure;
import org.gequiv.spectral.SpectralMethod;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gequiv erm}: full-batch learning curves, saddle-point theory and ERM simulation. */
@Command(name = "erm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Full-batch learning on fixed features (docs/theory.md §6): the saddle-point equations and, unless "
                + "--no-simulate, empirical risk minimisation on sampled generator data.",
                "Writes DIR/curve.csv, DIR/run.json and the figure DIR/curve.png / DIR/curve.svg (with --versus-gaussian also "
                        + "DIR/equivalence.csv and DIR/equivalence.png / .svg); the figures plot against α and are "
                        + "drawn for two or more values of --alpha."})
final class ErmCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Mixin
    GeneratorOptions generatorOptions = new GeneratorOptions();

    @Option(names = "--loss", defaultValue = "ridge", paramLabel = "LOSS",
            description = "ridge, square-class, logistic or hinge. Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--alpha", defaultValue = "0.25:3:12", paramLabel = "LIST",
            description = "α = n/d: a comma list a1,a2,… or a:b:n (n evenly spaced values from a to b). "
                    + "Default: ${DEFAULT-VALUE}.")
    String alpha;

    @Option(names = "--lambda", defaultValue = "0.1", paramLabel = "LIST",
            description = "Ridge penalty λ: a comma list or a:b:n. Default: ${DEFAULT-VALUE}.")
    String lambda;

    @Option(names = "--noise", defaultValue = "0", paramLabel = "Δ",
            description = "Label noise variance Δ (Gaussian for ridge, probit for classification). Default: ${DEFAULT-VALUE}.")
    double noise;

    @Option(names = "--features", defaultValue = "input", paramLabel = "input|random|latent",
            description = "Student features: the generator's output x, random features σ(Fx/√N), or the latent c. "
                    + "Default: ${DEFAULT-VALUE}.")
    String features;

    @Option(names = "-P", defaultValue = "0",
            description = "Number of random features P; 0 means N. Default: ${DEFAULT-VALUE}.")
    int featureCount;

    @Option(names = "--feature-activation", defaultValue = "erf", paramLabel = "G",
            description = "Activation of the random features. Default: ${DEFAULT-VALUE}.")
    String featureActivation;

    @Option(names = "--theory-moments", defaultValue = "analytic", paramLabel = "analytic|monte-carlo",
            description = "Covariances for the theory: 'analytic' (the generator's analytic moments, or those of "
                    + "--moments FILE.npz) or 'monte-carlo' estimates. Default: ${DEFAULT-VALUE}.")
    String theoryMoments;

    @Option(names = "--mc-samples", defaultValue = "" + ErmExperimentSpec.DEFAULT_MONTE_CARLO_SAMPLES,
            description = "Samples of the Monte-Carlo covariance estimate. Default: ${DEFAULT-VALUE}.")
    int mcSamples;

    @Option(names = "--spectra", paramLabel = "FILE.npz",
            description = "Theory from a spectra file (keys omega (d), t (d), rho, gamma) instead of a generator; "
                    + "needs --no-simulate (there is nothing to sample).")
    Path spectraFile;

    @Option(names = "--covariances", paramLabel = "FILE.npz",
            description = "Theory from covariances (keys omega (d×d), phi (p×d, E[u vᵀ]), psi (p×p), theta (p)) "
                    + "instead of a generator; needs --no-simulate (there is nothing to sample).")
    Path covarianceFile;

    @Option(names = "--no-simulate", description = "Theory only.")
    boolean noSimulate;

    @Option(names = "--repeats", defaultValue = "5", description = "Simulated data sets per point. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--test-samples", defaultValue = "4000", description = "Size of each test set. Default: ${DEFAULT-VALUE}.")
    int testSamples;

    @Option(names = "--damping", defaultValue = "" + SaddlePointOptions.DEFAULT_DAMPING, description = "Saddle-point damping. Default: ${DEFAULT-VALUE}.")
    double damping;

    @Option(names = "--tolerance", defaultValue = "" + SaddlePointOptions.DEFAULT_ABSOLUTE_TOLERANCE,
            description = "Saddle-point absolute tolerance on each of V, q, m. Default: ${DEFAULT-VALUE}.")
    double tolerance;

    @Option(names = "--relative-tolerance", defaultValue = "" + SaddlePointOptions.DEFAULT_RELATIVE_TOLERANCE,
            description = "Saddle-point relative tolerance: converged when every |Δx| ≤ abs + rel·|x|. "
                    + "Default: ${DEFAULT-VALUE}.")
    double relativeTolerance;

    @Option(names = "--max-iterations", defaultValue = "" + SaddlePointOptions.DEFAULT_MAX_ITERATIONS,
            description = "Saddle-point iteration limit. Default: ${DEFAULT-VALUE}.")
    int maxIterations;

    @Option(names = "--anderson", defaultValue = "" + SaddlePointOptions.DEFAULT_ANDERSON_DEPTH,
            description = "Anderson acceleration depth of the saddle-point iteration; 0 for the reference's plain "
                    + "damped iteration. Default: ${DEFAULT-VALUE}.")
    int anderson;

    @Option(names = "--nodes", defaultValue = "" + SaddlePointOptions.DEFAULT_QUADRATURE_NODES,
            description = "Gauss–Hermite nodes of the logistic/hinge hats. Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Mixin
    SpectralOptions spectral = new SpectralOptions();

    /** Only to refuse it with the reason: online's option, which erm does not offer. */
    @Option(names = "--plain-measure", hidden = true)
    String plainMeasure;

    @Option(names = "--versus-gaussian", defaultValue = "0", paramLabel = "S",
            description = "Also run the ERM simulation for S seeds (--seed, --seed + 1, …) on the generator and on its "
                    + "Gaussian equivalent with the same moments, teacher and features (docs/theory.md §2.2), and "
                    + "write the mean test errors and their difference ± SE to DIR/equivalence.csv and the "
                    + "figure DIR/equivalence.png / .svg. Default: ${DEFAULT-VALUE} (off).")
    int versusGaussian;

    @Option(names = "--seed", defaultValue = "0", description = "Master seed of every random stream. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "out/erm", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    /** Set by a sweep for one of its points; null for a command of its own. */
    SweepPointContext point;

    /** Spec field → option of this command. */
    static final OptionMap NAMES = new OptionMap(
            "loss", "--loss", "alpha", "--alpha", "alphas", "--alpha", "lambda", "--lambda", "lambdas", "--lambda",
            "labelNoise", "--noise", "repeats", "--repeats", "testSamples", "--test-samples",
            "map", "--features", "count", "-P", "activation", "--feature-activation",
            "covariances", "--theory-moments", "monteCarloSamples", "--mc-samples",
            "damping", "--damping", "absoluteTolerance", "--tolerance", "relativeTolerance", "--relative-tolerance",
            "maxIterations", "--max-iterations", "quadratureNodes", "--nodes", "andersonDepth", "--anderson",
            "versusGaussianSeeds", "--versus-gaussian", "moments", "--moments", "run", "--no-simulate")
            .and(SpectralOptions.NAMES);

    @Override
    public Integer call() throws Exception {
        // phase "start": the JVM and the parsing of the options, up to here
        PhaseTimings timings = PhaseTimings.begin();
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        ErmLoss task = GeneratorOptions.option("--loss", () -> ErmLoss.byId(loss));
        double[] alphas = parseList("--alpha", alpha);
        double[] lambdas = parseList("--lambda", lambda);
        if (spectraFile != null && covarianceFile != null) {
            throw new BadInputException("--spectra and --covariances are exclusive, got both");
        }
        boolean fromFile = spectraFile != null || covarianceFile != null;
        if (fromFile && !noSimulate) {
            throw new BadInputException("--spectra/--covariances give the theory only (no generator to sample); add --no-simulate");
        }
        if (fromFile && versusGaussian > 0) {
            throw new BadInputException("--versus-gaussian needs a generator to sample; it cannot go with --spectra/--covariances");
        }
        SpectralMethod method = spectral.method(ErmExperimentSpec.DEFAULT_SPECTRAL_METHOD);
        // the plain measure of erm is always the eigenvalues (docs/theory.md §5.12, "ERM (§6)")
        LanczosOptions lanczos = spectral.lanczos(PlainMeasure.Method.EIGENVALUES);
        if (plainMeasure != null) {
            throw new BadInputException("--plain-measure is not an option of erm: its Lanczos path takes the plain "
                    + "measure from the eigenvalues of Omega alone, exact as the 1e-8 of ridge needs (the stochastic and "
                    + "deflated measures of online reach ~1e-6; docs/theory.md §5.12, \"ERM (§6)\"), got --plain-measure "
                    + plainMeasure);
        }
        if (method == SpectralMethod.LANCZOS && spectraFile != null) {
            throw new BadInputException("--spectral-method lanczos needs Omega (from a generator, --moments, "
                    + "--theory-moments monte-carlo or --covariances), got --spectra, which holds only its eigenvalues "
                    + "and the teacher's projections; use eigen or auto");
        }
        ErmSpec spec = NAMES.apply(() -> new ErmSpec(task, alphas, lambdas, noise, repeats, testSamples, seed));
        SaddlePointOptions options = NAMES.apply(() -> new SaddlePointOptions(damping, tolerance, relativeTolerance,
                maxIterations, nodes, Overlaps.uninformed(), anderson));
        ErmExperimentSpec.Covariances source = NAMES.apply(() -> ErmExperimentSpec.Covariances.byId(theoryMoments));
        FeatureMap map = GeneratorOptions.option("--features", () -> FeatureMap.byId(features));
        StandardActivation featureG = GeneratorOptions.option("--feature-activation",
                () -> StandardActivation.byId(featureActivation));
        // the features' dimension needs the generator's N (P = 0 means N): the spec is built at N, D
        // and its memory checked before a family generator is built
        ErmExperimentSpec[] built = new ErmExperimentSpec[1];
        java.util.function.IntFunction<ErmExperimentSpec> specAt = n -> {
            FeatureSpec featureSpec = fromFile ? FeatureSpec.input() : NAMES.apply(() -> switch (map) {
                case INPUT -> FeatureSpec.input();
                case LATENT -> FeatureSpec.latent();
                case RANDOM -> FeatureSpec.random(featureCount == 0 ? n : featureCount, featureG);
            });
            return NAMES.apply(() -> new ErmExperimentSpec(spec, featureSpec, source, mcSamples, options, !noSimulate,
                    versusGaussian, method, lanczos));
        };
        Generator generator = fromFile ? null : generatorOptions.build(seed, (n, d) -> {
            built[0] = specAt.apply(n);
            return built[0].memory(n, d);
        }, NAMES);
        ErmExperimentSpec experimentSpec = fromFile ? specAt.apply(1) : built[0];
        Spectra given = null;
        CovariateModel givenModel = null;
        Map<String, Object> givenDescription = new LinkedHashMap<>();
        String title;
        if (spectraFile != null) {
            given = Inputs.read("--spectra", spectraFile, () -> SpectraFiles.readSpectra(spectraFile));
            givenDescription.put("file", spectraFile.toString());
            title = task.id() + ", spectra " + spectraFile.getFileName();
        } else if (covarianceFile != null && method != SpectralMethod.EIGEN) {
            // Ω is decomposed (eigenvalues only) by the experiment: refusals of the file come from its run
            givenModel = Inputs.read("--covariances", covarianceFile, () -> SpectraFiles.readCovariateModel(covarianceFile));
            givenDescription.put("covariances", covarianceFile.toString());
            title = task.id() + ", covariances " + covarianceFile.getFileName();
        } else if (covarianceFile != null) {
            given = Inputs.read("--covariances", covarianceFile, () -> SpectraFiles.readCovariances(covarianceFile));
            givenDescription.put("covariances", covarianceFile.toString());
            title = task.id() + ", covariances " + covarianceFile.getFileName();
        } else {
            title = null;
        }
        if (point != null && point.validateOnly) {
            return 0;
        }
        Path dir = SweepPointContext.folder(point, out);
        org.gequiv.parallel.StopRequest stop = SweepPointContext.stop(point);
        Terminal.announceLinearAlgebra(err);

        Provenance provenance = Provenance.start("gequiv erm");
        ErmExperiment experiment = new ErmExperiment(experimentSpec, LinearAlgebra.get());
        Spectra spectra = given;
        CovariateModel model = givenModel;
        Terminal.Bar bar = SweepPointContext.progress(point, err);
        ErmResult result;
        try {
            result = model != null ? fromCovariances(() -> experiment.run(model, givenDescription, bar, stop))
                    : NAMES.apply(() -> spectra != null ? experiment.run(spectra, givenDescription, bar, stop)
                    : experiment.run(generator, bar, stop));
        } finally {
            bar.finish();
        }
        if (title == null) {
            title = task.id() + ", " + generator.id() + " N=" + generator.inputDimension() + " D="
                    + generator.latentDimension() + ", features " + map.id() + " d=" + result.featureDimension();
        }
        result.provenance().forEach(provenance::put);
        provenance.finish();
        timings.end("run");
        Map<String, Object> prov = provenance.entries();
        List<ErmPoint> theory = result.theory();
        List<ErmPoint> simulated = result.simulation();
        String testLabel = task.isClassification() ? "classification error" : "test error ρ + q − 2m";
        ErmCurveEquivalence.Result equivalence = result.equivalence();
        boolean figures = hasCurves(alphas);
        // the figures are drawn on threads of their own while the tables are formatted here; then
        // figures first and run.json last: a failed write (a full disk) never leaves tables without
        // their figures, nor a run.json describing files that are not there
        String figureTitle = title;
        org.gequiv.plot.Figures.Drawing curveFigure = !figures ? org.gequiv.plot.Figures.Drawing.NONE
                : SweepPointContext.drawFigures(point, () -> List.of(ErmCurvePlot.testError(figureTitle, testLabel,
                        lambdas, theory, simulated), ErmCurvePlot.trainLoss("training loss", "training loss", lambdas,
                        theory, simulated)), dir.resolve("curve"));
        org.gequiv.plot.Figures.Drawing equivalenceFigure = !figures || equivalence == null
                ? org.gequiv.plot.Figures.Drawing.NONE
                : SweepPointContext.drawFigures(point, () -> ErmCurvePlot.versusGaussian(figureTitle + ", "
                        + equivalence.seeds().length + " seeds", testLabel, lambdas, equivalence.points()),
                        dir.resolve("equivalence"));
        org.gequiv.io.CsvTable curve = ResultTables.ermCurve(theory, simulated);
        String curveCsv = curve.render(prov);
        String equivalenceCsv = equivalence == null ? null : ResultTables.ermEquivalence(equivalence).render(prov);
        curveFigure.write();
        equivalenceFigure.write();
        org.gequiv.io.AtomicFiles.writeString(dir.resolve("curve.csv"), curveCsv);
        if (point != null) {
            point.table = curve;
        }
        if (equivalence != null) {
            org.gequiv.io.AtomicFiles.writeString(dir.resolve("equivalence.csv"), equivalenceCsv);
        }
        timings.end("outputs");
        prov.put("timings", timings.record());
        Json.write(dir.resolve("run.json"), prov);
        stdout.println("wrote " + dir.resolve("curve.csv") + ", " + dir.resolve("run.json")
                + (figures ? ", " + dir.resolve("curve.png") + ", " + dir.resolve("curve.svg") : ""));
        if (equivalence != null) {
            stdout.println("wrote " + dir.resolve("equivalence.csv") + (figures ? ", " + dir.resolve("equivalence.png")
                    + ", " + dir.resolve("equivalence.svg") : ""));
        }
        if (result.interrupted()) {
            err.println(Interruption.message(result.provenance().get("interrupted"), "the points computed were "
                    + "written, run.json says \"status\": \"interrupted\""));
            return Interruption.exitCode();
        }
        long unconverged = result.unconverged();
        if (unconverged > 0) {
            err.println("gequiv: " + unconverged + " saddle point(s) did not converge (converged = 0 in curve.csv, "
                    + "with their residuals); they are not predictions");
            return Main.EXIT_STOPPED_EARLY;
        }
        return 0;
    }

    /**
     * The theory of a --covariances file on the Lanczos path, which decomposes its Ω (eigenvalues
     * only) in the run: a refusal there (Ω not a covariance, ρ inconsistent) is bad input of the file.
     */
    private ErmResult fromCovariances(java.util.function.Supplier<ErmResult> run) {
        try {
            return run.get();
        } catch (org.gequiv.validation.InvalidInputException e) {
            throw new BadInputException("--covariances " + covarianceFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the figures are drawn: they plot the curves against α, and with a single α there is
     * none — each theory line would have one point, which XChart draws as nothing, leaving axes, a
     * legend and at most one marker per λ, less than curve.csv says — while drawing and encoding
     * the PNG and the SVG was a third of the run time of one {@code --no-simulate} point.
     */
    static boolean hasCurves(double[] alphas) {
        return java.util.Arrays.stream(alphas).distinct().count() > 1;
    }

    /**
     * Parses "a1,a2,…" or "a:b:n" (n ≥ 2 evenly spaced values from a to b, or n = 1 giving a).
     */
    static double[] parseList(String name, String text) {
        String s = text == null ? "" : text.trim();
        try {
            if (s.contains(":")) {
                String[] parts = s.split(":");
                if (parts.length != 3) {
                    throw new BadInputException(name + " must be a list a1,a2,… or a range a:b:n, got '" + text + "'");
                }
                double a = Double.parseDouble(parts[0].trim());
                double b = Double.parseDouble(parts[1].trim());
                int n = Integer.parseInt(parts[2].trim());
                if (n < 1) {
                    throw new BadInputException(name + " range count must be >= 1, got " + n);
                }
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    double x = n == 1 ? a : a + (b - a) * i / (n - 1);
                    // drop the last-digit noise of the division (0.7999999999999998 → 0.8)
                    v[i] = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.12g", x));
                }
                return v;
            }
            String[] parts = s.split(",");
            double[] v = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                v[i] = Double.parseDouble(parts[i].trim());
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadInputException(name + " must be a list a1,a2,… or a range a:b:n of numbers, got '" + text + "'", e);
        }
    }
}
