package org.gequiv.generator.deep;

/**
 * A generator backed by a fixed set of P stored samples. Moment estimation reads them in order
 * (each exactly once) instead of resampling.
 */
public interface FiniteSamples {

    /** Number of stored samples P. */
    long size();

    /**
     * Copies samples {@code first … first + count − 1}.
     *
     * @param latent overwritten with {@code count × D}
     * @param inputs overwritten with {@code count × N}
     */
    void read(long first, int count, double[] latent, double[] inputs);
}
