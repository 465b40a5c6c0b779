package org.gequiv.random;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Independent, named pseudo-random streams split from one master seed.
 *
 * <p>Each part of an experiment (teacher weights, student initialisation, generator weights,
 * training data, test set, …) draws from its own stream, so changing how much one part consumes
 * never moves another. Streams that are indexed (one per block of samples) make parallel sampling
 * reproducible whatever the number of threads: block {@code b} always gets stream {@code (name, b)}.
 *
 * <p>The generator is {@code L64X128MixRandom} (JDK 17), seeded by a SplitMix-style hash of
 * (master seed, name, index). Stateless and thread-safe; the returned generators are not.
 */
public final class RandomStreams {

    /** Conventional stream names, so that every engine splits the same way. */
    public static final String TEACHER = "teacher";
    public static final String STUDENT = "student";
    public static final String GENERATOR_WEIGHTS = "generator-weights";
    public static final String TRAINING_DATA = "training-data";
    public static final String TEST_DATA = "test-data";
    public static final String FEATURES = "features";

    private static final RandomGeneratorFactory<RandomGenerator> FACTORY =
            RandomGeneratorFactory.of("L64X128MixRandom");

    private RandomStreams() {
    }

    /** The stream called {@code name} of {@code masterSeed}. */
    public static RandomGenerator stream(long masterSeed, String name) {
        return stream(masterSeed, name, 0L);
    }

    /** Sub-stream {@code index} of the stream called {@code name}. */
    public static RandomGenerator stream(long masterSeed, String name, long index) {
        return FACTORY.create(derivedSeed(masterSeed, name, index));
    }

    /** The 64-bit seed of sub-stream {@code (name, index)}; exposed for provenance and tests. */
    public static long derivedSeed(long masterSeed, String name, long index) {
        long h = mix(masterSeed ^ 0x9E3779B97F4A7C15L);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFFL));
        }
        return mix(h ^ mix(index + 0x632BE59BD9B4E019L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fills {@code out[0..n)} with independent standard normal variates. */
    public static void fillGaussian(RandomGenerator rng, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextGaussian();
        }
    }

    /** Fills {@code out[0..n)} with independent normal variates of standard deviation {@code std}. */
    public static void fillGaussian(RandomGenerator rng, double[] out, int n, double std) {
        for (int i = 0; i < n; i++) {
            out[i] = std * rng.nextGaussian();
        }
    }
}
