package org.gequiv.generator.deep;

import java.util.random.RandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.random.RandomStreams;

/**
 * A generator that is a deterministic function x = G(c) of its standard Gaussian latent
 * (docs/theory.md §1.1): sampling draws c ~ N(0, I_D) and applies {@link #map}.
 */
public interface LatentMap extends Generator {

    /**
     * x = G(c) for {@code batch} latent vectors.
     *
     * @param latent {@code batch × D} row-major, not modified
     * @param inputs overwritten with the {@code batch × N} outputs, row-major
     */
    void map(int batch, double[] latent, double[] inputs);

    @Override
    default void sample(RandomGenerator rng, int batch, double[] latent, double[] inputs) {
        RandomStreams.fillGaussian(rng, latent, batch * latentDimension());
        map(batch, latent, inputs);
    }
}
