package org.gequiv.linalg;

import org.gequiv.validation.InvalidInputException;

/**
 * The one check of a covariance matrix (Ω, Ψ, the eigenvalues ρ of Ω) that enters the library, from
 * a file or computed (docs/theory.md §2.1, §5.1, §6.2, §7.2): every entry finite, the matrix symmetric
 * within {@link #SYMMETRY_TOLERANCE}, and positive semi-definite within
 * {@link #NEGATIVE_EIGENVALUE_TOLERANCE}. Failures are {@link InvalidInputException}s with the form
 * {@code "<source> must be <constraint>, got <value>"} that name the first non-finite entry, the
 * worst asymmetric pair (i, j) or the most negative eigenvalue; indices are 0-based.
 *
 * <p>{@code field} is the spec field the matrix belongs to (for example {@code moments}) and
 * {@code source} where it came from, the file and key ({@code m.npz:omega}) or a description
 * ({@code analytic moments of single-layer}); the message starts with the source, or with the
 * field when there is no source.
 *
 * <p>A caller that eigendecomposes the matrix anyway checks {@link #checkFiniteSymmetric} before
 * and {@link #checkEigenvalues} on its eigenvalues, at no extra cost. {@link #validate} does the
 * whole check on its own: a Cholesky factorisation of Ω + 10⁻⁸·ℓ·I, with ℓ ≤ ‖Ω‖₂ a lower
 * bound from the diagonal and a few power iterations, succeeds for every matrix that passes (a
 * tenth to a twentieth of the cost of the eigendecomposition at N = 1000–3072); only when it fails
 * are the eigenvalues computed, to decide and to name the most negative one.
 *
 * <p>Stateless and thread-safe.
 */
public final class Covariances {

    /**
     * Largest |a_ij − a_ji| accepted, relative to max|a|: loose enough for moments estimated or
     * stored in single precision (rounding ~6e-8), tight enough to catch a wrong or damaged matrix.
     * Consumers read the lower triangle.
     */
    public static final double SYMMETRY_TOLERANCE = 1e-6;

    /**
     * A matrix is refused when an eigenvalue is below −NEGATIVE_EIGENVALUE_TOLERANCE·‖a‖₂: the
     * round-off of a double-precision decomposition of size N is ~N·2⁻⁵³·‖a‖₂ (3·10⁻¹³ at
     * N = 3072), far below.
     */
    public static final double NEGATIVE_EIGENVALUE_TOLERANCE = 1e-8;

    /** Power iterations behind the lower bound of ‖a‖₂; any count gives a valid lower bound. */
    private static final int POWER_ITERATIONS = 8;

    private Covariances() {
    }

    /**
     * Checks that the symmetric {@code n × n} matrix {@code a} is finite, symmetric and positive
     * semi-definite.
     *
     * @param field  the spec field, carried by the exception
     * @param source the file and key, or a description; null to name the field only
     * @param a      row-major {@code n × n}, not modified
     * @throws InvalidInputException naming the first non-finite entry, the worst asymmetric pair or
     *                               the most negative eigenvalue
     */
    public static void validate(String field, String source, double[] a, int n) {
        validate(field, source, a, n, LinearAlgebra.get());
    }

    /** As {@link #validate(String, String, double[], int)}, with the given linear algebra. */
    public static void validate(String field, String source, double[] a, int n, LinearAlgebra la) {
        checkFiniteSymmetric(field, source, a, n);
        if (n == 0) {
            return;
        }
        double lower = normLowerBound(a, n);
        if (lower > 0) {
            double[] shifted = a.clone();
            double shift = NEGATIVE_EIGENVALUE_TOLERANCE * lower;
            for (int i = 0; i < n; i++) {
                shifted[i * n + i] += shift;
            }
            try {
                la.cholesky(n, shifted);
                // λ_min(a) > −shift ≥ −tolerance·‖a‖₂
                return;
            } catch (NotPositiveDefiniteException e) {
                // decide on the eigenvalues, which also name the culprit
            }
        }
        checkEigenvalues(field, source, la.symmetricEigen(n, a).values());
    }

    /**
     * Checks that the {@code n × n} matrix {@code a} is finite and symmetric within
     * {@link #SYMMETRY_TOLERANCE}·max|a|.
     *
     * @param a row-major {@code n × n}, not modified
     * @throws InvalidInputException naming the first non-finite entry or the worst pair (i, j)
     */
    public static void checkFiniteSymmetric(String field, String source, double[] a, int n) {
        if (a == null || a.length != (long) n * n) {
            throw new InvalidInputException(field, source, label(field, source) + " must be " + n + " × " + n
                    + ", got " + (a == null ? "none" : a.length + " entries"), null);
        }
        // one pass, by pairs of mirrored tiles on every core, for the scale, finiteness (max|x| is
        // not finite exactly when an entry is not) and the worst asymmetry; the entry or pair to
        // name is looked for only when the matrix is refused
        double[] scaleAndAsymmetry = scaleAndAsymmetry(a, n);
        double scale = scaleAndAsymmetry[0];
        if (!Double.isFinite(scale)) {
            checkFinite(field, source, a, n, n);
        }
        if (scaleAndAsymmetry[1] <= SYMMETRY_TOLERANCE * scale) {
            return;
        }
        // refused: find the pair to name in row order
        double worst = 0;
        int wi = 0;
        int wj = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double diff = Math.abs(a[i * n + j] - a[j * n + i]);
                if (diff > worst) {
                    worst = diff;
                    wi = i;
                    wj = j;
                }
            }
        }
        if (worst > SYMMETRY_TOLERANCE * scale) {
            throw new InvalidInputException(field, source, label(field, source) + " must be symmetric (|a_ij − a_ji| <= "
                    + SYMMETRY_TOLERANCE + "·max|a| = " + SYMMETRY_TOLERANCE * scale + "), got |a_" + wi + "," + wj
                    + " − a_" + wj + "," + wi + "| = " + worst + " at (i, j) = (" + wi + ", " + wj + "), a_" + wi + ","
                    + wj + " = " + a[wi * n + wj] + ", a_" + wj + "," + wi + " = " + a[wj * n + wi], null);
        }
    }

    /**
     * Checks that the eigenvalues {@code values} (of a symmetric matrix, in any order) are those of
     * a positive semi-definite matrix: none below −{@link #NEGATIVE_EIGENVALUE_TOLERANCE}·max|value|.
     *
     * @param values eigenvalues, not modified; finite
     * @throws InvalidInputException naming the first non-finite value or the most negative one and its index
     */
    public static void checkEigenvalues(String field, String source, double[] values) {
        double norm = 0;
        int worst = -1;
        for (int i = 0; i < values.length; i++) {
            double x = values[i];
            if (!Double.isFinite(x)) {
                throw new InvalidInputException(field, source, label(field, source) + " must be finite, got " + x
                        + " at index " + i, null);
            }
            norm = Math.max(norm, Math.abs(x));
            if (worst < 0 || x < values[worst]) {
                worst = i;
            }
        }
        double bound = -NEGATIVE_EIGENVALUE_TOLERANCE * norm;
        if (worst >= 0 && values[worst] < bound) {
            throw new InvalidInputException(field, source, label(field, source)
                    + " must be positive semi-definite (eigenvalues >= -" + NEGATIVE_EIGENVALUE_TOLERANCE
                    + "·max|eigenvalue| = " + bound + "), got eigenvalue " + values[worst] + " at index " + worst
                    + " of " + values.length, null);
        }
    }

    /**
     * Checks that every entry of the {@code rows × cols} matrix (or vector, {@code cols = 1}) is finite.
     *
     * @throws InvalidInputException naming the first non-finite entry (i, j)
     */
    public static void checkFinite(String field, String source, double[] a, int rows, int cols) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                String where = cols == 1 ? "index " + i : "entry (" + i / cols + ", " + i % cols + ")";
                throw new InvalidInputException(field, source, label(field, source) + " must be finite, got " + a[i]
                        + " at " + where + " of " + rows + " × " + cols, null);
            }
        }
    }

    /**
     * {max|a_ij|, max over i &gt; j of |a_ij − a_ji|} in one read of every entry: tile (ib, jb ≤ ib)
     * and its mirror together, so that the transposed reads stay in cache, the rows of tiles on the
     * common ForkJoinPool. Maxima do not depend on the order they are taken in, so neither does the
     * result on the thread count.
     */
    private static double[] scaleAndAsymmetry(double[] a, int n) {
        final int tile = DenseMatrices.TILE;
        int tileRows = (n + tile - 1) / tile;
        double[] scales = new double[tileRows];
        double[] asymmetries = new double[tileRows];
        java.util.stream.IntStream.range(0, tileRows).parallel().forEach(t -> {
            int i0 = t * tile;
            int i1 = Math.min(n, i0 + tile);
            double scale = 0;
            double worst = 0;
            for (int j0 = 0; j0 <= i0; j0 += tile) {
                int j1 = Math.min(n, j0 + tile);
                for (int i = i0; i < i1; i++) {
                    int jEnd = Math.min(j1, i);
                    for (int j = j0; j < jEnd; j++) {
                        double lower = a[i * n + j];
                        double upper = a[j * n + i];
                        scale = Math.max(scale, Math.max(Math.abs(lower), Math.abs(upper)));
                        worst = Math.max(worst, Math.abs(lower - upper));
                    }
                    if (j0 == i0) {
                        scale = Math.max(scale, Math.abs(a[i * n + i]));
                    }
                }
            }
            scales[t] = scale;
            asymmetries[t] = worst;
        });
        double scale = 0;
        double worst = 0;
        for (int t = 0; t < tileRows; t++) {
            scale = Math.max(scale, scales[t]);
            worst = Math.max(worst, asymmetries[t]);
        }
        return new double[] {scale, worst};
    }

    /**
     * A lower bound of ‖a‖₂ = max|λ| for symmetric a: max|a_ii| (a Rayleigh quotient of e_i) and
     * ‖a x‖/‖x‖ along a few power iterations from x = 1.
     */
    static double normLowerBound(double[] a, int n) {
        double bound = 0;
        for (int i = 0; i < n; i++) {
            bound = Math.max(bound, Math.abs(a[i * n + i]));
        }
        double[] x = new double[n];
        java.util.Arrays.fill(x, 1.0);
        double[] y = new double[n];
        double xNorm = Math.sqrt(n);
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            // y = a x in Java: one read of a, where a native call would first copy all of a across JNI
            double yNorm = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    s += a[row + j] * x[j];
                }
                y[i] = s;
                yNorm += s * s;
            }
            yNorm = Math.sqrt(yNorm);
            if (!(yNorm > 0)) {
                break;
            }
            bound = Math.max(bound, yNorm / xNorm);
            for (int i = 0; i < n; i++) {
                x[i] = y[i] / yNorm;
            }
            xNorm = 1.0;
        }
        return bound;
    }

    private static String label(String field, String source) {
        return source != null ? source : field;
    }
}
