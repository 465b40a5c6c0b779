package org.gequiv.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.gequiv.activation.StandardActivation;
import org.gequiv.equivalence.WeightKind;
import org.gequiv.online.OdeOptions;
import org.gequiv.spectral.SpectralMethod;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void aNameIsFoundTrimmedAndCaseInsensitive() {
        assertSame(SpectralMethod.LANCZOS, SpectralMethod.byId("  Lanczos "));
        assertSame(StandardActivation.ERF, StandardActivation.byId("ERF"));
        assertSame(WeightKind.LOCALISED, WeightKind.byId("Localized"));
    }

    @Test
    void everyChoiceIsFoundByItsOwnId() {
        for (OdeOptions.Method m : OdeOptions.Method.values()) {
            assertSame(m, OdeOptions.Method.byId(m.id()));
        }
        for (StandardActivation a : StandardActivation.values()) {
            assertSame(a, StandardActivation.byId(a.id()));
        }
    }

    @Test
    void anUnknownNameIsRefusedWithEveryAcceptedName() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> OdeOptions.Method.byId("leapfrog"));
        assertEquals("integrator", e.field());
        assertEquals("integrator must be one of euler, rk4, adaptive, got 'leapfrog'", e.getMessage());
        InvalidInputException n = assertThrows(InvalidInputException.class, () -> SpectralMethod.byId(null));
        assertEquals("spectral method must be one of eigen, lanczos, auto, got 'null'", n.getMessage());
        assertEquals("activation must be one of " + StandardActivation.knownIds() + ", got 'x'",
                assertThrows(InvalidInputException.class, () -> StandardActivation.byId("x")).getMessage());
    }
}
