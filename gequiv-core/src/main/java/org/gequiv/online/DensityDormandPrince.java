package org.gequiv.online;

/**
 * Adaptive Dormand–Prince 5(4) (FSAL, step-size control, dense output; Hairer, Nørsett and Wanner,
 * Solving ODEs I, §II.4–II.6) specialised to the density ODEs of {@link DensityOdes}.
 *
 * <p>Why specialised: the right-hand side couples the τ's only through a few linear functionals
 * φ = (Q, R, v) of the state (docs/theory.md §5.1); given φ it is local in τ. A stage state
 * y + h Σ a_j k_j therefore has functionals φ(y) + h Σ a_j φ(k_j), known before the stage state
 * exists, and each stage can be built, differentiated and summed into its own functionals one
 * τ-block at a time while the block sits in L1. A generic Runge–Kutta code instead streams the
 * 170 KB state arrays (N = 3072, K = M = 2) from L3 once for each stage combination, once for the
 * right-hand side, once for the error estimate and once per dense output; those passes cost more
 * than the right-hand side itself. Dense output is needed only for Q, R and v, which are the
 * same linear combination of the stages' functionals: each output time costs O(K² + KM).
 *
 * <p>The step-size control is the standard one (RMS norm of the embedded error scaled by
 * atol + rtol·max(|y|, |y_new|) over every state entry, safety 0.9, growth in [0.2, 5]). Holds work
 * arrays: not thread-safe.
 */
final class DensityDormandPrince {

    /** Receives Q, R, v packed as {@link DensityOdes#functionals} at each output time; null to go on. */
    interface Observer {
        String observe(double t, double[] functionals);
    }

    // Dormand–Prince 5(4) tableau
    private static final double A21 = 1.0 / 5;
    private static final double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private static final double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private static final double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561,
            A54 = -212.0 / 729;
    private static final double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176,
            A65 = -5103.0 / 18656;
    private static final double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784,
            B6 = 11.0 / 84;
    /** Stage coefficients a_sj, row s = 1..6 (stage s + 1), then the weights b of y_new. */
    private static final double[][] A = {
        {},
        {A21},
        {A31, A32},
        {A41, A42, A43},
        {A51, A52, A53, A54},
        {A61, A62, A63, A64, A65},
        {B1, 0, B3, B4, B5, B6},
    };
    // dense output (4th-order continuous extension of DOPRI5)
    private static final double D1 = -12715105075.0 / 11282082432.0, D3 = 87487479700.0 / 32700410799.0,
            D4 = -10690763975.0 / 1880347072.0, D5 = 701980252875.0 / 199316789632.0,
            D6 = -1453857185.0 / 822651844.0, D7 = 69997945.0 / 29380423.0;
    // embedded error: 5th-order minus 4th-order weights
    private static final double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200,
            E6 = 22.0 / 525, E7 = -1.0 / 40;

    private final DensityOdes odes;
    private final OdeOptions options;
    private final int rows;
    private final int n;
    private final int vLength;
    private final int functionalCount;
    private final int block;
    private final long entries;
    /** k[0..6]: the stage derivatives k1..k7 (swapped, k1 ↔ k7, on accepted steps: FSAL). */
    private final double[][][] k = new double[7][][];
    /** φ(k_j), same indexing as {@link #k}. */
    private final double[][] phiK = new double[7][];
    private double[][] y;
    private double[][] yNew;
    private final double[][] stage;
    private double[] phiY;
    private double[] phiYNew;
    private final double[] phiStage;
    private final double[] phiOut;
    private final double[] partial;
    private final double[] squares;

    DensityDormandPrince(DensityOdes odes, OdeOptions options) {
        if (options.method() != OdeOptions.Method.ADAPTIVE) {
            throw new IllegalArgumentException("Dormand–Prince is the adaptive method, got " + options.method().id());
        }
        this.odes = odes;
        this.options = options;
        this.rows = odes.densityRows();
        this.n = odes.size();
        this.vLength = odes.studentHidden();
        this.functionalCount = odes.functionalCount();
        this.block = DensityOdes.blockSize();
        this.entries = (long) rows * n + vLength;
        for (int j = 0; j < 7; j++) {
            k[j] = odes.newState();
            phiK[j] = new double[functionalCount];
        }
        this.yNew = odes.newState();
        this.stage = odes.newState();
        this.phiY = new double[functionalCount];
        this.phiYNew = new double[functionalCount];
        this.phiStage = new double[functionalCount];
        this.phiOut = new double[functionalCount];
        this.partial = new double[rows];
        this.squares = new double[n];
    }

    /**
     * Integrates {@code initial} from t = 0 through the ascending {@code times}, handing the
     * functionals at each to {@code observer}; the last step is clipped to end on the final time.
     * On return {@code initial} holds the last accepted state. Returns null when all times were
     * observed, otherwise why and where it stopped.
     */
    OdeSteppers.Failure run(double[] times, double[][] initial, Observer observer) {
        double[][] ownYNew = yNew;
        double[][] ownK1 = k[0];
        double[][] ownK7 = k[6];
        y = initial;
        try {
            return loop(times, observer);
        } finally {
            if (y != initial) {
                for (int s = 0; s <= rows; s++) {
                    System.arraycopy(y[s], 0, initial[s], 0, initial[s].length);
                }
            }
            yNew = ownYNew;
            k[0] = ownK1;
            k[6] = ownK7;
            y = null;
        }
    }

    private OdeSteppers.Failure loop(double[] times, Observer observer) {
        double rtol = options.relativeTolerance();
        double atol = options.absoluteTolerance();
        double hMax = options.dt();
        odes.functionals(y, phiY);
        double t = 0;
        double lastGood = 0;
        int next = 0;
        while (next < times.length && times[next] <= 0) {
            String bad = observer.observe(times[next], phiY);
            if (bad != null) {
                return new OdeSteppers.Failure(0, bad + " at t = 0");
            }
            next++;
        }
        if (next == times.length) {
            return null;
        }
        double tEnd = times[times.length - 1];
        odes.derivatives(y, k[0]);
        if (odes.lastNonFinite() != null) {
            return new OdeSteppers.Failure(0, odes.lastNonFinite() + " at t = 0");
        }
        odes.functionals(k[0], phiK[0]);
        double h = Math.min(initialStep(), hMax);
        while (next < times.length) {
            boolean last = false;
            if (h >= (tEnd - t) * (1 - 1e-12)) {
                h = tEnd - t;
                last = true;
            }
            String bad = null;
            for (int s = 1; s < 6 && bad == null; s++) {
                bad = stage(s, h);
            }
            double err = bad == null ? lastStageAndError(h, rtol, atol) : Double.NaN;
            if (bad == null && Double.isNaN(err)) {
                bad = odes.lastNonFinite();
            }
            if (!(err <= 1.0)) {
                double factor = Double.isFinite(err) ? Math.max(0.2, 0.9 * Math.pow(err, -0.2)) : 0.1;
                h *= factor;
                if (h < 1e-13 * Math.max(1.0, Math.abs(t))) {
                    String why = bad != null ? bad : "step size underflow (h = " + h + ")";
                    return new OdeSteppers.Failure(t, why + " at t = " + t);
                }
                continue;
            }
            double tNew = last ? tEnd : t + h;
            while (next < times.length && times[next] <= tNew) {
                double[] phi;
                if (times[next] == tNew) {
                    phi = phiYNew;
                } else {
                    denseFunctionals((times[next] - t) / h, h);
                    phi = phiOut;
                }
                String badOut = observer.observe(times[next], phi);
                if (badOut != null) {
                    return new OdeSteppers.Failure(lastGood, badOut + " at t = " + times[next]);
                }
                lastGood = times[next];
                next++;
            }
            // accept: y ← y_new, k1 ← k7 (FSAL), by swapping array roles
            double[][] spentY = y;
            y = yNew;
            yNew = spentY;
            double[] spentPhi = phiY;
            phiY = phiYNew;
            phiYNew = spentPhi;
            double[][] spentK = k[0];
            k[0] = k[6];
            k[6] = spentK;
            double[] spentPhiK = phiK[0];
            phiK[0] = phiK[6];
            phiK[6] = spentPhiK;
            t = tNew;
            double grow = err == 0 ? 5.0 : Math.min(5.0, Math.max(0.2, 0.9 * Math.pow(err, -0.2)));
            h = Math.min(h * grow, hMax);
        }
        return null;
    }

    /** φ of y + h Σ_j a_j φ(k_j) into {@code target}. */
    private void combineFunctionals(double[] target, double[] a, double h) {
        for (int f = 0; f < functionalCount; f++) {
            double s = 0;
            for (int j = 0; j < a.length; j++) {
                s += a[j] * phiK[j][f];
            }
            target[f] = phiY[f] + h * s;
        }
    }

    /**
     * Stage s + 1 (s = 1..5): builds y + h Σ_{j<s} a_sj k_j into {@link #stage} block by block,
     * differentiates each block into k[s] and sums its functionals. Returns the non-finite order
     * parameter of the stage state, or null.
     */
    private String stage(int s, double h) {
        double[] a = A[s];
        combineFunctionals(phiStage, a, h);
        String bad = odes.prepare(phiStage, stage);
        if (bad != null) {
            return bad;
        }
        double[][] out = k[s];
        java.util.Arrays.fill(partial, 0.0);
        for (int b = 0; b < n; b += block) {
            int end = Math.min(b + block, n);
            for (int r = 0; r < rows; r++) {
                combineBlock(s, h, stage[r], r, b, end);
            }
            odes.densityBlock(out, b, end);
            for (int r = 0; r < rows; r++) {
                partial[r] += odes.partialFunctional(out[r], r, b, end);
            }
        }
        odes.derivativeOfV(out[rows]);
        finishFunctionals(out, phiK[s]);
        return null;
    }

    private void finishFunctionals(double[][] derivative, double[] phi) {
        for (int r = 0; r < rows; r++) {
            phi[r] = partial[r] * odes.functionalScale(r);
        }
        System.arraycopy(derivative[rows], 0, phi, rows, vLength);
    }

    /**
     * target[b, end) = y_r + h Σ_j a_sj k_j,r on [b, end) for stages s = 1..5: one loop per stage
     * so that each is a fixed-arity, vectorisable expression.
     */
    private void combineBlock(int s, double h, double[] target, int r, int b, int end) {
        double[] y0 = y[r];
        double[] f1 = k[0][r];
        switch (s) {
            case 1 -> {
                double c1 = h * A21;
                for (int i = b; i < end; i++) {
                    target[i] = y0[i] + c1 * f1[i];
                }
            }
            case 2 -> {
                double[] f2 = k[1][r];
                for (int i = b; i < end; i++) {
                    target[i] = y0[i] + h * (A31 * f1[i] + A32 * f2[i]);
                }
            }
            case 3 -> {
                double[] f2 = k[1][r];
                double[] f3 = k[2][r];
                for (int i = b; i < end; i++) {
                    target[i] = y0[i] + h * (A41 * f1[i] + A42 * f2[i] + A43 * f3[i]);
                }
            }
            case 4 -> {
                double[] f2 = k[1][r];
                double[] f3 = k[2][r];
                double[] f4 = k[3][r];
                for (int i = b; i < end; i++) {
                    target[i] = y0[i] + h * (A51 * f1[i] + A52 * f2[i] + A53 * f3[i] + A54 * f4[i]);
                }
            }
            case 5 -> {
                double[] f2 = k[1][r];
                double[] f3 = k[2][r];
                double[] f4 = k[3][r];
                double[] f5 = k[4][r];
                for (int i = b; i < end; i++) {
                    target[i] = y0[i] + h * (A61 * f1[i] + A62 * f2[i] + A63 * f3[i] + A64 * f4[i] + A65 * f5[i]);
                }
            }
            default -> throw new IllegalArgumentException("stage " + s + " is built by solutionAndErrorBlock");
        }
    }

    /**
     * y_new = y + h Σ b_j k_j and k7 = f(y_new), block by block, with the embedded error estimate
     * summed in the same sweep. Returns the error norm (≤ 1 accepts), NaN if y_new's order
     * parameters are not finite.
     */
    private double lastStageAndError(double h, double rtol, double atol) {
        combineFunctionals(phiYNew, A[6], h);
        if (odes.prepare(phiYNew, yNew) != null) {
            return Double.NaN;
        }
        double[][] out = k[6];
        java.util.Arrays.fill(partial, 0.0);
        double sumSquares = 0;
        for (int b = 0; b < n; b += block) {
            int end = Math.min(b + block, n);
            for (int r = 0; r < rows; r++) {
                solutionAndErrorBlock(h, r, b, end);
            }
            odes.densityBlock(out, b, end);
            for (int r = 0; r < rows; r++) {
                partial[r] += odes.partialFunctional(out[r], r, b, end);
                sumSquares += scaledErrorSquares(r, h, rtol, atol, b, end);
            }
        }
        // v: y_new, its derivative and its error
        double[] v = y[rows];
        double[] vNew = yNew[rows];
        for (int i = 0; i < vLength; i++) {
            vNew[i] = v[i] + h * (B1 * k[0][rows][i] + B3 * k[2][rows][i] + B4 * k[3][rows][i]
                    + B5 * k[4][rows][i] + B6 * k[5][rows][i]);
        }
        odes.derivativeOfV(out[rows]);
        for (int i = 0; i < vLength; i++) {
            double e = h * (E1 * k[0][rows][i] + E3 * k[2][rows][i] + E4 * k[3][rows][i] + E5 * k[4][rows][i]
                    + E6 * k[5][rows][i] + E7 * out[rows][i]);
            double q = e / (atol + rtol * Math.max(Math.abs(v[i]), Math.abs(vNew[i])));
            sumSquares += q * q;
        }
        finishFunctionals(out, phiK[6]);
        return Math.sqrt(sumSquares / entries);
    }

    /**
     * y_new = y + h Σ b_j k_j and the k7-free part Σ_{j≤6} e_j k_j of the error on [b, end) of
     * row r, from the same loads; the partial error goes to the stage array (free in the last
     * stage), so that the error pass after k7 reads only data of this block.
     */
    private void solutionAndErrorBlock(double h, int r, int b, int end) {
        double[] y0 = y[r];
        double[] y1 = yNew[r];
        double[] errorPart = stage[r];
        double[] f1 = k[0][r];
        double[] f3 = k[2][r];
        double[] f4 = k[3][r];
        double[] f5 = k[4][r];
        double[] f6 = k[5][r];
        for (int i = b; i < end; i++) {
            double g1 = f1[i];
            double g3 = f3[i];
            double g4 = f4[i];
            double g5 = f5[i];
            double g6 = f6[i];
            y1[i] = y0[i] + h * (B1 * g1 + B3 * g3 + B4 * g4 + B5 * g5 + B6 * g6);
            errorPart[i] = E1 * g1 + E3 * g3 + E4 * g4 + E5 * g5 + E6 * g6;
        }
    }

    /** Σ over [b, end) of row r of (error / (atol + rtol·max(|y|, |y_new|)))². */
    private double scaledErrorSquares(int r, double h, double rtol, double atol, int b, int end) {
        double[] y0 = y[r];
        double[] y1 = yNew[r];
        double[] errorPart = stage[r];
        double[] f7 = k[6][r];
        double[] sq = squares;
        // element-wise (vectorised, division included), then summed
        for (int i = b; i < end; i++) {
            double e = h * (errorPart[i] + E7 * f7[i]);
            double q = e / (atol + rtol * Math.max(Math.abs(y0[i]), Math.abs(y1[i])));
            sq[i] = q * q;
        }
        return DensityOdes.sum(sq, b, end);
    }

    /** Q, R, v of the continuous extension at t + θh into {@link #phiOut}. */
    private void denseFunctionals(double theta, double h) {
        double s1 = 1 - theta;
        for (int f = 0; f < functionalCount; f++) {
            double diff = phiYNew[f] - phiY[f];
            double bspl = h * phiK[0][f] - diff;
            double c4 = diff - h * phiK[6][f] - bspl;
            double c5 = h * (D1 * phiK[0][f] + D3 * phiK[2][f] + D4 * phiK[3][f] + D5 * phiK[4][f]
                    + D6 * phiK[5][f] + D7 * phiK[6][f]);
            phiOut[f] = phiY[f] + theta * (diff + s1 * (bspl + theta * (c4 + s1 * c5)));
        }
    }

    /** Starting step of Hairer–Nørsett–Wanner (II.4), from f(y0) in k1. */
    private double initialStep() {
        double d0 = rmsNorm(y, y);
        double d1 = rmsNorm(k[0], y);
        double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        for (int s = 0; s <= rows; s++) {
            for (int i = 0; i < y[s].length; i++) {
                stage[s][i] = y[s][i] + h0 * k[0][s][i];
            }
        }
        odes.derivatives(stage, k[1]);
        for (int s = 0; s <= rows; s++) {
            for (int i = 0; i < y[s].length; i++) {
                k[2][s][i] = (k[1][s][i] - k[0][s][i]) / h0;
            }
        }
        double d2 = rmsNorm(k[2], y);
        double h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 0.2);
        double h = Math.min(100 * h0, h1);
        return Double.isFinite(h) && h > 0 ? h : 1e-6;
    }

    private double rmsNorm(double[][] x, double[][] scale) {
        double s = 0;
        for (int r = 0; r <= rows; r++) {
            for (int i = 0; i < x[r].length; i++) {
                double q = x[r][i] / (options.absoluteTolerance() + options.relativeTolerance() * Math.abs(scale[r][i]));
                s += q * q;
            }
        }
        return Math.sqrt(s / entries);
    }
}
