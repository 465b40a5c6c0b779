package org.gequiv.linalg;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The covariance check (docs/theory.md §2.1, §6.2): finite, symmetric, positive semi-definite. */
class CovariancesTest {

    private static final int N = 12;
    /** Eigenvalues of a constructed matrix are reproduced to round-off, ~N·2⁻⁵³·‖Ω‖. */
    private static final double EIGENVALUE_ROUNDOFF = 1e-12;

    private static final List<LinearAlgebra> BACKENDS = List.of(LinearAlgebra.get(), new JavaLinearAlgebra());

    /** U diag(values) Uᵀ with a random orthogonal U (Gram–Schmidt of a Gaussian matrix). */
    static double[] withEigenvalues(double[] values, long seed) {
        int n = values.length;
        Random rng = new Random(seed);
        double[] u = new double[n * n];
        for (int i = 0; i < u.length; i++) {
            u[i] = rng.nextGaussian();
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += u[i * n + j] * u[i * n + k];
                }
                for (int i = 0; i < n; i++) {
                    u[i * n + j] -= dot * u[i * n + k];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += u[i * n + j] * u[i * n + j];
            }
            for (int i = 0; i < n; i++) {
                u[i * n + j] /= Math.sqrt(norm);
            }
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += u[i * n + k] * values[k] * u[j * n + k];
                }
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        return a;
    }

    private static double[] spectrum(double smallest) {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            v[i] = 1.0 + i;
        }
        v[0] = smallest;
        return v;
    }

    @Test
    void acceptsPositiveDefiniteAndSingularCovariances() {
        double[] rankDeficient = spectrum(0.0);
        rankDeficient[1] = 0.0;
        rankDeficient[2] = 0.0;
        for (LinearAlgebra la : BACKENDS) {
            assertDoesNotThrow(() -> Covariances.validate("moments", "m.npz:omega", withEigenvalues(spectrum(0.5), 1), N, la));
            assertDoesNotThrow(() -> Covariances.validate("moments", "m.npz:omega", withEigenvalues(rankDeficient, 2), N, la));
            assertDoesNotThrow(() -> Covariances.validate("moments", "m.npz:omega", new double[N * N], N, la));
        }
    }

    @Test
    void negativeEigenvalueBeyondTheToleranceIsRefusedAndNamed() {
        // ‖Ω‖₂ = N; the bound is −1e-8·N
        double bound = Covariances.NEGATIVE_EIGENVALUE_TOLERANCE * N;
        for (LinearAlgebra la : BACKENDS) {
            // within the tolerance (half of it): accepted, on the Cholesky or on the eigenvalue path
            assertDoesNotThrow(() -> Covariances.validate("moments", "m.npz:omega",
                    withEigenvalues(spectrum(-0.5 * bound), 3), N, la));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Covariances.validate("moments",
                    "m.npz:omega", withEigenvalues(spectrum(-2 * bound), 4), N, la));
            assertEquals("moments", e.field());
            assertEquals("m.npz:omega", e.source());
            assertTrue(e.getMessage().startsWith("m.npz:omega must be positive semi-definite"), e.getMessage());
            assertEquals(-2 * bound, reported(e, "got eigenvalue (\\S+)"), EIGENVALUE_ROUNDOFF);

            InvalidInputException big = assertThrows(InvalidInputException.class, () -> Covariances.validate("moments",
                    "m.npz:omega", withEigenvalues(spectrum(-0.25), 5), N, la));
            assertEquals(-0.25, reported(big, "got eigenvalue (\\S+)"), EIGENVALUE_ROUNDOFF);
        }
    }

    @Test
    void asymmetryBeyondTheToleranceNamesTheWorstEntry() {
        double[] a = withEigenvalues(spectrum(0.5), 6);
        double scale = 0;
        for (double x : a) {
            scale = Math.max(scale, Math.abs(x));
        }
        double[] small = a.clone();
        small[2 * N + 9] += 0.5 * Covariances.SYMMETRY_TOLERANCE * scale;
        assertDoesNotThrow(() -> Covariances.validate("psi", "c.npz:psi", small, N));

        double[] bad = a.clone();
        bad[2 * N + 9] += 0.01;
        bad[7 * N + 3] += 0.3;
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Covariances.validate("covariances", "c.npz:psi", bad, N));
        assertTrue(e.getMessage().startsWith("c.npz:psi must be symmetric"), e.getMessage());
        assertTrue(e.getMessage().contains("at (i, j) = (7, 3)"), e.getMessage());
        assertEquals(0.3, reported(e, "\\| = (\\S+) at"), 1e-15);
        assertEquals("c.npz:psi", e.source());
    }

    @Test
    void nonFiniteEntryIsNamed() {
        double[] a = withEigenvalues(spectrum(0.5), 7);
        a[4 * N + 1] = Double.NaN;
        a[5 * N + 6] = Double.POSITIVE_INFINITY;
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Covariances.validate("moments", "m.npz:omega", a, N));
        assertEquals("m.npz:omega must be finite, got NaN at entry (4, 1) of 12 × 12", e.getMessage());
        // no source: the field names the matrix
        InvalidInputException f = assertThrows(InvalidInputException.class,
                () -> Covariances.checkFinite("theta", null, new double[] {1, Double.NaN}, 2, 1));
        assertEquals("theta must be finite, got NaN at index 1 of 2 × 1", f.getMessage());
    }

    @Test
    void eigenvaluesInAnyOrderNameTheMostNegative() {
        double[] rho = {3, 1, -0.5, 2, -0.1};
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Covariances.checkEigenvalues("init", "i.npz:rho", rho));
        assertTrue(e.getMessage().endsWith("got eigenvalue -0.5 at index 2 of 5"), e.getMessage());
        assertDoesNotThrow(() -> Covariances.checkEigenvalues("init", "i.npz:rho", new double[] {3, 1, -1e-9, 0}));
    }

    @Test
    void normLowerBoundIsABoundAndNearlyTight() {
        double[] a = withEigenvalues(spectrum(-3.0), 8);
        double bound = Covariances.normLowerBound(a, N);
        // ‖a‖₂ = N; eight power iterations from 1 reach it to a few per cent for this spectrum
        assertTrue(bound <= N * (1 + EIGENVALUE_ROUNDOFF), "bound " + bound);
        assertTrue(bound > 0.5 * N, "bound " + bound);
    }

    private static double reported(InvalidInputException e, String regex) {
        Matcher m = Pattern.compile(regex).matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        return Double.parseDouble(m.group(1));
    }
}
