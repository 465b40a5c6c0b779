package org.gequiv.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import org.gequiv.generator.GaussianEquivalentGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.online.DensityOdes;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.LearningProblem;
import org.gequiv.online.OdeInitialState;
import org.gequiv.online.OdeObserver;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OdeTheory;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSimulation;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.ProgressListener;
import org.gequiv.online.Recording;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.spectral.CovarianceOperator;
import org.gequiv.spectral.ExplicitCovariance;
import org.gequiv.spectral.KernelCovariance;
import org.gequiv.spectral.SpectralChoice;
import org.gequiv.spectral.SpectralCurve;
import org.gequiv.spectral.SpectralMethod;
import org.gequiv.spectral.SpectralTheory;
import org.gequiv.online.SgdState;
import org.gequiv.parallel.StopRequest;
import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;

/**
 * The online-learning experiment (docs/theory.md §1.4, §5, §2.2): on a generator, the SGD
 * simulation and the ODE theory of the order-parameter densities from the same initial weights
 * (§5.7), and on request the same simulation on the generator's Gaussian equivalent over several
 * seeds; or, from densities computed elsewhere, the theory alone through the same entry point
 * {@link OdeTheory#integrate(OnlineSpec, OdeInitialState, OdeOptions)}.
 *
 * <p>Policies applied here and nowhere else: inputs are centred when the generator's mean is
 * known ({@link InputCentring}); the twin comparison runs the seeds of {@link SeedRules#consecutive}
 * on the generator and on x̃ = μ + Φc + (Ω − ΦΦᵀ)^{1/2} z built from the generator's moments,
 * pairing teacher, initial weights and latent vectors per seed; the theory's spectral method is
 * {@link OnlineExperimentSpec#spectralMethod()}: eigen, Lanczos on the explicit Ω of the moments
 * (docs/theory.md §5.12), or auto — decided by {@link SpectralTheory#choose}: Lanczos kept when its
 * error estimate meets the tolerance, the eigendecomposition otherwise (run.json says which ran and
 * why). From given
 * densities only eigen applies (there is no Ω); auto then runs it and lanczos is refused.
 *
 * <p>Interruption and resumption ({@link Control}): every engine polls a
 * {@link org.gequiv.parallel.StopRequest} and returns what it computed, marked as interrupted; with
 * a checkpoint file the run saves its state ({@link OnlineCheckpoint}) and a later run of the same
 * experiment continues from it to bit-identical curves. A finished theory in the checkpoint is taken
 * as it is, for every spectral method, without the eigendecomposition or Lanczos run behind it: the
 * resumed result then has no initial state ({@link OnlineResult#initialState()}).
 *
 * <p>Immutable; {@link #run} may be called from several threads at once (each call builds its own
 * engines' state; two concurrent runs must not share a checkpoint file).
 */
public final class OnlineExperiment {

    /**
     * Runs the sampling engines (the SGD simulation and the twin comparison) inside whatever the
     * caller needs around them, for example a single-threaded native BLAS while a sampler thread
     * and the SGD loop share two cores. The library itself never changes process-wide settings.
     */
    @FunctionalInterface
    public interface SimulationScope {
        /** No scope: the engines run as they are. */
        SimulationScope NONE = new SimulationScope() {
            @Override
            public <T> T run(java.util.function.Supplier<T> engine) {
                return engine.get();
            }
        };

        /** Runs {@code engine} inside the scope and returns its result. */
        <T> T run(java.util.function.Supplier<T> engine);
    }

    private final OnlineExperimentSpec spec;
    private final LinearAlgebra linearAlgebra;
    private final SimulationScope scope;

    /**
     * @param spec          what to run
     * @param linearAlgebra the backend the simulation's products run on
     * @param scope         what the sampling engines run inside (theory and set-up run outside it)
     */
    public OnlineExperiment(OnlineExperimentSpec spec, LinearAlgebra linearAlgebra, SimulationScope scope) {
        this.spec = org.gequiv.validation.Checks.given("spec", spec);
        this.linearAlgebra = org.gequiv.validation.Checks.given("linearAlgebra", linearAlgebra);
        this.scope = org.gequiv.validation.Checks.given("scope", scope);
    }

    /** The experiment on the process-wide backend, without a scope. */
    public OnlineExperiment(OnlineExperimentSpec spec) {
        this(spec, LinearAlgebra.get(), SimulationScope.NONE);
    }

    public OnlineExperimentSpec spec() {
        return spec;
    }

    /**
     * How a run may be interrupted and resumed.
     *
     * @param stop            polled by every engine at its safe points (each SGD step, each ODE
     *                        step); a requested stop ends the run with what was computed, marked
     *                        as interrupted, and skips the engines not yet started
     * @param checkpoint      the checkpoint file ({@link OnlineCheckpoint}), or null for none
     * @param checkpointEvery simulation time T &gt; 0 between checkpoints of the SGD state (at the
     *                        first step at or after each multiple of T, after the theory, and when
     *                        stopped); ignored without a file
     * @param resume          continue from {@code checkpoint}, which must exist and must have been
     *                        written by this same run
     */
    public record Control(StopRequest stop, Path checkpoint, double checkpointEvery, boolean resume) {
        /** Never stopped, no checkpoint. */
        public static final Control NONE = new Control(StopRequest.NEVER, null, 0, false);

        public Control {
            Checks.given("stop", stop);
            if (checkpoint != null && !resume) {
                Checks.positive("checkpointEvery", checkpointEvery);
            }
            if (resume && checkpoint == null) {
                throw new InvalidInputException("resume", "resume needs a checkpoint file, got none");
            }
        }
    }

    /**
     * Runs theory and/or simulation (and the twin comparison) on {@code generator}.
     *
     * @param keepWeights also return the student's weights at every recorded time of the simulation
     * @throws InvalidInputException (field {@code moments}) when the theory or the twin needs moments
     *                               the generator does not have
     */
    public OnlineResult run(Generator source, ProgressListener progress, boolean keepWeights) {
        return run(source, progress, keepWeights, Control.NONE);
    }

    /**
     * As {@link #run(Generator, ProgressListener, boolean)}, interruptible, checkpointed and
     * resumable as {@code control} says. A resumed run returns bit for bit the curves of an
     * uninterrupted one (its provenance says where it resumed).
     *
     * @throws InvalidInputException (field {@code resume}) when the checkpoint is missing, damaged,
     *                               or was written by a run that differs (naming each difference),
     *                               or (field {@code checkpoint}) with {@code keepWeights}, whose
     *                               trajectory is not checkpointed
     * @throws UncheckedIOException  when a checkpoint cannot be written or read
     */
    public OnlineResult run(Generator source, ProgressListener progress, boolean keepWeights, Control control) {
        return run(source, progress, keepWeights, control, PhaseTimings.begin());
    }

    /**
     * As {@link #run(Generator, ProgressListener, boolean, Control)}, marking its phases in
     * {@code timings} (which the caller may have begun earlier and may go on marking after):
     * {@code moments} (μ, Ω and Φ from the generator), {@code problem} (teacher, student and
     * provenance), {@code spectral} (the theory's spectral set-up: the covariance checks, the
     * eigendecomposition and projections, or Lanczos with its integrations), {@code theory} (the ODEs
     * of the eigen path), {@code simulation}, {@code versusGaussian}; the eigendecomposition's own
     * wall time is the detail {@code eigendecomposition}, and {@code setupExceptEigendecomposition}
     * the set-up of issue 11 (README, run.json): from {@code timings}' begin to the first ODE step,
     * less the eigendecomposition. The provenance's {@code timings} holds the record up to the end
     * of the engines.
     */
    public OnlineResult run(Generator source, ProgressListener progress, boolean keepWeights, Control control,
                            PhaseTimings timings) {
        Checks.given("timings", timings);
        OnlineSpec online = spec.online();
        Generator generator = InputCentring.centredWhenMeanKnown(source);
        Moments moments = null;
        // Ω from the analytic kernel, never as a moments record (docs/theory.md §5.12): the policy of
        // OnlineExperimentSpec#omegaFromKernel
        DeepRandomGenerator kernel = DeepRandomGenerator.analyticKernel(source)
                .filter(random -> spec.omegaFromKernel(source.inputDimension(), true)).orElse(null);
        if ((spec.theory() && kernel == null) || spec.versusGaussianSeeds() > 0) {
            moments = generator.analyticMoments().orElseThrow(() -> new InvalidInputException("moments",
                    "moments must be known for the " + (spec.theory() ? "theory" : "Gaussian equivalent")
                            + ", got none for generator " + source.id() + " (estimate them by Monte Carlo and supply "
                            + "them" + (spec.theory() ? ", or skip the theory)" : ")")));
        }
        if (keepWeights && control.checkpoint() != null) {
            throw new InvalidInputException("checkpoint", "checkpoint must not be combined with keeping the weights "
                    + "(their trajectory is not checkpointed), got both");
        }
        StopRequest stop = control.stop();
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("status", "completed");
        provenance.put("linearAlgebra", linearAlgebra.name());
        provenance.put("spec", Descriptions.online(online));
        provenance.put("generator", generator.description());
        provenance.put("seeds", Map.of("master", online.seed(), "streams",
                "teacher, student, generator-weights, training-data (per block of " + OnlineSimulation.BLOCK
                        + "), test-data (per block)"));
        // only a checkpointed run compares or stores its identity: formed as JSON otherwise it cost
        // Jackson's start-up (≈ 0.2 s) on the set-up's critical path of every run (issue 11)
        JsonNode identity = control.checkpoint() == null ? null
                : OnlineCheckpoint.identityOf(identity(online, generator));
        OnlineCheckpoint saved = control.resume() ? resumable(control.checkpoint(), identity) : null;
        double every = control.resume() && !(control.checkpointEvery() > 0) && saved != null
                ? saved.checkpointEvery() : control.checkpointEvery();
        if (saved != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("checkpoint", control.checkpoint().toString());
            r.put("theoryFromCheckpoint", saved.theory() != null);
            r.put("simulationTime", saved.simulation() == null ? 0.0
                    : (double) saved.simulation().samples() / generator.inputDimension());
            provenance.put("resumedFrom", r);
        }
        timings.end("moments");
        OnlineProblem problem = OnlineProblem.initialise(online, generator);
        timings.end("problem");
        LearningCurve theory = null;
        OdeInitialState init = null;
        if (spec.theory()) {
            Map<String, Object> spectral = new LinkedHashMap<>();
            spectral.put("requested", spec.spectralMethod().id());
            if (saved != null && saved.theory() != null) {
                // the checkpoint's theory was computed by this same run (its identity includes the
                // method), whatever the method: it is not recomputed, and neither is the
                // eigendecomposition behind it, so a resumed run has no initial state (the run that
                // wrote the checkpoint had it, for --save-init) and its record no density count
                theory = saved.theory();
                spectral.put("method", "from the checkpoint");
                Map<String, Object> record = theoryRecord(theory, spec.ode());
                record.put("spectral", spectral);
                provenance.put("theory", record);
            }
            if (theory == null && spec.spectralMethod() != SpectralMethod.EIGEN) {
                long t0 = System.nanoTime();
                progress.phase("theory: block Lanczos on Ω (N = " + generator.inputDimension() + ") and integration");
                CovarianceOperator omega;
                if (kernel != null) {
                    progress.phase("theory: Ω from the kernel of " + source.id() + " (N = " + source.inputDimension()
                            + ", once, in native memory)");
                    omega = KernelCovariance.of(kernel, Runtime.getRuntime().availableProcessors()).resident();
                    spectral.put("omega", "evaluated once from the analytic kernel (N² doubles outside the heap)");
                    spectral.put("omegaSeconds", (System.nanoTime() - t0) / 1e9);
                    progress.phase("theory: block Lanczos on Ω (N = " + generator.inputDimension()
                            + ") and integration");
                } else {
                    omega = ExplicitCovariance.of(moments);
                }
                SpectralCurve lanczos = SpectralTheory.integrate(online, problem.teacher(), problem.student(),
                        omega, spec.lanczos(), spec.ode());
                timings.end("spectral");
                SpectralRecord.lanczos(spectral, lanczos, spec.lanczos(), System.nanoTime() - t0);
                SpectralChoice choice = SpectralTheory.choose(spec.spectralMethod(), lanczos, spec.lanczos(),
                        kernel == null);
                SpectralRecord.choice(spectral, choice);
                if (choice.method() == SpectralMethod.LANCZOS) {
                    theory = lanczos.curve();
                    spectral.put("method", SpectralMethod.LANCZOS.id());
                    Map<String, Object> record = theoryRecord(theory, spec.ode());
                    record.put("densities", lanczos.quadratureNodes() + lanczos.plainNodes());
                    record.put("spectral", spectral);
                    provenance.put("theory", record);
                }
            }
            if (theory == null) {
                spectral.put("method", SpectralMethod.EIGEN.id());
                spectral.putIfAbsent("reason", "requested");
                long t0 = System.nanoTime();
                progress.phase("theory set-up: eigendecomposition of Ω (N = " + generator.inputDimension() + ")");
                init = OdeInitialState.fromProblem(problem, moments, eigenSeconds -> timings.detail(EIGENDECOMPOSITION,
                        eigenSeconds));
                long setup = System.nanoTime() - t0;
                timings.end("spectral");
                timings.detail("setupExceptEigendecomposition", setupSeconds(timings));
                t0 = System.nanoTime();
                theory = integrateReporting(online, init, progress, stop);
                timings.end("theory");
                Map<String, Object> record = eigenRecord(theory, init, spec.ode(), setup, System.nanoTime() - t0);
                record.put("spectral", spectral);
                provenance.put("theory", record);
            }
        }
        LearningCurve finishedTheory = theory != null && !theory.termination().interrupted() ? theory : null;
        Consumer<SgdState> checkpoints = control.checkpoint() == null ? null
                : state -> writeCheckpoint(control.checkpoint(), identity, finishedTheory, state, every);
        SgdState resumeState = saved == null ? null : saved.simulation();
        if (checkpoints != null && finishedTheory != null && (saved == null || saved.theory() == null)) {
            checkpoints.accept(resumeState);
        }
        LearningCurve simulated = null;
        WeightTrajectory.Recorder recorder = keepWeights && spec.simulate()
                ? new WeightTrajectory.Recorder(problem) : null;
        OnlineSimulation simulation = new OnlineSimulation(spec.sampleAhead(), linearAlgebra);
        if (spec.simulate() && !stop.requested()) {
            progress.phase("SGD");
            long everySamples = checkpoints == null ? 0
                    : Math.max(1, Math.round(every * generator.inputDimension()));
            OnlineSimulation.Control sgd = new OnlineSimulation.Control(stop, resumeState, everySamples,
                    checkpoints == null ? null : checkpoints::accept);
            simulated = scope.run(() -> simulation.run(problem, progress, recorder, sgd));
            provenance.put("simulation", termination(simulated.termination()));
            timings.end("simulation");
        }
        LearningCurveEquivalence.Result equivalence = null;
        if (spec.versusGaussianSeeds() > 0 && !stop.requested()) {
            long[] seeds = SeedRules.consecutive(online.seed(), spec.versusGaussianSeeds());
            long t0 = System.nanoTime();
            progress.phase("Gaussian twin: " + seeds.length + " seed(s) on the generator and its Gaussian equivalent");
            // the twin's square root is computed outside the scope, with the backend's own threads
            Generator twin = new GaussianEquivalentGenerator(moments, generator.id());
            equivalence = scope.run(() -> LearningCurveEquivalence.online(online, generator, twin, seeds, simulation,
                    stop));
            provenance.put("versusGaussian", Map.of("seeds", seeds, "construction",
                    "x = mu + Phi c + (Omega - Phi Phi^T)^(1/2) z with the generator's moments; same teacher, initial "
                            + "weights and latent vectors per seed", "seconds", (System.nanoTime() - t0) / 1e9));
            timings.end("versusGaussian");
        }
        if (stop.requested()) {
            provenance.put("status", "interrupted");
            provenance.put("interrupted", interruption(stop, theory, simulated, spec, equivalence));
        } else if ((theory != null && !theory.termination().completed())
                || (simulated != null && !simulated.termination().completed())) {
            provenance.put("status", "stopped early");
        }
        provenance.put("timings", timings.record());
        return new OnlineResult(theory, simulated, equivalence, init,
                recorder == null ? null : recorder.trajectory(), provenance);
    }

    /** The detail of {@link PhaseTimings} that holds the eigendecomposition's wall seconds. */
    public static final String EIGENDECOMPOSITION = "eigendecomposition";

    /**
     * The set-up of the theory outside the eigendecomposition (issue 11): every phase marked since
     * the timings began (not the process's start) up to the first ODE step, less the
     * eigendecomposition.
     */
    private static double setupSeconds(PhaseTimings timings) {
        double sum = 0;
        for (String phase : new String[] {"generator", "moments", "problem", "spectral"}) {
            sum += timings.wall(phase);
        }
        return sum - timings.detail(EIGENDECOMPOSITION);
    }

    /** The theory's integration, reporting the recorded times reached as its progress and polling {@code stop}. */
    private LearningCurve integrateReporting(OnlineSpec online, OdeInitialState init, ProgressListener progress,
                                             StopRequest stop) {
        progress.phase("theory: integrating the ODEs (" + init.size() + " eigenvalues)");
        int total = online.logTimes().length;
        int[] reached = {0};
        return OdeTheory.integrate(online, init, spec.ode(), (t, q, r, v) -> {
            progress.progress(++reached[0], total);
            return org.gequiv.online.OdeObserver.Action.CONTINUE;
        }, stop);
    }

    /** Where an interrupted run stopped: who asked, and per engine how far it got. */
    private static Map<String, Object> interruption(StopRequest stop, LearningCurve theory, LearningCurve simulated,
                                                    OnlineExperimentSpec spec,
                                                    LearningCurveEquivalence.Result equivalence) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("by", stop.reason());
        if (theory != null) {
            d.put("theory", where(theory));
        }
        if (spec.simulate()) {
            d.put("simulation", simulated == null ? "not started" : where(simulated));
        }
        if (spec.versusGaussianSeeds() > 0) {
            d.put("versusGaussian", equivalence == null ? "not started"
                    : "partial: " + equivalence.times().length + " common recorded times");
        }
        return d;
    }

    private static String where(LearningCurve curve) {
        LearningCurve.Termination t = curve.termination();
        List<LearningCurve.Point> points = curve.points();
        String last = points.isEmpty() ? "no point recorded"
                : "last recorded t = " + points.get(points.size() - 1).time();
        return t.completed() ? "completed (t = " + t.stoppedAt() + ")"
                : t.interrupted() ? "interrupted at t = " + t.stoppedAt() + ", " + last
                : "stopped early at t = " + t.stoppedAt() + ", " + last;
    }

    /** Everything that changes a number of the run, as the checkpoint stores it. */
    private Map<String, Object> identity(OnlineSpec online, Generator generator) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("linearAlgebra", linearAlgebra.name());
        d.put("spec", Descriptions.online(online));
        d.put("times", online.logTimes());
        d.put("generator", generator.description());
        d.put("theory", spec.theory());
        d.put("simulate", spec.simulate());
        d.put("versusGaussian", spec.versusGaussianSeeds());
        if (spec.theory()) {
            d.put("ode", odeRecord(spec.ode()));
            d.put("spectralMethod", spec.spectralMethod().id());
            d.put("lanczos", spec.lanczos().toString());
        }
        return d;
    }

    private static OnlineCheckpoint resumable(Path file, JsonNode identity) {
        OnlineCheckpoint saved;
        try {
            saved = OnlineCheckpoint.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
        List<String> differences = saved.differences(identity);
        if (!differences.isEmpty()) {
            throw new InvalidInputException("resume", file.toString(), "checkpoint " + file + " must come from this "
                    + "same run, got one that differs in " + String.join("; ", differences), null);
        }
        return saved;
    }

    private static void writeCheckpoint(Path file, JsonNode identity, LearningCurve theory, SgdState state,
                                        double every) {
        try {
            new OnlineCheckpoint(identity, theory, state, every).write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** {@link #run(Generator, ProgressListener, boolean)} without keeping weights. */
    public OnlineResult run(Generator generator, ProgressListener progress) {
        return run(generator, progress, false);
    }

    /**
     * The theory from densities computed elsewhere (docs/theory.md §5.7), through the same entry point
     * as the generator path: K, M and the teacher input come from {@code init}, activations,
     * protocol and times from the spec; A comes from {@code init}. The simulation cannot run
     * (there is no generator), so it must be off.
     */
    public OnlineResult run(OdeInitialState init, Map<String, Object> initDescription) {
        return run(init, initDescription, ProgressListener.NONE, StopRequest.NEVER);
    }

    /**
     * As {@link #run(OdeInitialState, Map)}, reporting the integration to {@code progress} and
     * polling {@code stop} after every step.
     */
    public OnlineResult run(OdeInitialState init, Map<String, Object> initDescription, ProgressListener progress,
                            StopRequest stop) {
        if (spec.simulate() || spec.versusGaussianSeeds() > 0) {
            throw new InvalidInputException("run", "an initial state gives the theory only, got a simulation to run "
                    + "as well");
        }
        if (spec.spectralMethod() == SpectralMethod.LANCZOS) {
            throw new InvalidInputException("spectralMethod", "spectral method must be eigen or auto for given "
                    + "densities (Lanczos needs Omega, which they do not carry), got lanczos");
        }
        OnlineSpec given = spec.online();
        LearningProblem p = given.problem();
        OnlineSpec online = new OnlineSpec(new LearningProblem(init.studentHidden(), init.teacherHidden(),
                p.studentActivation(), p.teacherActivation(), init.teacherInput(), p.teacherSecondLayer()),
                given.protocol(), given.recording());
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("status", "completed");
        provenance.put("linearAlgebra", linearAlgebra.name());
        Map<String, Object> initRecord = new LinkedHashMap<>(initDescription);
        initRecord.put("N", init.size());
        initRecord.put("K", init.studentHidden());
        initRecord.put("M", init.teacherHidden());
        initRecord.put("delta", init.delta());
        initRecord.put("teacher", init.teacherInput().id());
        provenance.put("init", initRecord);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("studentActivation", online.studentActivation().id());
        d.put("teacherActivation", online.teacherActivation().id());
        d.put("learningRate", online.learningRate());
        d.put("train", online.trainedLayers().id());
        d.put("batchSize", online.batchSize());
        d.put("times", online.logTimes());
        provenance.put("spec", d);
        long t0 = System.nanoTime();
        LearningCurve theory = integrateReporting(online, init, progress, stop);
        Map<String, Object> record = eigenRecord(theory, init, spec.ode(), 0, System.nanoTime() - t0);
        record.put("spectral", Map.of("requested", spec.spectralMethod().id(), "method", SpectralMethod.EIGEN.id(),
                "reason", "given densities: the eigen-directions of the file"));
        provenance.put("theory", record);
        if (theory.termination().interrupted()) {
            provenance.put("status", "interrupted");
            provenance.put("interrupted", Map.of("by", stop.reason(), "theory", where(theory)));
        } else if (!theory.termination().completed()) {
            provenance.put("status", "stopped early");
        }
        return new OnlineResult(theory, null, null, init, null, provenance);
    }

    /** A recording for the theory-only path from given times (test set and seed unused). */
    public static Recording theoryRecording(double maxTime, double[] times) {
        return new Recording(maxTime, times, Recording.DEFAULT_TEST_SAMPLES, 0L);
    }

    static Map<String, Object> termination(LearningCurve.Termination t) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("completed", t.completed());
        if (t.interrupted()) {
            d.put("interrupted", true);
        }
        d.put("stoppedAt", t.stoppedAt());
        if (t.reason() != null) {
            d.put("reason", t.reason());
        }
        return d;
    }

    /** The integrator and its numbers, as provenance and checkpoints record them. */
    private static Map<String, Object> odeRecord(OdeOptions options) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("integrator", options.method().id());
        if (options.method() == OdeOptions.Method.ADAPTIVE) {
            d.put("rtol", options.relativeTolerance());
            d.put("atol", options.absoluteTolerance());
        } else {
            d.put("dt", options.dt());
        }
        d.put("mergeEigenvalues", options.eigenvalueMerging());
        return d;
    }

    /** How the theory ended and with which integrator. */
    private static Map<String, Object> theoryRecord(LearningCurve curve, OdeOptions options) {
        Map<String, Object> d = new LinkedHashMap<>(termination(curve.termination()));
        d.putAll(odeRecord(options));
        return d;
    }

    private static Map<String, Object> eigenRecord(LearningCurve curve, OdeInitialState init, OdeOptions options,
                                                   long setupNanos, long nanos) {
        Map<String, Object> d = theoryRecord(curve, options);
        d.put("eigenvalues", init.size());
        d.put("densities", DensityOdes.mergedEigenvalues(init.rho(), options.eigenvalueMerging()));
        d.put("setupSeconds", setupNanos / 1e9);
        d.put("integrationSeconds", nanos / 1e9);
        return d;
    }
}
