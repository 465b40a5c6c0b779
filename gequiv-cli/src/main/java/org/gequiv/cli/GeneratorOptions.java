package org.gequiv.cli;

import java.nio.file.Path;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.Generator;
import org.gequiv.generator.GeneratorSpec;
import org.gequiv.generator.Moments;
import org.gequiv.generator.Precision;
import org.gequiv.moments.GeneratorWithMoments;
import org.gequiv.moments.MomentsFile;
import org.gequiv.experiment.SeedRules;
import org.gequiv.validation.MemoryEstimate;

import picocli.CommandLine.Option;

/** Options that choose and build the data generator; shared by every command that needs data. */
final class GeneratorOptions {

    @Option(names = "--generator", defaultValue = "single-layer", paramLabel = "KIND",
            description = "Data generator: single-layer, deep-random, gaussian-single-layer, gaussian-deep-random "
                    + "(the Gaussian equivalent of either, built from the analytic moments), or a deep generator "
                    + "with fixed dimensions: " + DeepGenerators.KINDS + ". Default: ${DEFAULT-VALUE}.")
    String generator;

    @Option(names = "--moments", paramLabel = "FILE.npz",
            description = "Moments (mean_x, omega, phi) of the generator from 'gequiv moments', used instead of "
                    + "computing them; the inputs are then centred, x = G(c) − mean_x (docs/theory.md §1.1). Refused "
                    + "when its N, D differ from the generator's.")
    Path moments;

    @Option(names = "--gen-seed", paramLabel = "SEED",
            description = "Seed of the generator's weights; default: --seed. Fix it to vary teacher, student and data "
                    + "over --seed on one generator (and its --moments file).")
    Long generatorSeed;

    @Option(names = "--gen-activation", defaultValue = "sign", paramLabel = "G",
            description = "Activation of the generator's layers: linear, erf, relu, sign, tanh. Default: ${DEFAULT-VALUE}.")
    String activation;

    /** Default -N. */
    static final int DEFAULT_INPUT_DIM = 1000;

    @Option(names = "-N", defaultValue = "" + DEFAULT_INPUT_DIM, description = "Input dimension N. Default: ${DEFAULT-VALUE}.")
    int inputDim = DEFAULT_INPUT_DIM;

    @Option(names = "-D", defaultValue = "100", description = "Latent dimension D. Default: ${DEFAULT-VALUE}.")
    int latentDim;

    @Option(names = "--depth", defaultValue = "4",
            description = "Layers of the deep-random generator (single-layer ignores it). Default: ${DEFAULT-VALUE}.")
    int depth;

    @Option(names = "--hidden-width", defaultValue = "0",
            description = "Width of the deep-random generator's hidden layers; 0 means D. Default: ${DEFAULT-VALUE}.")
    int hiddenWidth;

    @Option(names = "--covariance-rule", defaultValue = "exact", paramLabel = "RULE",
            description = "Analytic moments: 'exact' (Gaussian kernels with the actual pre-activation variances) or "
                    + "'linearised' (the published recursion, docs/theory.md §2.4). Default: ${DEFAULT-VALUE}.")
    String covarianceRule;

    /**
     * Default --precision: the one place the command line's default arithmetic is written. The option
     * itself has no picocli default so that an explicit float32 can be refused for generators that
     * sample in float64 only.
     */
    static final String DEFAULT_PRECISION = "float32";

    @Option(names = "--precision", paramLabel = "P",
            description = "Arithmetic of the dcgan and nvp generators' forward pass: float32 (SGEMM, as PyTorch computes "
                    + "it; the DCGAN about twice, the real NVP several times as fast) or float64 (the reference; samples "
                    + "differ by ~1e-6 relative). Default: " + DEFAULT_PRECISION + ". The single-layer and deep-random "
                    + "generators sample in float64 only (their theory is their analytic float64 kernel, and float32 "
                    + "would flip sign outputs near 0): float32 is refused for them. ONNX models compute in their own "
                    + "precision.")
    String precision;

    /** The mapping from the generator spec's fields to these options. */
    static final OptionMap NAMES = new OptionMap("kind", "--generator", "inputDim", "-N", "latentDim", "-D",
            "depth", "--depth", "hiddenWidth", "--hidden-width", "activation", "--gen-activation",
            "rule", "--covariance-rule");

    GeneratorSpec spec(long seed) {
        String kind = generator == null ? "" : generator.trim().toLowerCase(java.util.Locale.ROOT);
        if (!GeneratorSpec.KINDS.contains(kind) && !DeepGenerators.isDeep(kind)) {
            // every kind this option takes, the library's families and the command line's deep generators
            throw new BadInputException("--generator must be one of " + String.join(", ", GeneratorSpec.KINDS) + ", "
                    + DeepGenerators.KINDS + ", got '" + generator + "'");
        }
        StandardActivation g = option("--gen-activation", () -> StandardActivation.byId(activation));
        CovarianceRule r = option("--covariance-rule", () -> CovarianceRule.byId(covarianceRule));
        return NAMES.apply(() -> new GeneratorSpec(generator, inputDim, latentDim, depth, hiddenWidth, g, r, seed));
    }

    /** The seed of the generator's weights: --gen-seed, or the command's master seed ({@link SeedRules}). */
    long weightsSeed(long masterSeed) {
        return SeedRules.generatorWeights(masterSeed, generatorSeed);
    }

    /**
     * Whether the generator's Ω has an analytic kernel the theory can evaluate without a moments
     * record (single-layer, deep-random: {@link GeneratorSpec#hasAnalyticKernel()}), not overridden
     * by --moments.
     */
    boolean hasAnalyticKernel() {
        if (moments != null || isFixedSize()) {
            return false;
        }
        String kind = generator == null ? "" : generator.trim().toLowerCase(java.util.Locale.ROOT);
        return GeneratorSpec.KINDS.contains(kind) && GeneratorSpec.hasAnalyticKernel(kind);
    }

    /** Whether --generator names a generator of fixed size (deep generators, sample files). */
    boolean isFixedSize() {
        return DeepGenerators.isDeep(generator);
    }

    /**
     * The generator of the options with weights from the master seed (or --gen-seed); with
     * --moments it reports the file's moments (the experiment centres it, docs/theory.md §1.1).
     */
    Generator build(long masterSeed) {
        return build(masterSeed, null, null);
    }

    /** The memory of a run at a generator's dimensions N, D (its checks of N may throw). */
    interface Sizing {
        MemoryEstimate at(int inputDim, int latentDim);
    }

    /** The names of the spec fields N and D of a family generator: -N and -D, whatever the command calls them. */
    private static final OptionMap FAMILY_SIZE_NAMES = new OptionMap("inputDim", "-N", "latentDim", "-D", "n", "-N",
            "d", "-D", "inputDimension", "-N");

    /** The names of the spec fields N and D of a fixed-size generator: its file, not -N and -D. */
    private static final OptionMap FIXED_SIZE_NAMES = new OptionMap("inputDim", "--generator", "latentDim",
            "--generator", "n", "--generator", "inputDimension", "--generator");

    /**
     * {@link #build(long)} with the run's memory checked ({@link Resources}) against the heap
     * before anything large is allocated: a family generator is checked at -N, -D before it is
     * built (its own weights included); a fixed-size one is built first (its dimensions come from
     * its file) and checked at its N, D.
     *
     * @param sizing  the run's memory at N, D; null for no check
     * @param command the command's field → option names (before this class's own)
     */
    Generator build(long masterSeed, Sizing sizing, OptionMap command) {
        long seed = weightsSeed(masterSeed);
        Precision p = precision == null ? Precision.byId(DEFAULT_PRECISION) : option("--precision", () -> Precision.byId(precision));
        Generator g = DeepGenerators.build(generator, seed, p);
        if (g == null) {
            if (precision != null && p == Precision.FLOAT32) {
                throw new BadInputException("--precision must be float64 for --generator " + generator.trim()
                        + " (float32 is for the dcgan and nvp networks; this generator samples in float64, the "
                        + "arithmetic of its analytic moments), got " + precision);
            }
            GeneratorSpec spec = spec(seed);
            if (sizing != null) {
                OptionMap names = FAMILY_SIZE_NAMES.and(command).and(NAMES);
                MemoryEstimate run = names.apply(() -> sizing.at(inputDim, latentDim));
                Resources.check(spec.memory().plus(run), names);
            }
            g = option("--generator", spec::build);
        } else if (sizing != null) {
            OptionMap names = FIXED_SIZE_NAMES.and(command);
            Generator built = g;
            Resources.check(names.apply(() -> sizing.at(built.inputDimension(), built.latentDimension())), names);
        }
        if (moments == null) {
            return g;
        }
        Generator base = g;
        Moments loaded = Inputs.read("--moments", moments, () -> {
            Moments m = MomentsFile.read(moments, base.inputDimension(), base.latentDimension());
            MomentsFile.checkGenerator(m, base);
            return m;
        });
        return option("--moments", () -> new GeneratorWithMoments(base, loaded));
    }

    /**
     * Evaluates the parse of an option's text, reporting an IllegalArgumentException as bad input
     * of that option (see {@link OptionMap#parse}); only around parsing, never around computations.
     */
    static <T> T option(String name, java.util.function.Supplier<T> body) {
        return NO_FIELDS.parse(name, body);
    }

    private static final OptionMap NO_FIELDS = new OptionMap();
}
