package org.gequiv.moments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Precision;
import org.gequiv.generator.deep.DcganGenerator;
import org.gequiv.generator.deep.DcganWeights;
import org.gequiv.linalg.LinearAlgebra;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The float32 block products of the moment estimator (docs/theory.md §7.2): float32 samples, each
 * block centred and rounded to float32, its Σ x̃x̃ᵀ and Σ x̃c̃ᵀ in SSYRK/SGEMM, added into float64
 * sums.
 */
class Float32ProductsTest {

    /** Unit roundoff of float32. */
    private static final double U = 0x1p-24;

    @TempDir
    Path dir;

    /**
     * Rung 2 and 5 at P = 10⁶ on Gaussian data with a large mean (μ = 30, Ω_ii ≈ 1.25), N = 48:
     * against the float64 products on the same samples, every entry of Ω̂ must be within the
     * rounding bound γ_{B+2}·√(Ω̂_ii Ω̂_jj) (B = 1024), and of Φ̂ within γ_{B+2}·√(Ω̂_ii·v) with v
     * = 1 + 7·√(2/P) bounding the sample variance of c_j (1 ± √(2/P)) by 7 standard errors.
     * Relative to the Monte-Carlo standard error of the entry, √((Ω_iiΩ_jj + Ω_ij²)/P) (Gaussian
     * x), rounding to nearest predicts ~u·(B/3 + √(B/6)) ≈ 2·10⁻⁵ whatever P; it must stay below
     * 10⁻³, 50× that, while float32 products of uncentred data (μ²/Ω ≈ 700) or float32 sums over
     * all P samples (~u·P/3 relative) would exceed it by far. The means are computed in float64 on
     * both paths, so they agree bitwise. About a minute on two busy cores: slow tier.
     */
    @Test
    @Tag("slow")
    void float32ProductsStayWithinTheirBoundAndFarBelowTheMonteCarloErrorAtAMillionSamples() {
        double ratio = compareWithFloat64Products(new Float32Samples(new LinearGaussianGenerator(48, 8, 30.0, 0.5, 12)),
                1_000_000, 1024);
        assertTrue(ratio < 1e-3, "rounding / Monte-Carlo error " + ratio);
    }

    /** The same at P = 10⁵ and N = 32 for the default tier (the predicted ratio does not depend on P). */
    @Test
    void float32ProductsStayWithinTheirBoundAndFarBelowTheMonteCarloError() {
        double ratio = compareWithFloat64Products(new Float32Samples(new LinearGaussianGenerator(32, 8, 30.0, 0.5, 13)),
                100_000, 1024);
        assertTrue(ratio < 1e-3, "rounding / Monte-Carlo error " + ratio);
    }

    /**
     * The bound on the float32 DCGAN itself (a small, uncalibrated one: 2 layers, 2 × 8 × 8
     * outputs), P = 2·10⁴; its outputs are not Gaussian, so only the rounding bound is asserted.
     */
    @Test
    void float32DcganProductsStayWithinTheirBound() {
        Generator dcgan = new DcganGenerator(DcganWeights.random(5, new int[] {6, 8, 2}), "test", Precision.FLOAT32);
        compareWithFloat64Products(dcgan, 20_000, 1024);
    }

    /**
     * Estimates the moments of float32 generator {@code g} with float32 and with float64 block
     * products, asserts the rounding bound entry by entry and that the paths differ somewhere, and
     * returns the largest |difference| over the Gaussian Monte-Carlo standard error of the entry.
     */
    static double compareWithFloat64Products(Generator g, long p, int block) {
        int n = g.inputDimension();
        int d = g.latentDimension();
        MomentEstimationSpec spec = new MomentEstimationSpec(p, block, 21, 2, p, null);
        LinearAlgebra la = LinearAlgebra.get();
        // the public constructor follows the generator: float32 samples, float32 products
        MomentEstimate f32 = new MomentEstimator(g, spec, la).estimate();
        MomentEstimate f64 = new MomentEstimator(g, spec, la, Precision.FLOAT64).estimate();
        assertTrue(((String) f32.provenance().get("products")).startsWith("float32"), f32.provenance().toString());
        assertEquals("float64", f64.provenance().get("products"));
        assertArrayEquals(f64.moments().mean(), f32.moments().mean(), 0.0);
        assertArrayEquals(f64.latentMean(), f32.latentMean(), 0.0);

        double gamma = (block + 2) * U / (1 - (block + 2) * U);
        double latentVariance = 1 + 7 * Math.sqrt(2.0 / p);
        double[] o32 = f32.moments().omega();
        double[] o64 = f64.moments().omega();
        double[] p32 = f32.moments().phi();
        double[] p64 = f64.moments().phi();
        double largest = 0;
        double worstRatio = 0;
        for (int i = 0; i < n; i++) {
            double oii = o64[i * n + i];
            for (int j = 0; j < n; j++) {
                double oij = o64[i * n + j];
                double ojj = o64[j * n + j];
                double diff = Math.abs(o32[i * n + j] - oij);
                assertTrue(diff <= gamma * Math.sqrt(oii * ojj), "Ω entry " + i + "," + j + ": " + diff);
                assertEquals(o32[j * n + i], o32[i * n + j], 0.0, "Ω̂ symmetric");
                largest = Math.max(largest, diff);
                worstRatio = Math.max(worstRatio, diff / Math.sqrt((oii * ojj + oij * oij) / p));
            }
            for (int j = 0; j < d; j++) {
                double pij = p64[i * d + j];
                double diff = Math.abs(p32[i * d + j] - pij);
                assertTrue(diff <= gamma * Math.sqrt(oii * latentVariance), "Φ entry " + i + "," + j + ": " + diff);
                largest = Math.max(largest, diff);
                worstRatio = Math.max(worstRatio, diff / Math.sqrt((oii + pij * pij) / p));
            }
        }
        assertTrue(largest > 0, "the float32 products must differ from the float64 ones somewhere");
        return worstRatio;
    }

    /** As for float64 products: bitwise the same for any thread count, checkpoint interval or resumption. */
    @Test
    void float32ProductsAreBitwiseIndependentOfThreadsAndResumption() {
        Generator g = new Float32Samples(new LinearGaussianGenerator(9, 4, 3.0, 1.0, 5));
        MomentEstimate one = new MomentEstimator(g, new MomentEstimationSpec(5_003, 256, 7, 1, 1000, null)).estimate();
        MomentEstimate three = new MomentEstimator(g, new MomentEstimationSpec(5_003, 256, 7, 3, 300, null)).estimate();
        assertArrayEquals(one.moments().omega(), three.moments().omega(), 0.0);
        assertArrayEquals(one.moments().phi(), three.moments().phi(), 0.0);
        assertArrayEquals(one.moments().mean(), three.moments().mean(), 0.0);

        Path ck = dir.resolve("f.ckpt");
        MomentEstimationSpec spec = new MomentEstimationSpec(10_000, 250, 4, 2, 1_000, ck);
        AtomicInteger seen = new AtomicInteger();
        assertThrows(RuntimeException.class, () -> new MomentEstimator(g, spec).estimate(r -> {
            if (seen.incrementAndGet() == 3) {
                throw new RuntimeException("simulated crash");
            }
        }));
        MomentEstimate resumed = new MomentEstimator(g, spec).estimate();
        assertEquals(3_000, resumed.resumedFrom());
        MomentEstimate fresh = new MomentEstimator(g, spec.withCheckpoint(null)).estimate();
        assertArrayEquals(fresh.moments().omega(), resumed.moments().omega(), 0.0);
        assertArrayEquals(fresh.moments().phi(), resumed.moments().phi(), 0.0);
        assertEquals(fresh.log(), resumed.log());
    }

    /**
     * The float32 DCGAN, whose workers form their own blocks' products: bitwise the same
     * estimate at 1, 2 and 3 threads. A small DCGAN (2 layers, N = 2 × 8 × 8 = 128), P = 1100 >
     * N in blocks of 256, so that the products are float32, a block spans several chunks of the
     * forward pass and the last block (76 samples) ends inside one.
     */
    @Test
    void float32DcganEstimateIsBitwiseIndependentOfThreads() {
        Generator dcgan = new DcganGenerator(DcganWeights.random(8, new int[] {6, 8, 2}), "test", Precision.FLOAT32);
        MomentEstimate one = new MomentEstimator(dcgan, new MomentEstimationSpec(1_100, 256, 3, 1, 1_100, null))
                .estimate();
        assertTrue(((String) one.provenance().get("products")).startsWith("float32"), one.provenance().toString());
        for (int threads = 2; threads <= 3; threads++) {
            MomentEstimate other = new MomentEstimator(dcgan,
                    new MomentEstimationSpec(1_100, 256, 3, threads, 1_100, null)).estimate();
            assertArrayEquals(one.moments().omega(), other.moments().omega(), 0.0, threads + " threads");
            assertArrayEquals(one.moments().phi(), other.moments().phi(), 0.0, threads + " threads");
            assertArrayEquals(one.moments().mean(), other.moments().mean(), 0.0, threads + " threads");
            assertArrayEquals(one.latentMean(), other.latentMean(), 0.0, threads + " threads");
        }
    }

    /**
     * P ≤ N: Ω̂ is singular (rank ≤ P − 1) and float32 rounding would push its zero eigenvalues
     * below the positive-semi-definiteness check, so the products stay float64 and the estimate
     * passes that check; the checkpoint identity then says so (a float32-product run refuses it).
     */
    @Test
    void fewerSamplesThanInputsKeepFloat64Products() {
        Generator g = new Float32Samples(new LinearGaussianGenerator(40, 4, 1.0, 0.3, 2));
        MomentEstimate small = new MomentEstimator(g, new MomentEstimationSpec(40, 16, 3, 2, 40, null)).estimate();
        assertEquals("float64", small.provenance().get("products"));
        MomentEstimate large = new MomentEstimator(g, new MomentEstimationSpec(41, 16, 3, 2, 41, null)).estimate();
        assertTrue(((String) large.provenance().get("products")).startsWith("float32"));
        Path ck = dir.resolve("small.ckpt");
        new MomentEstimator(g, new MomentEstimationSpec(32, 16, 3, 1, 16, ck)).estimate();
        assertThrows(IncompatibleCheckpointException.class,
                () -> new MomentEstimator(g, new MomentEstimationSpec(64, 16, 3, 1, 16, ck)).estimate());
    }

    /**
     * The float32 DCGAN declares float32 samples through the {@link Generator} interface (so the
     * estimator picks float32 products for it), the float64 one float64; a moments wrapper passes
     * the precision on unless it centres the samples itself (in float64).
     */
    @Test
    void precisionFollowsTheSamples() {
        DcganWeights w = DcganWeights.random(3, new int[] {6, 8, 2});
        Generator dcgan32 = new DcganGenerator(w, "test", Precision.FLOAT32);
        assertEquals(Precision.FLOAT32, dcgan32.precision());
        assertEquals(Precision.FLOAT64, ((Generator) new DcganGenerator(w, "test", Precision.FLOAT64)).precision());
        Generator f = new Float32Samples(new LinearGaussianGenerator(4, 2, 0.0, 1.0, 1));
        assertEquals(Precision.FLOAT64, new LinearGaussianGenerator(4, 2, 0.0, 1.0, 1).precision());
        org.gequiv.generator.Moments m = new MomentEstimator(f, MomentEstimationSpec.of(100, 1, 1)).estimate()
                .moments();
        assertEquals(Precision.FLOAT32, new GeneratorWithMoments(f, m).precision());
        assertEquals(Precision.FLOAT64, GeneratorWithMoments.centred(f, m).precision());
    }
}
