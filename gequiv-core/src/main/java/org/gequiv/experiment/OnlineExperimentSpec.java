package org.gequiv.experiment;

import org.gequiv.online.OdeOptions;
import org.gequiv.online.OnlineSimulation;
import org.gequiv.online.OnlineSpec;
import org.gequiv.spectral.KernelCovariance;
import org.gequiv.spectral.LanczosOptions;
import org.gequiv.spectral.PlainMeasure;
import org.gequiv.spectral.SpectralMethod;
import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;
import org.gequiv.validation.MemoryEstimate;

/**
 * Everything an online experiment does (docs/theory.md §1.4, §5, §2.2): the learning problem, SGD
 * protocol and recording of {@link OnlineSpec}, whether the ODE theory and the SGD simulation run,
 * the integrator, and how many seeds the Gaussian-twin comparison runs (0: none). Validated once,
 * here; immutable.
 *
 * <p>Spec fields named by {@link InvalidInputException#field()}: {@code run} (nothing to compute),
 * {@code ode}, {@code versusGaussianSeeds}, besides those of the parts of {@link OnlineSpec}.
 *
 * @param online              problem, protocol, recording
 * @param theory              integrate the ODEs of the order-parameter densities (§5)
 * @param simulate            run SGD on samples of the generator (§1.4)
 * @param ode                 the integrator; required when {@code theory}
 * @param versusGaussianSeeds S ≥ 0 seeds of the twin comparison (seeds s … s + S − 1, {@link SeedRules})
 * @param sampleAhead         the simulation draws the blocks of samples ahead on worker threads,
 *                            one per core ({@code OnlineSimulation#aheadThreads}), instead of on
 *                            the SGD thread (results are identical either way)
 * @param spectralMethod      how the theory gets the spectral data of Ω (§5.12): eigen (the
 *                            reference), lanczos, or auto (Lanczos when its error estimate meets
 *                            the tolerance of {@code lanczos}, eigen otherwise)
 * @param lanczos             the settings of the Lanczos path (steps or tolerance, plain measure)
 */
public record OnlineExperimentSpec(OnlineSpec online, boolean theory, boolean simulate, OdeOptions ode,
                                   int versusGaussianSeeds, boolean sampleAhead, SpectralMethod spectralMethod,
                                   LanczosOptions lanczos) {

    /**
     * The spectral method of the theory when none is given: {@link SpectralMethod#AUTO} (see
     * docs/theory.md §5.12 for the measurements behind the choice).
     */
    public static final SpectralMethod DEFAULT_SPECTRAL_METHOD = SpectralMethod.AUTO;

    public OnlineExperimentSpec {
        Checks.given("online", online);
        Checks.given("spectralMethod", spectralMethod);
        Checks.given("lanczos", lanczos);
        if (!theory && !simulate) {
            throw new InvalidInputException("run", "nothing to compute: the theory and the simulation are both off");
        }
        if (theory) {
            Checks.given("ode", ode);
        }
        Checks.atLeast("versusGaussianSeeds", versusGaussianSeeds, 0);
    }

    /**
     * The most samples t·N one run may draw (and the most steps a fixed-step integrator may take):
     * 2^40 ≈ 1.1·10^12, days of SGD even at small N. Beyond it a run cannot finish, and a time of
     * 1e300 would otherwise run until killed.
     */
    public static final long MAX_SAMPLES = 1L << 40;

    /**
     * Refuses a run that cannot finish at input dimension {@code inputDim}: more than
     * {@link #MAX_SAMPLES} samples t·N, or, for a fixed-step integrator, more than that many steps
     * t/dt.
     *
     * @throws InvalidInputException for {@code maxTime} (or {@code dt})
     */
    public void checkDuration(int inputDim) {
        double samples = online.maxTime() * inputDim;
        if (!(samples <= MAX_SAMPLES)) {
            throw new InvalidInputException("maxTime", "maxTime must be <= " + (double) MAX_SAMPLES / inputDim
                    + " at N = " + inputDim + " (at most 2^40 samples t·N in one run), got " + online.maxTime());
        }
        if (theory && ode.method() != OdeOptions.Method.ADAPTIVE && !(online.maxTime() / ode.dt() <= MAX_SAMPLES)) {
            throw new InvalidInputException("dt", "dt must be >= " + online.maxTime() / MAX_SAMPLES
                    + " for maxTime " + online.maxTime() + " (at most 2^40 steps), got " + ode.dt());
        }
    }

    /**
     * The memory of this experiment at input dimension N and latent dimension D (the generator's
     * own weights are {@code GeneratorSpec.memory()}): for the simulation the fixed test set
     * (testSamples × (N + K + M + 1)), the weights and the sample blocks, per concurrent seed of the
     * twin comparison; for the theory Ω, its eigenvectors and a work copy (3 N²), Φ (N·D), the
     * K·M·N initial overlaps and the order-parameter densities, (K(K+1)/2 + K·M + M² + K) per
     * eigenvalue, times the 10 copies of the Dormand–Prince stages; two figures.
     */
    public MemoryEstimate memory(int inputDim, int latentDim) {
        long n = inputDim;
        long d = latentDim;
        long k = online.studentHidden();
        long m = online.teacherHidden();
        MemoryEstimate.Builder b = MemoryEstimate.builder();
        if (simulate) {
            long twins = versusGaussianSeeds > 0 ? 2 : 1;
            b.doubles("testSamples", "test set: testSamples × N doubles", twins, online.testSamples(), n);
            b.doubles("testSamples", "test-set fields: testSamples × (K + M + 1) doubles", twins, online.testSamples(),
                    k + m + 1);
            b.doubles("studentHidden", "student and teacher weights: (K + M) × N doubles", twins, k + m, n);
            long buffers = sampleAhead ? OnlineSimulation.aheadThreads() + 1L : 1;
            b.doubles("inputDim", "sample blocks: (sampling threads + 1) × 256 × (N + D) doubles", buffers * twins,
                    OnlineSimulation.BLOCK, n + d);
        }
        if (theory || versusGaussianSeeds > 0) {
            b.doubles("inputDim", "Ω, its eigenvectors and a work copy: 3 × N² doubles", 3, n, n);
            b.doubles("inputDim", "Φ: N × D doubles", 1, n, d);
        }
        if (theory) {
            b.doubles("studentHidden", "initial overlaps: K × M × N doubles", 1, k, m, n);
            long perDensity = MemoryEstimate.saturatedAdd(MemoryEstimate.product(k, k + 1) / 2,
                    MemoryEstimate.saturatedAdd(MemoryEstimate.product(k, m), MemoryEstimate.product(m, m) + k));
            b.doubles("studentHidden", "order-parameter densities and integrator stages: 10 × N × (K(K+1)/2 + K·M "
                    + "+ M² + K) doubles", MemoryEstimate.product(10, perDensity), n);
        }
        return b.figures(versusGaussianSeeds > 0 ? 2 : 1).build();
    }

    /**
     * Whether the theory takes Ω from the generator's analytic kernel ({@link
     * org.gequiv.spectral.KernelCovariance#resident()}, N² doubles once, outside the Java heap) rather
     * than from its moments record (Ω on the heap, validated on a copy, with its eigendecomposition
     * on the eigen path, 3 N²): the Lanczos path (lanczos or auto) above {@link
     * PlainMeasure#EXACT_LIMIT}, where the plain measure is stochastic anyway, on a generator with a
     * kernel, without the Gaussian twin (which needs the explicit Ω). There auto keeps Lanczos
     * whatever its estimate (no eigen fallback: that would need the 3 N² this path avoids); run.json
     * records the estimate.
     *
     * @param hasKernel whether the generator's Ω has an analytic kernel (the single-layer and deep
     *                  random generators)
     */
    public boolean omegaFromKernel(int inputDim, boolean hasKernel) {
        return theory && hasKernel && spectralMethod != SpectralMethod.EIGEN && versusGaussianSeeds == 0
                && inputDim > PlainMeasure.EXACT_LIMIT;
    }

    /**
     * This spec for a run whose theory must leave its eigen-directions (to be saved as an initial
     * state, whose format holds eigen-directions, not Lanczos nodes with their noise weights): auto
     * becomes eigen; eigen, or no theory, stays as it is.
     *
     * @throws InvalidInputException (field {@code eigenDirections}) when lanczos was asked for
     */
    public OnlineExperimentSpec keepingEigenDirections() {
        if (!theory || spectralMethod == SpectralMethod.EIGEN) {
            return this;
        }
        if (spectralMethod == SpectralMethod.LANCZOS) {
            throw new InvalidInputException("eigenDirections", "spectral method must be eigen or auto to keep the "
                    + "eigen-directions (an initial-state file holds eigen-directions, not Lanczos nodes and their "
                    + "weights), got lanczos");
        }
        return new OnlineExperimentSpec(online, theory, simulate, ode, versusGaussianSeeds, sampleAhead,
                SpectralMethod.EIGEN, lanczos);
    }

    /**
     * {@link #memory(int, int)} for a generator with or without an analytic kernel: with Ω from the
     * kernel ({@link #omegaFromKernel}) the theory holds Ω once (N², off the heap but counted) and
     * the Lanczos bases — (K + M)(m_max + 1) vectors of the projected measure, r(3 + 2) of
     * the deflation block (r = {@link PlainMeasure#deflationRank}) and P(s + 1) of the probes — instead of 3 N².
     */
    public MemoryEstimate memory(int inputDim, int latentDim, boolean hasKernel) {
        if (!omegaFromKernel(inputDim, hasKernel)) {
            return memory(inputDim, latentDim);
        }
        OnlineExperimentSpec withoutTheory = new OnlineExperimentSpec(online, false, true, ode, 0, sampleAhead,
                spectralMethod, lanczos);
        MemoryEstimate.Builder b = MemoryEstimate.builder();
        if (simulate) {
            b.add(withoutTheory.memory(inputDim, latentDim));
        } else {
            b.figures(1);
        }
        long n = inputDim;
        long p = online.studentHidden() + online.teacherHidden();
        long rowBlocks = (n + KernelCovariance.ROW_BLOCK - 1) / KernelCovariance.ROW_BLOCK;
        b.doubles("inputDim", "Ω evaluated once from the kernel: N² doubles in blocks of " + KernelCovariance.ROW_BLOCK
                + " rows", rowBlocks, KernelCovariance.ROW_BLOCK, n);
        b.doubles("inputDim", "Φ: N × D doubles", 1, n, latentDim);
        long vectors = MemoryEstimate.saturatedAdd(MemoryEstimate.product(p, lanczos.maxBlockSteps() + 1L),
                MemoryEstimate.saturatedAdd(MemoryEstimate.product(PlainMeasure.deflationRank(inputDim, latentDim),
                        LanczosOptions.DEFLATION_STEPS + 2L), MemoryEstimate.product(lanczos.probes(),
                        lanczos.probeSteps() + 1L)));
        b.doubles("inputDim", "Lanczos bases: N × ((K + M)(m_max + 1) + r·5 + P(s + 1)) doubles, r = min(D + 8, N/8)", 1, vectors, n);
        return b.build();
    }

    /** With the {@link #DEFAULT_SPECTRAL_METHOD} and {@link LanczosOptions#defaults()}. */
    public OnlineExperimentSpec(OnlineSpec online, boolean theory, boolean simulate, OdeOptions ode,
                                int versusGaussianSeeds, boolean sampleAhead) {
        this(online, theory, simulate, ode, versusGaussianSeeds, sampleAhead, DEFAULT_SPECTRAL_METHOD,
                LanczosOptions.defaults());
    }

    /** Theory and simulation with the default integrator, no twin comparison, sampling ahead. */
    public static OnlineExperimentSpec of(OnlineSpec online) {
        return new OnlineExperimentSpec(online, true, true, OdeOptions.defaults(), 0, true);
    }
}
