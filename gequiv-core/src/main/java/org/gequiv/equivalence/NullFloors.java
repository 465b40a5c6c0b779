package org.gequiv.equivalence;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.gequiv.random.RandomStreams;

/**
 * Monte-Carlo floors of the one-dimensional statistics: the mean and standard deviation of
 * |skewness|, |excess kurtosis|, W₁ and KS for P independent standard normal samples, over a
 * number of fixed-seed replicates.
 *
 * <p>Any one-dimensional marginal u·(λ, ν) of an exact N(μ, C) sample, standardised by its exact
 * mean and standard deviation, is a standard normal sample; KS, skewness and kurtosis are
 * invariant under that standardisation and W₁ scales with the standard deviation. So these floors
 * are, in law, the same statistic for samples of the same size from N(μ, C), for every field and
 * direction at once, and one set of replicates serves a whole sweep with the same P.
 *
 * <p>The record does not copy its arrays: they are views, to be treated as read-only.
 *
 * @param samples    P
 * @param replicates number of replicates R
 * @param mean       mean over replicates of |skewness|, |excess kurtosis|, W₁ (unit sd), KS
 * @param spread     their standard deviations over replicates (of one statistic, not of the mean)
 */
public record NullFloors(int samples, int replicates, double[] mean, double[] spread) {

    static final int SKEWNESS = 0;
    static final int KURTOSIS = 1;
    static final int W1 = 2;
    static final int KS = 3;

    /** Name of the indexed stream family of the null samples (one stream per replicate). */
    public static final String STREAM = "null-floor";

    public NullFloors {
        if (mean.length != 4 || spread.length != 4) {
            throw new IllegalArgumentException("mean and spread must have 4 entries, got " + mean.length + ", "
                    + spread.length);
        }
    }

    /**
     * Computes the floors; replicate r draws its P normals from the stream ({@code seed},
     * {@value #STREAM}, r), so the floors do not depend on the thread count.
     */
    public static NullFloors compute(int samples, int replicates, long seed, int threads) {
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
        if (replicates < 2) {
            throw new IllegalArgumentException("replicates must be >= 2, got " + replicates);
        }
        double[][] values = new double[replicates][4];
        BlockParallel.forEachBlock(replicates, threads, () -> new double[samples], (x, r) -> {
            RandomGenerator rng = RandomStreams.stream(seed, STREAM, r);
            RandomStreams.fillGaussian(rng, x, samples);
            values[r][SKEWNESS] = Math.abs(SampleStatistics.skewness(x, samples));
            values[r][KURTOSIS] = Math.abs(SampleStatistics.excessKurtosis(x, samples));
            Arrays.sort(x);
            values[r][W1] = SampleStatistics.wasserstein1ToNormal(x, samples, 0.0, 1.0);
            values[r][KS] = SampleStatistics.kolmogorovSmirnovToNormal(x, samples, 0.0, 1.0);
        });
        double[] mean = new double[4];
        double[] spread = new double[4];
        for (int s = 0; s < 4; s++) {
            double m = 0;
            for (double[] v : values) {
                m += v[s];
            }
            m /= replicates;
            double var = 0;
            for (double[] v : values) {
                var += (v[s] - m) * (v[s] - m);
            }
            mean[s] = m;
            spread[s] = Math.sqrt(var / (replicates - 1));
        }
        return new NullFloors(samples, replicates, mean, spread);
    }
}
