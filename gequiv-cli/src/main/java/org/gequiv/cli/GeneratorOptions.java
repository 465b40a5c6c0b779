package org.gequiv.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.Generator;
import org.gequiv.generator.GeneratorSpec;
import org.gequiv.generator.Moments;
import org.gequiv.moments.GeneratorWithMoments;
import org.gequiv.moments.MomentsFile;

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

    @Option(names = "-N", defaultValue = "1000", description = "Input dimension N. Default: ${DEFAULT-VALUE}.")
    int inputDim;

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

    GeneratorSpec spec(long seed) {
        if (inputDim < 1) {
            throw new BadInputException("-N must be >= 1, got " + inputDim);
        }
        if (latentDim < 1) {
            throw new BadInputException("-D must be >= 1, got " + latentDim);
        }
        if (depth < 1) {
            throw new BadInputException("--depth must be >= 1, got " + depth);
        }
        if (!GeneratorSpec.KINDS.contains(generator.trim().toLowerCase(java.util.Locale.ROOT))) {
            throw new BadInputException("--generator must be one of " + String.join(", ", GeneratorSpec.KINDS)
                    + ", got '" + generator + "'");
        }
        return new GeneratorSpec(generator, inputDim, latentDim, depth, hiddenWidth,
                option("--gen-activation", () -> StandardActivation.byId(activation)),
                option("--covariance-rule", () -> CovarianceRule.byId(covarianceRule)), seed);
    }

    /** The seed of the generator's weights: --gen-seed, or the command's master seed. */
    long weightsSeed(long masterSeed) {
        return generatorSeed != null ? generatorSeed : masterSeed;
    }

    Generator build(long masterSeed) {
        long seed = weightsSeed(masterSeed);
        Generator g = DeepGenerators.build(generator, seed);
        if (g == null) {
            GeneratorSpec spec = spec(seed);
            g = option("--generator", spec::build);
        }
        if (moments == null) {
            return g;
        }
        Generator base = g;
        try {
            return option("--moments", () -> {
                Moments loaded = readMoments(moments, base.inputDimension(), base.latentDimension());
                MomentsFile.checkGenerator(loaded, base);
                return GeneratorWithMoments.centred(base, loaded);
            });
        } catch (UncheckedIOException e) {
            throw new BadInputException("--moments: " + e.getCause().getMessage(), e);
        }
    }

    /**
     * The moments a --versus-gaussian comparison builds the Gaussian equivalent from: the
     * generator's analytic ones (a --moments file supplies them for generators without).
     */
    static Moments momentsForGaussianEquivalent(Generator generator) {
        return generator.analyticMoments().orElseThrow(() -> new BadInputException(
                "--versus-gaussian: --generator " + generator.id() + " has no analytic moments; pass --moments M.npz"));
    }

    /** The seeds of a --versus-gaussian comparison over {@code count} seeds: seed, seed + 1, …. */
    static long[] consecutiveSeeds(long seed, int count) {
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = seed + i;
        }
        return seeds;
    }

    private static Moments readMoments(Path file, int n, int d) {
        try {
            return MomentsFile.read(file, n, d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Evaluates {@code body}, prefixing any IllegalArgumentException with the option's name. */
    static <T> T option(String name, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(name + ": " + e.getMessage(), e);
        }
    }
}
