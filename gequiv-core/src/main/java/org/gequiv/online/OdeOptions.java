package org.gequiv.online;

import java.util.Locale;

/**
 * How the order-parameter ODEs are integrated (docs/theory.md §5.6).
 *
 * <ul>
 *   <li>{@link Method#EULER}: explicit Euler with step {@code dt}, the published integrator
 *       (dt = 0.01 there);</li>
 *   <li>{@link Method#RK4}: classical fourth-order Runge–Kutta with step {@code dt};</li>
 *   <li>{@link Method#ADAPTIVE} (default): Dormand–Prince 5(4) with error control, mixed tolerance
 *       {@code absoluteTolerance + relativeTolerance·|y|} per component, RMS norm.</li>
 * </ul>
 * Fixed-step methods take steps of exactly {@code dt} from one output time to the next and shorten
 * only the last one when the gap is not a multiple of dt, so outputs are at exactly the requested
 * times; when every output time is a multiple of dt this is the published scheme of round(t/dt)
 * steps. Adaptive steps are clipped to land on every output time.
 *
 * @param method             integrator
 * @param dt                 step of the fixed-step methods (&gt; 0); for ADAPTIVE the largest step
 *                           allowed (+∞ for no limit)
 * @param relativeTolerance  ADAPTIVE only, &gt; 0
 * @param absoluteTolerance  ADAPTIVE only, &gt; 0
 * @param quadratureNodes    Gauss–Hermite nodes per dimension for 1–4-dimensional integrals of
 *                           activations without closed forms; null for the defaults
 * @param eigenvalueMerging  eigenvalues of Ω closer than this times the largest |ρ| share one
 *                           density (exact when they are equal: the densities of equal ρ obey the
 *                           same linear equations, so only their sum matters, docs/theory.md §5.11);
 *                           0 merges only identical values, a negative value nothing (every
 *                           eigenvalue keeps its density: the cost of a spectrum without
 *                           repeated eigenvalues, for benchmarks). A single-layer generator with D &lt; N
 *                           has an (N − D)-fold eigenvalue, which the eigensolver returns spread
 *                           by ~1e-15 relative; the default {@value #DEFAULT_EIGENVALUE_MERGING}
 *                           merges such copies and nothing that differs by more than rounding.
 */
public record OdeOptions(Method method, double dt, double relativeTolerance, double absoluteTolerance,
                         int[] quadratureNodes, double eigenvalueMerging) {

    /** Default relative tolerance of the adaptive integrator. */
    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-8;
    /** Default absolute tolerance of the adaptive integrator. */
    public static final double DEFAULT_ABSOLUTE_TOLERANCE = 1e-10;
    /** Default relative distance below which eigenvalues of Ω share a density. */
    public static final double DEFAULT_EIGENVALUE_MERGING = 1e-12;

    /** The integrators. */
    public enum Method {
        EULER("euler"), RK4("rk4"), ADAPTIVE("adaptive");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** The method called {@code id} (euler, rk4, adaptive; case-insensitive). */
        public static Method byId(String id) {
            String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
            for (Method x : values()) {
                if (x.id.equals(wanted)) {
                    return x;
                }
            }
            throw new IllegalArgumentException("integrator must be one of euler, rk4, adaptive, got '" + id + "'");
        }
    }

    public OdeOptions {
        if (method == null) {
            throw new IllegalArgumentException("integrator must be given");
        }
        if (!(dt > 0)) {
            throw new IllegalArgumentException("dt must be > 0, got " + dt);
        }
        if (method != Method.ADAPTIVE && !Double.isFinite(dt)) {
            throw new IllegalArgumentException("dt must be finite for " + method.id() + ", got " + dt);
        }
        if (!(relativeTolerance > 0) || !(absoluteTolerance > 0)) {
            throw new IllegalArgumentException("tolerances must be > 0, got relative " + relativeTolerance
                    + ", absolute " + absoluteTolerance);
        }
        if (quadratureNodes != null) {
            quadratureNodes = quadratureNodes.clone();
        }
        checkEigenvalueMerging(eigenvalueMerging);
    }

    /** Refuses a merging tolerance that is NaN or not below 1e-3 (merging would then be lossy). */
    static void checkEigenvalueMerging(double tolerance) {
        if (!(tolerance < 1e-3)) {
            throw new IllegalArgumentException("eigenvalue merging tolerance must be < 1e-3 (negative: none), got "
                    + tolerance);
        }
    }

    /** The default: adaptive with relative tolerance 1e-8 and absolute 1e-10. */
    public static OdeOptions defaults() {
        return adaptive(DEFAULT_RELATIVE_TOLERANCE, DEFAULT_ABSOLUTE_TOLERANCE);
    }

    /** Adaptive Dormand–Prince 5(4) with the given tolerances. */
    public static OdeOptions adaptive(double relativeTolerance, double absoluteTolerance) {
        return new OdeOptions(Method.ADAPTIVE, Double.POSITIVE_INFINITY, relativeTolerance, absoluteTolerance, null,
                DEFAULT_EIGENVALUE_MERGING);
    }

    /** Explicit Euler with step {@code dt}. */
    public static OdeOptions euler(double dt) {
        return new OdeOptions(Method.EULER, dt, DEFAULT_RELATIVE_TOLERANCE, DEFAULT_ABSOLUTE_TOLERANCE, null,
                DEFAULT_EIGENVALUE_MERGING);
    }

    /** Classical RK4 with step {@code dt}. */
    public static OdeOptions rk4(double dt) {
        return new OdeOptions(Method.RK4, dt, DEFAULT_RELATIVE_TOLERANCE, DEFAULT_ABSOLUTE_TOLERANCE, null,
                DEFAULT_EIGENVALUE_MERGING);
    }

    /** A copy with other quadrature node counts (4 entries: 1- to 4-dimensional integrals). */
    public OdeOptions withQuadratureNodes(int[] nodes) {
        return new OdeOptions(method, dt, relativeTolerance, absoluteTolerance, nodes, eigenvalueMerging);
    }

    /** A copy with another eigenvalue merging tolerance (negative: every eigenvalue keeps its density). */
    public OdeOptions withEigenvalueMerging(double tolerance) {
        return new OdeOptions(method, dt, relativeTolerance, absoluteTolerance, quadratureNodes, tolerance);
    }

    @Override
    public int[] quadratureNodes() {
        return quadratureNodes == null ? null : quadratureNodes.clone();
    }
}
