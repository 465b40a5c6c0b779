package org.gequiv.experiment;

import org.gequiv.random.RandomStreams;

/**
 * How experiments derive seeds from the seeds they are given, written once for every front end
 * (docs/theory.md §7; the streams themselves are split by {@link RandomStreams}).
 *
 * <ul>
 *   <li>A Gaussian-twin comparison over S seeds runs the master seeds s, s + 1, …, s + S − 1
 *       ({@link #consecutive}); seed s is the main run's own.</li>
 *   <li>The generator's weights follow their own seed when one is given (so that teacher, student
 *       and data vary with the master seed on one generator and its moments file), the master
 *       seed otherwise ({@link #generatorWeights}).</li>
 *   <li>In a field-diagnostic sweep, instance j of size N builds its generator from
 *       derivedSeed(s_j, generator-weights, N), s_j the instance seed; with a fixed generator seed G
 *       every instance shares derivedSeed(G, generator-weights, N) instead
 *       ({@link #sweepGenerator}).</li>
 * </ul>
 */
public final class SeedRules {

    private SeedRules() {
    }

    /** The seeds seed, seed + 1, …, seed + count − 1. */
    public static long[] consecutive(long seed, int count) {
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = seed + i;
        }
        return seeds;
    }

    /** The seed of the generator's weights: {@code generatorSeed} when given (not null), else the master seed. */
    public static long generatorWeights(long masterSeed, Long generatorSeed) {
        return generatorSeed != null ? generatorSeed : masterSeed;
    }

    /**
     * The generator seed of one instance at size N of a sweep: the instance's own
     * ({@code instanceGeneratorSeed}), or with a fixed {@code generatorSeed} (not null)
     * derivedSeed(generatorSeed, generator-weights, N) for every instance.
     */
    public static long sweepGenerator(int n, long instanceGeneratorSeed, Long generatorSeed) {
        return generatorSeed == null ? instanceGeneratorSeed
                : RandomStreams.derivedSeed(generatorSeed, RandomStreams.GENERATOR_WEIGHTS, n);
    }
}
