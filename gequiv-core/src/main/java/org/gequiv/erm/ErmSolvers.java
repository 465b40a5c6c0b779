package org.gequiv.erm;

import java.util.random.RandomGenerator;

import org.gequiv.linalg.LinearAlgebra;

/**
 * Minimisers of the ERM objective {@code F(w) = Σ_μ ℓ(y_μ, z_μ) + (λ/2)‖w‖²},
 * z_μ = w·v_μ/√d (docs/theory.md §6.1), on a data matrix X (n × d, row-major, not modified):
 * the square loss in closed form (Cholesky of XᵀX/d + λI, or of XXᵀ/d + λI when n &lt; d), the
 * logistic loss by Newton's method with Armijo backtracking, the hinge loss by dual coordinate
 * descent. Each returns its convergence record; residuals are ‖∇F‖ relative to ‖Xᵀy‖/√d (for the
 * hinge, the relative duality gap). Stateless.
 */
final class ErmSolvers {

    /** Relative gradient norm at which Newton stops; quadratic convergence makes this cheap. */
    static final double NEWTON_TOLERANCE = 1e-10;
    /** Projected-gradient spread at which dual coordinate descent stops. */
    static final double DUAL_TOLERANCE = 1e-7;
    private static final int MAX_NEWTON = 200;
    /** Epoch limit of the hinge solver; a solve that hits it is reported as not converged. */
    private static final int MAX_EPOCHS = 20_000;

    private ErmSolvers() {
    }

    /** A trained weight vector and how the solver ended. */
    record Fit(double[] w, boolean converged, int iterations, double residual) {
    }

    static Fit square(int n, int d, double[] x, double[] y, double lambda) {
        LinearAlgebra la = LinearAlgebra.get();
        double invSqrtD = 1.0 / Math.sqrt(d);
        double[] w = new double[d];
        if (n >= d) {
            double[] a = new double[d * d];
            la.syrkTransposed(d, n, 1.0 / d, x, 0.0, a);
            for (int i = 0; i < d; i++) {
                a[i * d + i] += lambda;
            }
            transposeTimes(n, d, x, y, invSqrtD, w);
            la.solveSymmetricPositive(d, 1, a, w);
        } else {
            double[] k = new double[n * n];
            la.gemm(false, true, n, n, d, 1.0 / d, x, x, 0.0, k);
            for (int i = 0; i < n; i++) {
                k[i * n + i] += lambda;
            }
            double[] dual = y.clone();
            la.solveSymmetricPositive(n, 1, k, dual);
            transposeTimes(n, d, x, dual, invSqrtD, w);
        }
        double res = relativeGradient(n, d, x, y, w, lambda, ErmSolvers::squareDerivative);
        return new Fit(w, true, 1, res);
    }

    private static double squareDerivative(double y, double z) {
        return z - y;
    }

    static Fit logistic(int n, int d, double[] x, double[] y, double lambda) {
        LinearAlgebra la = LinearAlgebra.get();
        LogisticLoss loss = LogisticLoss.INSTANCE;
        double invSqrtD = 1.0 / Math.sqrt(d);
        double[] w = new double[d];
        double[] z = new double[n];
        double[] grad = new double[d];
        double[] step = new double[d];
        double[] trial = new double[d];
        double[] r = new double[n];
        double[] scaled = new double[n * d];
        double[] h = new double[d * d];
        double scale = gradientScale(n, d, x, y);
        double obj = objective(n, d, x, y, w, lambda, z, loss);
        int it = 0;
        double res = Double.POSITIVE_INFINITY;
        boolean converged = false;
        while (it < MAX_NEWTON) {
            // ∇F = Xᵀℓ'(z)/√d + λw at the current w (z is up to date)
            for (int i = 0; i < n; i++) {
                r[i] = loss.derivative(y[i], z[i]);
            }
            transposeTimes(n, d, x, r, invSqrtD, grad);
            for (int j = 0; j < d; j++) {
                grad[j] += lambda * w[j];
            }
            res = norm(grad) / scale;
            if (res <= NEWTON_TOLERANCE) {
                converged = true;
                break;
            }
            it++;
            // Hessian XᵀDX/d + λI through the rows scaled by √ℓ''
            for (int i = 0; i < n; i++) {
                double s = Math.sqrt(loss.secondDerivative(y[i], z[i]));
                int row = i * d;
                for (int j = 0; j < d; j++) {
                    scaled[row + j] = s * x[row + j];
                }
            }
            la.syrkTransposed(d, n, 1.0 / d, scaled, 0.0, h);
            for (int j = 0; j < d; j++) {
                h[j * d + j] += lambda;
                step[j] = -grad[j];
            }
            la.solveSymmetricPositive(d, 1, h, step);
            double slope = dot(grad, step);
            double t = 1.0;
            double trialObj;
            if (-slope <= 1e-13 * Math.abs(obj)) {
                // the predicted decrease is below the objective's round-off: the line search would
                // only see noise, while the full Newton step still converges quadratically
                for (int j = 0; j < d; j++) {
                    w[j] += step[j];
                }
                obj = objective(n, d, x, y, w, lambda, z, loss);
                continue;
            }
            while (true) {
                for (int j = 0; j < d; j++) {
                    trial[j] = w[j] + t * step[j];
                }
                trialObj = objective(n, d, x, y, trial, lambda, z, loss);
                if (trialObj <= obj + 1e-4 * t * slope || t < 1e-12) {
                    break;
                }
                t *= 0.5;
            }
            System.arraycopy(trial, 0, w, 0, d);
            if (!(trialObj < obj) && t < 1e-12) {
                // no further decrease is representable: the gradient is at round-off level
                break;
            }
            obj = trialObj;
        }
        return new Fit(w, converged, it, res);
    }

    /**
     * Hinge loss by dual coordinate descent: with C = 1/λ and x̃ = v/√d, maximise
     * Σ a_μ − ½‖Σ a_μ y_μ x̃_μ‖² over 0 ≤ a ≤ C; w = Σ a_μ y_μ x̃_μ. Stops when the spread of the
     * projected gradient over an epoch is at most {@link #DUAL_TOLERANCE}.
     */
    static Fit hinge(int n, int d, double[] x, double[] y, double lambda, RandomGenerator rng) {
        double c = 1.0 / lambda;
        double invSqrtD = 1.0 / Math.sqrt(d);
        double[] w = new double[d];
        double[] a = new double[n];
        double[] qdiag = new double[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int row = i * d;
            for (int j = 0; j < d; j++) {
                s += x[row + j] * x[row + j];
            }
            qdiag[i] = s / d;
            order[i] = i;
        }
        int epoch = 0;
        boolean converged = false;
        while (epoch < MAX_EPOCHS) {
            epoch++;
            for (int i = n - 1; i > 0; i--) {
                int k = rng.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[k];
                order[k] = tmp;
            }
            double pgMax = Double.NEGATIVE_INFINITY;
            double pgMin = Double.POSITIVE_INFINITY;
            for (int idx = 0; idx < n; idx++) {
                int i = order[idx];
                if (qdiag[i] == 0) {
                    continue;
                }
                int row = i * d;
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += w[j] * x[row + j];
                }
                double g = y[i] * s * invSqrtD - 1.0;
                double pg = g;
                if (a[i] == 0) {
                    pg = Math.min(g, 0.0);
                } else if (a[i] == c) {
                    pg = Math.max(g, 0.0);
                }
                pgMax = Math.max(pgMax, pg);
                pgMin = Math.min(pgMin, pg);
                if (pg != 0) {
                    double old = a[i];
                    a[i] = Math.min(Math.max(old - g / qdiag[i], 0.0), c);
                    double delta = (a[i] - old) * y[i] * invSqrtD;
                    if (delta != 0) {
                        for (int j = 0; j < d; j++) {
                            w[j] += delta * x[row + j];
                        }
                    }
                }
            }
            if (pgMax - pgMin <= DUAL_TOLERANCE) {
                converged = true;
                break;
            }
        }
        // duality gap of the C-scaled problem ½‖w‖² + CΣ hinge against Σa − ½‖w‖², relative to the primal
        double ww = dot(w, w);
        double hingeSum = 0;
        double aSum = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            int row = i * d;
            for (int j = 0; j < d; j++) {
                s += w[j] * x[row + j];
            }
            hingeSum += Math.max(0.0, 1.0 - y[i] * s * invSqrtD);
            aSum += a[i];
        }
        double primal = 0.5 * ww + c * hingeSum;
        double dual = aSum - 0.5 * ww;
        double gap = (primal - dual) / Math.max(1.0, Math.abs(primal));
        return new Fit(w, converged, epoch, gap);
    }

    /**
     * Predictions z = Xw/√d into {@code z}. Matrix–vector products stay in Java: the JIT vectorises
     * them, while a native call would first copy all of X across JNI.
     */
    static void predict(int n, int d, double[] x, double[] w, double[] z) {
        double scale = 1.0 / Math.sqrt(d);
        for (int i = 0; i < n; i++) {
            int row = i * d;
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[row + j] * w[j];
            }
            z[i] = s * scale;
        }
    }

    /** {@code g = scale·Xᵀr} (d entries). */
    static void transposeTimes(int n, int d, double[] x, double[] r, double scale, double[] g) {
        java.util.Arrays.fill(g, 0, d, 0.0);
        for (int i = 0; i < n; i++) {
            double ri = r[i] * scale;
            if (ri == 0) {
                continue;
            }
            int row = i * d;
            for (int j = 0; j < d; j++) {
                g[j] += ri * x[row + j];
            }
        }
    }

    private static double objective(int n, int d, double[] x, double[] y, double[] w, double lambda, double[] z,
                                    ConvexLoss loss) {
        predict(n, d, x, w, z);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += loss.value(y[i], z[i]);
        }
        return s + 0.5 * lambda * dot(w, w);
    }

    private interface LossDerivative {
        double at(double y, double z);
    }

    private static double relativeGradient(int n, int d, double[] x, double[] y, double[] w, double lambda,
                                           LossDerivative derivative) {
        double[] z = new double[n];
        predict(n, d, x, w, z);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = derivative.at(y[i], z[i]);
        }
        double[] g = new double[d];
        transposeTimes(n, d, x, r, 1.0 / Math.sqrt(d), g);
        for (int j = 0; j < d; j++) {
            g[j] += lambda * w[j];
        }
        return norm(g) / gradientScale(n, d, x, y);
    }

    /** max(1, ‖Xᵀy‖/√d): the size of the gradient at w = 0 for a unit-slope loss. */
    private static double gradientScale(int n, int d, double[] x, double[] y) {
        double[] g = new double[d];
        transposeTimes(n, d, x, y, 1.0 / Math.sqrt(d), g);
        return Math.max(1.0, norm(g));
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
