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
