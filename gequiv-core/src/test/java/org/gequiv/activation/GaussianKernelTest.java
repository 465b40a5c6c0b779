package org.gequiv.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The Gaussian kernel of σ (docs/theory.md §2.3): closed forms at known points, the Hermite series against them. */
class GaussianKernelTest {

    /** Closed forms evaluated in double precision. */
    private static final double ROUNDOFF = 1e-14;
    /** 120-node Gauss–Hermite quadrature of a smooth (entire) integrand is exact to round-off. */
    private static final double QUADRATURE = 1e-12;

    /** erf(z/√2) seen through an activation that is not a {@link StandardActivation}: the series path. */
    private static final Activation ERF_BY_SERIES = new Activation() {
        @Override
        public String id() {
            return "erf-by-series";
        }

        @Override
        public double value(double z) {
            return StandardActivation.ERF.value(z);
        }

        @Override
        public double derivative(double z) {
            return StandardActivation.ERF.derivative(z);
        }

        @Override
        public HermiteCoefficients hermite() {
            return StandardActivation.ERF.hermite();
        }

        @Override
        public boolean isOdd() {
            return true;
        }
    };

    @Test
    void reluArcCosineKernelAtKnownCorrelations() {
        GaussianKernel k = new GaussianKernel(StandardActivation.RELU);
        double v = 2.5;
        GaussianKernel.Unit u = k.unit(v);
        assertNull(u.series());
        assertEquals(Math.sqrt(v / (2 * Math.PI)), u.mean(), ROUNDOFF);
        assertEquals(0.5, u.slope(), 0.0);
        // E relu(u)² = v/2
        assertEquals(v / 2, u.secondMoment(), ROUNDOFF);
        // ρ = 1: the variance; ρ = 0: independent; ρ = −1: relu(u) relu(−u) = 0
        assertEquals(u.variance(), k.covariance(u, u, v), ROUNDOFF);
        assertEquals(0.0, k.covariance(u, u, 0.0), ROUNDOFF);
        assertEquals(-v / (2 * Math.PI), k.covariance(u, u, -v), ROUNDOFF);
        assertEquals(0.0, k.secondMoment(u, u, -v), ROUNDOFF);
    }

    @Test
    void signAndLinearClosedForms() {
        GaussianKernel sign = new GaussianKernel(StandardActivation.SIGN);
        GaussianKernel.Unit a = sign.unit(0.7);
        GaussianKernel.Unit b = sign.unit(1.9);
        double c = 0.5 * Math.sqrt(0.7 * 1.9);
        // (2/π) arcsin(1/2) = 1/3
        assertEquals(1.0 / 3.0, sign.covariance(a, b, c), ROUNDOFF);
        assertEquals(1.0, sign.covariance(a, a, 0.7), ROUNDOFF);
        GaussianKernel linear = new GaussianKernel(StandardActivation.LINEAR);
        assertEquals(0.3, linear.secondMoment(linear.unit(1), linear.unit(2), 0.3), 0.0);
    }

    @Test
    void hermiteSeriesReproducesTheArcsineLawWithinItsTruncation() {
        GaussianKernel exact = new GaussianKernel(StandardActivation.ERF);
        GaussianKernel series = new GaussianKernel(ERF_BY_SERIES);
        double[] variances = {0.5, 2.0};
        for (double vi : variances) {
            for (double vj : variances) {
                GaussianKernel.Unit ei = exact.unit(vi);
                GaussianKernel.Unit ej = exact.unit(vj);
                GaussianKernel.Unit si = series.unit(vi);
                GaussianKernel.Unit sj = series.unit(vj);
                assertEquals(ei.mean(), si.mean(), QUADRATURE);
                assertEquals(ei.slope(), si.slope(), QUADRATURE);
                assertEquals(ei.variance(), si.variance(), QUADRATURE);
                for (double rho : new double[] {-0.3, -0.1, 0.05, 0.2, 0.3}) {
                    double c = rho * Math.sqrt(vi * vj);
                    // Σ_k a_k(vi)² vi^k/k! = Var σ(u_i), so by Cauchy–Schwarz the terms k > 12 sum to at
                    // most |ρ|^13 √(Var_i Var_j)
                    double tail = Math.pow(Math.abs(rho), GaussianKernel.SERIES_ORDER + 1)
                            * Math.sqrt(ei.variance() * ej.variance());
                    assertEquals(exact.covariance(ei, ej, c), series.covariance(si, sj, c), tail + QUADRATURE,
                            "vi = " + vi + ", vj = " + vj + ", rho = " + rho);
                }
            }
        }
    }
}
