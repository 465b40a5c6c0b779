package org.gequiv.moments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.gequiv.generator.Moments;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

/** A Monte-Carlo estimate is a covariance like every other Ω that enters the library (docs/theory.md §7.2). */
class MomentEstimateTest {

    private static MomentEstimate estimate(double[] omega) {
        Moments m = new Moments(3, 1, new double[3], omega, new double[3], 10, Map.of());
        return new MomentEstimate(m, new double[1], List.of(), 0, Map.of("generator", "onnx"));
    }

    @Test
    void nonFiniteOrIndefiniteEstimatesAreRefusedNamingTheEstimate() {
        double[] nan = {1, 0, 0, 0, Double.NaN, 0, 0, 0, 1};
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> estimate(nan));
        assertEquals("Monte-Carlo estimate of onnx: omega must be finite, got NaN at entry (1, 1) of 3 × 3",
                e.getMessage());
        assertEquals(MomentsFile.FIELD, e.field());

        double[] indefinite = {1, 0, 0, 0, -0.5, 0, 0, 0, 1};
        InvalidInputException f = assertThrows(InvalidInputException.class, () -> estimate(indefinite));
        assertTrue(f.getMessage().startsWith("Monte-Carlo estimate of onnx: omega must be positive semi-definite"),
                f.getMessage());
        assertTrue(f.getMessage().endsWith("got eigenvalue -0.5 at index 0 of 3"), f.getMessage());

        double[] asymmetric = {1, 0.2, 0, 0, 1, 0, 0, 0, 1};
        InvalidInputException g = assertThrows(InvalidInputException.class, () -> estimate(asymmetric));
        assertTrue(g.getMessage().contains("must be symmetric") && g.getMessage().contains("(i, j) = (1, 0)"),
                g.getMessage());
        assertEquals(1.0, estimate(new double[] {1, 0.5, 0, 0.5, 1, 0, 0, 0, 1}).moments().omega()[0], 0.0);
    }
}
