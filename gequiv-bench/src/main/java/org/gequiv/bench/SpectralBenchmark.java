package org.gequiv.bench;

import java.util.concurrent.TimeUnit;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.OdeInitialState;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.TrainedLayers;
import org.gequiv.spectral.BlockGaussRule;
import org.gequiv.spectral.BlockLanczos;
import org.gequiv.spectral.CovarianceOperator;
import org.gequiv.spectral.ExplicitCovariance;
import org.gequiv.spectral.KernelCovariance;
import org.gequiv.spectral.LanczosOptions;
import org.gequiv.spectral.PlainMeasure;
import org.gequiv.spectral.SpectralInitialState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Set-up of the ODE theory (issue 14, docs/theory.md §5.12) on the default online case (K = M = 2,
 * teacher on the latent, D = 100) at N = {@code n}, single-layer generator with the exact analytic
 * Ω of {@code activation}, in one run:
 * <ul>
 *   <li>{@code eigenSetup}: the reference, eigendecomposition of Ω and the projections (§5.7);</li>
 *   <li>{@code eigenvaluesOnly}: LAPACK without eigenvectors, the exact plain measure;</li>
 *   <li>{@code lanczosRule}: {@code steps} block steps from the 4 vectors [w, Φθ] and the block
 *       Gauss rule (the projected measure);</li>
 *   <li>{@code lanczosExact}: rule + eigenvalues-only plain measure + initial state;</li>
 *   <li>{@code lanczosStochastic}: rule + stochastic plain measure (16 probes,
 *       {@code LanczosOptions.DEFAULT_PROBE_STEPS} = 8 steps, matched to N, tr Ω, tr Ω²) + initial
 *       state;</li>
 *   <li>{@code lanczosDeflated}: what the Lanczos path runs before integrating with the deflated
 *       plain measure: the rule's first 12 steps (the first adaptive round) in the Ω products of
 *       the deflated measure (Ω[Φ, G], its 2-step block, 16 probes in 4 independent processes × 8
 *       steps, matched;
 *       {@code BlockLanczos.extendTogether}), the rest of the rule, the initial state, Ω read from
 *       the moments' heap array in every product (held once) — the A/B partner of
 *       {@code eigenSetup}; {@code lanczosDeflatedApart} the same with rule and measure in products
 *       of their own;</li>
 *   <li>{@code lanczosSetup}: what {@code SpectralTheory} runs before integrating with the default
 *       options (plain measure {@code auto}: {@code lanczosDeflated} above
 *       {@code PlainMeasure.EIGENVALUES_LIMIT} when the deflation block fits its cap
 *       ({@code PlainMeasure.deflationFits}), {@code lanczosEigenvalues} otherwise) — the A/B
 *       partner of {@code eigenSetup}; {@code lanczosEigenvalues} the rule and the eigenvalues
 *       compressed to 64 nodes, auto's fallback when the deflated estimate misses;</li>
 *   <li>{@code kernelProduct}: one matrix-free Ω·V for the 4 vectors;</li>
 *   <li>{@code residentOmega}: Ω evaluated once from the kernel into native row blocks (the path of
 *       {@code gequiv online} above N = 8192), and {@code residentProduct} one Ω·V on it.</li>
 * </ul>
 * Run: {@code java -jar gequiv-bench/target/benchmarks.jar SpectralBenchmark -f 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class SpectralBenchmark {

    @Param({"3072"})
    public int n;

    @Param({"sign", "tanh"})
    public String activation;

    /**
     * Block steps of the projected measure (24 meets 1e-6 on this case with a wide margin; the
     * adaptive choice at the default tolerance reaches 16 on sign and 25 on tanh).
     */
    @Param({"24"})
    public int steps;

    /** Native BLAS threads: 1 avoids OpenBLAS spin-waiting on a shared machine. */
    @Param({"1"})
    public int blasThreads;

    static final int D = 100;
    /**
     * Steps of the adaptive rule's first round (m = 8 compared with 8 + max(Δm, m/4) = 12); SpectralTheory
     * runs at least these, and as many as the plain measure's products carry, in those products.
     */
    static final int FIRST_ROUND_STEPS = LanczosOptions.INITIAL_STEPS
            + Math.max(LanczosOptions.DEFAULT_CHECK_STEPS, LanczosOptions.INITIAL_STEPS / LanczosOptions.GROWTH_DIVISOR);

    DeepRandomGenerator generator;
    Moments moments;
    OnlineProblem problem;
    ExplicitCovariance omega;
    KernelCovariance kernel;
    CovarianceOperator resident;
    double[] block;

    @Setup(Level.Trial)
    public void setUp() {
        LinearAlgebra.get().setNativeThreads(blasThreads);
        generator = DeepRandomGenerator.singleLayer(D, n, StandardActivation.byId(activation), CovarianceRule.EXACT, 0);
        moments = generator.analyticMoments().orElseThrow();
        OnlineSpec spec = new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.LATENT, 0.2,
                100, TrainedLayers.BOTH, 1, 100, OnlineSpec.logSpacedTimes(100, 200), 1.0, 0);
        problem = OnlineProblem.initialise(spec, generator);
        omega = ExplicitCovariance.of(moments);
        kernel = KernelCovariance.of(generator);
        resident = kernel.resident();
        block = SpectralInitialState.blockVectors(TeacherInput.LATENT, problem.teacher(), problem.student(), omega);
    }

    @Benchmark
    public OdeInitialState eigenSetup() {
        return OdeInitialState.fromProblem(problem, moments);
    }

    @Benchmark
    public double[] eigenvaluesOnly() {
        return LinearAlgebra.get().symmetricEigenvalues(n, moments.omega());
    }

    @Benchmark
    public BlockGaussRule lanczosRule() {
        BlockLanczos lanczos = new BlockLanczos(omega, 4, block);
        lanczos.extend(steps);
        return lanczos.gaussRule(lanczos.steps());
    }

    @Benchmark
    public OdeInitialState lanczosExact() {
        return SpectralInitialState.of(TeacherInput.LATENT, problem.teacher(), problem.student(), n, D, lanczosRule(),
                PlainMeasure.eigenvalues(n, moments.omega()));
    }

    @Benchmark
    public OdeInitialState lanczosStochastic() {
        return SpectralInitialState.of(TeacherInput.LATENT, problem.teacher(), problem.student(), n, D, lanczosRule(),
                PlainMeasure.stochastic(omega, 16, LanczosOptions.DEFAULT_PROBE_STEPS, 0, omega.powerTraces()));
    }

    @Benchmark
    public OdeInitialState lanczosDeflated() {
        // what SpectralTheory runs before integrating with --plain-measure deflated: the rule's first
        // round of steps in the Ω products of the deflated measure
        ExplicitCovariance fresh = ExplicitCovariance.of(moments);
        BlockLanczos rule = new BlockLanczos(fresh, 4, block);
        PlainMeasure plain = PlainMeasure.deflated(fresh, LanczosOptions.DEFAULT_PROBES,
                LanczosOptions.DEFAULT_PROBE_STEPS, LanczosOptions.DEFLATION_STEPS, 0, fresh.powerTraces(), rule,
                Math.min(steps, Math.max(FIRST_ROUND_STEPS, PlainMeasure.sharedProducts(PlainMeasure.Method.DEFLATED,
                        LanczosOptions.DEFAULT_PROBE_STEPS, LanczosOptions.DEFLATION_STEPS))),
                LanczosOptions.DEFAULT_PLAIN_STEPS);
        rule.extend(steps);
        return SpectralInitialState.of(TeacherInput.LATENT, problem.teacher(), problem.student(), n, D,
                rule.gaussRule(steps), plain);
    }

    @Benchmark
    public OdeInitialState lanczosDeflatedApart() {
        return SpectralInitialState.of(TeacherInput.LATENT, problem.teacher(), problem.student(), n, D, lanczosRule(),
                PlainMeasure.deflated(omega, LanczosOptions.DEFAULT_PROBES, LanczosOptions.DEFAULT_PROBE_STEPS,
                        LanczosOptions.DEFLATION_STEPS, 0, omega.powerTraces()));
    }

    @Benchmark
    public OdeInitialState lanczosSetup() {
        return n <= PlainMeasure.EIGENVALUES_LIMIT || !PlainMeasure.deflationFits(n, D) ? lanczosEigenvalues()
                : lanczosDeflated();
    }

    @Benchmark
    public OdeInitialState lanczosEigenvalues() {
        LanczosOptions options = LanczosOptions.defaults();
        return SpectralInitialState.of(TeacherInput.LATENT, problem.teacher(), problem.student(), n, D, lanczosRule(),
                PlainMeasure.eigenvalues(n, moments.omega()).compressed(options.plainSteps()));
    }

    @Benchmark
    public CovarianceOperator residentOmega() {
        return kernel.resident();
    }

    @Benchmark
    public double[] residentProduct() {
        double[] out = new double[4 * n];
        resident.apply(4, block, out);
        return out;
    }

    @Benchmark
    public double[] kernelProduct() {
        double[] out = new double[4 * n];
        kernel.apply(4, block, out);
        return out;
    }
}
