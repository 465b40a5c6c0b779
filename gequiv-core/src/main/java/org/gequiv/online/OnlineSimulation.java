package org.gequiv.online;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import org.gequiv.activation.Activation;
import org.gequiv.generator.Generator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.ResidentMatrix;
import org.gequiv.linalg.SignMatrix;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.parallel.OrderedBlocks;
import org.gequiv.parallel.SplitRows;
import org.gequiv.parallel.StopRequest;
import org.gequiv.random.RandomStreams;
import org.gequiv.validation.InvalidInputException;

/**
 * One-pass SGD of a two-layer student on generator data, exactly as docs/theory.md §1.4: a fresh sample
 * per step, w_k ← w_k − (η/√N) v_k g′(λ_k) Δ x and v_k ← v_k − (η/N) g(λ_k) Δ, time t = samples/N.
 * With a mini-batch of B samples the step uses the mean gradient and t advances by B/N.
 *
 * <p>Training samples are drawn in blocks of {@link #BLOCK} through the generator's batched
 * (GEMM) sampling; block b always uses sub-stream b of {@link RandomStreams#TRAINING_DATA}, so the
 * result does not depend on whether, or on how many worker threads, blocks are drawn ahead
 * ({@link OrderedBlocks}, consumed in index order). The fixed test set
 * (stream {@link RandomStreams#TEST_DATA}) gives ε_g = ½ mean (φ − y)² and the measured order
 * parameters Q̂ = ΛᵀΛ/P, R̂ = ΛᵀΝ/P of the student and teacher fields.
 *
 * <p>The curve has one point per requested log time {@code t_i}, recorded after
 * {@code round(t_i·N)} samples (at most 1/(2N) away, further only with mini-batches); its
 * {@link LearningCurve.Point#time()} is the exact sample time.
 *
 * <p>A run whose prediction error becomes non-finite stops; the curve keeps every point recorded
 * before, and its {@link LearningCurve.Termination} says at which t it diverged. A run stopped on
 * request ({@link Control#stop()}, polled after every step) ends the same way, its termination
 * {@link LearningCurve.Termination#interrupted() interrupted}. The state after any step
 * ({@link SgdState}: samples consumed, weights, points) is all a run needs to continue
 * bit-identically ({@link Control#resumeFrom()}), because block b of the training stream is
 * always drawn from its own sub-stream b: the position in the stream is the sample count.
 *
 * <p>The products (teacher labels, test-set fields) run on the {@link LinearAlgebra} the
 * simulation is given; the simulation never changes the process-wide BLAS thread count. With
 * sampler threads beside the SGD loop the cores are already busy, so an application that samples
 * ahead does best to run its native BLAS single-threaded; that choice is the application's.
 * Instances are cheap and immutable; {@link #run} is thread-safe: concurrent runs share nothing
 * but the (thread-safe) generator and backend, and give the results of sequential ones.
 */
public final class OnlineSimulation {

    /** Samples drawn per block. */
    public static final int BLOCK = 256;

    /** |Δ| beyond this counts as divergence even before it overflows. */
    static final double DIVERGENCE_THRESHOLD = 1e150;

    private final int samplingThreads;
    private final LinearAlgebra la;

    /**
     * @param samplingThreads worker threads that draw the next blocks of training samples while SGD
     *                        runs on the current one, ≥ 0 (0: draw them on the SGD thread); the
     *                        results are the same for every count
     * @param linearAlgebra   the backend of the label and test-set products
     */
    public OnlineSimulation(int samplingThreads, LinearAlgebra linearAlgebra) {
        this.samplingThreads = org.gequiv.validation.Checks.atLeast("samplingThreads", samplingThreads, 0);
        this.la = org.gequiv.validation.Checks.given("linearAlgebra", linearAlgebra);
    }

    /**
     * @param sampleAhead   draw the blocks of training samples ahead on {@link #aheadThreads()}
     *                      worker threads while SGD runs (same results either way), or on the SGD
     *                      thread
     * @param linearAlgebra the backend of the label and test-set products
     */
    public OnlineSimulation(boolean sampleAhead, LinearAlgebra linearAlgebra) {
        this(sampleAhead ? aheadThreads() : 0, linearAlgebra);
    }

    /**
     * The sampling threads of a simulation that samples ahead: one per core. The SGD step costs
     * O(K·N) per sample, far less than drawing a sample from a deep generator (the DCGAN: ~2·10⁸
     * flops), so all cores sample and the SGD thread mostly waits; with a cheap generator the
     * workers wait for free buffers instead.
     */
    public static int aheadThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** A simulation on the process-wide backend. */
    public OnlineSimulation(boolean sampleAhead) {
        this(sampleAhead, LinearAlgebra.get());
    }

    /** A simulation that samples ahead on {@link #aheadThreads()} worker threads. */
    public OnlineSimulation() {
        this(true);
    }

    /** Runs SGD from the problem's initial weights up to the spec's final time. */
    public LearningCurve run(OnlineProblem problem, ProgressListener progress) {
        return run(problem, progress, null);
    }

    /**
     * Runs SGD from the problem's initial weights up to the spec's final time, showing the student
     * to {@code weights} (if not null) at every recorded point.
     */
    public LearningCurve run(OnlineProblem problem, ProgressListener progress, WeightObserver weights) {
        return run(problem, progress, weights, Control.NONE);
    }

    /**
     * How a run may be interrupted, resumed and checkpointed.
     *
     * @param stop            polled after every step: a requested stop ends the run there with the
     *                        points recorded so far and an {@link LearningCurve.Termination#interruptedAt
     *                        interrupted} termination (and a last checkpoint, when checkpointing)
     * @param resumeFrom      the state to continue from, or null to start from the initial weights
     * @param checkpointEvery samples between checkpoints (the first step boundary at or after
     *                        each multiple), or 0 for none
     * @param checkpoints     receives each checkpoint on the training thread; null when
     *                        {@code checkpointEvery} is 0
     */
    public record Control(StopRequest stop, SgdState resumeFrom, long checkpointEvery,
                          Consumer<SgdState> checkpoints) {
        /** Never stopped, started afresh, no checkpoints. */
        public static final Control NONE = new Control(StopRequest.NEVER, null, 0, null);

        public Control {
            org.gequiv.validation.Checks.given("stop", stop);
            if (checkpointEvery < 0) {
                throw new org.gequiv.validation.InvalidInputException("checkpointEvery",
                        "checkpointEvery must be >= 0, got " + checkpointEvery);
            }
            if (checkpointEvery > 0) {
                org.gequiv.validation.Checks.given("checkpoints", checkpoints);
            }
        }
    }

    /**
     * Runs SGD up to the spec's final time from the problem's initial weights or from
     * {@code control.resumeFrom()} — a resumed run gives bit for bit the curve of an uninterrupted
     * one — polling {@code control.stop()} after every step and handing the state to
     * {@code control.checkpoints()} as asked.
     *
     * @throws InvalidInputException (field {@code resume}) when the state to resume does not fit
     *                               the problem (its sizes, or more samples or points than the run has)
     */
    public LearningCurve run(OnlineProblem problem, ProgressListener progress, WeightObserver weights,
                             Control control) {
        WeightObserver observer = weights == null ? WeightObserver.NONE : weights;
        OnlineSpec spec = problem.spec();
        Generator generator = problem.generator();
        int n = generator.inputDimension();
        int k = spec.studentHidden();
        int m = spec.teacherHidden();

        TwoLayerNetwork student = problem.student().copy();
        TeacherFields teacher = new TeacherFields(problem.teacher(), spec.teacherInput(), generator, la);
        TestSet test = TestSet.draw(generator, teacher, spec.testSamples(), spec.seed(), la, samplingThreads);
        try {
            double[] logTimes = spec.logTimes();
            long totalSamples = Math.max(1, Math.round(spec.maxTime() * n));
            long[] logAt = new long[logTimes.length];
            for (int i = 0; i < logTimes.length; i++) {
                logAt[i] = Math.min(totalSamples, Math.round(logTimes[i] * n));
            }

            LearningCurve.Builder curve = new LearningCurve.Builder(k, m);
            double[] q = new double[k * k];
            double[] r = new double[k * m];
            int nextLog = 0;
            long seen = 0;
            SgdState resume = control.resumeFrom();
            if (resume != null) {
                checkResumable(resume, student, totalSamples, logAt);
                System.arraycopy(resume.firstLayer(), 0, student.firstLayer(), 0, k * n);
                System.arraycopy(resume.secondLayer(), 0, student.secondLayer(), 0, k);
                resume.points().forEach(curve::add);
                nextLog = resume.points().size();
                seen = resume.samples();
            }
            while (nextLog < logAt.length && logAt[nextLog] <= 0) {
                double eg = test.evaluate(student, q, r);
                curve.add(0.0, eg, q, r, student.secondLayer());
                observer.record(0.0, student);
                nextLog++;
            }

            long every = control.checkpointEvery();
            long nextCheckpoint = every > 0 ? (seen / every + 1) * every : Long.MAX_VALUE;
            StopRequest stop = control.stop();
            SgdStepper stepper = new SgdStepper(student, spec, n);
            Records records = new Records(test, curve, observer, student, q, r);
            // sample s is sample s % BLOCK of block s / BLOCK: a resumed run redraws the block it is in
            try (OrderedBlocks<Block> blocks = new OrderedBlocks<>(samplingThreads, () -> new Block(generator, teacher),
                    (buffer, index) -> buffer.draw(spec.seed(), RandomStreams.TRAINING_DATA, index), seen / BLOCK,
                    (totalSamples + BLOCK - 1) / BLOCK, "gequiv-sampler", "sampling training data")) {
                Block block = null;
                int inBlock = BLOCK;
                if (seen % BLOCK != 0) {
                    block = blocks.next();
                    inBlock = (int) (seen % BLOCK);
                }
                int batch = spec.batchSize();
                while (seen < totalSamples) {
                    long target = nextLog < logAt.length ? logAt[nextLog] : totalSamples;
                    while (seen < target) {
                        int step = (int) Math.min(batch, totalSamples - seen);
                        stepper.beginBatch();
                        for (int s = 0; s < step; s++) {
                            if (inBlock == BLOCK) {
                                block = blocks.next();
                                inBlock = 0;
                            }
                            if (!stepper.accumulate(block.inputs, inBlock * n, block.labels[inBlock])) {
                                // a recorded time still being evaluated comes first, as it did in time
                                LearningCurve.Termination earlier = records.collect();
                                double t = (double) seen / n;
                                return curve.build(earlier != null ? earlier : LearningCurve.Termination.divergedAt(t,
                                        "SGD diverged at t = " + t + ": the prediction error became non-finite or exceeded "
                                                + DIVERGENCE_THRESHOLD));
                            }
                            inBlock++;
                        }
                        stepper.applyBatch(step);
                        seen += step;
                        progress.progress(seen, totalSamples);
                        boolean stopping = stop.requested() && seen < totalSamples;
                        boolean checkpoint = seen < totalSamples && (seen >= nextCheckpoint || (stopping && every > 0));
                        if (checkpoint || stopping) {
                            // a checkpoint and an interrupted curve hold every point recorded before
                            LearningCurve.Termination earlier = records.collect();
                            if (earlier != null) {
                                return curve.build(earlier);
                            }
                        }
                        if (checkpoint) {
                            control.checkpoints().accept(new SgdState(seen, student.firstLayer(), student.secondLayer(),
                                    curve.points()));
                            nextCheckpoint = (seen / every + 1) * every;
                        }
                        if (stopping) {
                            return curve.build(LearningCurve.Termination.interruptedAt((double) seen / n, stop.reason()));
                        }
                    }
                    if (nextLog < logAt.length) {
                        LearningCurve.Termination earlier = records.collect();
                        if (earlier != null) {
                            return curve.build(earlier);
                        }
                        // one point per requested time, even when two requested times share a step
                        int first = nextLog;
                        while (nextLog < logAt.length && logAt[nextLog] <= seen) {
                            nextLog++;
                        }
                        records.submit((double) seen / n, first, nextLog);
                    }
                }
            }
            LearningCurve.Termination earlier = records.collect();
            if (earlier != null) {
                return curve.build(earlier);
            }
            return curve.build(LearningCurve.Termination.completedAt((double) seen / n));
        } finally {
            test.close();
        }
    }

    private static void checkResumable(SgdState state, TwoLayerNetwork student, long totalSamples, long[] logAt) {
        int kn = student.hidden() * student.inputDim();
        if (state.firstLayer().length != kn || state.secondLayer().length != student.hidden()) {
            throw new InvalidInputException("resume", "resume state must have K*N = " + kn + " first-layer and K = "
                    + student.hidden() + " second-layer weights, got " + state.firstLayer().length + " and "
                    + state.secondLayer().length);
        }
        if (state.samples() > totalSamples) {
            throw new InvalidInputException("resume", "resume state must be at most " + totalSamples
                    + " samples into the run, got " + state.samples());
        }
        // a checkpoint comes before the points due at its own sample count are recorded
        int before = 0;
        int upTo = 0;
        for (long at : logAt) {
            before += at < state.samples() ? 1 : 0;
            upTo += at <= state.samples() ? 1 : 0;
        }
        int points = state.points().size();
        if (points < before || points > upTo) {
            throw new InvalidInputException("resume", "resume state must hold the " + before + " to " + upTo
                    + " points recorded up to " + state.samples() + " samples, got " + points);
        }
    }

    private static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The recorded time whose test-set evaluation may still run on the evaluation pool while SGD
     * goes on (issue 11: the SGD thread used to wait for every evaluation): at most one, of a
     * snapshot of the student's weights, collected — its points added to the curve and shown to the
     * observer, in time order — before the next one is submitted, before a checkpoint, a stop or a
     * divergence is returned, and at the end. The numbers are those of an evaluation that the SGD
     * thread waited for (the same rows, blocks and ordered sums, of the same weights), so the curve
     * and its termination do not depend on the overlap. Without a pool the evaluation runs at
     * submission, on the SGD thread. Not thread-safe: the SGD thread's own.
     */
    private static final class Records {
        private final TestSet test;
        private final LearningCurve.Builder curve;
        private final WeightObserver observer;
        private final TwoLayerNetwork student;
        /** The student's weights at the pending recorded time. */
        private final TwoLayerNetwork snapshot;
        private final double[] q;
        private final double[] r;
        private boolean pending;
        private double time;
        private int fromPoint;
        private int toPoint;

        Records(TestSet test, LearningCurve.Builder curve, WeightObserver observer, TwoLayerNetwork student,
                double[] q, double[] r) {
            this.test = test;
            this.curve = curve;
            this.observer = observer;
            this.student = student;
            this.snapshot = student.copy();
            this.q = q;
            this.r = r;
        }

        /**
         * Starts the evaluation of the student as it is now, recorded time {@code t}, for the
         * requested times {@code from … to − 1}; the previous one must have been collected.
         */
        void submit(double t, int from, int to) {
            System.arraycopy(student.firstLayer(), 0, snapshot.firstLayer(), 0, student.firstLayer().length);
            System.arraycopy(student.secondLayer(), 0, snapshot.secondLayer(), 0, student.secondLayer().length);
            time = t;
            fromPoint = from;
            toPoint = to;
            pending = true;
            test.submit(snapshot);
        }

        /**
         * Waits for the pending evaluation, if any, and records its points; returns the divergence
         * it found (the run ends there), or null.
         */
        LearningCurve.Termination collect() {
            if (!pending) {
                return null;
            }
            pending = false;
            double eg = test.collect(q, r);
            if (!Double.isFinite(eg) || !allFinite(q) || !allFinite(r) || !allFinite(snapshot.secondLayer())) {
                return LearningCurve.Termination.divergedAt(time, "SGD diverged at t = " + time
                        + ": the test error or an order parameter became non-finite");
            }
            for (int i = fromPoint; i < toPoint; i++) {
                curve.add(time, eg, q, r, snapshot.secondLayer());
                observer.record(time, snapshot);
            }
            return null;
        }
    }

    /** Reusable buffers of one block of training samples and their labels. */
    private static final class Block {
        private final Generator generator;
        private final TeacherFields teacher;
        final double[] latent;
        final double[] inputs;
        final double[] labels = new double[BLOCK];
        /** The teacher's fields ν of the block, batch × M. */
        final double[] fields;

        Block(Generator generator, TeacherFields teacher) {
            this.generator = generator;
            this.teacher = teacher;
            this.latent = new double[BLOCK * generator.latentDimension()];
            this.inputs = new double[BLOCK * generator.inputDimension()];
            this.fields = new double[BLOCK * teacher.hidden()];
        }

        /** Fills the buffers with block {@code index} of {@code stream} (training or test data). */
        void draw(long seed, String stream, long index) {
            RandomGenerator rng = RandomStreams.stream(seed, stream, index);
            generator.sample(rng, BLOCK, latent, inputs);
            teacher.labels(BLOCK, latent, inputs, labels, fields);
        }
    }

    /** Dot product with four partial sums (lets the JIT use wider registers; order is fixed). */
    static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** y[yOff..] += alpha · x[xOff..] over n entries. */
    static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** The frozen teacher's fields ν and labels y = Σ A_m g(ν_m) for batches of samples. */
    static final class TeacherFields {
        private final TwoLayerNetwork teacher;
        private final boolean onLatent;
        private final int dim;
        private final LinearAlgebra la;

        TeacherFields(TwoLayerNetwork teacher, TeacherInput input, Generator generator, LinearAlgebra la) {
            this.teacher = teacher;
            this.la = la;
            this.onLatent = input == TeacherInput.LATENT;
            this.dim = onLatent ? generator.latentDimension() : generator.inputDimension();
        }

        int hidden() {
            return teacher.hidden();
        }

        /**
         * @param fields if not null, overwritten with the batch × M teacher fields
         */
        void labels(int batch, double[] latent, double[] inputs, double[] labels, double[] fields) {
            int m = teacher.hidden();
            double[] nu = fields != null ? fields : new double[batch * m];
            la.gemm(false, true, batch, m, dim, 1.0 / Math.sqrt(dim),
                    onLatent ? latent : inputs, teacher.firstLayer(), 0.0, nu);
            double[] a = teacher.secondLayer();
            Activation g = teacher.activation();
            for (int b = 0; b < batch; b++) {
                double y = 0;
                for (int j = 0; j < m; j++) {
                    y += a[j] * g.value(nu[b * m + j]);
                }
                labels[b] = y;
            }
        }
    }

    /**
     * The fixed test set and the evaluation of ε_g, Q̂ and R̂ on it, by row blocks on a pool of
     * the run's own: each row's field and squared error are computed alike whichever thread takes
     * it, and the squared errors are summed in row order on the calling thread, so the numbers do
     * not depend on the thread count. Q̂ and R̂ are summed in blocks of {@link #GRANULE} rows (in
     * a fixed order within a block, {@link #blockProducts}) on the pool, and the block sums added
     * in block order on the calling thread: the blocks are fixed by the row index, not by the
     * threads, so these too are the same for every thread count.
     *
     * <p>An evaluation is a list of pieces that any thread may claim, one at a time, from one
     * counter: first its preparation — the sign path's look-up tables by groups of columns
     * ({@link SignMatrix#tables(int, double[], double[], int, int)}), or the resident product as
     * one piece — then its rows by {@link #GRANULE}; a row piece starts once every preparation
     * piece has finished, and whoever finishes the last row piece adds the two ordered sums.
     * {@link #submit} wakes the pool's workers and returns, so SGD goes on meanwhile; {@link
     * #collect} claims what the workers have not yet taken, then waits for the pieces still
     * running (issue 11: when recorded times follow each other closely the calling thread used
     * to sleep in a join while a worker, woken late, did the rows alone). Not thread-safe (one
     * run's own); {@link #close} ends the pool.
     */
    static final class TestSet implements AutoCloseable {
        /**
         * Rows per piece of the pool's work and per block of the Q̂, R̂ sums (a multiple of the
         * four rows {@link SignMatrix} takes together).
         */
        static final int GRANULE = 512;
        /** Column groups of the sign path's tables per piece of the pool's work (8 · 4 kB at K = 2). */
        private static final int TABLE_GRANULE = 8;

        private final int size;
        private final int n;
        private final int m;
        private final double[] labels;
        private final double[] teacherFields;
        private final LinearAlgebra la;
        private double[] studentFields;
        /**
         * Inputs that are all ±a (a sign generator) one bit per entry, exact: their fields by
         * table look-up from a set that stays in the cache (P·N/8 bytes), in float64. Null for
         * other inputs.
         */
        private final SignMatrix signInputs;
        /** The look-up tables of {@link #signInputs} for the student's K rows, reused. */
        private double[] signTables;
        /** {@link #signInputs} prepared for the student's K rows (its table indices), made once. */
        private SignMatrix.Product signProduct;
        /**
         * Other inputs copied once to the BLAS (no 8·P·N-byte JNI copy per recorded time), in
         * float32: the fields are memory-bound, and their float32 rounding (~√N·2⁻²⁴ ≈ 1e-6
         * relative at N = 500) is four orders below the test set's own Monte-Carlo error
         * (~1/√P = 1e-2 at P = 10⁴). The SGD itself stays in float64. Null for sign inputs.
         */
        private final ResidentMatrix residentInputs;
        /** (φ − y)² of each row at the last evaluation. */
        private final double[] squaredErrors;
        /**
         * Per block b of {@link #GRANULE} rows, at {@code b·(K² + K·M)}: Σ λ_k λ_l (K × K, the
         * upper triangle mirrored) then Σ λ_k ν_j (K × M) over the block's rows, in the fixed
         * order of {@link #blockProducts}.
         */
        private double[] blockSums;
        /** The evaluation threads beside the calling one (null: the calling thread alone). */
        private final ForkJoinPool pool;
        /** Claims pieces of the evaluation in progress: what each of the pool's workers runs. */
        private final Runnable helper = this::work;
        /** The student of the evaluation in progress, for {@link #evaluateRows}; null when collected. */
        private TwoLayerNetwork evaluated;
        /**
         * Preparation and row pieces of the evaluation in progress, written before its claims are
         * published (the write of {@link #claims} makes them visible to the claiming threads).
         */
        private int preparationPieces;
        private int rowPieces;
        /**
         * The submission's number (high 32 bits) and the next piece to claim (low 32 bits): a new
         * number at each submission, so a claim read before it cannot succeed after it.
         */
        private final AtomicLong claims = new AtomicLong();
        private final AtomicInteger preparationsDone = new AtomicInteger();
        private final AtomicInteger rowsDone = new AtomicInteger();
        /** Set once the sums of the evaluation in progress are written (or it failed). */
        private volatile boolean finished;
        /** The thread waiting in {@link #collect}, woken by the one that finishes; null otherwise. */
        private volatile Thread waiter;
        /** The first failure of a piece of the evaluation in progress, rethrown by {@link #collect}. */
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        /** ε_g, Q̂ and R̂ of the last evaluation, written by {@link #sums}. */
        private double resultError;
        private double[] resultQ;
        private double[] resultR;

        private TestSet(int size, int n, int m, double[] inputs, double[] labels, double[] teacherFields,
                        LinearAlgebra la, boolean signAllowed, int threads) {
            this.la = la;
            this.squaredErrors = new double[size];
            this.pool = threads > 1 ? SplitRows.fixedPool(threads, "gequiv-test-set") : null;
            this.size = size;
            this.n = n;
            this.m = m;
            this.labels = labels;
            this.teacherFields = teacherFields;
            this.signInputs = signAllowed ? SignMatrix.of(size, n, inputs).orElse(null) : null;
            this.residentInputs = signInputs == null ? la.residentFloat(size, n, inputs) : null;
        }

        /**
         * Block b of the test set from sub-stream b of {@link RandomStreams#TEST_DATA}, drawn on
         * {@code threads} workers (0: on this thread) and copied in index order: the same set for
         * every thread count. Its evaluations run on as many threads (at least the calling one),
         * with the same numbers.
         */
        static TestSet draw(Generator generator, TeacherFields teacher, int size, long seed, LinearAlgebra la,
                            int threads) {
            return draw(generator, teacher, size, seed, la, threads, true);
        }

        /**
         * {@link #draw(Generator, TeacherFields, int, long, LinearAlgebra, int)}, with sign inputs
         * kept as bits only if {@code signAllowed} (false: the float32 path of every other
         * generator, the reference of the sign path's tests).
         */
        static TestSet draw(Generator generator, TeacherFields teacher, int size, long seed, LinearAlgebra la,
                            int threads, boolean signAllowed) {
            int n = generator.inputDimension();
            int m = teacher.hidden();
            double[] inputs = new double[size * n];
            double[] labels = new double[size];
            double[] fields = new double[size * m];
            try (OrderedBlocks<Block> blocks = new OrderedBlocks<>(threads, () -> new Block(generator, teacher),
                    (buffer, index) -> buffer.draw(seed, RandomStreams.TEST_DATA, index), 0,
                    (size + BLOCK - 1) / BLOCK, "gequiv-sampler", "sampling the test set")) {
                for (int start = 0; start < size; start += BLOCK) {
                    int count = Math.min(BLOCK, size - start);
                    Block b = blocks.next();
                    System.arraycopy(b.inputs, 0, inputs, start * n, count * n);
                    System.arraycopy(b.labels, 0, labels, start, count);
                    System.arraycopy(b.fields, 0, fields, start * m, count * m);
                }
            }
            return new TestSet(size, n, m, inputs, labels, fields, la, signAllowed, threads);
        }

        /** Whether the inputs are kept as bits (all ±a) rather than in float32. */
        boolean bitPacked() {
            return signInputs != null;
        }

        /** T̂_jj = mean over the test set of ν_j², the teacher's own overlap (for error bounds). */
        double teacherFieldMeanSquare(int j) {
            double sum = 0;
            for (int p = 0; p < size; p++) {
                sum += teacherFields[p * m + j] * teacherFields[p * m + j];
            }
            return sum / size;
        }

        /**
         * ε_g = ½ mean (φ − y)² of the student on the test set.
         *
         * @param q overwritten with Q̂ = ΛᵀΛ/P (K × K)
         * @param r overwritten with R̂ = ΛᵀΝ/P (K × M)
         */
        double evaluate(TwoLayerNetwork student, double[] q, double[] r) {
            submit(student);
            return collect(q, r);
        }

        /**
         * Starts the evaluation of {@code student} (not modified, and not to be modified until
         * {@link #collect}): wakes the pool's workers, or runs it at once on the calling thread
         * without a pool. The previous evaluation must have been collected.
         */
        void submit(TwoLayerNetwork student) {
            if (evaluated != null) {
                throw new IllegalStateException("the previous evaluation must be collected first");
            }
            int k = student.hidden();
            int blocks = (size + GRANULE - 1) / GRANULE;
            int stride = k * k + k * m;
            if (studentFields == null || studentFields.length != size * k) {
                studentFields = new double[size * k];
                blockSums = new double[blocks * stride];
            }
            if (signInputs != null && (signProduct == null || signProduct.n() != k)) {
                signTables = new double[signInputs.tableLength(k)];
                signProduct = signInputs.product(k);
            }
            evaluated = student;
            preparationPieces = signInputs != null ? (signInputs.groups() + TABLE_GRANULE - 1) / TABLE_GRANULE : 1;
            rowPieces = blocks;
            preparationsDone.set(0);
            rowsDone.set(0);
            failure.set(null);
            finished = false;
            // publishes the fields above to the threads that claim from it
            claims.set(((claims.get() >>> 32) + 1) << 32);
            if (pool == null) {
                work();
                return;
            }
            for (int w = 0; w < pool.getParallelism(); w++) {
                pool.execute(helper);
            }
        }

        /**
         * Claims and runs pieces of the evaluation in progress until none is left to claim (the
         * pool's workers, and the calling thread in {@link #collect}).
         */
        private void work() {
            while (true) {
                long c = claims.get();
                int piece = (int) c;
                int prepared = preparationPieces;
                // the fields read after c belong to c's submission whenever the claim below succeeds:
                // the next submission comes after every piece of this one has finished
                if (piece >= prepared + rowPieces) {
                    return;
                }
                if (!claims.compareAndSet(c, c + 1)) {
                    continue;
                }
                if (piece < prepared) {
                    try {
                        if (failure.get() == null) {
                            prepare(piece);
                        }
                    } catch (RuntimeException | Error e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        preparationsDone.incrementAndGet();
                    }
                    continue;
                }
                awaitPreparation(prepared);
                int from = (piece - prepared) * GRANULE;
                try {
                    if (failure.get() == null) {
                        evaluateRows(from, Math.min(size, from + GRANULE));
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
                if (rowsDone.incrementAndGet() == rowPieces) {
                    try {
                        if (failure.get() == null) {
                            sums(evaluated.hidden());
                        }
                    } catch (RuntimeException | Error e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        finished = true;
                        Thread w = waiter;
                        if (w != null) {
                            LockSupport.unpark(w);
                        }
                    }
                }
            }
        }

        /** Preparation piece {@code piece}: groups of the sign path's tables, or the resident product. */
        private void prepare(int piece) {
            TwoLayerNetwork student = evaluated;
            if (signInputs != null) {
                int first = piece * TABLE_GRANULE;
                signInputs.tables(student.hidden(), student.firstLayer(), signTables, first,
                        Math.min(TABLE_GRANULE, signInputs.groups() - first));
            } else {
                residentFields(student);
            }
        }

        /**
         * Waits until the {@code pieces} preparation pieces have finished: a few microseconds of
         * table groups on other threads, so it spins, yielding the core after a while (a machine
         * with more threads than cores may have descheduled the thread it waits for).
         */
        private void awaitPreparation(int pieces) {
            long start = System.nanoTime();
            while (preparationsDone.get() < pieces) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        /**
         * How long a waiting thread spins before it yields or parks: about a row piece's time
         * (25 µs at P = 10⁴, N = 500, K = 2). Bounded by the clock, not by a count of spins: one
         * {@code onSpinWait} took ≈ 0.1 µs on the 2-core host, so the 4096 spins first used here
         * were ≈ 0.4 ms, longer than a whole evaluation.
         */
        private static final long SPIN_NANOS = 20_000;

        /** The fields of the float32 resident inputs, Λ = X Wᵀ/√N, by the backend. */
        private void residentFields(TwoLayerNetwork student) {
            la.gemm(residentInputs, true, student.hidden(), 1.0 / Math.sqrt(n), student.firstLayer(), 0.0,
                    studentFields);
        }

        /**
         * Takes the pieces of the evaluation {@link #submit submitted} last that no worker has
         * taken, waits for those still running, and returns its ε_g = ½ mean (φ − y)².
         *
         * @param q overwritten with Q̂ = ΛᵀΛ/P (K × K)
         * @param r overwritten with R̂ = ΛᵀΝ/P (K × M)
         */
        double collect(double[] q, double[] r) {
            if (evaluated == null) {
                throw new IllegalStateException("no evaluation was submitted");
            }
            int k = evaluated.hidden();
            try {
                work();
                if (!finished) {
                    waiter = Thread.currentThread();
                    long start = System.nanoTime();
                    while (!finished) {
                        if (System.nanoTime() - start < SPIN_NANOS) {
                            Thread.onSpinWait();
                        } else {
                            LockSupport.park(this);
                        }
                    }
                    waiter = null;
                }
            } finally {
                // the pieces read it until the last one has finished
                evaluated = null;
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            System.arraycopy(resultQ, 0, q, 0, k * k);
            System.arraycopy(resultR, 0, r, 0, k * m);
            return resultError;
        }

        /**
         * The ordered sums of the last evaluation into {@link #resultError}, {@link #resultQ} and
         * {@link #resultR}: the squared errors in row order, the blocks' Q̂, R̂ sums in block order.
         */
        private void sums(int k) {
            int blocks = (size + GRANULE - 1) / GRANULE;
            int stride = k * k + k * m;
            if (resultQ == null || resultQ.length != k * k) {
                resultQ = new double[k * k];
                resultR = new double[k * m];
            }
            double[] q = resultQ;
            double[] r = resultR;
            double sum = 0;
            for (int p = 0; p < size; p++) {
                sum += squaredErrors[p];
            }
            Arrays.fill(q, 0, k * k, 0.0);
            Arrays.fill(r, 0, k * m, 0.0);
            for (int b = 0; b < blocks; b++) {
                int at = b * stride;
                for (int i = 0; i < k * k; i++) {
                    q[i] += blockSums[at + i];
                }
                for (int i = 0; i < k * m; i++) {
                    r[i] += blockSums[at + k * k + i];
                }
            }
            for (int i = 0; i < k * k; i++) {
                q[i] *= 1.0 / size;
            }
            for (int i = 0; i < k * m; i++) {
                r[i] *= 1.0 / size;
            }
            resultError = 0.5 * sum / size;
        }

        /**
         * Rows {@code from … to − 1} ({@code from} a multiple of {@link #GRANULE}, {@code to} one or
         * the size): their fields (sign inputs), squared errors and the Q̂, R̂ sums of their blocks.
         */
        private void evaluateRows(int from, int to) {
            TwoLayerNetwork student = evaluated;
            int k = student.hidden();
            if (signInputs != null) {
                signProduct.multiplyRows(from, to - from, 1.0 / Math.sqrt(n), signTables, studentFields);
            }
            double[] v = student.secondLayer();
            Activation g = student.activation();
            for (int p = from; p < to; p++) {
                double phi = 0;
                for (int j = 0; j < k; j++) {
                    phi += v[j] * g.value(studentFields[p * k + j]);
                }
                double delta = phi - labels[p];
                squaredErrors[p] = delta * delta;
            }
            int stride = k * k + k * m;
            for (int start = from; start < to; start += GRANULE) {
                int end = Math.min(to, start + GRANULE);
                int at = start / GRANULE * stride;
                for (int a = 0; a < k; a++) {
                    for (int c = a; c < k; c++) {
                        double sum = blockProducts(studentFields, k, a, studentFields, k, c, start, end);
                        blockSums[at + a * k + c] = sum;
                        blockSums[at + c * k + a] = sum;
                    }
                    for (int j = 0; j < m; j++) {
                        blockSums[at + k * k + a * m + j] = blockProducts(studentFields, k, a, teacherFields, m, j,
                                start, end);
                    }
                }
            }
        }

        /**
         * Σ_{p = start}^{end − 1} x[p·kx + i]·y[p·ky + j] in a fixed order: four partial sums over
         * the rows p − start ≡ 0, 1, 2, 3 (mod 4), each in row order, added as (s₀ + s₁) + (s₂ + s₃)
         * (four chains of additions instead of one that waits on each).
         */
        static double blockProducts(double[] x, int kx, int i, double[] y, int ky, int j, int start, int end) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int p = start;
            int xo = start * kx + i;
            int yo = start * ky + j;
            for (; p + 3 < end; p += 4, xo += 4 * kx, yo += 4 * ky) {
                s0 += x[xo] * y[yo];
                s1 += x[xo + kx] * y[yo + ky];
                s2 += x[xo + 2 * kx] * y[yo + 2 * ky];
                s3 += x[xo + 3 * kx] * y[yo + 3 * ky];
            }
            if (p < end) {
                s0 += x[p * kx + i] * y[p * ky + j];
            }
            if (p + 1 < end) {
                s1 += x[(p + 1) * kx + i] * y[(p + 1) * ky + j];
            }
            if (p + 2 < end) {
                s2 += x[(p + 2) * kx + i] * y[(p + 2) * ky + j];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }
}
