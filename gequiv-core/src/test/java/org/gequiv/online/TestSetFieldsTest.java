package org.gequiv.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.Activation;
import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * The test-set evaluation of a sign generator's inputs kept as bits (exact, float64 fields)
 * against the float32 path that every other generator takes and that sign inputs took before
 * (issue 11): ε_g, Q̂ and R̂ agree to the float32 path's own round-off, and the bit path gives the
 * same numbers for any number of sampling threads.
 */
class TestSetFieldsTest {

    /** Unit round-off of float32 and of float64. */
    private static final double U32 = 0x1p-24;
    private static final double U64 = 0x1p-53;
    /** sup |g′| of g(z) = erf(z/√2): √(2/π) at z = 0. */
    private static final double ERF_SLOPE = Math.sqrt(2 / Math.PI);

    private static final int N = 300;
    private static final int P = 3000;
    private static final int K = 3;
    private static final int M = 2;

    private final Generator generator = DeepRandomGenerator.singleLayer(40, N, StandardActivation.SIGN,
            CovarianceRule.EXACT, 2);
    private final OnlineSpec spec = OnlineTestProblems.spec(K, M, StandardActivation.ERF, TeacherInput.LATENT, 0.2, 1,
            TrainedLayers.BOTH, 1, P, 5, 11);
    private final OnlineProblem problem = OnlineProblem.initialise(spec, generator);
    private final LinearAlgebra la = LinearAlgebra.get();
    private final OnlineSimulation.TeacherFields teacher = new OnlineSimulation.TeacherFields(problem.teacher(),
            spec.teacherInput(), generator, la);

    /**
     * Bound of the float32 path's error in a field: B and 1/√N rounded to float32 and an N-term
     * float32 dot product, (N + 2)·2⁻²⁴·Σ|x_i w_i|/√N to first order (x = ±1 is exact), plus one
     * for the bit path's float64 round-off (≤ (N/8 + 16)·2⁻⁵³ of the same sum).
     */
    private static double[] fieldBounds(TwoLayerNetwork student) {
        double[] bounds = new double[K];
        for (int k = 0; k < K; k++) {
            double absolute = 0;
            for (int i = 0; i < N; i++) {
                absolute += Math.abs(student.firstLayer()[k * N + i]);
            }
            bounds[k] = (N + 3) * U32 * absolute / Math.sqrt(N);
        }
        return bounds;
    }

    @Test
    void bitsAgreeWithTheFloat32PathToItsRoundOff() {
        try (OnlineSimulation.TestSet bits = OnlineSimulation.TestSet.draw(generator, teacher, P, spec.seed(), la, 0);
             OnlineSimulation.TestSet floats = OnlineSimulation.TestSet.draw(generator, teacher, P, spec.seed(), la, 0,
                     false)) {
            assertTrue(bits.bitPacked(), "a sign generator's test set is kept as bits");
            assertFalse(floats.bitPacked());
            TwoLayerNetwork student = problem.student();
            double[] qBits = new double[K * K];
            double[] rBits = new double[K * M];
            double[] qFloats = new double[K * K];
            double[] rFloats = new double[K * M];
            double egBits = bits.evaluate(student, qBits, rBits);
            double egFloats = floats.evaluate(student, qFloats, rFloats);

            double[] delta = fieldBounds(student);
            // |δφ| ≤ Σ_k |v_k|·sup|g′|·δ_k; |δε_g| ≤ mean|φ − y|·|δφ| + ½δφ² with mean|φ − y| ≤ √(2ε_g)
            // (Cauchy–Schwarz), plus the float64 sums over P rows, 2P·2⁻⁵³ relative
            double phi = 0;
            for (int k = 0; k < K; k++) {
                phi += Math.abs(student.secondLayer()[k]) * ERF_SLOPE * delta[k];
            }
            double egBound = Math.sqrt(2 * egFloats) * phi + 0.5 * phi * phi + 2 * P * U64 * egFloats;
            assertEquals(egFloats, egBits, egBound, "ε_g");
            // the worst case, yet an order below the test set's own sampling error of ε_g, ≈ ε_g·√(2/P)
            assertTrue(egBound < 0.1 * egFloats * Math.sqrt(2.0 / P), "ε_g bound " + egBound + " at ε_g = " + egFloats);
            // Q̂_kl = mean λ_k λ_l: mean|λ_k| ≤ √Q̂_kk; R̂_kj = mean λ_k ν_j: mean|ν_j| ≤ √T̂_jj
            for (int k = 0; k < K; k++) {
                for (int l = 0; l < K; l++) {
                    double scale = Math.sqrt(qFloats[k * K + k] * qFloats[l * K + l]);
                    double bound = Math.sqrt(qFloats[k * K + k]) * delta[l] + Math.sqrt(qFloats[l * K + l]) * delta[k]
                            + delta[k] * delta[l] + 2 * P * U64 * scale;
                    assertEquals(qFloats[k * K + l], qBits[k * K + l], bound, "Q̂_" + k + l);
                }
                for (int j = 0; j < M; j++) {
                    double teacherScale = Math.sqrt(bits.teacherFieldMeanSquare(j));
                    double bound = teacherScale * delta[k] + 2 * P * U64 * Math.sqrt(qFloats[k * K + k]) * teacherScale;
                    assertEquals(rFloats[k * M + j], rBits[k * M + j], bound, "R̂_" + k + j);
                }
            }
        }
    }

    /**
     * The float32 path keeps the arithmetic it had before the evaluation went to row blocks: ε_g
     * bit for bit that of one SGEMV per student row with the squared errors summed in row order;
     * Q̂ and R̂ bit for bit the sums in blocks of {@link OnlineSimulation.TestSet#GRANULE} rows
     * added in block order (written out here, independently of the code's loop), and within the round-off of a sum of P products of
     * the DGEMM they replaced (issue 11); on one thread and on two.
     */
    @Test
    void float32PathIsThePreviousComputationBitForBit() {
        Generator erf = DeepRandomGenerator.singleLayer(40, N, StandardActivation.ERF, CovarianceRule.EXACT, 2);
        OnlineSimulation.TeacherFields erfTeacher = new OnlineSimulation.TeacherFields(problem.teacher(),
                spec.teacherInput(), erf, la);
        TwoLayerNetwork student = problem.student();
        for (int threads : new int[] {0, 2}) {
            try (OnlineSimulation.TestSet test = OnlineSimulation.TestSet.draw(erf, erfTeacher, P, spec.seed(), la,
                    threads)) {
                assertFalse(test.bitPacked());
                double[] q = new double[K * K];
                double[] r = new double[K * M];
                double eg = test.evaluate(student, q, r);

                double[] inputs = new double[P * N];
                double[] latent = new double[P * erf.latentDimension()];
                double[] labels = new double[P];
                double[] nu = new double[P * M];
                // the test set's blocks, drawn as TestSet.draw draws them
                double[] blockLatent = new double[OnlineSimulation.BLOCK * erf.latentDimension()];
                double[] blockInputs = new double[OnlineSimulation.BLOCK * N];
                double[] blockLabels = new double[OnlineSimulation.BLOCK];
                double[] blockNu = new double[OnlineSimulation.BLOCK * M];
                for (int start = 0, b = 0; start < P; start += OnlineSimulation.BLOCK, b++) {
                    int count = Math.min(OnlineSimulation.BLOCK, P - start);
                    erf.sample(org.gequiv.random.RandomStreams.stream(spec.seed(),
                            org.gequiv.random.RandomStreams.TEST_DATA, b), OnlineSimulation.BLOCK, blockLatent, blockInputs);
                    erfTeacher.labels(OnlineSimulation.BLOCK, blockLatent, blockInputs, blockLabels, blockNu);
                    System.arraycopy(blockInputs, 0, inputs, start * N, count * N);
                    System.arraycopy(blockLabels, 0, labels, start, count);
                    System.arraycopy(blockNu, 0, nu, start * M, count * M);
                }
                double[] lambda = new double[P * K];
                la.gemm(la.residentFloat(P, N, inputs), true, K, 1.0 / Math.sqrt(N), student.firstLayer(), 0.0, lambda);
                double sum = 0;
                for (int p = 0; p < P; p++) {
                    double phi = 0;
                    for (int j = 0; j < K; j++) {
                        phi += student.secondLayer()[j] * StandardActivation.ERF.value(lambda[p * K + j]);
                    }
                    double d = phi - labels[p];
                    sum += d * d;
                }
                double[] qBefore = new double[K * K];
                double[] rBefore = new double[K * M];
                la.gemm(true, false, K, K, P, 1.0 / P, lambda, lambda, 0.0, qBefore);
                la.gemm(true, false, K, M, P, 1.0 / P, lambda, nu, 0.0, rBefore);
                assertEquals(0.5 * sum / P, eg, 0.0, threads + " threads");
                assertArrayEquals(blockMeans(lambda, K, lambda, K), q, 0.0);
                assertArrayEquals(blockMeans(lambda, K, nu, M), r, 0.0);
                // any order of a P-term sum of products is within P·2⁻⁵³·Σ|λ_k λ_l|/P of the exact
                // mean, so two orders are within twice that of each other
                double[] qBound = blockMeans(abs(lambda), K, abs(lambda), K);
                double[] rBound = blockMeans(abs(lambda), K, abs(nu), M);
                for (int i = 0; i < K * K; i++) {
                    assertEquals(qBefore[i], q[i], 2 * P * U64 * qBound[i], "Q̂ entry " + i);
                }
                for (int i = 0; i < K * M; i++) {
                    assertEquals(rBefore[i], r[i], 2 * P * U64 * rBound[i], "R̂ entry " + i);
                }
            }
        }
    }

    /**
     * (1/P) Σ_p a_pk b_pl (row-major P × ka and P × kb), summed within blocks of
     * {@link OnlineSimulation.TestSet#GRANULE} rows as four partial sums (rows mod 4, each in row
     * order, added as (s₀ + s₁) + (s₂ + s₃)), the block sums added in block order.
     */
    private static double[] blockMeans(double[] a, int ka, double[] b, int kb) {
        double[] mean = new double[ka * kb];
        for (int start = 0; start < P; start += OnlineSimulation.TestSet.GRANULE) {
            int end = Math.min(P, start + OnlineSimulation.TestSet.GRANULE);
            for (int i = 0; i < ka; i++) {
                for (int j = 0; j < kb; j++) {
                    // four partial sums by row mod 4 from the block's start, each in row order
                    double[] partial = new double[4];
                    for (int p = start; p < end; p++) {
                        partial[(p - start) % 4] += a[p * ka + i] * b[p * kb + j];
                    }
                    mean[i * kb + j] += (partial[0] + partial[1]) + (partial[2] + partial[3]);
                }
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] *= 1.0 / P;
        }
        return mean;
    }

    private static double[] abs(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.abs(a[i]);
        }
        return out;
    }

    /** Both paths give the same numbers for any number of threads (drawing and evaluating). */
    @Test
    void sameNumbersForAnyThreadCount() {
        TwoLayerNetwork student = problem.student();
        for (boolean signAllowed : new boolean[] {true, false}) {
            double[] q0 = new double[K * K];
            double[] r0 = new double[K * M];
            double eg0;
            try (OnlineSimulation.TestSet one = OnlineSimulation.TestSet.draw(generator, teacher, P, spec.seed(), la, 0,
                    signAllowed)) {
                eg0 = one.evaluate(student, q0, r0);
            }
            for (int threads : new int[] {1, 2, 3}) {
                try (OnlineSimulation.TestSet test = OnlineSimulation.TestSet.draw(generator, teacher, P, spec.seed(),
                        la, threads, signAllowed)) {
                    double[] q = new double[K * K];
                    double[] r = new double[K * M];
                    // twice: the pool's second evaluation reuses its buffers
                    test.evaluate(student, q, r);
                    double eg = test.evaluate(student, q, r);
                    assertEquals(eg0, eg, 0.0, threads + " threads, bits " + signAllowed);
                    assertArrayEquals(q0, q, 0.0);
                    assertArrayEquals(r0, r, 0.0);
                }
            }
        }
    }

    /**
     * Evaluations submitted one after another, each collected after the calling thread has done
     * other work (as SGD goes on) or at once (it then takes pieces itself), give on pools of 1 to
     * 3 workers the numbers of the evaluation on the calling thread alone, for students that
     * change between them.
     */
    @Test
    void successiveEvaluationsOnAPoolAreThoseOfTheCallingThreadAlone() {
        for (boolean signAllowed : new boolean[] {true, false}) {
            try (OnlineSimulation.TestSet serial = OnlineSimulation.TestSet.draw(generator, teacher, P, spec.seed(), la,
                    0, signAllowed)) {
                for (int threads : new int[] {2, 3}) {
                    try (OnlineSimulation.TestSet pooled = OnlineSimulation.TestSet.draw(generator, teacher, P,
                            spec.seed(), la, threads, signAllowed)) {
                        TwoLayerNetwork student = problem.student().copy();
                        double[] q0 = new double[K * K];
                        double[] r0 = new double[K * M];
                        double[] q = new double[K * K];
                        double[] r = new double[K * M];
                        for (int e = 0; e < 40; e++) {
                            // another student each time: the weights scaled and one of them moved
                            student.firstLayer()[(e * 31) % (K * N)] += 0.1 * (e + 1);
                            double eg0 = serial.evaluate(student, q0, r0);
                            pooled.submit(student);
                            if (e % 2 == 0) {
                                // the workers alone, most of the time
                                spin(200_000);
                            }
                            double eg = pooled.collect(q, r);
                            String what = threads + " threads, bits " + signAllowed + ", evaluation " + e;
                            assertEquals(eg0, eg, 0.0, what);
                            assertArrayEquals(q0, q, 0.0, what);
                            assertArrayEquals(r0, r, 0.0, what);
                        }
                    }
                }
            }
        }
    }

    /**
     * A piece that fails reaches the caller of collect as it was thrown, whichever thread ran it,
     * without leaving collect waiting; the next evaluation then runs as usual.
     */
    @Test
    void aFailingPieceIsRethrownAndTheNextEvaluationRuns() {
        RuntimeException thrown = new IllegalStateException("failing activation");
        Activation failing = new Activation() {
            @Override
            public String id() {
                return "failing";
            }

            @Override
            public double value(double z) {
                throw thrown;
            }

            @Override
            public double derivative(double z) {
                throw thrown;
            }

            @Override
            public org.gequiv.activation.HermiteCoefficients hermite() {
                throw thrown;
            }

            @Override
            public boolean isOdd() {
                return false;
            }
        };
        TwoLayerNetwork student = problem.student();
        TwoLayerNetwork bad = new TwoLayerNetwork(K, N, student.firstLayer().clone(), student.secondLayer().clone(),
                failing);
        for (int threads : new int[] {0, 2}) {
            try (OnlineSimulation.TestSet test = OnlineSimulation.TestSet.draw(generator, teacher, P, spec.seed(), la,
                    threads)) {
                double[] q = new double[K * K];
                double[] r = new double[K * M];
                RuntimeException e = assertThrows(RuntimeException.class, () -> test.evaluate(bad, q, r));
                assertSame(thrown, e, threads + " threads");
                double eg = test.evaluate(student, q, r);
                assertTrue(Double.isFinite(eg) && eg > 0, "ε_g after the failure: " + eg);
            }
        }
    }

    /** Busy work of about {@code n} steps, kept from being optimised away. */
    private static void spin(int n) {
        double x = 1;
        for (int i = 0; i < n; i++) {
            x = x * 1.0000001 + 1e-9;
        }
        assertTrue(x > 0);
    }
}
