package org.gequiv.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;

import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

class GaussianIntegralsTest {

    /** The covariance of docs/theory.md §4 (K = 2 students, M = 2 teachers). */
    static final double[] C = {
        1.0, 0.3, 0.2, -0.1,
        0.3, 0.8, 0.25, 0.1,
        0.2, 0.25, 1.2, 0.4,
        -0.1, 0.1, 0.4, 0.9};

    private static final StandardActivation ERF = StandardActivation.ERF;

    @Test
    void erfClosedFormsReproduceTheReferenceValuesOfTheorySection4() {
        GaussianIntegrals g = GaussianIntegrals.create(ERF, ERF, 2, 2);
        // the references are printed with 6 significant digits: half a unit of the last digit
        double tol = 5e-8 + 1e-12;
        assertEquals(0.0607917, g.i2(C, 0, 2), tol);
        assertEquals(0.0670748, g.i3(C, 0, 1, 2), tol);
        assertEquals(-0.0163505, g.i3(C, 0, 0, 3), tol);
        assertEquals(0.0427337, g.i4(C, 0, 1, 2, 3), tol);
        assertEquals(0.0154689, g.i4(C, 0, 1, 1, 2), tol);
    }

    @Test
    void linearActivationGivesCovarianceEntries() {
        GaussianIntegrals g = GaussianIntegrals.create(StandardActivation.LINEAR, StandardActivation.LINEAR, 2, 2);
        GaussianIntegrals quad = GaussianIntegrals.byQuadrature(StandardActivation.LINEAR, StandardActivation.LINEAR,
                2, 2, new int[] {4, 4, 4, 4});
        // Gauss–Hermite is exact for polynomials of degree < 2n: only rounding remains
        double tol = 1e-13;
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                assertEquals(C[a * 4 + b], g.i2(C, a, b), 0.0);
                assertEquals(C[a * 4 + b], quad.i2(C, a, b), tol);
                for (int c = 0; c < 4; c++) {
                    assertEquals(C[b * 4 + c], g.i3(C, a, b, c), 0.0);
                    assertEquals(C[b * 4 + c], quad.i3(C, a, b, c), tol);
                    for (int d = 0; d < 4; d++) {
                        assertEquals(C[c * 4 + d], g.i4(C, a, b, c, d), 0.0);
                        assertEquals(C[c * 4 + d], quad.i4(C, a, b, c, d), tol);
                    }
                }
            }
        }
    }

    @Test
    void quadratureAgreesWithErfClosedFormsForEveryIndexCombination() {
        GaussianIntegrals exact = GaussianIntegrals.create(ERF, ERF, 2, 2);
        GaussianIntegrals quad = GaussianIntegrals.byQuadrature(ERF, ERF, 2, 2, QuadratureRule.DEFAULT_NODES);
        // erf is entire: the default grids reach ~1e-9 in 1–3 dimensions, ~2e-7 on the 14⁴ grid
        double tol = 5e-7;
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                assertEquals(exact.i2(C, a, b), quad.i2(C, a, b), tol, "I2 " + a + b);
                for (int c = 0; c < 4; c++) {
                    assertEquals(exact.i3(C, a, b, c), quad.i3(C, a, b, c), tol, "I3 " + a + b + c);
                    // I4 is symmetric in (a, b) and in (c, d): the other half repeats these
                    for (int d = c; d < 4 && a <= b; d++) {
                        assertEquals(exact.i4(C, a, b, c, d), quad.i4(C, a, b, c, d), tol, "I4 " + a + b + c + d);
                    }
                }
            }
        }
    }

    @Test
    void quadratureHandlesSingularCovariances() {
        // students 0 and 1 identical (Q_01 = Q_00 = Q_11), teacher 1 with zero variance
        double[] c = {
            0.7, 0.7, 0.3, 0.0,
            0.7, 0.7, 0.3, 0.0,
            0.3, 0.3, 1.1, 0.0,
            0.0, 0.0, 0.0, 0.0};
        GaussianIntegrals exact = GaussianIntegrals.create(ERF, ERF, 2, 2);
        GaussianIntegrals quad = GaussianIntegrals.byQuadrature(ERF, ERF, 2, 2, QuadratureRule.DEFAULT_NODES);
        double tol = 2e-8;
        int[][] triples = {{0, 1, 1}, {0, 0, 1}, {0, 0, 0}, {1, 0, 2}, {0, 2, 3}, {0, 3, 3}};
        for (int[] t : triples) {
            assertEquals(exact.i3(c, t[0], t[1], t[2]), quad.i3(c, t[0], t[1], t[2]), tol);
        }
        assertEquals(exact.i2(c, 0, 1), quad.i2(c, 0, 1), tol);
        assertEquals(exact.i4(c, 0, 1, 0, 1), quad.i4(c, 0, 1, 0, 1), tol);
        assertEquals(exact.i4(c, 0, 1, 2, 3), quad.i4(c, 0, 1, 2, 3), tol);
        assertEquals(exact.i4(c, 0, 0, 1, 2), quad.i4(c, 0, 0, 1, 2), tol);
        assertTrue(Double.isFinite(quad.i4(c, 0, 1, 2, 2)));
    }

    @Test
    void quadratureAgreesWithMonteCarloForReluTanhAndMixedActivations() {
        Activation[][] pairs = {
            {StandardActivation.RELU, StandardActivation.RELU},
            {StandardActivation.TANH, StandardActivation.TANH},
            {StandardActivation.TANH, StandardActivation.RELU},
            {StandardActivation.ERF, StandardActivation.SIGN}};
        int samples = 400_000;
        double[][] u = sampleFields(C, samples, 20260601L);
        for (Activation[] p : pairs) {
            GaussianIntegrals g = GaussianIntegrals.create(p[0], p[1], 2, 2);
            int[][] i3s = {{0, 1, 2}, {0, 0, 3}, {1, 1, 1}, {0, 2, 2}};
            for (int[] t : i3s) {
                double[] mc = monteCarlo(u, x -> deriv(p, t[0], x[t[0]]) * x[t[1]] * value(p, t[2], x[t[2]]));
                assertAgrees(mc, g.i3(C, t[0], t[1], t[2]), p[0] + "/" + p[1] + " I3" + java.util.Arrays.toString(t));
            }
            int[][] i4s = {{0, 1, 2, 3}, {0, 1, 1, 2}, {0, 0, 1, 3}, {1, 1, 2, 2}};
            for (int[] t : i4s) {
                double[] mc = monteCarlo(u, x -> deriv(p, t[0], x[t[0]]) * deriv(p, t[1], x[t[1]])
                        * value(p, t[2], x[t[2]]) * value(p, t[3], x[t[3]]));
                assertAgrees(mc, g.i4(C, t[0], t[1], t[2], t[3]),
                        p[0] + "/" + p[1] + " I4" + java.util.Arrays.toString(t));
            }
            double[] mc = monteCarlo(u, x -> value(p, 0, x[0]) * value(p, 3, x[3]));
            assertAgrees(mc, g.i2(C, 0, 3), p[0] + "/" + p[1] + " I2");
        }
    }

    @Test
    void generalisationErrorMatchesTheClosedFormsOfSection32() {
        double[] q = {1.0, 0.3, 0.3, 0.8};
        double[] r = {0.2, -0.1, 0.25, 0.1};
        double[] t = {1.2, 0.4, 0.4, 0.9};
        double[] v = {0.7, -0.4};
        double[] a = {1.0, 0.5};
        // erf: (1/π)[Σ v v asin(..) + Σ A A asin(..) − 2 Σ v A asin(..)]
        double s = 0;
        for (int k = 0; k < 2; k++) {
            for (int l = 0; l < 2; l++) {
                s += v[k] * v[l] * Math.asin(q[2 * k + l] / Math.sqrt((1 + q[3 * k]) * (1 + q[3 * l])));
                s += a[k] * a[l] * Math.asin(t[2 * k + l] / Math.sqrt((1 + t[3 * k]) * (1 + t[3 * l])));
                s -= 2 * v[k] * a[l] * Math.asin(r[2 * k + l] / Math.sqrt((1 + q[3 * k]) * (1 + t[3 * l])));
            }
        }
        double tol = 1e-14;
        assertEquals(s / Math.PI, GaussianIntegrals.create(ERF, ERF, 2, 2).generalisationError(q, r, t, v, a), tol);
        // linear: ½(vᵀQv + AᵀTA − 2vᵀRA)
        double lin = 0;
        for (int k = 0; k < 2; k++) {
            for (int l = 0; l < 2; l++) {
                lin += v[k] * v[l] * q[2 * k + l] + a[k] * a[l] * t[2 * k + l] - 2 * v[k] * a[l] * r[2 * k + l];
            }
        }
        assertEquals(0.5 * lin, GaussianIntegrals.create(StandardActivation.LINEAR, StandardActivation.LINEAR, 2, 2)
                .generalisationError(q, r, t, v, a), tol);
        // ReLU kernel against 2-d quadrature (64² nodes; the kink limits accuracy to ~1e-5)
        GaussianIntegrals relu = GaussianIntegrals.create(StandardActivation.RELU, StandardActivation.RELU, 2, 2);
        GaussianIntegrals reluQuad = GaussianIntegrals.byQuadrature(StandardActivation.RELU, StandardActivation.RELU,
                2, 2, QuadratureRule.DEFAULT_NODES);
        assertEquals(reluQuad.generalisationError(q, r, t, v, a), relu.generalisationError(q, r, t, v, a), 2e-4);
        // identical student and teacher have zero error
        assertEquals(0.0, relu.generalisationError(t, t, t, a, a), 1e-15);
    }

    // ----- Monte Carlo helpers

    private interface Integrand {
        double at(double[] x);
    }

    private static double value(Activation[] p, int index, double x) {
        return (index < 2 ? p[0] : p[1]).value(x);
    }

    private static double deriv(Activation[] p, int index, double x) {
        return (index < 2 ? p[0] : p[1]).derivative(x);
    }

    private static double[][] sampleFields(double[] c, int samples, long seed) {
        double[] l = new org.gequiv.linalg.JavaLinearAlgebra().cholesky(4, c);
        RandomGenerator rng = RandomStreams.stream(seed, "gaussian-integrals-test");
        double[][] u = new double[samples][4];
        double[] z = new double[4];
        for (int s = 0; s < samples; s++) {
            RandomStreams.fillGaussian(rng, z, 4);
            for (int i = 0; i < 4; i++) {
                double acc = 0;
                for (int j = 0; j <= i; j++) {
                    acc += l[i * 4 + j] * z[j];
                }
                u[s][i] = acc;
            }
        }
        return u;
    }

    /** {mean, standard error}. */
    private static double[] monteCarlo(double[][] u, Integrand f) {
        double s = 0;
        double s2 = 0;
        for (double[] x : u) {
            double v = f.at(x);
            s += v;
            s2 += v * v;
        }
        double mean = s / u.length;
        double var = s2 / u.length - mean * mean;
        return new double[] {mean, Math.sqrt(var / u.length)};
    }

    private static void assertAgrees(double[] mc, double quadrature, String what) {
        // 5 standard errors (two-sided p ≈ 6e-7 per check) plus 2e-4 for the quadrature error of
        // the kinked ReLU/sign integrands on the default grids
        double tol = 5 * mc[1] + 2e-4;
        assertEquals(mc[0], quadrature, tol, what);
    }
}
