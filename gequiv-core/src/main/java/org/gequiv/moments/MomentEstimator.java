package org.gequiv.moments;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.generator.Precision;
import org.gequiv.generator.deep.FiniteSamples;
import org.gequiv.linalg.DenseMatrices;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.parallel.OrderedBlocks;
import org.gequiv.parallel.StopRequest;
import org.gequiv.random.RandomStreams;

/**
 * Streaming Monte-Carlo estimate of the moments of a {@link Generator} (docs/theory.md §2.1 and §7.2):
 * c̄ = E c, μ = E x, Ω = Cov(x) and Φ = Cov(x, c).
 *
 * <p>Samples are drawn in blocks; block {@code b} draws from
 * {@code RandomStreams.stream(seed, STREAM, b)} on one of {@code threads} worker threads
 * ({@link OrderedBlocks}) and is centred on its own means there. The calling thread then merges
 * the blocks strictly in index order: one SYRK (Σ x̃x̃ᵀ) and one GEMM (Σ x̃c̃ᵀ) per block, plus
 * Chan et al.'s between-block correction, so the sums are always over centred data. The result is therefore bitwise the same
 * for every thread count and every checkpoint interval.
 *
 * <p>For a generator whose samples are float32 ({@link Generator#precision()}, the float32 DCGAN)
 * the worker that drew a block also forms its products: it rounds the centred block to float32
 * and runs SSYRK and SGEMM on it (twice the speed and half the memory traffic of float64), so the
 * products of different blocks run in parallel; the calling thread only widens the finished
 * products and adds them, in block order, to the float64 sums. The means and the between-block
 * correction stay in float64. A block's products depend on that block alone, so the result is
 * still bitwise the same for every thread count. Rounding contributes at most
 * γ_{B+2}·√(Ω_ii Ω_jj) to Ω̂_ij for blocks of B samples, whatever P, far below the Monte-Carlo
 * error (docs/theory.md §7.2). Float64 generators, and estimates of P ≤ N samples, keep float64
 * products, formed by the calling thread straight into the sums ({@link #products}).
 *
 * <p>Every {@code checkpointInterval} samples (rounded up to whole blocks) the estimator appends a
 * {@link ConvergenceRecord} to the log, writes the checkpoint file when one is configured, and
 * calls the listener. A run that finds a compatible checkpoint resumes from it, so an interrupted
 * estimate loses at most one checkpoint interval; an incompatible one (other generator,
 * parameters, seed, dimensions or block size; corrupt; or ahead of the requested P) is refused
 * with an {@link IncompatibleCheckpointException} that says why. A resumed estimate is bitwise
 * equal to an uninterrupted one.
 *
 * <p>A generator with a fixed set of stored samples ({@link FiniteSamples}) is read in order
 * instead, each sample exactly once, so the result is the exact sample moments of the first P.
 *
 * <p>Memory: N² + N·D doubles for the sums, N² more for the convergence log, and
 * {@code (threads + 1)·blockSize·(N + D)} for the blocks in flight; with float32 products each of
 * the {@code threads + 1} blocks in flight also holds its rounded samples and its products,
 * {@code (threads + 1)·(blockSize·(N + D) + N² + N·D)} floats more (≈ 39 MB of products per block
 * at N = 3072, D = 100). The generator must be thread-safe (as the {@link Generator} contract requires). Instances are not thread-safe.
 */
public final class MomentEstimator {

    /** Name of the random stream the sampling blocks draw from. */
    public static final String STREAM = "moments";

    private final Generator generator;
    private final MomentEstimationSpec spec;
    private final LinearAlgebra la;
    private final Precision products;

    public MomentEstimator(Generator generator, MomentEstimationSpec spec) {
        this(generator, spec, LinearAlgebra.get());
    }

    /** An estimator whose SYRK and GEMM accumulation runs on {@code linearAlgebra}. */
    public MomentEstimator(Generator generator, MomentEstimationSpec spec, LinearAlgebra linearAlgebra) {
        this(generator, spec, linearAlgebra, products(generator, spec));
    }

    /**
     * The arithmetic of the block products: float32 for float32 samples, except when P ≤ N. Ω̂ of
     * P ≤ N samples is singular (rank ≤ P − 1), and float32 rounding turns its zero eigenvalues
     * slightly negative (−1.1·10⁻⁸·‖Ω̂‖₂ measured on the DCGAN, N = 3072, P = 2048), below what the
     * positive-semi-definiteness check of {@code Covariances} accepts (−10⁻⁸·‖Ω‖₂); such small
     * estimates keep float64 products.
     */
    static Precision products(Generator generator, MomentEstimationSpec spec) {
        return generator.precision() == Precision.FLOAT32 && spec.samples() > generator.inputDimension()
                ? Precision.FLOAT32 : Precision.FLOAT64;
    }

    /**
     * An estimator whose block products run in {@code products} whatever the generator's precision:
     * the tests compare the float32 products with the float64 ones on the same samples. Products
     * other than the generator's precision are part of the checkpoint identity (the generator's own
     * precision is in its fingerprint), so a checkpoint never mixes the two.
     */
    MomentEstimator(Generator generator, MomentEstimationSpec spec, LinearAlgebra linearAlgebra, Precision products) {
        this.generator = generator;
        this.spec = spec;
        this.la = org.gequiv.validation.Checks.given("linearAlgebra", linearAlgebra);
        this.products = org.gequiv.validation.Checks.given("products", products);
        if (generator instanceof FiniteSamples stored && spec.samples() > stored.size()) {
            throw new org.gequiv.validation.InvalidInputException("samples", "samples must be <= the " + stored.size()
                    + " stored samples of generator '" + generator.id() + "', got " + spec.samples());
        }
        long entries = (long) generator.inputDimension() * generator.inputDimension();
        if (entries > Integer.MAX_VALUE - 8) {
            throw new org.gequiv.validation.InvalidInputException("inputDimension", "inputDimension must be <= 46340 for a dense Ω, got "
                    + generator.inputDimension());
        }
        if ((long) spec.blockSize() * Math.max(generator.inputDimension(), generator.latentDimension())
                > Integer.MAX_VALUE - 8) {
            throw new org.gequiv.validation.InvalidInputException("blockSize", "blockSize · N must fit in an array, got blockSize "
                    + spec.blockSize() + ", N " + generator.inputDimension());
        }
    }

    /** Runs the estimate to {@code spec.samples()}. */
    public MomentEstimate estimate() {
        return estimate(r -> { });
    }

    /**
     * Runs the estimate to {@code spec.samples()}, calling {@code onCheckpoint} after every log
     * entry (and after its checkpoint file is written). An exception thrown by the listener stops
     * the run; the last checkpoint file stays valid.
     */
    public MomentEstimate estimate(Consumer<ConvergenceRecord> onCheckpoint) {
        return estimate(onCheckpoint, StopRequest.NEVER);
    }

    /**
     * As {@link #estimate(Consumer)}, polling {@code stop} after every merged block: a requested
     * stop writes the checkpoint (when one is configured) at that block and returns the estimate
     * of the samples merged so far, its provenance saying {@code "interrupted"} and where
     * ({@link MomentEstimate#interrupted()}). Rerunning resumes from that checkpoint; the moments
     * are then bitwise those of an uninterrupted run; only the convergence log differs, in that
     * the resumed run's first relative change is measured from the interruption point instead of
     * from the previous checkpoint.
     */
    public MomentEstimate estimate(Consumer<ConvergenceRecord> onCheckpoint, StopRequest stop) {
        long start = System.nanoTime();
        int n = generator.inputDimension();
        int d = generator.latentDimension();
        MomentCheckpoint.Identity id = identity(generator, spec, products);
        MomentState state = new MomentState(n, d);
        long resumedFrom = 0;
        if (spec.checkpoint() != null && Files.exists(spec.checkpoint())) {
            state = MomentCheckpoint.read(spec.checkpoint(), id);
            if (state.count > spec.samples()) {
                throw new IncompatibleCheckpointException("refusing to resume from checkpoint " + spec.checkpoint()
                        + ": it already holds " + state.count + " samples, more than the " + spec.samples()
                        + " requested");
            }
            if (state.count != state.blocksDone * spec.blockSize() && state.count != spec.samples()) {
                throw new IncompatibleCheckpointException("refusing to resume from checkpoint " + spec.checkpoint()
                        + ": it ends with a partial block (" + state.count + " samples in " + state.blocksDone
                        + " blocks of " + spec.blockSize() + "), so it cannot be extended");
            }
            resumedFrom = state.count;
        }
        Optional<Moments> analytic = generator.analyticMoments();
        double[] previousOmega = state.count > 1 ? state.omega() : null;
        double[] previousPhi = state.count > 1 ? state.phi() : null;

        int blocks = spec.blockCount();
        long everyBlocks = Math.max(1, (spec.checkpointInterval() + spec.blockSize() - 1) / spec.blockSize());
        boolean float32 = products == Precision.FLOAT32;
        long mergeNanos = 0;
        String interruptedBy = null;
        try (OrderedBlocks<Block> source = new OrderedBlocks<>(spec.threads(),
                () -> new Block(spec.blockSize(), n, d, float32), (blk, index) -> blk.fill(generator, spec, la, index),
                state.blocksDone, blocks, "gequiv-moments", "moment estimate sampling")) {
            while (source.hasNext()) {
                Block blk = source.next();
                boolean wholeBlock = blk.rows == spec.blockSize();
                long t0 = System.nanoTime();
                if (float32) {
                    state.mergeProducts(blk.rows, blk.meanC, blk.meanX, blk.productXX, blk.productXC);
                } else {
                    state.merge(la, blk.rows, blk.meanC, blk.meanX, blk.latent, blk.inputs);
                }
                mergeNanos += System.nanoTime() - t0;
                boolean last = state.blocksDone == blocks;
                if (!last && stop.requested() && state.count >= 2) {
                    interruptedBy = stop.reason();
                    if (spec.checkpoint() != null) {
                        MomentCheckpoint.write(spec.checkpoint(), id, state);
                    }
                    previousOmega = state.omega();
                    previousPhi = state.phi();
                    break;
                }
                if (state.blocksDone % everyBlocks == 0 || last) {
                    double[] omega = state.omega();
                    double[] phi = state.phi();
                    ConvergenceRecord r = new ConvergenceRecord(state.count,
                            previousOmega == null ? Double.NaN : DenseMatrices.relativeFrobeniusError(omega, previousOmega),
                            previousPhi == null ? Double.NaN : DenseMatrices.relativeFrobeniusError(phi, previousPhi),
                            analytic.map(a -> DenseMatrices.relativeFrobeniusError(omega, a.omega())).orElse(Double.NaN),
                            analytic.map(a -> DenseMatrices.relativeFrobeniusError(phi, a.phi())).orElse(Double.NaN));
                    // the log entry for P is added only once, even when resuming a finished run
                    if (state.log.isEmpty() || state.log.get(state.log.size() - 1).samples() != state.count) {
                        state.log.add(r);
                    }
                    previousOmega = omega;
                    previousPhi = phi;
                    // a checkpoint holds whole blocks only: after a partial last block the checkpoint of the
                    // last whole-block entry stays, so that a larger --samples can extend the estimate by
                    // redrawing that block in full, exactly as an uninterrupted run would
                    if (spec.checkpoint() != null && wholeBlock) {
                        MomentCheckpoint.write(spec.checkpoint(), id, state);
                    }
                    onCheckpoint.accept(r);
                }
            }
        }
        if (state.count < 2) {
            throw new IllegalStateException("moment estimate needs at least 2 samples, has " + state.count);
        }
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("method", "monte-carlo");
        prov.put("generator", generator.id());
        prov.put("generatorParameters", fingerprint(generator));
        prov.put("seed", spec.seed());
        prov.put("stream", STREAM);
        prov.put("samples", state.count);
        prov.put("blockSize", spec.blockSize());
        prov.put("threads", spec.threads());
        prov.put("normalisation", "1/(P-1)");
        prov.put("products", float32 ? "float32 block products (SSYRK, SGEMM) of block-centred samples, float64 sums"
                : "float64");
        prov.put("linearAlgebra", la.name());
        prov.put("resumedFrom", resumedFrom);
        prov.put("wallSeconds", (System.nanoTime() - start) * 1e-9);
        // the calling thread's share, sampling excluded: the float64 block products and their merge
        // into the sums, or for float32 products (formed by the workers) the merge alone
        prov.put("accumulationSeconds", mergeNanos * 1e-9);
        if (interruptedBy != null) {
            prov.put("interrupted", interruptedBy + " after " + state.count + " of " + spec.samples() + " samples ("
                    + state.blocksDone + " of " + blocks + " blocks)");
        }
        Moments moments = new Moments(n, d, state.meanX.clone(), previousOmega, previousPhi, state.count, prov);
        return new MomentEstimate(moments, state.meanC.clone(), state.log, resumedFrom, prov);
    }

    static MomentCheckpoint.Identity identity(Generator g, MomentEstimationSpec spec, Precision products) {
        // unchanged for the usual products, so that checkpoints written before float32 products stay valid
        String fingerprint = products == g.precision() ? fingerprint(g)
                : fingerprint(g) + " with " + products.id() + " products";
        return new MomentCheckpoint.Identity(g.id(), fingerprint, spec.seed(), g.inputDimension(),
                g.latentDimension(), spec.blockSize());
    }

    /** A deterministic rendering of the generator's description (arrays by content, keys sorted). */
    public static String fingerprint(Generator g) {
        StringBuilder sb = new StringBuilder("{");
        Iterator<Map.Entry<String, Object>> it = new TreeMap<>(g.description()).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Object> e = it.next();
            sb.append(e.getKey()).append('=');
            render(sb, e.getValue());
            if (it.hasNext()) {
                sb.append(", ");
            }
        }
        return sb.append('}').toString();
    }

    private static void render(StringBuilder sb, Object v) {
        if (v != null && v.getClass().isArray()) {
            sb.append('[');
            int len = Array.getLength(v);
            for (int i = 0; i < len; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                render(sb, Array.get(v, i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(e.getKey()).append('=');
                render(sb, e.getValue());
            }
            sb.append('}');
        } else {
            sb.append(v);
        }
    }

    /**
     * One block of samples, centred on its own means by the worker that drew it; for float32
     * products the centred values are kept rounded to float32 instead (the double arrays then only
     * receive the samples), and the worker also forms the block's products from them.
     */
    private static final class Block {
        final double[] latent;
        final double[] inputs;
        final float[] latentFloat;
        final float[] inputsFloat;
        /** Σ x̃x̃ᵀ of the block in float32 (upper triangle current), for float32 products. */
        final float[] productXX;
        /** Σ x̃c̃ᵀ of the block in float32, for float32 products. */
        final float[] productXC;
        final double[] meanC;
        final double[] meanX;
        final int n;
        final int d;
        int rows;

        Block(int capacity, int n, int d, boolean float32) {
            this.latent = new double[capacity * d];
            this.inputs = new double[capacity * n];
            this.latentFloat = float32 ? new float[capacity * d] : null;
            this.inputsFloat = float32 ? new float[capacity * n] : null;
            this.productXX = float32 ? new float[n * n] : null;
            this.productXC = float32 ? new float[n * d] : null;
            this.meanC = new double[d];
            this.meanX = new double[n];
            this.n = n;
            this.d = d;
        }

        void fill(Generator g, MomentEstimationSpec spec, LinearAlgebra la, long index) {
            rows = spec.blockLength(index);
            if (g instanceof FiniteSamples stored) {
                stored.read(index * spec.blockSize(), rows, latent, inputs);
            } else {
                RandomGenerator rng = RandomStreams.stream(spec.seed(), STREAM, index);
                g.sample(rng, rows, latent, inputs);
            }
            long first = index * spec.blockSize();
            centre(latent, meanC, rows, d, first, "latent c", latentFloat);
            centre(inputs, meanX, rows, n, first, "input x", inputsFloat);
            if (productXX != null) {
                la.ssyrkTransposedUpper(n, rows, 1f, inputsFloat, 0f, productXX);
                la.sgemm(true, false, n, d, rows, 1f, inputsFloat, latentFloat, 0f, productXC);
            }
        }

        /**
         * Sets {@code mean} to the column means of the first {@code rows} rows of {@code a} and
         * centres them: in {@code a} itself, or, when {@code rounded} is not null, into
         * {@code rounded} as float32 (a is then left as drawn).
         */
        private static void centre(double[] a, double[] mean, int rows, int cols, long first, String what,
                                   float[] rounded) {
            java.util.Arrays.fill(mean, 0.0);
            for (int r = 0; r < rows; r++) {
                int off = r * cols;
                for (int j = 0; j < cols; j++) {
                    double v = a[off + j];
                    if (!Double.isFinite(v)) {
                        throw new NonFiniteSampleException(what, first + r, j, v);
                    }
                    mean[j] += v;
                }
            }
            double inv = 1.0 / rows;
            for (int j = 0; j < cols; j++) {
                mean[j] *= inv;
            }
            if (rounded != null) {
                for (int r = 0; r < rows; r++) {
                    int off = r * cols;
                    for (int j = 0; j < cols; j++) {
                        rounded[off + j] = (float) (a[off + j] - mean[j]);
                    }
                }
                return;
            }
            for (int r = 0; r < rows; r++) {
                int off = r * cols;
                for (int j = 0; j < cols; j++) {
                    a[off + j] -= mean[j];
                }
            }
        }
    }
}
