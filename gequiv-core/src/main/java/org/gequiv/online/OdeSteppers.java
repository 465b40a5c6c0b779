package org.gequiv.online;

/**
 * The fixed-step integrators of {@link OdeOptions} on an autonomous system y' = f(y): explicit
 * Euler and classical RK4 (the adaptive method is {@link DensityDormandPrince}). {@link #run}
 * integrates through a list of output times in place. Holds work arrays: not thread-safe.
 *
 * <p>The state is segmented, {@code double[][]} (one row per density, see {@link DensityOdes}):
 * every vector operation below runs row by row with the same index into all operands, the form
 * the JIT compiles to SIMD instructions (a flat array addressed at several offsets is not
 * vectorised by HotSpot 17, which made these passes about 3× slower).
 */
final class OdeSteppers {

    /** An autonomous right-hand side on a segmented state that reports non-finite order parameters. */
    interface System {
        /** A new zero state of the right shape. */
        double[][] newState();

        /** dy ← f(y); must not modify y. */
        void derivatives(double[][] y, double[][] dy);

        /** Non-finite quantity seen in the last {@link #derivatives} call, or null. */
        String lastNonFinite();
    }

    /**
     * Why integration stopped early.
     *
     * @param lastFiniteTime time of the last finite state (the adaptive method's state array holds
     *                       it; the fixed-step methods' state may already be spoiled)
     * @param reason         the offending quantity and where
     */
    record Failure(double lastFiniteTime, String reason) {
    }

    /** Receives the state at each output time; returns null to go on, or why to stop. */
    interface Observer {
        String observe(double t, double[][] state);
    }

    private final System system;
    private final OdeOptions options;
    private final int rows;
    private final double[][] k1;
    private final double[][] k2;
    private final double[][] k3;
    private final double[][] k4;
    private final double[][] tmp;

    OdeSteppers(System system, OdeOptions options) {
        if (options.method() == OdeOptions.Method.ADAPTIVE) {
            throw new IllegalArgumentException("the adaptive method is DensityDormandPrince");
        }
        this.system = system;
        this.options = options;
        boolean rk4 = options.method() == OdeOptions.Method.RK4;
        this.k1 = system.newState();
        this.rows = k1.length;
        this.k2 = rk4 ? system.newState() : null;
        this.k3 = rk4 ? system.newState() : null;
        this.k4 = rk4 ? system.newState() : null;
        this.tmp = rk4 ? system.newState() : null;
    }

    /**
     * Integrates y from t = 0, stepping to each of the ascending {@code times} in turn, and hands
     * the state there to {@code observer}. Returns null when all times were observed.
     */
    Failure run(double[] times, double[][] y, Observer observer) {
        double t = 0;
        double lastGood = 0;
        for (double target : times) {
            Failure f = advance(t, target, y);
            if (f != null) {
                return f;
            }
            String bad = observer.observe(target, y);
            if (bad != null) {
                return new Failure(lastGood, bad + " at t = " + target);
            }
            t = target;
            lastGood = target;
        }
        return null;
    }

    /** Integrates y from t0 to t1 ≥ t0 in place; null on success. */
    Failure advance(double t0, double t1, double[][] y) {
        if (!(t1 > t0)) {
            return null;
        }
        return fixed(t0, t1, y);
    }

    private Failure fixed(double t0, double t1, double[][] y) {
        double dt = options.dt();
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
            double h = s < whole ? dt : last;
            // the derivative call checks the state at t; a failure means the state at t is spoiled
            String bad = options.method() == OdeOptions.Method.EULER ? eulerStep(y, h) : rk4Step(y, h);
            if (bad != null) {
                return new Failure(lastFinite, bad + " at t = " + t);
            }
            lastFinite = t;
            t = s == steps - 1 ? t1 : t0 + (s + 1) * dt;
        }
        return null;
    }

    private String eulerStep(double[][] y, double h) {
        system.derivatives(y, k1);
        String bad = system.lastNonFinite();
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
        system.derivatives(y, k1);
        String bad = system.lastNonFinite();
        if (bad != null) {
            return bad;
        }
        combine(tmp, y, 0.5 * h, k1);
        system.derivatives(tmp, k2);
        combine(tmp, y, 0.5 * h, k2);
        system.derivatives(tmp, k3);
        combine(tmp, y, h, k3);
        system.derivatives(tmp, k4);
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
