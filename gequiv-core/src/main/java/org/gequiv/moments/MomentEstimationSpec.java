package org.gequiv.moments;

import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;
import org.gequiv.validation.MemoryEstimate;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a Monte-Carlo moment estimate does (docs/theory.md §7.2).
 *
 * <p>Block {@code b} of {@code blockSize} samples always draws from
 * {@code RandomStreams.stream(seed, MomentEstimator.STREAM, b)} and blocks are combined in index
 * order, so the estimate depends on (generator, seed, samples, blockSize) only, never on
 * {@code threads} or on the checkpoint interval.
 *
 * @param samples            P, the total number of samples, ≥ 2
 * @param blockSize          samples per block (one SYRK per block), ≥ 1; 1024 is a good default
 *                           at N = 3072
 * @param seed               master seed of the sampling streams
 * @param threads            sampling threads, ≥ 1 (the merge into the sums runs on the calling
 *                           thread; float64 block products too, on the BLAS threads, while
 *                           float32 block products are formed by the sampling threads)
 * @param checkpointInterval samples between checkpoints and convergence-log entries, ≥ 1 (rounded
 *                           up to whole blocks)
 * @param checkpoint         file to resume from when it exists and to write checkpoints to;
 *                           {@code null} for none
 */
public record MomentEstimationSpec(long samples, int blockSize, long seed, int threads,
                                   long checkpointInterval, Path checkpoint) {

    /** Default block size: large enough that SYRK runs near peak at N = 3072, small enough for memory. */
    public static final int DEFAULT_BLOCK_SIZE = 1024;

    public MomentEstimationSpec {
        Checks.atLeast("samples", samples, 2);
        Checks.atLeast("blockSize", blockSize, 1);
        Checks.atLeast("threads", threads, 1);
        Checks.atLeast("checkpointInterval", checkpointInterval, 1);
        long maxSamples = MemoryEstimate.product(blockSize, Integer.MAX_VALUE);
        if (samples > maxSamples) {
            throw new InvalidInputException("samples", "samples must be <= " + maxSamples + " (2^31 - 1 blocks of "
                    + blockSize + "), got " + samples);
        }
    }

    /**
     * The memory of this estimate at dimensions N, D: the accumulated second moments and their
     * checkpoint copy (2 × (N² + N·D)), the estimate written out (N² + N·D), and one block of
     * samples per thread and one being accumulated ((threads + 1) × blockSize × (N + D)); and, for
     * the float32 products of a float32 generator (counted whatever the generator, so never too
     * low), the products and the rounded samples that each block in flight holds
     * ((threads + 1) × (N² + N·D + blockSize × (N + D)) floats: each worker forms its own block's
     * products).
     */
    public MemoryEstimate memory(int inputDim, int latentDim) {
        long n = inputDim;
        long d = latentDim;
        return MemoryEstimate.builder()
                .doubles("inputDimension", "second moments, their copy and the estimate: 3 × N² doubles", 3, n, n)
                .doubles("inputDimension", "cross moments, their copy and the estimate: 3 × N·D doubles", 3, n, d)
                .doubles("blockSize", "sample blocks: (threads + 1) × blockSize × (N + D) doubles", threads + 1L,
                        blockSize, n + d)
                .floats("inputDimension", "float32 block products Σ x̃x̃ᵀ: (threads + 1) × N² floats",
                        threads + 1L, n, n)
                .floats("inputDimension", "float32 block products Σ x̃c̃ᵀ: (threads + 1) × N × D floats",
                        threads + 1L, n, d)
                .floats("blockSize", "sample blocks in float32: (threads + 1) × blockSize × (N + D) floats",
                        threads + 1L, blockSize, n + d)
                .build();
    }

    /** A spec without checkpoints whose log has one entry every {@code samples / 10}. */
    public static MomentEstimationSpec of(long samples, long seed, int threads) {
        return new MomentEstimationSpec(samples, (int) Math.min(DEFAULT_BLOCK_SIZE, samples), seed, threads,
                Math.max(1, samples / 10), null);
    }

    /** The checkpoint file, if any. */
    public Optional<Path> checkpointFile() {
        return Optional.ofNullable(checkpoint);
    }

    /** This spec with another total sample count (for example to extend a finished estimate). */
    public MomentEstimationSpec withSamples(long newSamples) {
        return new MomentEstimationSpec(newSamples, blockSize, seed, threads, checkpointInterval, checkpoint);
    }

    /** This spec with another checkpoint file. */
    public MomentEstimationSpec withCheckpoint(Path file) {
        return new MomentEstimationSpec(samples, blockSize, seed, threads, checkpointInterval, file);
    }

    /** This spec with another number of sampling threads. */
    public MomentEstimationSpec withThreads(int newThreads) {
        return new MomentEstimationSpec(samples, blockSize, seed, newThreads, checkpointInterval, checkpoint);
    }

    int blockCount() {
        return (int) ((samples - 1) / blockSize + 1);
    }

    int blockLength(long block) {
        return (int) Math.min(blockSize, samples - block * blockSize);
    }
}
