package org.gequiv.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.erm.CovariateModel;
import org.gequiv.erm.ErmPoint;
import org.gequiv.erm.ErmProblem;
import org.gequiv.erm.ErmSimulation;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureMap;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.erm.SaddlePointSolver;
import org.gequiv.erm.QuadratureSweep;
import org.gequiv.erm.Spectra;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.progress.Progress;
import org.gequiv.parallel.StopRequest;
import org.gequiv.spectral.PlainMeasure;
import org.gequiv.spectral.SpectralChoice;
import org.gequiv.spectral.SpectralMethod;
import org.gequiv.spectral.SpectralTheory;
import org.gequiv.validation.InvalidInputException;

/**
 * The full-batch experiment (docs/theory.md §6): the saddle-point equations of the Gaussian
 * covariate model and, on request, ERM solved on sampled data of the same problem (teacher, feature
 * weights, generator), over a sweep of (α, λ); optionally the ERM simulation on the generator's
 * Gaussian equivalent over several seeds (§2.2). Or the theory alone from spectra given directly.
 *
 * <p>The theory's spectra come from {@link ErmExperimentSpec#spectralMethod()}: the eigendecomposition
 * of Ω (eigen, the reference), or the exact eigenvalues with the teacher's Lanczos Gauss rule
 * ({@link org.gequiv.erm.TeacherQuadrature}, docs/theory.md §5.12, "ERM (§6)"), kept by auto when its
 * estimate meets the tolerance ({@link SpectralTheory#choose}) and replaced by the eigen path
 * otherwise; run.json's {@code theory.spectral} says which ({@link SpectralRecord}). Given spectra
 * carry no Ω: lanczos is refused there and auto runs them as they are.
 *
 * <p>Policies applied here: inputs are centred when the generator's mean is known
 * ({@link InputCentring}); the twin comparison runs the seeds of {@link SeedRules#consecutive}
 * with the same teacher, features and latent vectors per seed. Immutable; {@link #run} may be
 * called from several threads.
 */
public final class ErmExperiment {

    private final ErmExperimentSpec spec;
    private final LinearAlgebra linearAlgebra;

    public ErmExperiment(ErmExperimentSpec spec, LinearAlgebra linearAlgebra) {
        this.spec = org.gequiv.validation.Checks.given("spec", spec);
        this.linearAlgebra = org.gequiv.validation.Checks.given("linearAlgebra", linearAlgebra);
    }

    public ErmExperiment(ErmExperimentSpec spec) {
        this(spec, LinearAlgebra.get());
    }

    public ErmExperimentSpec spec() {
        return spec;
    }

    /**
     * Theory (and simulation, twin) on {@code source}.
     *
     * @throws InvalidInputException (field {@code covariances} or {@code moments}) when analytic
     *                               moments are needed and the generator has none
     */
    public ErmResult run(Generator source) {
        return run(source, Progress.NONE, StopRequest.NEVER);
    }

    /**
     * As {@link #run(Generator)}, reporting its phases (set-up and covariances, the saddle point of
     * each point, the ERM fit of each repeat and point, the twin comparison) to {@code progress}, and
     * polling {@code stop} after every point of the theory and every fit of the simulation: an
     * interrupted run returns the theory points solved so far (a prefix of the sweep) and, if the
     * simulation had started, every point with the repeats fitted so far; the engines not yet
     * started are skipped, and the provenance's {@code status} is {@code "interrupted"} with where
     * each engine stopped.
     */
    public ErmResult run(Generator source, Progress progress, StopRequest stop) {
        ErmSpec erm = spec.erm();
        FeatureSpec features = spec.features();
        Generator generator = InputCentring.centredWhenMeanKnown(source);
        boolean analytic = spec.covariances() == ErmExperimentSpec.Covariances.ANALYTIC;
        if (analytic && features.map() != FeatureMap.LATENT && generator.analyticMoments().isEmpty()) {
            throw new InvalidInputException("covariances", "covariances must come from known moments or a "
                    + "Monte-Carlo estimate, got analytic for generator " + source.id() + ", which has no analytic "
                    + "moments");
        }
        Moments twinMoments = null;
        if (spec.versusGaussianSeeds() > 0) {
            twinMoments = generator.analyticMoments().orElseThrow(() -> new InvalidInputException("moments",
                    "moments must be known for the Gaussian equivalent, got none for generator " + source.id()));
        }
        progress.phase("set-up: features and " + (analytic ? "analytic" : "Monte-Carlo") + " covariances");
        ErmProblem problem = ErmProblem.create(generator, features, erm.seed(), linearAlgebra);
        Spectra spectra = null;
        CovariateModel model = null;
        if (spec.spectralMethod() == SpectralMethod.EIGEN) {
            spectra = analytic ? problem.analyticSpectra() : problem.monteCarloSpectra(spec.monteCarloSamples(),
                    erm.seed());
        } else {
            model = analytic ? problem.analyticCovariance() : problem.monteCarloCovariance(spec.monteCarloSamples(),
                    erm.seed());
        }
        CovariateModel covariates = model;
        // auto's fallback: the spectra the eigen path computes, from the same covariances (latent
        // features have Ω = I and need no decomposition)
        java.util.function.Supplier<Spectra> eigen = () -> analytic && features.map() == FeatureMap.LATENT
                ? problem.analyticSpectra() : covariates.spectra();
        Map<String, Object> provenance = header();
        provenance.put("problem", problem.description());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("source", spec.covariances().id());
        if (!analytic) {
            s.put("samples", spec.monteCarloSamples());
        }
        s.put("d", model != null ? model.d() : spectra.dimension());
        s.put("rho", model != null ? model.rho() : spectra.rho());
        s.put("gamma", model != null ? model.gamma() : spectra.gamma());
        provenance.put("spectra", s);
        provenance.put("seeds", Map.of("master", erm.seed(), "streams",
                "teacher, features, generator-weights, training-data (per repeat), test-data (per repeat), "
                        + "label-noise (per repeat), solver"));
        List<ErmPoint> theory = theory(spectra, model, eigen, provenance, progress, stop);
        List<ErmPoint> simulated = null;
        if (spec.simulate() && !stop.requested()) {
            progress.phase("ERM simulation: " + erm.repeats() + " repeat(s) of " + erm.size() + " point(s)");
            simulated = new ErmSimulation().run(erm, problem, progress, stop);
            provenance.put("simulation", Map.of("points", simulated.size(), "solverNotConverged",
                    simulated.stream().filter(p -> !p.converged()).count()));
        }
        ErmCurveEquivalence.Result equivalence = null;
        if (twinMoments != null && !stop.requested()) {
            long[] seeds = SeedRules.consecutive(erm.seed(), spec.versusGaussianSeeds());
            long t0 = System.nanoTime();
            progress.phase("Gaussian twin: " + seeds.length + " seed(s) on the generator and its Gaussian equivalent");
            equivalence = ErmCurveEquivalence.run(erm, features, generator, twinMoments, seeds, new ErmSimulation());
            provenance.put("versusGaussian", Map.of("seeds", seeds, "construction",
                    "x = mu + Phi c + (Omega - Phi Phi^T)^(1/2) z with the generator's moments; per seed the same "
                            + "teacher, features, latent vectors and labels", "seconds", (System.nanoTime() - t0) / 1e9));
        }
        markInterruption(provenance, stop, theory, simulated);
        return new ErmResult(theory, simulated, equivalence, problem.featureDimension(), provenance);
    }

    /** The provenance's status, and for an interrupted run where each engine stopped. */
    private void markInterruption(Map<String, Object> provenance, StopRequest stop, List<ErmPoint> theory,
                                  List<ErmPoint> simulated) {
        if (!stop.requested()) {
            return;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("by", stop.reason());
        d.put("theory", theory.size() + " of " + spec.erm().size() + " points");
        if (spec.simulate()) {
            d.put("simulation", simulated == null ? "not started" : simulated.stream()
                    .filter(p -> p.repeats() == spec.erm().repeats()).count() + " of " + spec.erm().size()
                    + " points with all " + spec.erm().repeats() + " repeats");
        }
        if (spec.versusGaussianSeeds() > 0) {
            d.put("versusGaussian", "not started");
        }
        if (theory.size() == spec.erm().size() && (!spec.simulate() || simulated != null
                && simulated.stream().allMatch(p -> p.repeats() == spec.erm().repeats()))
                && spec.versusGaussianSeeds() == 0) {
            return; // the stop came after the last point: nothing is missing
        }
        provenance.put("status", "interrupted");
        provenance.put("interrupted", d);
    }

    /**
     * The theory alone from given spectra (read from a file, for example), described by
     * {@code spectraDescription}.
     */
    public ErmResult run(Spectra spectra, Map<String, Object> spectraDescription) {
        return run(spectra, spectraDescription, Progress.NONE, StopRequest.NEVER);
    }

    /**
     * As {@link #run(Spectra, Map)}, reporting the saddle point of each point to {@code progress}
     * and polling {@code stop} after every point.
     */
    public ErmResult run(Spectra spectra, Map<String, Object> spectraDescription, Progress progress,
                         StopRequest stop) {
        if (spec.simulate() || spec.versusGaussianSeeds() > 0) {
            throw new InvalidInputException("run", "given spectra give the theory only, got a simulation to run as "
                    + "well (there is no generator to sample)");
        }
        if (spec.spectralMethod() == SpectralMethod.LANCZOS) {
            throw new InvalidInputException("spectralMethod", "spectral method must be eigen or auto for given "
                    + "spectra (the Lanczos quadrature needs Omega, of which they hold only the eigenvalues and the "
                    + "teacher's projections), got lanczos");
        }
        Map<String, Object> provenance = header();
        provenance.put("spectra", new LinkedHashMap<>(spectraDescription));
        List<ErmPoint> theory = theory(spectra, null, null, provenance, progress, stop);
        markInterruption(provenance, stop, theory, null);
        return new ErmResult(theory, null, null, spectra.dimension(), provenance);
    }

    /**
     * The theory alone from a covariate model (read from a covariances file, for example), described
     * by {@code description}: on the spectral method of the spec, as {@link #run(Generator)} does.
     */
    public ErmResult run(CovariateModel model, Map<String, Object> description, Progress progress, StopRequest stop) {
        if (spec.simulate() || spec.versusGaussianSeeds() > 0) {
            throw new InvalidInputException("run", "given covariances give the theory only, got a simulation to run as "
                    + "well (there is no generator to sample)");
        }
        Map<String, Object> provenance = header();
        Map<String, Object> s = new LinkedHashMap<>(description);
        s.put("d", model.d());
        s.put("rho", model.rho());
        s.put("gamma", model.gamma());
        provenance.put("spectra", s);
        boolean eigen = spec.spectralMethod() == SpectralMethod.EIGEN;
        List<ErmPoint> theory = theory(eigen ? model.spectra() : null, eigen ? null : model, model::spectra, provenance,
                progress, stop);
        markInterruption(provenance, stop, theory, null);
        return new ErmResult(theory, null, null, model.d(), provenance);
    }

    private Map<String, Object> header() {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("status", "completed");
        provenance.put("linearAlgebra", linearAlgebra.name());
        provenance.put("spec", Descriptions.erm(spec.erm()));
        SaddlePointOptions o = spec.saddlePoint();
        Map<String, Object> sp = new LinkedHashMap<>();
        sp.put("damping", o.damping());
        sp.put("absoluteTolerance", o.absoluteTolerance());
        sp.put("relativeTolerance", o.relativeTolerance());
        sp.put("maxIterations", o.maxIterations());
        sp.put("quadratureNodes", o.quadratureNodes());
        sp.put("andersonDepth", o.andersonDepth());
        sp.put("start", "uninformed (1000, 0.001, 0.001), warm starts along the sweep");
        provenance.put("saddlePoint", sp);
        return provenance;
    }

    /**
     * The saddle points of the sweep, on {@code spectra} (eigen) or on the Lanczos quadrature of
     * {@code model} (lanczos, auto), with auto's choice made by {@link SpectralTheory#choose}, the
     * policy written once for both theories, and {@code eigen} the spectra of its fallback.
     */
    private List<ErmPoint> theory(Spectra spectra, CovariateModel model, java.util.function.Supplier<Spectra> eigen,
                                  Map<String, Object> provenance, Progress progress, StopRequest stop) {
        SaddlePointSolver solver = new SaddlePointSolver(spec.saddlePoint());
        Map<String, Object> spectral = new LinkedHashMap<>();
        spectral.put("requested", spec.spectralMethod().id());
        List<ErmPoint> theory = null;
        Spectra eigenSpectra = spectra;
        if (model != null) {
            long t0 = System.nanoTime();
            progress.phase("saddle point: eigenvalues of Ω (d = " + model.d() + ") and the teacher's Lanczos rule, "
                    + spec.erm().size() + " point(s)");
            QuadratureSweep sweep = solver.sweep(spec.erm(), model.quadrature(), spec.lanczos(), progress, stop);
            SpectralRecord.lanczos(spectral, sweep.blockSteps(), sweep.ruleNodes(), PlainMeasure.Method.EIGENVALUES,
                    sweep.plainNodes(), "the eigenvalues of Omega (exact; erm offers no stochastic plain measure)",
                    sweep.exact(), sweep.errorEstimate(), 0.0, spec.lanczos(), System.nanoTime() - t0);
            SpectralChoice choice = SpectralTheory.choose(spec.spectralMethod(), sweep.errorEstimate(), 0.0,
                    spec.lanczos(), true);
            if (choice.method() == SpectralMethod.LANCZOS || stop.requested()) {
                theory = sweep.points();
                spectral.put("method", SpectralMethod.LANCZOS.id());
                spectral.put("reason", choice.reason() + (choice.method() == SpectralMethod.LANCZOS ? ""
                        : "; interrupted, so the Lanczos points solved so far are kept"));
            } else {
                SpectralRecord.choice(spectral, choice);
                eigenSpectra = eigen.get();
            }
        } else if (spec.spectralMethod() == SpectralMethod.AUTO) {
            spectral.put("reason", "given spectra: there is no Omega for the Lanczos quadrature");
        }
        if (theory == null) {
            progress.phase("saddle point: " + spec.erm().size() + " point(s)");
            spectral.put("method", SpectralMethod.EIGEN.id());
            spectral.putIfAbsent("reason", "requested");
            theory = solver.sweep(spec.erm(), eigenSpectra, progress, stop);
        }
        long unconverged = theory.stream().filter(p -> !p.converged()).count();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("points", theory.size());
        t.put("notConverged", unconverged);
        t.put("spectral", spectral);
        provenance.put("theory", t);
        return theory;
    }
}
