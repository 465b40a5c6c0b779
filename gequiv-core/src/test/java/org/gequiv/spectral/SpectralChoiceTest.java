package org.gequiv.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.gequiv.online.LearningCurve;
import org.junit.jupiter.api.Test;

/** The policy of the spectral method ({@link SpectralTheory#choose}, docs/theory.md §5.12). */
class SpectralChoiceTest {

    private static final LanczosOptions OPTIONS = LanczosOptions.defaults().withTolerance(1e-7);

    private static SpectralCurve withEstimate(double quadrature, double stochastic) {
        LearningCurve curve = new LearningCurve(2, 2, List.of(), LearningCurve.Termination.completedAt(1.0));
        return new SpectralCurve(curve, SpectralMethod.LANCZOS, 12, 48, 300, PlainMeasure.Method.DEFLATED, quadrature,
                stochastic, false);
    }

    @Test
    void autoKeepsLanczosExactlyWhenTheWholeEstimateMeetsTheTolerance() {
        SpectralChoice kept = SpectralTheory.choose(SpectralMethod.AUTO, withEstimate(4e-8, 6e-8), OPTIONS, true);
        assertEquals(SpectralMethod.LANCZOS, kept.method());
        assertFalse(kept.fellBack());
        assertTrue(kept.reason().contains("meets the tolerance"), kept.reason());
        // the quadrature part alone meets it, the stochastic part tips the sum over: eigen
        SpectralChoice fell = SpectralTheory.choose(SpectralMethod.AUTO, withEstimate(4e-8, 7e-8), OPTIONS, true);
        assertEquals(SpectralMethod.EIGEN, fell.method());
        assertTrue(fell.fellBack());
        assertTrue(fell.reason().contains("above the tolerance") && fell.reason().contains("stochastic 7.0E-8"),
                fell.reason());
    }

    @Test
    void withoutAnExplicitOmegaAutoKeepsLanczosAndSaysTheEstimateMisses() {
        SpectralChoice kept = SpectralTheory.choose(SpectralMethod.AUTO, withEstimate(1e-6, 0), OPTIONS, false);
        assertEquals(SpectralMethod.LANCZOS, kept.method());
        assertFalse(kept.fellBack());
        assertTrue(kept.reason().contains("above the tolerance") && kept.reason().contains("not held"), kept.reason());
    }

    @Test
    void lanczosAskedForIsKeptWhateverItsEstimate() {
        SpectralChoice kept = SpectralTheory.choose(SpectralMethod.LANCZOS, withEstimate(1e-3, 1e-3), OPTIONS, true);
        assertEquals(SpectralMethod.LANCZOS, kept.method());
        assertTrue(kept.reason().startsWith("requested"), kept.reason());
        assertThrows(IllegalArgumentException.class,
                () -> SpectralTheory.choose(SpectralMethod.EIGEN, withEstimate(0, 0), OPTIONS, true));
    }
}
