package org.gequiv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gequiv.activation.StandardActivation;
import org.gequiv.equivalence.ErmCurveEquivalence;
import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.ErmPoint;
import org.gequiv.erm.ErmProblem;
import org.gequiv.erm.ErmSimulation;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureMap;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.erm.SaddlePointSolver;
import org.gequiv.erm.Spectra;
import org.gequiv.erm.SpectraFiles;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.io.CsvTable;
import org.gequiv.io.Json;
import org.gequiv.io.Provenance;
import org.gequiv.plot.ErmCurvePlot;
import org.gequiv.plot.Figures;

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
                        + "DIR/equivalence.csv and DIR/equivalence.png / .svg)."})
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

    @Option(names = "--mc-samples", defaultValue = "100000",
            description = "Samples of the Monte-Carlo covariance estimate. Default: ${DEFAULT-VALUE}.")
    int mcSamples;

    @Option(names = "--spectra", paramLabel = "FILE.npz",
            description = "Theory from a spectra file (keys omega (d), t (d), rho, gamma); implies no generator.")
    Path spectraFile;

    @Option(names = "--covariances", paramLabel = "FILE.npz",
            description = "Theory from covariances (keys omega (d×d), phi (p×d, E[u vᵀ]), psi (p×p), theta (p)).")
    Path covarianceFile;

    @Option(names = "--no-simulate", description = "Theory only.")
    boolean noSimulate;

    @Option(names = "--repeats", defaultValue = "5", description = "Simulated data sets per point. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--test-samples", defaultValue = "4000", description = "Size of each test set. Default: ${DEFAULT-VALUE}.")
    int testSamples;

    @Option(names = "--damping", defaultValue = "0.5", description = "Saddle-point damping. Default: ${DEFAULT-VALUE}.")
    double damping;

    @Option(names = "--tolerance", defaultValue = "1e-12",
            description = "Saddle-point absolute tolerance on each of V, q, m. Default: ${DEFAULT-VALUE}.")
    double tolerance;

    @Option(names = "--relative-tolerance", defaultValue = "1e-10",
            description = "Saddle-point relative tolerance: converged when every |Δx| ≤ abs + rel·|x|. "
                    + "Default: ${DEFAULT-VALUE}.")
    double relativeTolerance;

    @Option(names = "--max-iterations", defaultValue = "100000",
            description = "Saddle-point iteration limit. Default: ${DEFAULT-VALUE}.")
    int maxIterations;

    @Option(names = "--anderson", defaultValue = "3",
            description = "Anderson acceleration depth of the saddle-point iteration; 0 for the reference's plain "
                    + "damped iteration. Default: ${DEFAULT-VALUE}.")
    int anderson;

    @Option(names = "--nodes", defaultValue = "200",
            description = "Gauss–Hermite nodes of the logistic/hinge hats. Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--versus-gaussian", defaultValue = "0", paramLabel = "S",
            description = "Also run the ERM simulation for S seeds (--seed, --seed + 1, …) on the generator and on its "
                    + "Gaussian equivalent with the same moments, teacher and features, and write DIR/equivalence.csv "
                    + "and DIR/equivalence.png/svg: mean test errors and their difference ± SE (docs/theory.md §2.2). "
                    + "Default: ${DEFAULT-VALUE} (off).")
    int versusGaussian;

    @Option(names = "--seed", defaultValue = "0", description = "Master seed of every random stream. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "out/erm", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        ErmLoss task = GeneratorOptions.option("--loss", () -> ErmLoss.byId(loss));
        double[] alphas = parseList("--alpha", alpha);
        double[] lambdas = parseList("--lambda", lambda);
        if (repeats < 1) {
            throw new BadInputException("--repeats must be >= 1, got " + repeats);
        }
        if (testSamples < 1) {
            throw new BadInputException("--test-samples must be >= 1, got " + testSamples);
        }
        if (spectraFile != null && covarianceFile != null) {
            throw new BadInputException("--spectra and --covariances are exclusive, got both");
        }
        boolean fromFile = spectraFile != null || covarianceFile != null;
        if (fromFile && !noSimulate) {
            throw new BadInputException("--spectra/--covariances give the theory only (no generator to sample); add --no-simulate");
        }
        if (versusGaussian < 0) {
            throw new BadInputException("--versus-gaussian must be >= 0, got " + versusGaussian);
        }
        if (fromFile && versusGaussian > 0) {
            throw new BadInputException("--versus-gaussian needs a generator to sample; it cannot go with --spectra/--covariances");
        }
        ErmSpec spec = GeneratorOptions.option("--alpha/--lambda",
                () -> new ErmSpec(task, alphas, lambdas, noise, repeats, testSamples, seed));
        SaddlePointOptions options = GeneratorOptions.option("--damping/--tolerance/--relative-tolerance/--max-iterations/--nodes",
                () -> SaddlePointOptions.defaults().withDamping(damping).withTolerances(tolerance, relativeTolerance)
                        .withMaxIterations(maxIterations).withQuadratureNodes(nodes).withAnderson(anderson));
        Path dir = OutputFolder.prepare(out);
        Terminal.announceLinearAlgebra(err);

        Provenance provenance = Provenance.start("gequiv erm");
        provenance.put("spec", specDescription(spec));
        provenance.put("saddlePoint", Map.of("damping", options.damping(), "absoluteTolerance", options.absoluteTolerance(),
                "relativeTolerance", options.relativeTolerance(), "maxIterations", options.maxIterations(),
                "quadratureNodes", options.quadratureNodes(), "andersonDepth", options.andersonDepth(),
                "start", "uninformed (1000, 0.001, 0.001), warm starts along the sweep"));

        Spectra spectra;
        ErmProblem problem = null;
        Generator generatorUsed = null;
        FeatureSpec featureSpec = null;
        String title;
        if (spectraFile != null) {
            spectra = GeneratorOptions.option("--spectra", () -> read(() -> SpectraFiles.readSpectra(spectraFile)));
            provenance.put("spectra", Map.of("file", spectraFile.toString()));
            title = task.id() + ", spectra " + spectraFile.getFileName();
        } else if (covarianceFile != null) {
            spectra = GeneratorOptions.option("--covariances", () -> read(() -> SpectraFiles.readCovariances(covarianceFile)));
            provenance.put("spectra", Map.of("covariances", covarianceFile.toString()));
            title = task.id() + ", covariances " + covarianceFile.getFileName();
        } else {
            Generator generator = generatorOptions.build(seed);
            FeatureMap map = GeneratorOptions.option("--features", () -> FeatureMap.byId(features));
            FeatureSpec fs = switch (map) {
                case INPUT -> FeatureSpec.input();
                case LATENT -> FeatureSpec.latent();
                case RANDOM -> GeneratorOptions.option("-P/--feature-activation", () -> FeatureSpec.random(
                        featureCount == 0 ? generator.inputDimension() : featureCount,
                        StandardActivation.byId(featureActivation)));
            };
            problem = ErmProblem.create(generator, fs, seed);
            generatorUsed = generator;
            featureSpec = fs;
            ErmProblem p = problem;
            spectra = switch (theoryMoments.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "analytic" -> GeneratorOptions.option("--theory-moments", p::analyticSpectra);
                case "monte-carlo" -> GeneratorOptions.option("--mc-samples", () -> p.monteCarloSpectra(mcSamples, seed));
                default -> throw new BadInputException("--theory-moments must be analytic or monte-carlo, got '" + theoryMoments + "'");
            };
            provenance.put("problem", problem.description());
            provenance.put("spectra", Map.of("source", theoryMoments, "d", spectra.dimension(), "rho", spectra.rho(),
                    "gamma", spectra.gamma()));
            provenance.put("seeds", Map.of("master", seed, "streams",
                    "teacher, features, generator-weights, training-data (per repeat), test-data (per repeat), "
                            + "label-noise (per repeat), solver"));
            title = task.id() + ", " + generator.id() + " N=" + generator.inputDimension() + " D="
                    + generator.latentDimension() + ", features " + map.id() + " d=" + problem.featureDimension();
        }

        List<ErmPoint> theory = new SaddlePointSolver(options).sweep(spec, spectra);
        List<ErmPoint> simulated = noSimulate ? null : new ErmSimulation().run(spec, problem);
        long unconverged = theory.stream().filter(p -> !p.converged()).count();
        provenance.put("theory", Map.of("points", theory.size(), "notConverged", unconverged));
        if (simulated != null) {
            provenance.put("simulation", Map.of("points", simulated.size(), "solverNotConverged",
                    simulated.stream().filter(p -> !p.converged()).count()));
        }
        ErmCurveEquivalence.Result equivalence = versusGaussian > 0
                ? versusGaussian(spec, featureSpec, generatorUsed, provenance) : null;
        provenance.finish();
        Map<String, Object> prov = provenance.entries();
        table(theory, simulated).write(dir.resolve("curve.csv"), prov);
        Json.write(dir.resolve("run.json"), prov);
        String testLabel = task.isClassification() ? "classification error" : "test error ρ + q − 2m";
        Figures.save(List.of(ErmCurvePlot.testError(title, testLabel, lambdas, theory, simulated),
                ErmCurvePlot.trainLoss("training loss", "training loss", lambdas, theory, simulated)),
                dir.resolve("curve"));
        stdout.println("wrote " + dir.resolve("curve.csv") + ", " + dir.resolve("run.json") + ", "
                + dir.resolve("curve.png") + ", " + dir.resolve("curve.svg"));
        if (equivalence != null) {
            equivalenceTable(equivalence).write(dir.resolve("equivalence.csv"), prov);
            Figures.save(ErmCurvePlot.versusGaussian(title + ", " + equivalence.seeds().length + " seeds", testLabel,
                    lambdas, equivalence.points()), dir.resolve("equivalence"));
            stdout.println("wrote " + dir.resolve("equivalence.csv") + ", " + dir.resolve("equivalence.png") + ", "
                    + dir.resolve("equivalence.svg"));
        }
        if (unconverged > 0) {
            err.println("gequiv: " + unconverged + " saddle point(s) did not converge (converged = 0 in curve.csv, "
                    + "with their residuals); they are not predictions");
            return Main.EXIT_STOPPED_EARLY;
        }
        return 0;
    }

    private ErmCurveEquivalence.Result versusGaussian(ErmSpec spec, FeatureSpec features, Generator generator,
                                                      Provenance provenance) {
        Moments moments = GeneratorOptions.momentsForGaussianEquivalent(generator);
        long[] seeds = GeneratorOptions.consecutiveSeeds(seed, versusGaussian);
        long t0 = System.nanoTime();
        ErmCurveEquivalence.Result result = GeneratorOptions.option("--versus-gaussian",
                () -> ErmCurveEquivalence.run(spec, features, generator, moments, seeds, new ErmSimulation()));
        provenance.put("versusGaussian", Map.of("seeds", seeds, "construction",
                "x = mu + Phi c + (Omega - Phi Phi^T)^(1/2) z with the generator's moments; per seed the same teacher, "
                        + "features, latent vectors and labels", "seconds", (System.nanoTime() - t0) / 1e9));
        return result;
    }

    static CsvTable equivalenceTable(ErmCurveEquivalence.Result r) {
        CsvTable table = new CsvTable(List.of("alpha", "lambda", "test_error_generator", "test_error_gaussian",
                "difference", "difference_sem", "train_loss_difference", "train_loss_difference_sem", "converged"));
        for (ErmCurveEquivalence.Point p : r.points()) {
            table.addRow(p.alpha(), p.lambda(), p.generatorTestError(), p.gaussianTestError(), p.testErrorDifference(),
                    p.testErrorDifferenceSem(), p.trainLossDifference(), p.trainLossDifferenceSem(),
                    p.converged() ? 1 : 0);
        }
        return table;
    }

    static CsvTable table(List<ErmPoint> theory, List<ErmPoint> simulated) {
        List<String> cols = new ArrayList<>(List.of("alpha", "lambda", "test_error_theory", "train_loss_theory", "V", "q",
                "m", "converged", "iterations", "residual"));
        if (simulated != null) {
            cols.addAll(List.of("test_error_sim", "test_error_sim_sem", "train_loss_sim", "train_loss_sim_sem"));
        }
        CsvTable table = new CsvTable(cols);
        for (int i = 0; i < theory.size(); i++) {
            ErmPoint t = theory.get(i);
            double[] row = new double[cols.size()];
            row[0] = t.alpha();
            row[1] = t.lambda();
            row[2] = t.testError();
            row[3] = t.trainLoss();
            row[4] = t.v();
            row[5] = t.q();
            row[6] = t.m();
            row[7] = t.converged() ? 1 : 0;
            row[8] = t.iterations();
            row[9] = t.residual();
            if (simulated != null) {
                ErmPoint s = simulated.get(i);
                row[10] = s.testError();
                row[11] = s.testErrorSem();
                row[12] = s.trainLoss();
                row[13] = s.trainLossSem();
            }
            table.addRow(row);
        }
        return table;
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

    private interface IoSupplier<T> {
        T get() throws java.io.IOException;
    }

    private static <T> T read(IoSupplier<T> body) {
        try {
            return body.get();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> specDescription(ErmSpec spec) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("loss", spec.loss().id());
        d.put("alphas", spec.alphas());
        d.put("lambdas", spec.lambdas());
        d.put("labelNoise", spec.labelNoise());
        d.put("repeats", spec.repeats());
        d.put("testSamples", spec.testSamples());
        d.put("seed", spec.seed());
        d.put("objective", "sum_mu loss(y, w.v/sqrt(d)) + (lambda/2)|w|^2, alpha = n/d");
        d.put("errors", spec.loss().isClassification()
                ? "test: classification error arccos(m/sqrt(rho q))/pi against the noiseless teacher"
                : "test: rho + q - 2m (mean squared, no 1/2) against the noiseless teacher");
        return d;
    }
}
