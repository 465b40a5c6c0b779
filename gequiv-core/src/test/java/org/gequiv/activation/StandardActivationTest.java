package org.gequiv.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StandardActivationTest {

    /** The table of docs/theory.md §2.3 is printed to four decimals. */
    private static final double TABLE_PRECISION = 5e-5;

    @ParameterizedTest(name = "{0}: kappa0={1}, kappa1={2}, kappaStar={3}")
    @CsvSource({
        "sign,   0,      0.7979, 0.6028",
        "erf,    0,      0.5642, 0.1226",
        "tanh,   0,      0.6057, 0.1656",
        "relu,   0.3989, 0.5,    0.3014",
        "linear, 0,      1,      0"
    })
    void hermiteCoefficientsMatchTheKappaTable(String id, double k0, double k1, double kStar) {
        HermiteCoefficients h = StandardActivation.byId(id).hermite();
        assertEquals(k0, h.kappa0(), TABLE_PRECISION, "kappa0");
        assertEquals(k1, h.kappa1(), TABLE_PRECISION, "kappa1");
        assertEquals(kStar, h.kappaStar(), TABLE_PRECISION, "kappaStar");
    }

    @Test
    void closedFormsMatchTheirDefinitions() {
        // sign: κ1 = √(2/π), κ*² = 1 − 2/π; erf(z/√2): κ1 = 1/√π, κ*² = 1/3 − 1/π (docs/theory.md §2.3)
        assertEquals(Math.sqrt(2 / Math.PI), StandardActivation.SIGN.hermite().kappa1(), 1e-15);
        assertEquals(1 - 2 / Math.PI, Math.pow(StandardActivation.SIGN.hermite().kappaStar(), 2), 1e-15);
        assertEquals(1 / Math.sqrt(Math.PI), StandardActivation.ERF.hermite().kappa1(), 1e-15);
        assertEquals(1.0 / 3 - 1 / Math.PI, Math.pow(StandardActivation.ERF.hermite().kappaStar(), 2), 1e-15);
    }

    @Test
    void quadratureAgreesWithClosedFormsForSmoothActivations() {
        // erf is entire: 200 Gauss–Hermite nodes are exact to round-off
        HermiteCoefficients q = HermiteCoefficients.byQuadrature(StandardActivation.ERF, 200);
        HermiteCoefficients c = StandardActivation.ERF.hermite();
        assertEquals(c.kappa1(), q.kappa1(), 1e-13);
        assertEquals(c.kappaStar(), q.kappaStar(), 1e-12);
        assertEquals(0.0, q.kappa0(), 1e-15);
    }

    @Test
    void quadratureConvergesSlowlyButCorrectlyAtAKink() {
        // ReLU has a kink at 0, so Gauss–Hermite converges only algebraically; 400 nodes give ~1e-4
        HermiteCoefficients q = HermiteCoefficients.byQuadrature(StandardActivation.RELU, 400);
        HermiteCoefficients c = StandardActivation.RELU.hermite();
        assertEquals(c.kappa0(), q.kappa0(), 1e-3);
        assertEquals(c.kappa1(), q.kappa1(), 1e-3);
        assertEquals(c.kappaStar(), q.kappaStar(), 1e-3);
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        double h = 1e-6;
        for (StandardActivation g : new StandardActivation[] {StandardActivation.LINEAR, StandardActivation.ERF,
            StandardActivation.TANH, StandardActivation.RELU}) {
            for (double z : new double[] {-2.3, -0.4, 0.3, 1.7}) {
                double fd = (g.value(z + h) - g.value(z - h)) / (2 * h);
                // central differences of smooth functions: O(h²) truncation, O(ε/h) round-off
                assertEquals(fd, g.derivative(z), 1e-8, g.id() + " at " + z);
            }
        }
        assertEquals(0.0, StandardActivation.SIGN.derivative(0.5));
    }

    @Test
    void unknownActivationNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StandardActivation.byId("softplus"));
        assertTrue(e.getMessage().contains("linear, erf, relu, sign, tanh"), e.getMessage());
        assertTrue(e.getMessage().contains("softplus"), e.getMessage());
    }

    @Test
    void gaussHermiteWeightsSumToOneAndIntegrateMoments() {
        GaussHermite rule = GaussHermite.standardNormal(20);
        assertEquals(1.0, rule.expectation(z -> 1.0), 1e-14);
        assertEquals(1.0, rule.expectation(z -> z * z), 1e-13);
        assertEquals(3.0, rule.expectation(z -> z * z * z * z), 1e-12);
        assertEquals(15.0, rule.expectation(z -> Math.pow(z, 6)), 1e-11);
    }
}
