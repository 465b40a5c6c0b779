package org.gequiv.equivalence;

import java.util.random.RandomGenerator;

import org.gequiv.generator.Generator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.model.TeacherInput;
import org.gequiv.random.RandomStreams;

/**
 * Samples the local fields (λ, ν) of fixed weights under a generator (docs/theory.md §2.1):
 * λ = W(x − x₀)/√N and ν = θc/√D (latent teacher) or θ(x − x₀)/√N (teacher on x), for fresh
 * (c, x = G(c)) and a fixed centring vector x₀ (normally the generator mean).
 *
 * <p>Samples are drawn in blocks of {@code batch}; block b draws from the indexed stream
 * ({@code seed}, {@value #STREAM}, b) and fills rows [b·batch, (b+1)·batch), and each block
 * projects its inputs with one GEMM ({@code W Xᵀ}), so the result is the same for every thread
 * count. The products run on the {@link LinearAlgebra} given (the process-wide one by default);
 * the sampler never changes the BLAS thread count, which is the application's to choose (several
 * workers each running a multi-threaded GEMM oversubscribe the cores, so an application that runs
 * more than one worker does best with a single-threaded BLAS). Stateless; concurrent calls give
 * correct results when the generator is thread-safe.
 */
public final class FieldSampler {

    /** Name of the indexed stream family the generator samples are drawn from. */
    public static final String STREAM = "field-samples";

    private FieldSampler() {
    }

    /**
     * P × (K + M) local fields, row-major, columns λ_1..λ_K, ν_1..ν_M.
     *
     * @param centring x₀, length N, not modified
     * @param threads  worker threads (≥ 1); the result does not depend on it
     */
    public static double[] sample(Generator generator, FieldWeights weights, double[] centring, int samples,
                                  int batch, long seed, int threads) {
        return sample(generator, weights, centring, samples, batch, seed, threads, LinearAlgebra.get());
    }

    /**
     * {@link #sample(Generator, FieldWeights, double[], int, int, long, int)} on the given backend.
     */
    public static double[] sample(Generator generator, FieldWeights weights, double[] centring, int samples,
                                  int batch, long seed, int threads, LinearAlgebra la) {
        int n = weights.inputDimension();
        int d = weights.latentDimension();
        if (generator.inputDimension() != n || generator.latentDimension() != d) {
            throw new IllegalArgumentException("generator must have N = " + n + ", D = " + d + ", got N = "
                    + generator.inputDimension() + ", D = " + generator.latentDimension());
        }
        if (centring.length != n) {
            throw new IllegalArgumentException("centring must have length N = " + n + ", got " + centring.length);
        }
        checkSizes(samples, batch, threads);
        int kk = weights.students();
        int mm = weights.teachers();
        int dim = kk + mm;
        boolean latentTeacher = weights.teacherInput() == TeacherInput.LATENT;
        // stack student and input-teacher rows so that one GEMM projects a whole block
        int rowsOnX = latentTeacher ? kk : dim;
        double[] onX = new double[rowsOnX * n];
        System.arraycopy(weights.student(), 0, onX, 0, kk * n);
        if (!latentTeacher) {
            System.arraycopy(weights.teacher(), 0, onX, kk * n, mm * n);
        }
        double[] theta = weights.teacher();
        double invSqrtN = 1.0 / Math.sqrt(n);
        double invSqrtD = 1.0 / Math.sqrt(d);
        double[] out = new double[samples * dim];
        int blocks = (samples + batch - 1) / batch;
        BlockParallel.forEachBlock(blocks, threads, () -> new Scratch(batch, n, d, rowsOnX, mm), (s, b) -> {
            int first = b * batch;
            int rows = Math.min(batch, samples - first);
            RandomGenerator rng = RandomStreams.stream(seed, STREAM, b);
            // the last block may be short; give the generator buffers of exactly its size
            double[] latent = rows == batch ? s.latent : new double[rows * d];
            double[] inputs = rows == batch ? s.inputs : new double[rows * n];
            generator.sample(rng, rows, latent, inputs);
            for (int p = 0; p < rows; p++) {
                int off = p * n;
                for (int i = 0; i < n; i++) {
                    inputs[off + i] -= centring[i];
                }
            }
            la.gemm(false, true, rows, rowsOnX, n, invSqrtN, inputs, onX, 0.0, s.projX);
            if (latentTeacher && mm > 0) {
                la.gemm(false, true, rows, mm, d, invSqrtD, latent, theta, 0.0, s.projC);
            }
            for (int p = 0; p < rows; p++) {
                int row = (first + p) * dim;
                System.arraycopy(s.projX, p * rowsOnX, out, row, rowsOnX);
                if (latentTeacher && mm > 0) {
                    System.arraycopy(s.projC, p * mm, out, row + kk, mm);
                }
            }
        });
        return out;
    }

    /**
     * P × (K + M) draws from N(μ, C), blocked and seeded like {@link #sample}: block b of
     * replicate r uses the stream ({@code seed}, "gaussian-fields-" + r, b).
     */
    public static double[] sampleGaussian(GaussianFieldLaw law, int samples, int batch, long seed, int replicate,
                                          int threads) {
        checkSizes(samples, batch, threads);
        int dim = law.dimension();
        double[] factor = law.factor();
        double[] out = new double[samples * dim];
        String name = "gaussian-fields-" + replicate;
        int blocks = (samples + batch - 1) / batch;
        BlockParallel.forEachBlock(blocks, threads, () -> new double[dim], (z, b) -> {
            int first = b * batch;
            int rows = Math.min(batch, samples - first);
            law.sampleRows(RandomStreams.stream(seed, name, b), factor, first, rows, out, z);
        });
        return out;
    }

    private static void checkSizes(int samples, int batch, int threads) {
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2, got " + samples);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** Per-worker buffers, reused across that worker's blocks. */
    private static final class Scratch {
        final double[] latent;
        final double[] inputs;
        final double[] projX;
        final double[] projC;

        Scratch(int batch, int n, int d, int rowsOnX, int mm) {
            latent = new double[batch * d];
            inputs = new double[batch * n];
            projX = new double[batch * rowsOnX];
            projC = new double[batch * Math.max(mm, 1)];
        }
    }
}
