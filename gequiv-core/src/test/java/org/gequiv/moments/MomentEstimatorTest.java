package org.gequiv.moments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.gequiv.linalg.DenseMatrices;
import org.gequiv.generator.Moments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MomentEstimatorTest {

    @TempDir
    Path dir;

    /**
     * Statistical rung: for Gaussian x, E‖Ω̂ − Ω‖²_F ≈ ((tr Ω)² + ‖Ω‖²_F)/P and
     * E‖Φ̂ − Φ‖²_F ≈ (D tr Ω + ‖Φ‖²_F)/P. The measured error must match this 1/√P law at two
     * sample sizes 16× apart, within ±40 % (the squared Frobenius error is a sum of N² = 144
     * correlated terms; its relative spread at these sizes is ~15 %, fixed seeds).
     */
    @Test
    void estimateConvergesToAnalyticAtInverseSqrtRate() {
        LinearGaussianGenerator g = new LinearGaussianGenerator(12, 6, 0.5, 0.7, 3);
        Moments exact = g.analyticMoments().orElseThrow();
        double trOmega = 0;
        double omegaF2 = 0;
        double phiF2 = 0;
        for (int i = 0; i < 12; i++) {
            trOmega += exact.omega()[i * 12 + i];
        }
        for (double v : exact.omega()) {
            omegaF2 += v * v;
        }
        for (double v : exact.phi()) {
            phiF2 += v * v;
        }
        double[] errs = new double[2];
        long[] sizes = {4_000, 64_000};
        for (int t = 0; t < 2; t++) {
            MomentEstimate est = new MomentEstimator(g, new MomentEstimationSpec(sizes[t], 500, 11, 2, sizes[t], null))
                    .estimate();
            double errOmega = absError(est.moments().omega(), exact.omega());
            double errPhi = absError(est.moments().phi(), exact.phi());
            double predOmega = Math.sqrt((trOmega * trOmega + omegaF2) / sizes[t]);
            double predPhi = Math.sqrt((6 * trOmega + phiF2) / sizes[t]);
            assertEquals(1.0, errOmega / predOmega, 0.4, "Ω error / predicted at P = " + sizes[t]);
            assertEquals(1.0, errPhi / predPhi, 0.4, "Φ error / predicted at P = " + sizes[t]);
            errs[t] = errOmega;
            // the log's last entry carries the same relative error
            ConvergenceRecord last = est.log().get(est.log().size() - 1);
            assertEquals(sizes[t], last.samples());
            assertEquals(errOmega / Math.sqrt(omegaF2), last.relErrorOmega(), 1e-12);
            // mean of x: standard error sqrt(tr Ω / P)
            assertEquals(0, absError(est.moments().mean(), exact.mean()) / Math.sqrt(trOmega / sizes[t]), 3.0);
        }
        assertEquals(4.0, errs[0] / errs[1], 1.6, "16× samples must shrink the error ≈ 4×");
    }

    private static double absError(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** Reproducibility by design: the blocks are merged in index order, whatever the threads. */
    @Test
    void resultIsBitwiseIndependentOfThreadCountAndCheckpointInterval() {
        LinearGaussianGenerator g = new LinearGaussianGenerator(9, 4, 0.0, 1.0, 5);
        MomentEstimate one = new MomentEstimator(g, new MomentEstimationSpec(5_003, 256, 7, 1, 1000, null)).estimate();
        MomentEstimate three = new MomentEstimator(g, new MomentEstimationSpec(5_003, 256, 7, 3, 300, null)).estimate();
        assertArrayEquals(one.moments().omega(), three.moments().omega(), 0.0);
        assertArrayEquals(one.moments().phi(), three.moments().phi(), 0.0);
        assertArrayEquals(one.moments().mean(), three.moments().mean(), 0.0);
        assertArrayEquals(one.latentMean(), three.latentMean(), 0.0);
        assertEquals(5_003, one.moments().samples());
    }

    /** Chan's update keeps the sums centred: shifting every x by 10⁸ must not change Ω̂ or Φ̂. */
    @Test
    void largeMeanDoesNotCauseCancellation() {
        MomentEstimationSpec spec = new MomentEstimationSpec(20_000, 128, 2, 2, 20_000, null);
        MomentEstimate plain = new MomentEstimator(new LinearGaussianGenerator(6, 3, 0.0, 1.0, 9), spec).estimate();
        MomentEstimate shifted = new MomentEstimator(new LinearGaussianGenerator(6, 3, 1e8, 1.0, 9), spec).estimate();
        // x = 1e8 + O(1) is itself rounded to ~1.5e-8 absolute, so 1e-6 relative is ample;
        // a textbook E[xxᵀ] − μμᵀ would lose everything (1e16 · 2^-52 ≈ 2).
        assertEquals(0, DenseMatrices.relativeFrobeniusError(shifted.moments().omega(), plain.moments().omega()), 1e-6);
        assertEquals(0, DenseMatrices.relativeFrobeniusError(shifted.moments().phi(), plain.moments().phi()), 1e-6);
    }

    @Test
    void interruptedEstimateResumesBitwiseAndLosesAtMostOneInterval() {
        LinearGaussianGenerator g = new LinearGaussianGenerator(8, 3, 0.2, 0.5, 1);
        Path ck = dir.resolve("m.ckpt");
        MomentEstimationSpec spec = new MomentEstimationSpec(10_000, 250, 4, 2, 1_000, ck);
        AtomicInteger seen = new AtomicInteger();
        RuntimeException crash = assertThrows(RuntimeException.class, () -> new MomentEstimator(g, spec).estimate(r -> {
            if (seen.incrementAndGet() == 3) {
                throw new RuntimeException("simulated crash");
            }
        }));
        assertEquals("simulated crash", crash.getMessage());
        MomentEstimate resumed = new MomentEstimator(g, spec).estimate();
        // the crash came right after the third checkpoint: nothing beyond it was lost
        assertEquals(3_000, resumed.resumedFrom());
        MomentEstimate fresh = new MomentEstimator(g, spec.withCheckpoint(null)).estimate();
        assertArrayEquals(fresh.moments().omega(), resumed.moments().omega(), 0.0);
        assertArrayEquals(fresh.moments().phi(), resumed.moments().phi(), 0.0);
        assertEquals(fresh.log(), resumed.log());
        assertEquals(10, resumed.log().size());

        // a finished checkpoint can be extended to more samples, again bitwise
        MomentEstimate extended = new MomentEstimator(g, spec.withSamples(12_000)).estimate();
        MomentEstimate freshLonger = new MomentEstimator(g, spec.withSamples(12_000).withCheckpoint(null)).estimate();
        assertEquals(10_000, extended.resumedFrom());
        assertArrayEquals(freshLonger.moments().omega(), extended.moments().omega(), 0.0);
    }

    @Test
    void refusesCheckpointOfAnotherRunAndSaysWhy() {
        Path ck = dir.resolve("m.ckpt");
        MomentEstimationSpec spec = new MomentEstimationSpec(2_000, 100, 4, 1, 1_000, ck);
        new MomentEstimator(new LinearGaussianGenerator(5, 2, 0, 1, 1), spec).estimate();

        var otherSeed = assertThrows(IncompatibleCheckpointException.class, () ->
                new MomentEstimator(new LinearGaussianGenerator(5, 2, 0, 1, 1),
                        new MomentEstimationSpec(4_000, 100, 5, 1, 1_000, ck)).estimate());
        assertTrue(otherSeed.getMessage().contains("seed 4") && otherSeed.getMessage().contains("seed 5"),
                otherSeed.getMessage());

        var otherWeights = assertThrows(IncompatibleCheckpointException.class, () ->
                new MomentEstimator(new LinearGaussianGenerator(5, 2, 0, 1, 2), spec.withSamples(4_000)).estimate());
        assertTrue(otherWeights.getMessage().contains("weightSeed=1"), otherWeights.getMessage());

        var otherDims = assertThrows(IncompatibleCheckpointException.class, () ->
                new MomentEstimator(new LinearGaussianGenerator(6, 2, 0, 1, 1), spec.withSamples(4_000)).estimate());
        assertTrue(otherDims.getMessage().contains("refusing to resume"), otherDims.getMessage());

        var behind = assertThrows(IncompatibleCheckpointException.class, () ->
                new MomentEstimator(new LinearGaussianGenerator(5, 2, 0, 1, 1), spec.withSamples(1_000)).estimate());
        assertTrue(behind.getMessage().contains("more than the 1000 requested"), behind.getMessage());
    }

    @Test
    void refusesTruncatedOrCorruptCheckpoint() throws IOException {
        Path ck = dir.resolve("m.ckpt");
        LinearGaussianGenerator g = new LinearGaussianGenerator(5, 2, 0, 1, 1);
        MomentEstimationSpec spec = new MomentEstimationSpec(2_000, 100, 4, 1, 1_000, ck);
        new MomentEstimator(g, spec).estimate();
        byte[] bytes = Files.readAllBytes(ck);

        Files.write(ck, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        var truncated = assertThrows(IncompatibleCheckpointException.class,
                () -> new MomentEstimator(g, spec.withSamples(3_000)).estimate());
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        byte[] flipped = bytes.clone();
        flipped[bytes.length - 100] ^= 0x10;
        Files.write(ck, flipped);
        var corrupt = assertThrows(IncompatibleCheckpointException.class,
                () -> new MomentEstimator(g, spec.withSamples(3_000)).estimate());
        assertTrue(corrupt.getMessage().contains("CRC"), corrupt.getMessage());

        Files.writeString(ck, "not a checkpoint at all");
        var garbage = assertThrows(IncompatibleCheckpointException.class,
                () -> new MomentEstimator(g, spec.withSamples(3_000)).estimate());
        assertTrue(garbage.getMessage().contains("magic"), garbage.getMessage());
    }

    @Test
    void nanInSamplesStopsTheEstimate() {
        LinearGaussianGenerator g = new LinearGaussianGenerator(4, 2, 0, 1, 1, 700);
        var e = assertThrows(NonFiniteSampleException.class,
                () -> new MomentEstimator(g, new MomentEstimationSpec(2_000, 100, 1, 1, 2_000, null)).estimate());
        assertTrue(e.getMessage().contains("input x must be finite, got NaN"), e.getMessage());
    }

    @Test
    void rejectsInvalidSpec() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MomentEstimationSpec(1, 10, 0, 1, 1, null));
        assertEquals("samples must be >= 2, got 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MomentEstimationSpec(10, 0, 0, 1, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new MomentEstimationSpec(10, 10, 0, 0, 1, null));
    }
}
