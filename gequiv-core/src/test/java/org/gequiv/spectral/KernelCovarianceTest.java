package org.gequiv.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matrix-free Ω·V and Φθ of {@link KernelCovariance} against the dense analytic moments of
 * the same generator (by definition: the same kernel entry by entry, only summed in another order).
 */
class KernelCovarianceTest {

    /** GEMMs blocked differently: a few ulps of the largest |Ω v| entry, times the N terms. */
    static final double PRODUCT_ROUND_OFF = 1e-12;

    static Stream<Arguments> generators() {
        return Stream.of(
                Arguments.of(DeepRandomGenerator.singleLayer(12, 300, StandardActivation.SIGN, CovarianceRule.EXACT, 1)),
                Arguments.of(DeepRandomGenerator.singleLayer(12, 300, StandardActivation.TANH, CovarianceRule.EXACT, 2)),
                Arguments.of(DeepRandomGenerator.singleLayer(12, 300, StandardActivation.RELU, CovarianceRule.EXACT, 3)),
                Arguments.of(DeepRandomGenerator.singleLayer(12, 300, StandardActivation.ERF, CovarianceRule.LINEARISED, 4)),
                Arguments.of(new DeepRandomGenerator(10, 280, 3, 15, StandardActivation.SIGN, CovarianceRule.EXACT, 5)),
                Arguments.of(new DeepRandomGenerator(10, 280, 3, 15, StandardActivation.SIGN, CovarianceRule.LINEARISED, 6)));
    }

    @ParameterizedTest
    @MethodSource("generators")
    void matrixFreeProductsEqualTheDenseMoments(DeepRandomGenerator gen) {
        Moments moments = gen.analyticMoments().orElseThrow();
        int n = gen.inputDimension();
        int d = gen.latentDimension();
        KernelCovariance kernel = KernelCovariance.of(gen);
        ExplicitCovariance dense = ExplicitCovariance.of(moments);
        int p = 3;
        double[] v = BlockLanczosTest.gaussian(p, n, 9);
        double[] a = new double[p * n];
        double[] b = new double[p * n];
        kernel.apply(p, v, a);
        dense.apply(p, v, b);
        double scale = BlockLanczosTest.maxAbs(b);
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], PRODUCT_ROUND_OFF * scale * Math.sqrt(n), "entry " + i);
        }
        double[] theta = BlockLanczosTest.gaussian(2, d, 10);
        double[] pa = new double[2 * n];
        double[] pb = new double[2 * n];
        kernel.applyPhi(2, theta, pa);
        dense.applyPhi(2, theta, pb);
        double phiScale = BlockLanczosTest.maxAbs(pb);
        for (int i = 0; i < pa.length; i++) {
            assertEquals(pb[i], pa[i], PRODUCT_ROUND_OFF * phiScale * Math.sqrt(d), "Φθ entry " + i);
        }
        double[] traces = kernel.powerTraces();
        double[] exact = dense.powerTraces();
        assertEquals(n, traces[0]);
        assertEquals(exact[1], traces[1], 1e-12 * exact[1]);
        assertEquals(exact[2], traces[2], 1e-11 * exact[2]);
        double[] materialised = kernel.materialise().explicitOmega().orElseThrow();
        double omegaScale = BlockLanczosTest.maxAbs(moments.omega());
        for (int i = 0; i < materialised.length; i++) {
            assertEquals(moments.omega()[i], materialised[i], PRODUCT_ROUND_OFF * omegaScale, "Ω entry " + i);
        }
    }

    /**
     * Ω evaluated once into resident row blocks (the large-N path of {@code gequiv online}) gives the
     * products and the power traces of the dense analytic moments, by definition, for both rules,
     * single and deep, over more than one row block (N = 300 > {@link KernelCovariance#ROW_BLOCK}).
     */
    @ParameterizedTest
    @MethodSource("generators")
    void residentOmegaEqualsTheDenseMoments(DeepRandomGenerator gen) {
        Moments moments = gen.analyticMoments().orElseThrow();
        int n = gen.inputDimension();
        CovarianceOperator resident = KernelCovariance.of(gen, 2).resident();
        ExplicitCovariance dense = ExplicitCovariance.of(moments);
        assertTrue(resident.explicitOmega().isEmpty());
        int p = 4;
        double[] v = BlockLanczosTest.gaussian(p, n, 13);
        double[] a = new double[p * n];
        double[] b = new double[p * n];
        resident.apply(p, v, a);
        dense.apply(p, v, b);
        double scale = BlockLanczosTest.maxAbs(b);
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], PRODUCT_ROUND_OFF * scale * Math.sqrt(n), "entry " + i);
        }
        double[] traces = resident.powerTraces();
        double[] exact = dense.powerTraces();
        assertEquals(n, traces[0]);
        assertEquals(exact[1], traces[1], 1e-12 * exact[1]);
        assertEquals(exact[2], traces[2], 1e-11 * exact[2]);
        // an analytic Ω is refused under the generator's covariance rule, not under a moments file
        assertEquals(Moments.OMEGA_FIELD_ANALYTIC, resident.omegaOrigin()[0]);
        assertEquals(moments.omegaField(), dense.omegaOrigin()[0]);
    }

    /** The mean without Ω is the mean of the moments, bit for bit (a run centres identically either way). */
    @ParameterizedTest
    @MethodSource("generators")
    void meanWithoutOmegaIsTheMomentsMean(DeepRandomGenerator gen) {
        DeepRandomGenerator fresh = new DeepRandomGenerator(gen.latentDimension(), gen.inputDimension(), gen.depth(),
                gen.depth() == 1 ? gen.latentDimension() : 15, gen.activation(), gen.rule(),
                ((Number) gen.description().get("seed")).longValue());
        double[] mean = fresh.analyticMean().orElseThrow();
        assertArrayEquals(fresh.analyticMoments().orElseThrow().mean(), mean);
        assertArrayEquals(gen.analyticMoments().orElseThrow().mean(), mean);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        DeepRandomGenerator gen = DeepRandomGenerator.singleLayer(8, 700, StandardActivation.SIGN, CovarianceRule.EXACT, 7);
        double[] v = BlockLanczosTest.gaussian(2, 700, 11);
        double[] one = new double[2 * 700];
        double[] two = new double[2 * 700];
        KernelCovariance.of(gen, 1).apply(2, v, one);
        KernelCovariance.of(gen, 2).apply(2, v, two);
        assertArrayEquals(one, two);
    }

    @Test
    void explicitOperatorInRowBlocksEqualsOneProduct() {
        // Ω resident in row blocks of 512 (N = 4200: 9 blocks, the last partial); compare with one GEMM
        int n = 4200;
        double[] omega = new double[n * n];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(12);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double x = rng.nextDouble() - 0.5;
                omega[i * n + j] = x;
                omega[j * n + i] = x;
            }
        }
        ExplicitCovariance op = new ExplicitCovariance(n, 1, omega, new double[n]);
        double[] v = BlockLanczosTest.gaussian(2, n, 13);
        double[] blocked = new double[2 * n];
        op.apply(2, v, blocked);
        double[] direct = new double[2 * n];
        LinearAlgebra.get().gemm(false, false, 2, n, n, 1.0, v, omega, 0.0, direct);
        double scale = BlockLanczosTest.maxAbs(direct);
        for (int i = 0; i < direct.length; i++) {
            assertEquals(direct[i], blocked[i], PRODUCT_ROUND_OFF * scale * Math.sqrt(n));
        }
        assertTrue(scale > 0);
        // the second product reuses the resident blocks made by the first
        double[] again = new double[2 * n];
        op.apply(2, v, again);
        assertArrayEquals(blocked, again);
    }
}
