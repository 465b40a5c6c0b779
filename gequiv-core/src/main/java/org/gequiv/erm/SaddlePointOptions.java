package org.gequiv.erm;

import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;

/**
 * How the saddle-point iteration runs (docs/theory.md §6.5).
 *
 * <p>Each iteration maps (V, q, m) to the hats and back; the new point is
 * {@code (1 − damping)·new + damping·old}. The iteration has converged when the undamped update
 * changes every one of V, q, m, and the test error ε_g computed from them, by at most
 * {@code absoluteTolerance + relativeTolerance·|x|}: the test error of ridge, ρ + q − 2m, is a
 * difference of overlaps of order one, and without its own test a near-zero ε_g would only be
 * accurate to the tolerance of q and m.
 *
 * @param damping           weight of the old point, in [0, 1); 0.5 in the reference
 * @param absoluteTolerance ≥ 0
 * @param relativeTolerance ≥ 0 (at least one of the tolerances must be positive)
 * @param maxIterations     ≥ 1
 * @param quadratureNodes   Gauss–Hermite nodes for smooth losses (and Gauss–Legendre nodes per
 *                          unit of ξ for losses with kinks); 200 reproduce the D1 logistic
 *                          references to about 3e-8
 * @param start             the start when no warm start is given
 * @param andersonDepth     0 for the plain damped iteration of the reference; k ≥ 1 to accelerate
 *                          it by Anderson mixing over the last k steps (falls back to the damped
 *                          step whenever a proposal leaves V, q &gt; 0, and for the second
 *                          half of the iteration budget)
 */
public record SaddlePointOptions(double damping, double absoluteTolerance, double relativeTolerance,
                                 int maxIterations, int quadratureNodes, Overlaps start, int andersonDepth) {

    /** Default damping, the reference's. */
    public static final double DEFAULT_DAMPING = 0.5;
    /** Default absolute tolerance on each of V, q, m. */
    public static final double DEFAULT_ABSOLUTE_TOLERANCE = 1e-12;
    /** Default relative tolerance. */
    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-10;
    /** Default iteration limit. */
    public static final int DEFAULT_MAX_ITERATIONS = 100_000;
    /** Default quadrature nodes. */
    public static final int DEFAULT_QUADRATURE_NODES = 200;
    /** Default Anderson depth. */
    public static final int DEFAULT_ANDERSON_DEPTH = 3;

    public SaddlePointOptions {
        if (!(damping >= 0 && damping < 1)) {
            throw new InvalidInputException("damping", "damping must be in [0, 1), got " + damping);
        }
        Checks.nonNegative("absoluteTolerance", absoluteTolerance);
        Checks.nonNegative("relativeTolerance", relativeTolerance);
        if (!(absoluteTolerance + relativeTolerance > 0)) {
            throw new InvalidInputException("absoluteTolerance", "absoluteTolerance must be > 0 when "
                    + "relativeTolerance is 0, got " + absoluteTolerance);
        }
        Checks.atLeast("maxIterations", maxIterations, 1);
        Checks.atLeast("quadratureNodes", quadratureNodes, 8);
        Checks.given("start", start);
        if (andersonDepth < 0 || andersonDepth > 10) {
            throw new InvalidInputException("andersonDepth", "andersonDepth must be in [0, 10], got " + andersonDepth);
        }
    }

    /** Options without Anderson acceleration. */
    public SaddlePointOptions(double damping, double absoluteTolerance, double relativeTolerance, int maxIterations,
                              int quadratureNodes, Overlaps start) {
        this(damping, absoluteTolerance, relativeTolerance, maxIterations, quadratureNodes, start, 0);
    }

    /**
     * Damping 0.5, tolerances 1e-12 absolute and 1e-10 relative, 100 000 iterations, 200 nodes,
     * uninformed start, Anderson depth 3 (3–10× fewer iterations than the reference's plain damped
     * iteration, same fixed point; {@code withAnderson(0)} restores the plain iteration).
     */
    public static SaddlePointOptions defaults() {
        return new SaddlePointOptions(DEFAULT_DAMPING, DEFAULT_ABSOLUTE_TOLERANCE, DEFAULT_RELATIVE_TOLERANCE,
                DEFAULT_MAX_ITERATIONS, DEFAULT_QUADRATURE_NODES, Overlaps.uninformed(), DEFAULT_ANDERSON_DEPTH);
    }

    public SaddlePointOptions withDamping(double d) {
        return new SaddlePointOptions(d, absoluteTolerance, relativeTolerance, maxIterations, quadratureNodes, start, andersonDepth);
    }

    public SaddlePointOptions withTolerances(double abs, double rel) {
        return new SaddlePointOptions(damping, abs, rel, maxIterations, quadratureNodes, start, andersonDepth);
    }

    public SaddlePointOptions withMaxIterations(int n) {
        return new SaddlePointOptions(damping, absoluteTolerance, relativeTolerance, n, quadratureNodes, start, andersonDepth);
    }

    public SaddlePointOptions withQuadratureNodes(int n) {
        return new SaddlePointOptions(damping, absoluteTolerance, relativeTolerance, maxIterations, n, start, andersonDepth);
    }

    public SaddlePointOptions withStart(Overlaps s) {
        return new SaddlePointOptions(damping, absoluteTolerance, relativeTolerance, maxIterations, quadratureNodes, s, andersonDepth);
    }

    public SaddlePointOptions withAnderson(int depth) {
        return new SaddlePointOptions(damping, absoluteTolerance, relativeTolerance, maxIterations, quadratureNodes, start,
                depth);
    }
}
