package org.gequiv.generator;

import java.util.List;
import java.util.Locale;

import org.gequiv.activation.Activation;

/**
 * A generator named by the user, with the parameters that build it. Known kinds:
 * {@code single-layer} (x = σ(Ac/√D), §2.3), {@code deep-random} (§2.4), and the Gaussian
 * equivalent of either, {@code gaussian-single-layer} and {@code gaussian-deep-random} (§2.2,
 * built from the analytic moments).
 *
 * @param kind        generator kind, one of {@link #KINDS}
 * @param inputDim    N ≥ 1
 * @param latentDim   D ≥ 1
 * @param depth       L ≥ 1 (deep-random only; single-layer has depth 1)
 * @param hiddenWidth width of the hidden layers of deep-random (0 means D)
 * @param activation  σ of every generator layer
 * @param rule        covariance rule of the analytic moments
 * @param seed        seed of the generator's weights
 */
public record GeneratorSpec(String kind, int inputDim, int latentDim, int depth, int hiddenWidth,
                            Activation activation, CovarianceRule rule, long seed) {

    /** The generator kinds built here. */
    public static final List<String> KINDS =
            List.of("single-layer", "deep-random", "gaussian-single-layer", "gaussian-deep-random");

    public GeneratorSpec {
        kind = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw new org.gequiv.validation.InvalidInputException("kind", "kind must be one of "
                    + String.join(", ", KINDS) + ", got '" + kind + "'");
        }
        org.gequiv.validation.Checks.atLeast("inputDim", inputDim, 1);
        org.gequiv.validation.Checks.atLeast("latentDim", latentDim, 1);
        org.gequiv.validation.Checks.atLeast("depth", depth, 1);
        org.gequiv.validation.Checks.atLeast("hiddenWidth", hiddenWidth, 0);
        org.gequiv.validation.Checks.given("activation", activation);
        org.gequiv.validation.Checks.given("rule", rule);
    }

    /**
     * Memory of the generator itself: its weights (N·D for single-layer; D·h, (L − 2)·h², N·h for
     * deep-random with hidden width h) and, for a Gaussian equivalent, its Ω and Cholesky factor
     * (2 N²).
     */
    public org.gequiv.validation.MemoryEstimate memory() {
        org.gequiv.validation.MemoryEstimate.Builder b = org.gequiv.validation.MemoryEstimate.builder();
        boolean single = kind.endsWith("single-layer");
        long h = single || hiddenWidth == 0 ? latentDim : hiddenWidth;
        if (single || depth == 1) {
            b.doubles("inputDim", "generator weights: N × D doubles", 1, inputDim, latentDim);
        } else {
            b.doubles("hiddenWidth", "generator weights: hidden width × D doubles", 1, h, latentDim);
            b.doubles("hiddenWidth", "generator weights: (depth − 2) × hidden width² doubles", depth - 2L, h, h);
            b.doubles("inputDim", "generator weights: N × hidden width doubles", 1, inputDim, h);
        }
        if (kind.startsWith("gaussian-")) {
            b.doubles("inputDim", "Gaussian equivalent: Ω and its Cholesky factor, 2 × N² doubles", 2, inputDim,
                    inputDim);
        }
        return b.build();
    }

    /**
     * Whether {@link #build()} of {@code kind} (one of {@link #KINDS}) gives a generator with an
     * analytic kernel, {@link DeepRandomGenerator#analyticKernel} present (the Gaussian equivalents
     * hold Ω explicitly), known before the generator is built, for the memory estimate; tested
     * against {@code analyticKernel(build())} for every kind.
     */
    public static boolean hasAnalyticKernel(String kind) {
        return !kind.startsWith("gaussian-");
    }

    /** Builds the generator; its weights come from {@link #seed()}. */
    public Generator build() {
        boolean gaussian = kind.startsWith("gaussian-");
        String base = gaussian ? kind.substring("gaussian-".length()) : kind;
        DeepRandomGenerator g = base.equals("single-layer")
                ? DeepRandomGenerator.singleLayer(latentDim, inputDim, activation, rule, seed)
                : new DeepRandomGenerator(latentDim, inputDim, depth, hiddenWidth == 0 ? latentDim : hiddenWidth,
                        activation, rule, seed);
        if (!gaussian) {
            return g;
        }
        return new GaussianEquivalentGenerator(g.analyticMoments().orElseThrow(), g.id());
    }
}
