package org.gequiv.experiment;

import java.util.Optional;

import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.moments.GeneratorWithMoments;

/**
 * The centring policy of every experiment (docs/theory.md §1.1: the theory assumes centred inputs):
 * a generator whose mean μ is known and not zero (ReLU layers, moments read from a file) is
 * replaced by x = G(c) − μ, for the simulation, the theory and the Gaussian twin alike; a generator
 * with mean zero or unknown moments is used as it is. Stateless.
 */
public final class InputCentring {

    private InputCentring() {
    }

    /** The generator to use: centred when its mean is known and not zero, otherwise itself. */
    public static Generator centredWhenMeanKnown(Generator generator) {
        if (generator instanceof GeneratorWithMoments supplied) {
            // moments read from a file are held already: centre with them as they are
            Moments moments = supplied.analyticMoments().orElseThrow();
            return isZero(moments.mean()) ? generator : GeneratorWithMoments.centred(generator, moments);
        }
        // the mean alone: a generator with an analytic Ω forms its N × N entries only if a consumer asks
        Optional<double[]> mean = generator.analyticMean();
        if (mean.isEmpty() || isZero(mean.get())) {
            return generator;
        }
        return GeneratorWithMoments.centred(generator, mean.get());
    }

    /** Whether a generator needs no centring: its mean is unknown or zero. */
    public static boolean isCentred(Generator generator) {
        return generator.analyticMean().map(InputCentring::isZero).orElse(true);
    }

    private static boolean isZero(double[] mean) {
        for (double m : mean) {
            if (m != 0.0) {
                return false;
            }
        }
        return true;
    }
}
