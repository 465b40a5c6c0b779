package org.gequiv.online;

/**
 * The fixed-step integrators of {@link OdeIntegrator} on the density ODEs: explicit Euler and
 * classical RK4 (the adaptive method is {@link DensityDormandPrince}). {@link #run} integrates
 * through a list of output times in place. Holds work arrays: not thread-safe.
 *
 * <p>The state is segmented, {@code double[][]} (one row per density, see {@link DensityLayout}):
 * every vector operation below runs row by row with the same index into all operands, the form
 * the JIT compiles to SIMD instructions (a flat array addressed at several offsets is not
 * vectorised by HotSpot 17, which made these passes about 3× slower).
 */
final class FixedStepIntegrator {

    private final DensityOdes odes;
    private final double dt;
    private final boolean rk4;
    private final int rows;
    private final double[][] k1;
    private final double[][] k2;
    private final double[][] k3;
    private final double[][] k4;
    private final double[][] tmp;

    /** Explicit Euler. */
    FixedStepIntegrator(DensityOdes odes, OdeIntegrator.Euler euler) {
        this(odes, euler.dt(), false);
    }

    /** Classical RK4. */
    FixedStepIntegrator(DensityOdes odes, OdeIntegrator.RungeKutta4 rungeKutta) {
        this(odes, rungeKutta.dt(), true);
    }

    private FixedStepIntegrator(DensityOdes odes, double dt, boolean rk4) {
        this.odes = odes;
        this.dt = dt;
        this.rk4 = rk4;
        this.k1 = odes.newState();
        this.rows = k1.length;
        this.k2 = rk4 ? odes.newState() : null;
        this.k3 = rk4 ? odes.newState() : null;
        this.k4 = rk4 ? odes.newState() : null;
        this.tmp = rk4 ? odes.newState() : null;
    }

    /**
     * Integrates y from t = 0, stepping to each of the ascending {@code times} in turn, and reports
     * the state there to {@code output}. Returns how the run ended.
     */
    LearningCurve.Termination run(double[] times, double[][] y, ObservedOutput output) {
        double t = 0;
        double lastGood = 0;
        for (double target : times) {
            LearningCurve.Termination end = advance(t, target, y, output, lastGood);
            if (end == null) {
                end = output.state(target, y, lastGood);
            }
            if (end != null) {
                return end;
            }
            t = target;
            lastGood = target;
        }
        return LearningCurve.Termination.completedAt(times[times.length - 1]);
    }

    /**
     * Integrates y from t0 to t1 ≥ t0 in place: steps of exactly dt, the last one shortened when
     * the gap is not a multiple of dt. Null on success.
     */
    private LearningCurve.Termination advance(double t0, double t1, double[][] y, ObservedOutput output,
                                              double lastOutput) {
        if (!(t1 > t0)) {
            return null;
        }
        double span = t1 - t0;
        long whole = Math.round(span / dt);
        double last;
        if (Math.abs(whole * dt - span) <= 1e-9 * dt * Math.max(1, whole)) {
            last = 0; // the gap is a multiple of dt: exactly `whole` steps, ending on t1
        } else {
            whole = (long) Math.floor(span / dt);
            last = span - whole * dt;
        }
        long steps = whole + (last > 0 ? 1 : 0);
        double t = t0;
        double lastFinite = t0;
        for (long s = 0; s < steps; s++) {
            LearningCurve.Termination stopped = output.interruption(lastOutput);
            if (stopped != null) {
                return stopped;
            }
            double h = s < whole ? dt : last;
            // the derivative call checks the state at t; a failure means the state at t is spoiled
            String bad = rk4 ? rk4Step(y, h) : eulerStep(y, h);
            if (bad != null) {
                return LearningCurve.Termination.divergedAt(lastFinite, bad + " at t = " + t);
            }
            lastFinite = t;
            t = s == steps - 1 ? t1 : t0 + (s + 1) * dt;

        }
        return null;
    }

    private String eulerStep(double[][] y, double h) {
        odes.derivatives(y, k1);
        String bad = odes.lastNonFinite();
        if (bad != null) {
            return bad;
        }
        for (int s = 0; s < rows; s++) {
            double[] ys = y[s];
            double[] f = k1[s];
            for (int i = 0; i < ys.length; i++) {
                ys[i] += h * f[i];
            }
        }
        return null;
    }

    private String rk4Step(double[][] y, double h) {
        odes.derivatives(y, k1);
        String bad = odes.lastNonFinite();
        if (bad != null) {
            return bad;
        }
        combine(tmp, y, 0.5 * h, k1);
        odes.derivatives(tmp, k2);
        combine(tmp, y, 0.5 * h, k2);
        odes.derivatives(tmp, k3);
        combine(tmp, y, h, k3);
        odes.derivatives(tmp, k4);
        double h6 = h / 6;
        for (int s = 0; s < rows; s++) {
            double[] ys = y[s];
            double[] f1 = k1[s];
            double[] f2 = k2[s];
            double[] f3 = k3[s];
            double[] f4 = k4[s];
            for (int i = 0; i < ys.length; i++) {
                ys[i] += h6 * (f1[i] + 2 * (f2[i] + f3[i]) + f4[i]);
            }
        }
        return null;
    }

    /** target ← y + c·f, row by row. */
    private void combine(double[][] target, double[][] y, double c, double[][] f) {
        for (int s = 0; s < rows; s++) {
            double[] ts = target[s];
            double[] ys = y[s];
            double[] fs = f[s];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = ys[i] + c * fs[i];
            }
        }
    }
}
