package org.gequiv.erm;

/**
 * Anderson acceleration (type II) of the damped fixed-point iteration x ← x + β(F(x) − x) on the
 * three order parameters (V, q, m). With the residual g = F(x) − x and the last k differences
 * ΔX, ΔG of iterates and residuals, the step is
 * {@code x + βg − (ΔX + βΔG)c} with {@code c = argmin ‖g − ΔG c‖} (a lightly regularised normal
 * equation). For a linear map this is GMRES-like; near a smooth fixed point it converges
 * superlinearly where plain damping is linear. The caller falls back to the damped step and
 * {@link #reset()}s when a proposal is unusable. Not thread-safe; allocation-free after construction.
 */
final class AndersonMixer {

    private static final int DIM = 3;
    private final int depth;
    private final double beta;
    private final double[][] dx;
    private final double[][] dg;
    private final double[] lastX = new double[DIM];
    private final double[] lastG = new double[DIM];
    private final double[] normal;
    private final double[] rhs;
    private int count;
    private int head;
    private boolean hasLast;

    AndersonMixer(int depth, double beta) {
        this.depth = depth;
        this.beta = beta;
        dx = new double[depth][DIM];
        dg = new double[depth][DIM];
        normal = new double[depth * depth];
        rhs = new double[depth];
    }

    void reset() {
        count = 0;
        head = 0;
        hasLast = false;
    }

    /**
     * Records (x, g) and writes the accelerated proposal into {@code out}.
     *
     * @param x current iterate (not modified)
     * @param g F(x) − x (not modified)
     */
    void propose(double[] x, double[] g, double[] out) {
        if (hasLast) {
            for (int i = 0; i < DIM; i++) {
                dx[head][i] = x[i] - lastX[i];
                dg[head][i] = g[i] - lastG[i];
            }
            head = (head + 1) % depth;
            count = Math.min(count + 1, depth);
        }
        System.arraycopy(x, 0, lastX, 0, DIM);
        System.arraycopy(g, 0, lastG, 0, DIM);
        hasLast = true;
        for (int i = 0; i < DIM; i++) {
            out[i] = x[i] + beta * g[i];
        }
        int k = count;
        if (k == 0) {
            return;
        }
        double trace = 0;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                for (int i = 0; i < DIM; i++) {
                    s += dg[a][i] * dg[b][i];
                }
                normal[a * k + b] = s;
            }
            trace += normal[a * k + a];
            double r = 0;
            for (int i = 0; i < DIM; i++) {
                r += dg[a][i] * g[i];
            }
            rhs[a] = r;
        }
        if (!(trace > 0)) {
            return;
        }
        // more history than dimensions makes the normal matrix singular; the ridge picks the
        // minimum-norm combination
        double ridge = 1e-10 * trace / k;
        for (int a = 0; a < k; a++) {
            normal[a * k + a] += ridge;
        }
        if (!solve(k)) {
            return;
        }
        for (int a = 0; a < k; a++) {
            double c = rhs[a];
            for (int i = 0; i < DIM; i++) {
                out[i] -= c * (dx[a][i] + beta * dg[a][i]);
            }
        }
    }

    /** Gaussian elimination with partial pivoting on normal (k × k), solution into rhs. */
    private boolean solve(int k) {
        for (int col = 0; col < k; col++) {
            int piv = col;
            for (int r = col + 1; r < k; r++) {
                if (Math.abs(normal[r * k + col]) > Math.abs(normal[piv * k + col])) {
                    piv = r;
                }
            }
            double p = normal[piv * k + col];
            if (p == 0 || !Double.isFinite(p)) {
                return false;
            }
            if (piv != col) {
                for (int c = 0; c < k; c++) {
                    double t = normal[col * k + c];
                    normal[col * k + c] = normal[piv * k + c];
                    normal[piv * k + c] = t;
                }
                double t = rhs[col];
                rhs[col] = rhs[piv];
                rhs[piv] = t;
            }
            for (int r = col + 1; r < k; r++) {
                double f = normal[r * k + col] / p;
                for (int c = col; c < k; c++) {
                    normal[r * k + c] -= f * normal[col * k + c];
                }
                rhs[r] -= f * rhs[col];
            }
        }
        for (int r = k - 1; r >= 0; r--) {
            double s = rhs[r];
            for (int c = r + 1; c < k; c++) {
                s -= normal[r * k + c] * rhs[c];
            }
            rhs[r] = s / normal[r * k + r];
        }
        for (int a = 0; a < k; a++) {
            if (!Double.isFinite(rhs[a])) {
                return false;
            }
        }
        return true;
    }
}
