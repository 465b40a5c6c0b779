package org.gequiv.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.Activation;
import org.gequiv.activation.GaussianKernel;
import org.gequiv.activation.HermiteCoefficients;
import org.gequiv.activation.StandardActivation;
import org.gequiv.linalg.DenseMatrices;
import org.gequiv.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;

/**
 * The analytic moments of {@link DeepRandomGenerator} against the recursion as it was computed before
 * issue 11 moved it in place (P by DSYRK of a transposed copy of F, the kernel on the lower
 * triangle into a new matrix, K = F·slope from a clone): the same numbers bit for bit wherever the
 * arithmetic is the same, which is every case except the deep linearised rule, whose upper
 * triangle used to be k1² times the upper triangle of the GEMM product F Σ Fᵀ and is now the
 * mirror of its lower one: there the two agree to the asymmetry of that product, a few ε·‖P‖.
 */
class AnalyticMomentsPreviousFormulaTest {

    @Test
    void singleLayerMomentsAreBitIdentical() {
        for (StandardActivation a : new StandardActivation[] {StandardActivation.SIGN, StandardActivation.RELU,
                StandardActivation.TANH, StandardActivation.ERF}) {
            for (CovarianceRule rule : CovarianceRule.values()) {
                DeepRandomGenerator g = DeepRandomGenerator.singleLayer(37, 150, a, rule, 5);
                assertSame(previous(g, 37, new int[] {37, 150}), g.analyticMoments().orElseThrow(), 0.0,
                        a.id() + " " + rule.id());
            }
        }
    }

    @Test
    void deepMomentsAreBitIdenticalForTheExactRuleAndWithinRoundoffForTheLinearisedOne() {
        int[] widths = {20, 70, 70, 130};
        for (CovarianceRule rule : CovarianceRule.values()) {
            DeepRandomGenerator g = new DeepRandomGenerator(20, 130, 3, 70, StandardActivation.TANH, rule, 9);
            // entries O(1), three layers of products of width ≤ 70: 1e-13 is a few hundred ε
            double tolerance = rule == CovarianceRule.EXACT ? 0.0 : 1e-13;
            assertSame(previous(g, 20, widths), g.analyticMoments().orElseThrow(), tolerance, rule.id());
        }
    }

    /**
     * What {@link Moments#omegaChecked()} vouches for, by definition: every analytic Ω that says so
     * is finite and exactly symmetric (each (i, j) the same bits as (j, i)), so it passes the check
     * its consumers skip; and Φ is finite.
     */
    @Test
    void analyticMomentsThatSkipTheCovarianceCheckPassIt() {
        for (StandardActivation a : StandardActivation.values()) {
            for (CovarianceRule rule : CovarianceRule.values()) {
                for (int depth : new int[] {1, 3}) {
                    if (depth > 1 && !a.isOdd()) {
                        continue;
                    }
                    DeepRandomGenerator g = new DeepRandomGenerator(30, 130, depth, 40, a, rule, 4);
                    Moments m = g.analyticMoments().orElseThrow();
                    String what = a.id() + " " + rule.id() + " depth " + depth;
                    assertTrue(m.omegaChecked(), what + ": says checked");
                    int n = m.inputDimension();
                    double[] omega = m.omega();
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < i; j++) {
                            assertTrue(Double.doubleToRawLongBits(omega[i * n + j])
                                    == Double.doubleToRawLongBits(omega[j * n + i]), what + ": symmetric at " + i
                                    + ", " + j);
                        }
                    }
                    org.gequiv.linalg.Covariances.checkFiniteSymmetric(m.omegaField(), m.omegaSource(), omega, n);
                    org.gequiv.linalg.Covariances.checkFinite("phi", what, m.phi(), n, m.latentDimension());
                }
            }
        }
    }

    private static void assertSame(Moments expected, Moments actual, double tolerance, String what) {
        assertArrayEquals(expected.mean(), actual.mean(), 0.0, what + " mean");
        assertArrayEquals(expected.omega(), actual.omega(), tolerance, what + " omega");
        assertArrayEquals(expected.phi(), actual.phi(), tolerance, what + " phi");
        if (tolerance == 0.0) {
            for (int i = 0; i < expected.omega().length; i++) {
                // assertArrayEquals with delta 0 accepts -0.0 for 0.0
                assertTrue(Double.doubleToRawLongBits(expected.omega()[i])
                        == Double.doubleToRawLongBits(actual.omega()[i]), what + " omega bits at " + i);
            }
        }
    }

    /** The recursion of DeepRandomGenerator.layerMoments as it was (commit ea7d4bf). */
    private static Moments previous(DeepRandomGenerator g, int latentDim, int[] widths) {
        LinearAlgebra la = LinearAlgebra.get();
        Activation activation = g.activation();
        GaussianKernel kernels = new GaussianKernel(activation);
        HermiteCoefficients kappa = activation.hermite();
        int depth = g.depth();
        double[] sigma = identity(latentDim);
        double[] cross = identity(latentDim);
        for (int l = 0; l < depth; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            boolean last = l == depth - 1;
            double[] f = g.layerWeights(l);
            double[] p = new double[out * out];
            double[] k;
            if (l == 0) {
                la.syrkTransposed(out, in, 1.0, DenseMatrices.transpose(out, in, f), 0.0, p);
                k = f.clone();
            } else {
                double[] fs = new double[out * in];
                la.gemm(false, false, out, in, in, 1.0, f, sigma, 0.0, fs);
                la.gemm(false, true, out, out, in, 1.0, fs, f, 0.0, p);
                k = new double[out * latentDim];
                la.gemm(false, false, out, latentDim, in, 1.0, f, cross, 0.0, k);
            }
            double[] next = new double[out * out];
            if (g.rule() == CovarianceRule.LINEARISED) {
                double k1 = kappa.kappa1();
                double ks2 = kappa.kappaStar() * kappa.kappaStar();
                for (int i = 0; i < out * out; i++) {
                    next[i] = k1 * k1 * p[i];
                }
                for (int i = 0; i < out; i++) {
                    next[i * out + i] = last ? kappa.variance() : next[i * out + i] + ks2;
                }
                for (int i = 0; i < k.length; i++) {
                    k[i] *= k1;
                }
            } else {
                double[] var = new double[out];
                double[][] series = new double[out][];
                for (int i = 0; i < out; i++) {
                    var[i] = p[i * out + i];
                    series[i] = kernels.seriesCoefficients(var[i]);
                    double slope = kernels.slope(var[i]);
                    for (int j = 0; j < latentDim; j++) {
                        k[i * latentDim + j] *= slope;
                    }
                }
                for (int i = 0; i < out; i++) {
                    next[i * out + i] = kernels.variance(var[i]);
                    for (int j = 0; j < i; j++) {
                        double c = kernels.covariance(var[i], var[j], p[i * out + j], series[i], series[j]);
                        next[i * out + j] = c;
                        next[j * out + i] = c;
                    }
                }
            }
            sigma = next;
            cross = k;
        }
        int n = widths[depth];
        return new Moments(n, latentDim, g.analyticMean().orElseThrow(), sigma, cross, 0, java.util.Map.of());
    }

    private static double[] identity(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 1.0;
        }
        return a;
    }
}
