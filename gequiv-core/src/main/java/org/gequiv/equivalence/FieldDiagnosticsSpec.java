package org.gequiv.equivalence;

import org.gequiv.validation.Checks;

/**
 * Settings of a local-field diagnostic (docs/theory.md §2.5).
 *
 * @param samples          P, samples of (λ, ν) per diagnostic (≥ 2)
 * @param batch            samples per block; one GEMM projects a block (≥ 1)
 * @param directions       number of random unit directions for the sliced distances (≥ 0); the
 *                         directions depend only on the seed and K + M, so they are the same at
 *                         every size of a sweep
 * @param floorReplicates  replicates of P exact-Gaussian samples averaged into each floor (≥ 2,
 *                         so that the floor's spread is defined); 16 pins the floor to about 5–15%
 * @param resolutionSigmas a statistic is resolved when |value| &gt; floor + resolutionSigmas · spread,
 *                         where spread is the standard deviation of the statistic under the
 *                         Gaussian null (≥ 0). The default 3 leaves a null statistic above the
 *                         threshold with probability about 1% for |skewness| (half-normal) and
 *                         well below that for KS and W₁ (√P·KS has mean 0.87, sd 0.26)
 * @param seed             master seed
 * @param threads          worker threads; results do not depend on it
 */
public record FieldDiagnosticsSpec(int samples, int batch, int directions, int floorReplicates,
                                   double resolutionSigmas, long seed, int threads) {

    public static final int DEFAULT_BATCH = 512;
    public static final int DEFAULT_DIRECTIONS = 8;
    public static final int DEFAULT_FLOOR_REPLICATES = 16;
    public static final double DEFAULT_RESOLUTION_SIGMAS = 3.0;

    public FieldDiagnosticsSpec {
        Checks.atLeast("samples", samples, 2);
        Checks.atLeast("batch", batch, 1);
        Checks.atLeast("directions", directions, 0);
        Checks.atLeast("floorReplicates", floorReplicates, 2);
        Checks.nonNegative("resolutionSigmas", resolutionSigmas);
        Checks.atLeast("threads", threads, 1);
    }

    /** Defaults for everything but the sample count and seed; one thread per available core. */
    public static FieldDiagnosticsSpec of(int samples, long seed) {
        return new FieldDiagnosticsSpec(samples, DEFAULT_BATCH, DEFAULT_DIRECTIONS, DEFAULT_FLOOR_REPLICATES,
                DEFAULT_RESOLUTION_SIGMAS, seed, Runtime.getRuntime().availableProcessors());
    }

    /** The same settings with another sample count. */
    public FieldDiagnosticsSpec withSamples(int newSamples) {
        return new FieldDiagnosticsSpec(newSamples, batch, directions, floorReplicates, resolutionSigmas, seed, threads);
    }

    /** The same settings with another thread count. */
    public FieldDiagnosticsSpec withThreads(int newThreads) {
        return new FieldDiagnosticsSpec(samples, batch, directions, floorReplicates, resolutionSigmas, seed, newThreads);
    }
}
