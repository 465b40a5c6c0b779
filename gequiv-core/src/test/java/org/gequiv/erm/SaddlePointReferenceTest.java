package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference values, case {@code D1} of reference-values.md §2: the isotropic Gaussian covariate model
 * (ω_i = t_i = 1, ρ = γ = 1), uninformed start, from the authors' state-evolution package.
 */
class SaddlePointReferenceTest {

    /**
     * The reference stopped at |ΔV|+|Δq|+|Δm| &lt; 1e-10, so its V, q, m sit about 1e-9 (relative)
     * from the exact fixed point; the errors, differences of numbers near 1, about 1e-10 absolute.
     * The reference's own test error at ridge α = 2, λ = 1 is 1.03e-10 from the exact (√2 − 1)/2
     * (see {@link SaddlePointClosedFormTest}), so the absolute bound is 1.5e-10.
     */
    private static final double SQUARE_RELATIVE = 1e-9;
    private static final double SQUARE_ERROR_ABSOLUTE = 1.5e-10;
    /** Logistic reference stopped at 1e-7 (damping 0.5); a converged solver agrees to about 1e-6 relative. */
    private static final double LOGISTIC_RELATIVE = 1e-6;

    /** Converge far below the reference's own stopping error, so the comparison measures the reference. */
    private static final SaddlePointSolver TIGHT = new SaddlePointSolver(
            SaddlePointOptions.defaults().withTolerances(1e-15, 1e-13));

    @ParameterizedTest(name = "D1 {0} alpha={1} lambda={2}")
    @CsvSource({
        "ridge, 0.5, 0.01, 50.96223724497852, 0.4811120158996276, 0.49037762755021475, 0.5003567607991981, 0.00018531223305731428",
        "ridge, 1, 0.01, 9.512492197661246, 0.8596877730431552, 0.9048750780233876, 0.04993761699638011, 0.00045187305072574613",
        "ridge, 2, 0.01, 0.9805788624849592, 0.9805770486202313, 0.9901942113751504, 0.0001886258699304033, 4.808581443845937e-05",
        "ridge, 2, 1, 0.4142135623823643, 0.3786796565247563, 0.5857864376176357, 0.2071067812894849, 0.10355339064338498",
        "square-class, 0.5, 0.01, 50.96223724488507, 0.642979429159595, 0.3912647379861999, 0.33774612560940914, 9.431326737468572e-05",
        "square-class, 2, 0.1, 0.8442887702834488, 0.7991387163335598, 0.7305200633360253, 0.19553270758333216, 0.04655415105787884",
    })
    void d1SquareLosses(String loss, double alpha, double lambda, double v, double q, double m, double test,
                        double train) {
        ErmPoint p = TIGHT.solve(ErmLoss.byId(loss), Spectra.isotropic(1), alpha, lambda, 0.0, null);
        assertTrue(p.converged(), "converged");
        assertRelative(v, p.v(), SQUARE_RELATIVE, "V");
        assertRelative(q, p.q(), SQUARE_RELATIVE, "q");
        assertRelative(m, p.m(), SQUARE_RELATIVE, "m");
        assertEquals(test, p.testError(), SQUARE_ERROR_ABSOLUTE, "test error");
        assertEquals(train, p.trainLoss(), SQUARE_ERROR_ABSOLUTE, "train loss");
    }

    @ParameterizedTest(name = "D1 logistic alpha={0} lambda={1}")
    @CsvSource({
        "0.5, 0.01, 67.58826710294308, 5.67141274671336, 1.2575972379361184, 0.3229138320277716, 0.03771565278526678",
        "2, 0.1, 3.9765460173349925, 4.14580349566487, 1.7203130710605938, 0.1796623915693102, 0.18214963950635438",
    })
    void d1Logistic(double alpha, double lambda, double v, double q, double m, double test, double train) {
        ErmPoint p = TIGHT.solve(ErmLoss.LOGISTIC, Spectra.isotropic(1), alpha, lambda, 0.0, null);
        assertTrue(p.converged(), "converged");
        assertRelative(v, p.v(), LOGISTIC_RELATIVE, "V");
        assertRelative(q, p.q(), LOGISTIC_RELATIVE, "q");
        assertRelative(m, p.m(), LOGISTIC_RELATIVE, "m");
        assertRelative(test, p.testError(), LOGISTIC_RELATIVE, "test error");
        assertRelative(train, p.trainLoss(), LOGISTIC_RELATIVE, "train loss");
    }

    static void assertRelative(double expected, double actual, double tol, String what) {
        double rel = Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(rel <= tol, what + ": expected " + expected + ", got " + actual + " (relative error " + rel + ")");
    }
}
