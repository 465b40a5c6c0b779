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
            throw new IllegalArgumentException("generator must be one of " + String.join(", ", KINDS) + ", got '" + kind + "'");
        }
        if (inputDim < 1) {
            throw new IllegalArgumentException("N must be >= 1, got " + inputDim);
        }
        if (latentDim < 1) {
            throw new IllegalArgumentException("D must be >= 1, got " + latentDim);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be >= 1, got " + depth);
        }
        if (hiddenWidth < 0) {
            throw new IllegalArgumentException("hidden width must be >= 0 (0 means D), got " + hiddenWidth);
        }
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
