package org.gequiv.online;

/**
 * The integrators of {@link OdeOptions} on an autonomous system y' = f(y): fixed-step Euler and
 * RK4, and adaptive Dormand–Prince 5(4) with FSAL, step-size control and dense output (Hairer,
 * Nørsett and Wanner, Solving ODEs I, §II.4–II.6). {@link #run} integrates through a list of
 * output times in place. Holds work arrays: not thread-safe.
 */
final class OdeSteppers {

    /** An autonomous right-hand side that reports non-finite order parameters. */
    interface System {
        int dimension();

        /** dy ← f(y); must not modify y. */
        void derivatives(double[] y, double[] dy);

        /** Non-finite quantity seen in the last {@link #derivatives} call, or null. */
        String lastNonFinite();
    }

    /**
     * Why integration stopped early.
     *
     * @param lastFiniteTime time of the last finite state (the state array holds it for the
     *                       adaptive method; for the fixed-step methods it may already be spoiled)
     * @param reason         the offending quantity and where
     */
    record Failure(double lastFiniteTime, String reason) {
    }

    /** Receives the state at each output time; returns null to go on, or why to stop. */
    interface Observer {
        String observe(double t, double[] state);
    }

    // Dormand–Prince 5(4) tableau
    private static final double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private static final double A21 = 1.0 / 5;
    private static final double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private static final double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private static final double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561,
            A54 = -212.0 / 729;
    private static final double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176,
            A65 = -5103.0 / 18656;
    private static final double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784,
            B6 = 11.0 / 84;
    // Dormand–Prince dense output (4th-order continuous extension, Hairer's DOPRI5)
    private static final double D1 = -12715105075.0 / 11282082432.0, D3 = 87487479700.0 / 32700410799.0,
            D4 = -10690763975.0 / 1880347072.0, D5 = 701980252875.0 / 199316789632.0,
            D6 = -1453857185.0 / 822651844.0, D7 = 69997945.0 / 29380423.0;
    private static final double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200,
            E6 = 22.0 / 525, E7 = -1.0 / 40;

    private final System system;
    private final OdeOptions options;
    private final int n;
    private double[] k1;
    private double[] k2;
    private final double[] k3;
    private final double[] k4;
    private final double[] k5;
    private final double[] k6;
    private double[] k7;
    private final double[] tmp;
    private final double[] out;
    private long evaluations;
    private long acceptedSteps;
    private long rejectedSteps;

    OdeSteppers(System system, OdeOptions options) {
        this.system = system;
        this.options = options;
        this.n = system.dimension();
        boolean adaptive = options.method() == OdeOptions.Method.ADAPTIVE;
        boolean rk4 = options.method() == OdeOptions.Method.RK4;
        this.k1 = new double[n];
        this.k2 = adaptive || rk4 ? new double[n] : null;
        this.k3 = adaptive || rk4 ? new double[n] : null;
        this.k4 = adaptive || rk4 ? new double[n] : null;
        this.k5 = adaptive ? new double[n] : null;
        this.k6 = adaptive ? new double[n] : null;
        this.k7 = adaptive ? new double[n] : null;
        this.tmp = adaptive || rk4 ? new double[n] : null;
        this.out = adaptive ? new double[n] : null;
    }

    long evaluations() {
        return evaluations;
    }

    long acceptedSteps() {
        return acceptedSteps;
    }

    long rejectedSteps() {
        return rejectedSteps;
    }

    /**
     * Integrates y from t = 0 and hands the state at each of the ascending {@code times} to
     * {@code observer}. Fixed-step methods step to each time in turn; the adaptive method steps
     * freely and evaluates its dense output at the times that fall inside a step (the last
     * step is clipped to end on the final time). Returns null when all times were observed.
     */
    Failure run(double[] times, double[] y, Observer observer) {
        if (options.method() != OdeOptions.Method.ADAPTIVE) {
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
        return runAdaptive(times, y, observer);
    }

    /** Integrates y from t0 to t1 ≥ t0 in place with a fixed-step method; null on success. */
    Failure advance(double t0, double t1, double[] y) {
        if (!(t1 > t0)) {
            return null;
        }
        if (options.method() == OdeOptions.Method.ADAPTIVE) {
            throw new IllegalStateException("the adaptive method integrates through run(), not advance()");
        }
        return fixed(t0, t1, y);
    }

    private Failure fixed(double t0, double t1, double[] y) {
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

    private String eulerStep(double[] y, double h) {
        system.derivatives(y, k1);
        evaluations++;
        String bad = system.lastNonFinite();
        if (bad != null) {
            return bad;
        }
        for (int i = 0; i < n; i++) {
            y[i] += h * k1[i];
        }
        return null;
    }

    private String rk4Step(double[] y, double h) {
        system.derivatives(y, k1);
        String bad = system.lastNonFinite();
        if (bad != null) {
            evaluations++;
            return bad;
        }
        for (int i = 0; i < n; i++) {
            tmp[i] = y[i] + 0.5 * h * k1[i];
        }
        system.derivatives(tmp, k2);
        for (int i = 0; i < n; i++) {
            tmp[i] = y[i] + 0.5 * h * k2[i];
        }
        system.derivatives(tmp, k3);
        for (int i = 0; i < n; i++) {
            tmp[i] = y[i] + h * k3[i];
        }
        system.derivatives(tmp, k4);
        evaluations += 4;
        double h6 = h / 6;
        for (int i = 0; i < n; i++) {
            y[i] += h6 * (k1[i] + 2 * (k2[i] + k3[i]) + k4[i]);
        }
        return null;
    }

    private double rmsNorm(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double sc = options.absoluteTolerance() + options.relativeTolerance() * Math.abs(y[i]);
            double r = x[i] / sc;
            s += r * r;
        }
        return Math.sqrt(s / n);
    }

    private Failure runAdaptive(double[] times, double[] y, Observer observer) {
        // accepted steps swap array roles instead of copying (y ↔ k2, k1 ↔ k7): two fewer passes
        // over the state per step; the caller's array gets the final state back at the end
        double[] caller = y;
        double[] ownK1 = k1;
        double[] ownK2 = k2;
        double[] ownK7 = k7;
        try {
            return adaptiveLoop(times, y, observer);
        } finally {
            if (current != caller) {
                java.lang.System.arraycopy(current, 0, caller, 0, n);
            }
            k1 = ownK1;
            k2 = ownK2;
            k7 = ownK7;
            current = null;
        }
    }

    /** The state array of the adaptive loop (one of the caller's array and the work arrays). */
    private double[] current;

    private Failure adaptiveLoop(double[] times, double[] y, Observer observer) {
        current = y;
        double rtol = options.relativeTolerance();
        double atol = options.absoluteTolerance();
        double hMax = options.dt();
        double t = 0;
        double lastGood = 0;
        int next = 0;
        while (next < times.length && times[next] <= 0) {
            String bad = observer.observe(times[next], y);
            if (bad != null) {
                return new Failure(0, bad + " at t = 0");
            }
            next++;
        }
        if (next == times.length) {
            return null;
        }
        double tEnd = times[times.length - 1];
        system.derivatives(y, k1);
        evaluations++;
        if (system.lastNonFinite() != null) {
            return new Failure(0, system.lastNonFinite() + " at t = 0");
        }
        double h = Math.min(initialStep(y), hMax);
        while (next < times.length) {
            boolean last = false;
            if (h >= (tEnd - t) * (1 - 1e-12)) {
                h = tEnd - t;
                last = true;
            }
            String bad = dopriStages(y, h);
            double err = bad == null ? errorNorm(y, h, rtol, atol) : Double.NaN;
            if (!(err <= 1.0)) {
                rejectedSteps++;
                double factor = Double.isFinite(err) ? Math.max(0.2, 0.9 * Math.pow(err, -0.2)) : 0.1;
                h *= factor;
                if (h < 1e-13 * Math.max(1.0, Math.abs(t))) {
                    String why = bad != null ? bad : "step size underflow (h = " + h + ")";
                    return new Failure(t, why + " at t = " + t);
                }
                continue;
            }
            acceptedSteps++;
            double tNew = last ? tEnd : t + h;
            // outputs inside (t, tNew]: dense output from (y, y_new = k2, stages)
            while (next < times.length && times[next] <= tNew) {
                double[] state;
                if (times[next] == tNew) {
                    state = k2;
                } else {
                    denseOutput(y, (times[next] - t) / h, h);
                    state = out;
                }
                String badOut = observer.observe(times[next], state);
                if (badOut != null) {
                    return new Failure(lastGood, badOut + " at t = " + times[next]);
                }
                lastGood = times[next];
                next++;
            }
            double[] previous = y;
            y = k2;
            k2 = previous;
            current = y;
            double[] spent = k1;
            k1 = k7;
            k7 = spent;
            t = tNew;
            double grow = err == 0 ? 5.0 : Math.min(5.0, Math.max(0.2, 0.9 * Math.pow(err, -0.2)));
            h = Math.min(h * grow, hMax);
        }
        return null;
    }

    /** RMS of the embedded error estimate scaled by atol + rtol·max(|y|, |y_new|) (k2 = y_new). */
    private double errorNorm(double[] y, double h, double rtol, double atol) {
        // two accumulators: a single running sum is latency-bound
        double s0 = 0;
        double s1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            double e0 = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
            double e1 = h * (E1 * k1[i + 1] + E3 * k3[i + 1] + E4 * k4[i + 1] + E5 * k5[i + 1] + E6 * k6[i + 1]
                    + E7 * k7[i + 1]);
            double r0 = e0 / (atol + rtol * Math.max(Math.abs(y[i]), Math.abs(k2[i])));
            double r1 = e1 / (atol + rtol * Math.max(Math.abs(y[i + 1]), Math.abs(k2[i + 1])));
            s0 += r0 * r0;
            s1 += r1 * r1;
        }
        for (; i < n; i++) {
            double e0 = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
            double r0 = e0 / (atol + rtol * Math.max(Math.abs(y[i]), Math.abs(k2[i])));
            s0 += r0 * r0;
        }
        return Math.sqrt((s0 + s1) / n);
    }

    /** The continuous extension at t + θh into {@code out} (y_new in k2, f(y_new) in k7). */
    private void denseOutput(double[] y, double theta, double h) {
        double s1 = 1 - theta;
        for (int i = 0; i < n; i++) {
            double diff = k2[i] - y[i];
            double bspl = h * k1[i] - diff;
            double c4 = diff - h * k7[i] - bspl;
            double c5 = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
            out[i] = y[i] + theta * (diff + s1 * (bspl + theta * (c4 + s1 * c5)));
        }
    }

    /**
     * The six new stages of one Dormand–Prince step from (y, k1); leaves the 5th-order solution in
     * k2 (no longer needed) and f(y_new) in k7. Returns the non-finite quantity of a stage, or null.
     */
    private String dopriStages(double[] y, double h) {
        String bad;
        for (int i = 0; i < n; i++) {
            tmp[i] = y[i] + h * A21 * k1[i];
        }
        system.derivatives(tmp, k2);
        if ((bad = system.lastNonFinite()) != null) {
            evaluations++;
            return bad;
        }
        for (int i = 0; i < n; i++) {
            tmp[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
        }
        system.derivatives(tmp, k3);
        for (int i = 0; i < n; i++) {
            tmp[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
        }
        system.derivatives(tmp, k4);
        for (int i = 0; i < n; i++) {
            tmp[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
        }
        system.derivatives(tmp, k5);
        for (int i = 0; i < n; i++) {
            tmp[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
        }
        system.derivatives(tmp, k6);
        for (int i = 0; i < n; i++) {
            k2[i] = y[i] + h * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
        }
        system.derivatives(k2, k7);
        evaluations += 6;
        if ((bad = system.lastNonFinite()) != null) {
            return bad;
        }
        return null;
    }

    /** Starting step of Hairer–Nørsett–Wanner (II.4), from f(y0) in k1. */
    private double initialStep(double[] y) {
        double d0 = rmsNorm(y, y);
        double d1 = rmsNorm(k1, y);
        double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        for (int i = 0; i < n; i++) {
            tmp[i] = y[i] + h0 * k1[i];
        }
        system.derivatives(tmp, k2);
        evaluations++;
        for (int i = 0; i < n; i++) {
            k3[i] = (k2[i] - k1[i]) / h0;
        }
        double d2 = rmsNorm(k3, y);
        double h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 0.2);
        double h = Math.min(100 * h0, h1);
        return Double.isFinite(h) && h > 0 ? h : 1e-6;
    }
}
