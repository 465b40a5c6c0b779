package org.gequiv.online;

import org.gequiv.validation.Checks;
import org.gequiv.validation.Identifiers;
import org.gequiv.validation.InvalidInputException;

/**
 * How the order-parameter ODEs are integrated (docs/theory.md §5.6): the integrator
 * ({@link OdeIntegrator}: Euler, RK4 or Dormand–Prince with its step control), the quadrature of
 * the Gaussian integrals, and the merging of equal eigenvalues.
 *
 * <p>Every default is a public constant here, so that front ends can show and use the library's
 * own values.
 *
 * @param integrator         method and step parameters (default Dormand–Prince with
 *                           {@link #DEFAULT_RELATIVE_TOLERANCE}, {@link #DEFAULT_ABSOLUTE_TOLERANCE})
 * @param quadratureNodes    Gauss–Hermite nodes per dimension for 1–4-dimensional integrals of
 *                           activations without closed forms; null for the defaults
 * @param eigenvalueMerging  eigenvalues of Ω closer than this times the largest |ρ| share one
 *                           density (exact when they are equal: the densities of equal ρ obey the
 *                           same linear equations, so only their sum matters, docs/theory.md §5.11);
 *                           0 merges only identical values, a negative value nothing (every
 *                           eigenvalue keeps its density: the cost of a spectrum without
 *                           repeated eigenvalues, for benchmarks). Exactly repeated eigenvalues occur
 *                           for a linear generator (an (N − D)-fold zero or constant bulk) and
 *                           for spiked or hand-built Ω; the eigensolver returns their copies
 *                           spread by ~1e-15 relative, and the default
 *                           {@value #DEFAULT_EIGENVALUE_MERGING} merges such copies and nothing
 *                           that differs by more than rounding. The non-linear single-layer and
 *                           deep random generators have no repeated eigenvalues (their Ω is a
 *                           non-linear kernel, not low rank plus a multiple of I), so there every
 *                           eigenvalue keeps its density and the theory costs O(N) per step.
 */
public record OdeOptions(OdeIntegrator integrator, int[] quadratureNodes, double eigenvalueMerging) {

    /** Default integrator ({@link Method#id()}). */
    public static final String DEFAULT_INTEGRATOR = "adaptive";
    /** Default step of Euler and RK4 (the published integrator's, docs/theory.md §5.6). */
    public static final double DEFAULT_DT = 0.01;
    /** Default relative tolerance of the adaptive integrator. */
    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-8;
    /** Default absolute tolerance of the adaptive integrator. */
    public static final double DEFAULT_ABSOLUTE_TOLERANCE = 1e-10;
    /** Default smallest step of the adaptive integrator: none beyond the rounding floor. */
    public static final double DEFAULT_MIN_STEP = 0;
    /** Default largest step of the adaptive integrator: none. */
    public static final double DEFAULT_MAX_STEP = Double.POSITIVE_INFINITY;
    /** Default safety factor of the adaptive step control. */
    public static final double DEFAULT_SAFETY = 0.9;
    /** Default smallest factor by which the adaptive step shrinks (after a finite error). */
    public static final double DEFAULT_MIN_REDUCTION = 0.2;
    /** Default largest factor by which the adaptive step grows. */
    public static final double DEFAULT_MAX_GROWTH = 5;
    /** Default budget of right-hand-side evaluations of the adaptive integrator: none. */
    public static final int DEFAULT_MAX_EVALUATIONS = Integer.MAX_VALUE;
    /** Default relative distance below which eigenvalues of Ω share a density. */
    public static final double DEFAULT_EIGENVALUE_MERGING = 1e-12;

    /** The kinds of integrator, by their command-line id. */
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
            return Identifiers.byId(values(), c -> c.id, "integrator", "integrator", id);
        }
    }

    public OdeOptions {
        Checks.given("integrator", integrator);
        if (quadratureNodes != null) {
            quadratureNodes = quadratureNodes.clone();
        }
        checkEigenvalueMerging(eigenvalueMerging);
    }

    /** Refuses a merging tolerance that is NaN or not below 1e-3 (merging would then be lossy). */
    static void checkEigenvalueMerging(double tolerance) {
        if (!(tolerance < 1e-3)) {
            throw new InvalidInputException("eigenvalueMerging",
                    "eigenvalue merging tolerance must be < 1e-3 (negative: none), got " + tolerance);
        }
    }

    /** {@code integrator} with the default quadrature and eigenvalue merging. */
    public static OdeOptions of(OdeIntegrator integrator) {
        return new OdeOptions(integrator, null, DEFAULT_EIGENVALUE_MERGING);
    }

    /** The default: adaptive with relative tolerance 1e-8 and absolute 1e-10. */
    public static OdeOptions defaults() {
        return adaptive(DEFAULT_RELATIVE_TOLERANCE, DEFAULT_ABSOLUTE_TOLERANCE);
    }

    /** Adaptive Dormand–Prince 5(4) with the given tolerances and the default step control. */
    public static OdeOptions adaptive(double relativeTolerance, double absoluteTolerance) {
        return of(OdeIntegrator.DormandPrince.withTolerances(relativeTolerance, absoluteTolerance));
    }

    /** Explicit Euler with step {@code dt}. */
    public static OdeOptions euler(double dt) {
        return of(new OdeIntegrator.Euler(dt));
    }

    /** Classical RK4 with step {@code dt}. */
    public static OdeOptions rk4(double dt) {
        return of(new OdeIntegrator.RungeKutta4(dt));
    }

    /** A copy with another integrator. */
    public OdeOptions withIntegrator(OdeIntegrator other) {
        return new OdeOptions(other, quadratureNodes, eigenvalueMerging);
    }

    /** A copy with other quadrature node counts (4 entries: 1- to 4-dimensional integrals). */
    public OdeOptions withQuadratureNodes(int[] nodes) {
        return new OdeOptions(integrator, nodes, eigenvalueMerging);
    }

    /** A copy with another eigenvalue merging tolerance (negative: every eigenvalue keeps its density). */
    public OdeOptions withEigenvalueMerging(double tolerance) {
        return new OdeOptions(integrator, quadratureNodes, tolerance);
    }

    /** The kind of {@link #integrator()}. */
    public Method method() {
        if (integrator instanceof OdeIntegrator.Euler) {
            return Method.EULER;
        }
        if (integrator instanceof OdeIntegrator.RungeKutta4) {
            return Method.RK4;
        }
        return Method.ADAPTIVE;
    }

    /** The step of Euler or RK4; for the adaptive method its largest step (+∞: no limit). */
    public double dt() {
        if (integrator instanceof OdeIntegrator.Euler e) {
            return e.dt();
        }
        if (integrator instanceof OdeIntegrator.RungeKutta4 r) {
            return r.dt();
        }
        return ((OdeIntegrator.DormandPrince) integrator).maxStep();
    }

    /** The adaptive method's relative tolerance; {@link #DEFAULT_RELATIVE_TOLERANCE} (unused) for the others. */
    public double relativeTolerance() {
        return integrator instanceof OdeIntegrator.DormandPrince dp ? dp.relativeTolerance()
                : DEFAULT_RELATIVE_TOLERANCE;
    }

    /** The adaptive method's absolute tolerance; {@link #DEFAULT_ABSOLUTE_TOLERANCE} (unused) for the others. */
    public double absoluteTolerance() {
        return integrator instanceof OdeIntegrator.DormandPrince dp ? dp.absoluteTolerance()
                : DEFAULT_ABSOLUTE_TOLERANCE;
    }

    @Override
    public int[] quadratureNodes() {
        return quadratureNodes == null ? null : quadratureNodes.clone();
    }
}
