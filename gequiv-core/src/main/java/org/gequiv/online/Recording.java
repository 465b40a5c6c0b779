package org.gequiv.online;

import org.gequiv.validation.Checks;

/**
 * What an online experiment records, and from which randomness: the final time, the recorded
 * times, the size of the fixed test set on which the simulation measures ε_g and the order
 * parameters (docs/theory.md §3), and the master seed from which every stream is split
 * ({@link org.gequiv.random.RandomStreams}). The theory uses only the times. Immutable; the
 * times are copied in and out.
 *
 * @param maxTime     final time t = samples/N, finite and &gt; 0
 * @param logTimes    strictly ascending times in [0, maxTime] at which the curve is recorded
 * @param testSamples size of the fixed test set, ≥ 1 (default 10 000)
 * @param seed        master seed
 */
public record Recording(double maxTime, double[] logTimes, int testSamples, long seed) {

    /** The default test-set size. */
    public static final int DEFAULT_TEST_SAMPLES = 10_000;

    public Recording {
        Checks.positive("maxTime", maxTime);
        Checks.atLeast("testSamples", testSamples, 1);
        logTimes = Checks.ascendingTimes("logTimes", logTimes, maxTime).clone();
    }

    @Override
    public double[] logTimes() {
        return logTimes.clone();
    }

    /** The same recording with another master seed. */
    public Recording withSeed(long newSeed) {
        return new Recording(maxTime, logTimes, testSamples, newSeed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Recording r && Double.compare(maxTime, r.maxTime) == 0
                && java.util.Arrays.equals(logTimes, r.logTimes) && testSamples == r.testSamples && seed == r.seed;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(logTimes) * 31 + Double.hashCode(maxTime) + testSamples + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "Recording[maxTime=" + maxTime + ", logTimes=" + logTimes.length + " times, testSamples=" + testSamples
                + ", seed=" + seed + "]";
    }
}
