package org.gequiv.online;

import static org.gequiv.online.DormandPrince54Tableau.A21;
import static org.gequiv.online.DormandPrince54Tableau.A31;
import static org.gequiv.online.DormandPrince54Tableau.A32;
import static org.gequiv.online.DormandPrince54Tableau.A41;
import static org.gequiv.online.DormandPrince54Tableau.A42;
import static org.gequiv.online.DormandPrince54Tableau.A43;
import static org.gequiv.online.DormandPrince54Tableau.A51;
import static org.gequiv.online.DormandPrince54Tableau.A52;
import static org.gequiv.online.DormandPrince54Tableau.A53;
import static org.gequiv.online.DormandPrince54Tableau.A54;
import static org.gequiv.online.DormandPrince54Tableau.A61;
import static org.gequiv.online.DormandPrince54Tableau.A62;
import static org.gequiv.online.DormandPrince54Tableau.A63;
import static org.gequiv.online.DormandPrince54Tableau.A64;
import static org.gequiv.online.DormandPrince54Tableau.A65;
import static org.gequiv.online.DormandPrince54Tableau.B1;
import static org.gequiv.online.DormandPrince54Tableau.B3;
import static org.gequiv.online.DormandPrince54Tableau.B4;
import static org.gequiv.online.DormandPrince54Tableau.B5;
import static org.gequiv.online.DormandPrince54Tableau.B6;
import static org.gequiv.online.DormandPrince54Tableau.D1;
import static org.gequiv.online.DormandPrince54Tableau.D3;
import static org.gequiv.online.DormandPrince54Tableau.D4;
import static org.gequiv.online.DormandPrince54Tableau.D5;
import static org.gequiv.online.DormandPrince54Tableau.D6;
import static org.gequiv.online.DormandPrince54Tableau.D7;
import static org.gequiv.online.DormandPrince54Tableau.E1;
import static org.gequiv.online.DormandPrince54Tableau.E3;
import static org.gequiv.online.DormandPrince54Tableau.E4;
import static org.gequiv.online.DormandPrince54Tableau.E5;
import static org.gequiv.online.DormandPrince54Tableau.E6;
import static org.gequiv.online.DormandPrince54Tableau.E7;

/**
 * Adaptive Dormand–Prince 5(4) (FSAL, step-size control, dense output; Hairer, Nørsett and Wanner,
 * Solving ODEs I, §II.4–II.6) fused with the density ODEs of {@link DensityOdes}. The pair's
 * coefficients come from {@link DormandPrince54Tableau}, the step control (tolerances, safety,
 * min reduction, max growth, step bounds, evaluation budget) from {@link EmbeddedStepControl};
 * this class only organises the passes over the state.
 *
 * <p>Why fused: the right-hand side couples the τ's only through a few linear functionals
 * φ = (Q, R, v) of the state (docs/theory.md §5.1); given φ it is local in τ. A stage state
 * y + h Σ a_j k_j therefore has functionals φ(y) + h Σ a_j φ(k_j), known before the stage state
 * exists, and each stage can be built, differentiated and summed into its own functionals one
 * τ-block at a time while the block sits in L1. A generic Runge–Kutta code instead streams the
 * 170 KB state arrays (N = 3072, K = M = 2) from L3 once for each stage combination, once for the
 * right-hand side, once for the error estimate and once per dense output; those passes cost more
 * than the right-hand side itself. Dense output is needed only for Q, R and v, which are the
 * same linear combination of the stages' functionals: each output time costs O(K² + KM).
 *
 * <p>The error norm is the RMS over every state entry of the embedded error scaled by
 * atol + rtol·max(|y|, |y_new|). Holds work arrays: not thread-safe.
 */
final class DensityDormandPrince {

    /** Right-hand sides per step attempt: stages 2..7 (stage 1 is the previous step's last, FSAL). */
    private static final int EVALUATIONS_PER_STEP = DormandPrince54Tableau.STAGES - 1;
    /** The stage rows a_sj and (row 6) the weights b, as {@link DormandPrince54Tableau#stageRow}. */
    private static final double[][] A = new double[DormandPrince54Tableau.STAGES][];

    static {
        for (int s = 1; s < DormandPrince54Tableau.STAGES; s++) {
            A[s] = DormandPrince54Tableau.stageRow(s);
        }
    }

    private final DensityOdes odes;
    private final DensityLayout layout;
    private final EmbeddedStepControl control;
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

    DensityDormandPrince(DensityOdes odes, OdeIntegrator.DormandPrince parameters) {
        this.odes = odes;
        this.layout = odes.layout();
        this.control = new EmbeddedStepControl(parameters, DormandPrince54Tableau.ORDER);
        this.rows = layout.densityRows();
        this.n = layout.size();
        this.vLength = layout.studentHidden();
        this.functionalCount = layout.functionalCount();
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
     * Integrates {@code initial} from t = 0 through the ascending {@code times}, reporting Q, R, v
     * at each to {@code output}; the last step is clipped to end on the final time, the others are
     * interpolated. On return {@code initial} holds the last accepted state. Returns how the run
     * ended.
     */
    LearningCurve.Termination run(double[] times, double[][] initial, ObservedOutput output) {
        double[][] ownYNew = yNew;
        double[][] ownK1 = k[0];
        double[][] ownK7 = k[6];
        y = initial;
        try {
            return loop(times, output);
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

    private LearningCurve.Termination loop(double[] times, ObservedOutput output) {
        long evaluationsBefore = odes.evaluations();
        layout.functionals(y, phiY);
        double t = 0;
        double lastGood = 0;
        int next = 0;
        while (next < times.length && times[next] <= 0) {
            LearningCurve.Termination end = output.functionals(times[next], phiY, lastGood);
            if (end != null) {
                return end;
            }
            next++;
        }
        double tEnd = times[times.length - 1];
        if (next == times.length) {
            return LearningCurve.Termination.completedAt(tEnd);
        }
        // the first derivative and the probe of the starting step
        if (control.exceedsBudget(0, 2)) {
            return budgetExhausted(0);
        }
        odes.derivatives(y, k[0]);
        if (odes.lastNonFinite() != null) {
            return LearningCurve.Termination.divergedAt(0, odes.lastNonFinite() + " at t = 0");
        }
        layout.functionals(k[0], phiK[0]);
        double h = control.firstStep(initialStep());
        while (next < times.length) {
            LearningCurve.Termination stopped = output.interruption(lastGood);
            if (stopped != null) {
                return stopped;
            }
            if (control.exceedsBudget(odes.evaluations() - evaluationsBefore, EVALUATIONS_PER_STEP)) {
                return budgetExhausted(t);
            }
            boolean last = false;
            if (h >= (tEnd - t) * (1 - 1e-12)) {
                h = tEnd - t;
                last = true;
            }
            String bad = null;
            for (int s = 1; s < 6 && bad == null; s++) {
                bad = stage(s, h);
            }
            double err = bad == null ? lastStageAndError(h) : Double.NaN;
            if (bad == null && Double.isNaN(err)) {
                bad = odes.lastNonFinite();
            }
            if (!(err <= 1.0)) {
                h *= control.stepFactor(err);
                if (control.tooShort(h, t)) {
                    String why = control.belowMinStep(h)
                            ? "step size " + h + " below minStep " + control.minStep() + (bad != null ? ", " + bad : "")
                            : bad != null ? bad : "step size underflow (h = " + h + ")";
                    return LearningCurve.Termination.divergedAt(t, why + " at t = " + t);
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
                LearningCurve.Termination end = output.functionals(times[next], phi, lastGood);
                if (end != null) {
                    return end;
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
            h = control.limit(h * control.stepFactor(err));

        }
        return LearningCurve.Termination.completedAt(tEnd);
    }

    private LearningCurve.Termination budgetExhausted(double t) {
        return new LearningCurve.Termination(false, t, "evaluation budget of " + control.maxEvaluations()
                + " right-hand sides exhausted at t = " + t);
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
                partial[r] += layout.partialFunctional(out[r], r, b, end);
            }
        }
        odes.derivativeOfV(out[rows]);
        finishFunctionals(out, phiK[s]);
        return null;
    }

    private void finishFunctionals(double[][] derivative, double[] phi) {
        for (int r = 0; r < rows; r++) {
            phi[r] = partial[r] * layout.functionalScale(r);
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
    private double lastStageAndError(double h) {
        double rtol = control.relativeTolerance();
        double atol = control.absoluteTolerance();
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
                partial[r] += layout.partialFunctional(out[r], r, b, end);
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
        return DensityLayout.sum(sq, b, end);
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
        double h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 1.0 / DormandPrince54Tableau.ORDER);
        double h = Math.min(100 * h0, h1);
        return Double.isFinite(h) && h > 0 ? h : 1e-6;
    }

    private double rmsNorm(double[][] x, double[][] scale) {
        double s = 0;
        for (int r = 0; r <= rows; r++) {
            for (int i = 0; i < x[r].length; i++) {
                double q = x[r][i] / (control.absoluteTolerance() + control.relativeTolerance() * Math.abs(scale[r][i]));
                s += q * q;
            }
        }
        return Math.sqrt(s / entries);
    }
}
