package org.gequiv.erm;

import org.gequiv.activation.Activation;

/**
 * The student's features (docs/theory.md §6.1).
 *
 * @param map        input, random features or latent
 * @param count      P ≥ 1, the number of random features (ignored, and reported as 0, otherwise)
 * @param activation σ of the random features (ignored otherwise; may then be null)
 */
public record FeatureSpec(FeatureMap map, int count, Activation activation) {

    public FeatureSpec {
        org.gequiv.validation.Checks.given("map", map);
        if (map == FeatureMap.RANDOM) {
            org.gequiv.validation.Checks.atLeast("count", count, 1);
            org.gequiv.validation.Checks.given("activation", activation);
        } else {
            count = 0;
        }
    }

    /** v = x. */
    public static FeatureSpec input() {
        return new FeatureSpec(FeatureMap.INPUT, 0, null);
    }

    /** v = c. */
    public static FeatureSpec latent() {
        return new FeatureSpec(FeatureMap.LATENT, 0, null);
    }

    /** v = σ(F x/√N) with P features. */
    public static FeatureSpec random(int p, Activation activation) {
        return new FeatureSpec(FeatureMap.RANDOM, p, activation);
    }
}
