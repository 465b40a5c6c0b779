package org.gequiv.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import org.gequiv.activation.GaussianIntegrals;
import org.gequiv.activation.HermiteCoefficients;
import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.SymmetricEigen;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.online.DensityOdes;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OdeInitialState;
import org.gequiv.online.OdeIntegrator;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OdeTheory;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.TrainedLayers;
import org.gequiv.random.RandomStreams;
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
 * The ODE theory of issue 3 at the published size: N = 3072, D = 100, K = M = 2, erf, η = 0.2,
 * t = 100, on the analytic moments of a single-layer sign generator (docs/theory.md §2.3).
 *
 * <ul>
 *   <li>{@code setup}: eigendecomposition of Ω (3072 × 3072) and the projections (§5.7);
 *       the published C++ code needs ≈ 3 s; {@code eigendecomposition} is the LAPACK call alone;</li>
 *   <li>{@code euler}: 10⁴ Euler steps of dt = 0.01 ({@code OdeIntegrator.Euler}; published:
 *       ≈ 2.9 s);</li>
 *   <li>{@code adaptive}: the fused Dormand–Prince 5(4) ({@code OdeIntegrator.DormandPrince}, default
 *       step control) at relative tolerance {@code tolerance} (absolute tolerance/100). Largest relative error on ε_g, Q, R over the 200 output times against a
 *       1e-12 run (relative to max(|value|, 1e-3)): merged, 3.8e-4 at 1e-4 and 2.6e-6 at 1e-6;
 *       unmerged, 3.3e-3 and 1.1e-5; Euler with dt = 0.01, 6.3e-2. The step is limited by
 *       stability (the largest ρ), not by the tolerance: ~1800 evaluations from 1e-4 to 1e-6;</li>
 *   <li>{@code rhs}: one right-hand-side evaluation.</li>
 * </ul>
 * {@code merge} = 1e-12 (the default) integrates 101 densities, -1 all 3072: the latter is the
 * cost for a spectrum without repeated eigenvalues.
 * Run: {@code java -jar gequiv-bench/target/benchmarks.jar OdeBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class OdeBenchmark {

    @Param({"3072"})
    public int n;

    @Param({"1e-6"})
    public double tolerance;

    /**
     * Native BLAS threads for the eigendecomposition: 1 compares with the published one-core
     * figure (and avoids OpenBLAS spin-waiting on a shared machine).
     */
    @Param({"1"})
    public int blasThreads;

    /**
     * Eigenvalue merging of the ODE state ({@code OdeOptions.eigenvalueMerging}): the default
     * 1e-12 resolves the densities on the D + 1 = 101 distinct eigenvalues of this Ω (the bulk is
     * 2972-fold); -1 keeps all 3072, the cost for a spectrum without repeated eigenvalues.
     */
    @Param({"1e-12", "-1"})
    public double merge;

    static final int D = 100;
    static final int K = 2;
    static final int M = 2;
    static final double ETA = 0.2;
    static final double T_MAX = 100;

    Moments moments;
    TwoLayerNetwork teacher;
    TwoLayerNetwork student;
    OdeInitialState init;
    double[] times;
    double[][] y;
    double[][] dy;
    DensityOdes odes;

    @Setup(Level.Trial)
    public void setUp() {
        LinearAlgebra.get().setNativeThreads(blasThreads);
        moments = singleLayerSignMoments(n, D, 1);
        RandomGenerator rng = RandomStreams.stream(2, RandomStreams.TEACHER);
        double[] theta = new double[M * D];
        RandomStreams.fillGaussian(rng, theta, theta.length);
        teacher = new TwoLayerNetwork(M, D, theta, new double[] {1, 1}, StandardActivation.ERF);
        RandomGenerator srng = RandomStreams.stream(2, RandomStreams.STUDENT);
        double[] w = new double[K * n];
        RandomStreams.fillGaussian(srng, w, w.length);
        double[] v = new double[K];
        RandomStreams.fillGaussian(srng, v, K);
        student = new TwoLayerNetwork(K, n, w, v, StandardActivation.ERF);
        init = OdeInitialState.fromWeights(TeacherInput.LATENT, teacher, student, moments);
        times = OnlineSpec.logSpacedTimes(T_MAX, 200);
        odes = newOdes();
        y = odes.newState();
        dy = odes.newState();
        odes.initialState(y);
    }

    DensityOdes newOdes() {
        return new DensityOdes(init, GaussianIntegrals.create(StandardActivation.ERF, StandardActivation.ERF, K, M),
                ETA, TrainedLayers.BOTH, merge);
    }

    /** Ω = κ1² AAᵀ/D + κ*² I and Φ = κ1 A/√D for x = sign(Ac/√D), A Gaussian (docs/theory.md §2.3). */
    static Moments singleLayerSignMoments(int n, int d, long seed) {
        HermiteCoefficients h = StandardActivation.SIGN.hermite();
        double[] a = new double[n * d];
        RandomStreams.fillGaussian(RandomStreams.stream(seed, RandomStreams.GENERATOR_WEIGHTS), a, a.length);
        double[] omega = new double[n * n];
        LinearAlgebra.get().gemm(false, true, n, n, d, h.kappa1() * h.kappa1() / d, a, a, 0.0, omega);
        double ks2 = h.kappaStar() * h.kappaStar();
        for (int i = 0; i < n; i++) {
            omega[i * n + i] += ks2;
        }
        double[] phi = new double[n * d];
        double s = h.kappa1() / Math.sqrt(d);
        for (int i = 0; i < phi.length; i++) {
            phi[i] = s * a[i];
        }
        return new Moments(n, d, new double[n], omega, phi, 0, Map.of("generator", "single-layer sign (bench)"));
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public OdeInitialState setup() {
        return OdeInitialState.fromWeights(TeacherInput.LATENT, teacher, student, moments);
    }

    /** The eigendecomposition of Ω alone, the bound of {@link #setup}. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public SymmetricEigen eigendecomposition() {
        return LinearAlgebra.get().symmetricEigen(n, moments.omega());
    }

    @Benchmark
    public LearningCurve euler() {
        return OdeTheory.integrate(newOdes(), times, OdeOptions.of(new OdeIntegrator.Euler(OdeOptions.DEFAULT_DT)));
    }

    @Benchmark
    public LearningCurve adaptive() {
        return OdeTheory.integrate(newOdes(), times,
                OdeOptions.of(OdeIntegrator.DormandPrince.withTolerances(tolerance, tolerance * 1e-2)));
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double[][] rhs() {
        odes.derivatives(y, dy);
        return dy;
    }
}
