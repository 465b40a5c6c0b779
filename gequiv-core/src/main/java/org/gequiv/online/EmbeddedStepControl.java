package org.gequiv.online;

/**
 * The step-size control of an embedded Runge–Kutta pair (Hairer, Nørsett and Wanner, Solving ODEs
 * I, §II.4), apart from any tableau, as Hipparchus keeps it in {@code EmbeddedRungeKuttaIntegrator}:
 * the error norm, the factor of the next step, the bounds of the step, the starting step and the
 * evaluation budget. The numbers come from an {@link OdeIntegrator.DormandPrince}; the order from
 * the tableau. Immutable.
 */
final class EmbeddedStepControl {

    /** Factor of the next step after a step whose error estimate is not finite. */
    static final double NON_FINITE_REDUCTION = 0.1;
    /** A step below this times max(1, |t|) cannot advance t in double precision: integration stops. */
    static final double RELATIVE_STEP_FLOOR = 1e-13;

    private final double relativeTolerance;
    private final double absoluteTolerance;
    private final double minStep;
    private final double maxStep;
    private final double safety;
    private final double minReduction;
    private final double maxGrowth;
    private final int maxEvaluations;
    private final double exponent;

    /**
     * @param parameters the tolerances, step bounds, step control and budget
     * @param order      order of the propagated solution (5 for Dormand–Prince 5(4))
     */
    EmbeddedStepControl(OdeIntegrator.DormandPrince parameters, int order) {
        this.relativeTolerance = parameters.relativeTolerance();
        this.absoluteTolerance = parameters.absoluteTolerance();
        this.minStep = parameters.minStep();
        this.maxStep = parameters.maxStep();
        this.safety = parameters.safety();
        this.minReduction = parameters.minReduction();
        this.maxGrowth = parameters.maxGrowth();
        this.maxEvaluations = parameters.maxEvaluations();
        this.exponent = -1.0 / order;
    }

    double relativeTolerance() {
        return relativeTolerance;
    }

    double absoluteTolerance() {
        return absoluteTolerance;
    }

    /** The error scale of an entry that was y and became yNew: atol + rtol·max(|y|, |y_new|). */
    double scale(double y, double yNew) {
        return absoluteTolerance + relativeTolerance * Math.max(Math.abs(y), Math.abs(yNew));
    }

    /**
     * The factor of the next step after a step with RMS scaled error {@code error} (accepted when
     * error ≤ 1): min(maxGrowth, max(minReduction, safety·error^(−1/order))), and
     * {@link #NON_FINITE_REDUCTION} when the error is not finite. A zero error grows by maxGrowth.
     */
    double stepFactor(double error) {
        if (!Double.isFinite(error)) {
            return NON_FINITE_REDUCTION;
        }
        return Math.min(maxGrowth, Math.max(minReduction, safety * Math.pow(error, exponent)));
    }

    /** The first step: the estimate {@code estimate} within [minStep, maxStep]. */
    double firstStep(double estimate) {
        return Math.max(minStep, Math.min(estimate, maxStep));
    }

    /** A grown step h limited to maxStep. */
    double limit(double h) {
        return Math.min(h, maxStep);
    }

    /** Whether step {@code h} at time {@code t} is too short to go on (below minStep or the rounding floor). */
    boolean tooShort(double h, double t) {
        return h < minStep || h < RELATIVE_STEP_FLOOR * Math.max(1.0, Math.abs(t));
    }

    /** Whether step {@code h} is below the smallest step allowed. */
    boolean belowMinStep(double h) {
        return h < minStep;
    }

    double minStep() {
        return minStep;
    }

    /** Whether {@code more} further evaluations after {@code done} would exceed the budget. */
    boolean exceedsBudget(long done, int more) {
        return done + more > maxEvaluations;
    }

    int maxEvaluations() {
        return maxEvaluations;
    }
}
