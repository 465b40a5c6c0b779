package org.gequiv.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.gequiv.activation.StandardActivation;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

class GaussianEquivalentGeneratorTest {

    @Test
    void reproducesItsMomentsWithinSamplingNoise() {
        // a non-zero mean (ReLU) and a non-trivial Φ
        DeepRandomGenerator base = DeepRandomGenerator.singleLayer(30, 90, StandardActivation.RELU, CovarianceRule.EXACT, 2);
        Moments m = base.analyticMoments().orElseThrow();
        GaussianEquivalentGenerator g = new GaussianEquivalentGenerator(m, base.id());
        MonteCarloMoments mc = MonteCarloMoments.estimate(g, m.mean(), 40, 4000, 21);
        double omegaRatio = MonteCarloMoments.squaredDistance(mc.omega, m.omega()) / mc.omegaNoise2;
        double phiRatio = MonteCarloMoments.squaredDistance(mc.phi, m.phi()) / mc.phiNoise2;
        // see GeneratorMomentsTest for the acceptance band
        assertTrue(omegaRatio < 1.6 && omegaRatio > 1 / 1.6, "Omega error / noise = " + omegaRatio);
        assertTrue(phiRatio < 1.6 && phiRatio > 1 / 1.6, "Phi error / noise = " + phiRatio);
        // mean: per-entry standard error √(Ω_ii/P); summed squares ≈ tr Ω / P
        double trace = 0;
        for (int i = 0; i < 90; i++) {
            trace += m.omega()[i * 90 + i];
        }
        double meanRatio = MonteCarloMoments.squaredDistance(mc.mean, m.mean()) / (trace / (40 * 4000));
        assertTrue(meanRatio < 1.6 && meanRatio > 1 / 1.6, "mean error / noise = " + meanRatio);
        assertTrue(g.id().equals("gaussian-single-layer"));
    }

    @Test
    void inconsistentMomentsAreRefusedWithAClearMessage() {
        int n = 3;
        double[] omega = {0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5};
        double[] phi = {1, 0, 0, 1, 0, 0};  // ΦΦᵀ has eigenvalue 1 > 0.5
        Moments m = new Moments(n, 2, new double[n], omega, phi, 0, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianEquivalentGenerator(m, "test"));
        assertTrue(e.getMessage().contains("positive semi-definite"), e.getMessage());
        assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
    }

    @Test
    void roundOffNegativeEigenvaluesAreAccepted() {
        // Ω = ΦΦᵀ exactly (a linear generator): Ω − ΦΦᵀ = 0 up to round-off
        DeepRandomGenerator lin = DeepRandomGenerator.singleLayer(4, 12, StandardActivation.LINEAR, CovarianceRule.EXACT, 3);
        GaussianEquivalentGenerator g = new GaussianEquivalentGenerator(lin.analyticMoments().orElseThrow(), lin.id());
        assertTrue(Math.abs(g.smallestSchurEigenvalue()) < 1e-12);
    }

    @Test
    void omegaThatIsNoCovarianceIsRefusedNamingTheFileAndTheEntry() {
        int n = 3;
        double[] phi = {0.1, 0, 0, 0.1, 0, 0};
        Map<String, Object> fromFile = Map.of("file", "m.npz");
        double[] asymmetric = {1, 0.3, 0, 0, 1, 0, 0, 0, 1};
        var e = assertThrows(InvalidInputException.class, () -> new GaussianEquivalentGenerator(
                new Moments(n, 2, new double[n], asymmetric, phi, 0, fromFile), "test"));
        assertTrue(e.getMessage().startsWith("m.npz:omega must be symmetric"), e.getMessage());
        assertTrue(e.getMessage().contains("(i, j) = (1, 0)"), e.getMessage());

        double[] indefinite = {1, 0, 0, 0, -0.2, 0, 0, 0, 1};
        var f = assertThrows(InvalidInputException.class, () -> new GaussianEquivalentGenerator(
                new Moments(n, 2, new double[n], indefinite, phi, 0, fromFile), "test"));
        assertTrue(f.getMessage().startsWith("m.npz:omega must be positive semi-definite"), f.getMessage());
        assertTrue(f.getMessage().endsWith("got eigenvalue -0.2 at index 0 of 3"), f.getMessage());

        double[] nan = {1, 0, 0, 0, Double.NaN, 0, 0, 0, 1};
        var g = assertThrows(InvalidInputException.class, () -> new GaussianEquivalentGenerator(
                new Moments(n, 2, new double[n], nan, phi, 0, Map.of()), "single-layer"));
        assertEquals("moments of single-layer: omega must be finite, got NaN at entry (1, 1) of 3 × 3", g.getMessage());
        assertEquals("moments", g.field());
    }
}
