package org.gequiv.generator.deep;

import java.util.random.RandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.parallel.SplitRows;
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

    /**
     * Rows of a batch that can be mapped apart from the rest: g ≥ 1 such that {@link #mapRows}
     * on rows {@code from … to − 1}, with {@code from} a multiple of g and {@code to} a multiple
     * of g or the batch's end, gives those rows the same bits as {@link #map} of the whole batch
     * (a forward pass computed in fixed chunks of g samples); 0 when a batch can only be mapped
     * whole (the default).
     */
    default int splitGranularity() {
        return 0;
    }

    /**
     * Rows {@code from … to − 1} of {@code map(batch, latent, inputs)}, leaving the other rows of
     * {@code inputs} alone; bitwise those rows of the whole-batch map when the cuts are at
     * multiples of {@link #splitGranularity} (only then may it be called with {@code from > 0}).
     * The default maps copies of the rows; an implementation may read and write in place.
     *
     * @param latent {@code batch × D} row-major, not modified
     * @param inputs rows {@code from … to − 1} of the {@code batch × N} outputs overwritten
     */
    default void mapRows(int from, int to, double[] latent, double[] inputs) {
        int d = latentDimension();
        int n = inputDimension();
        if (from == 0) {
            map(to, latent, inputs);
            return;
        }
        double[] rowsOut = new double[(to - from) * n];
        map(to - from, java.util.Arrays.copyOfRange(latent, from * d, to * d), rowsOut);
        System.arraycopy(rowsOut, 0, inputs, from * n, rowsOut.length);
    }

    /**
     * Draws the latents in order from {@code rng}, then maps them, in pieces of
     * {@link #splitGranularity} rows that idle workers of the current ForkJoinPool may take
     * ({@link SplitRows}); the same bits however the pieces are shared out.
     */
    @Override
    default void sample(RandomGenerator rng, int batch, double[] latent, double[] inputs) {
        RandomStreams.fillGaussian(rng, latent, batch * latentDimension());
        int granularity = splitGranularity();
        if (granularity == 0) {
            map(batch, latent, inputs);
            return;
        }
        SplitRows.run(batch, granularity, (from, to) -> mapRows(from, to, latent, inputs));
    }
}
