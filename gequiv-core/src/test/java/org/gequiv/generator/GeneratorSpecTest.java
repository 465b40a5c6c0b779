package org.gequiv.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gequiv.activation.StandardActivation;
import org.junit.jupiter.api.Test;

/** {@link GeneratorSpec}: what a kind promises before it is built holds for the built generator. */
class GeneratorSpecTest {

    @Test
    void analyticKernelPredictedFromTheKindIsTheBuiltGenerators() {
        for (String kind : GeneratorSpec.KINDS) {
            Generator built = new GeneratorSpec(kind, 12, 4, 2, 0, StandardActivation.SIGN, CovarianceRule.EXACT, 3)
                    .build();
            assertEquals(DeepRandomGenerator.analyticKernel(built).isPresent(), GeneratorSpec.hasAnalyticKernel(kind),
                    kind);
        }
    }
}
