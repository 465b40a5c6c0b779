package org.gequiv.spectral;

import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.online.OdeInitialState;

/**
 * Initial states of the density ODEs on quadrature nodes instead of eigen-directions (docs/theory.md
 * §5.12). The block X has the p = K + M rows w_1 … w_K (student first layer) and b_1 … b_M, with
 * b_m = Φθ_m for the teacher on the latent (θ̃_mτ = (Φθ_m)·e_τ, §5.7) and b_m = θ_m for the
 * teacher on the input (θ̂_mτ = θ_m·e_τ, §5.8). A node j of the block Gauss rule, with projection
 * y_j = (w̃_1 … w̃_K, b̃_1 … b̃_M), gets the densities of §5.7 built from y_j exactly as an
 * eigen-direction from its projections — q_kl = y_k y_l, r_km = y_k y_{K+m}, t̃_nm = y_{K+n}
 * y_{K+m} — and noise weight 0; a node of the plain measure gets zero densities and its weight.
 * Because every direction evolves by the same ODE, linear in its densities with coefficients that
 * depend only on ρ and the global Q, R, v, this reproduces Q(t), R(t), ε_g(t) to the accuracy of
 * the two quadratures.
 */
public final class SpectralInitialState {

    private SpectralInitialState() {
    }

    /**
     * The block X (p × N, rows w_1 … w_K then b_1 … b_M) whose projected spectral measure the ODEs
     * need.
     */
    public static double[] blockVectors(TeacherInput teacherInput, TwoLayerNetwork teacher, TwoLayerNetwork student,
                                        CovarianceOperator omega) {
        int n = omega.dimension();
        int k = student.hidden();
        int m = teacher.hidden();
        if (student.inputDim() != n) {
            throw new IllegalArgumentException("student input dimension must be N = " + n + ", got "
                    + student.inputDim());
        }
        int teacherDim = teacherInput == TeacherInput.LATENT ? omega.latentDimension() : n;
        if (teacher.inputDim() != teacherDim) {
            throw new IllegalArgumentException("teacher input dimension must be " + teacherDim + " (teacher on the "
                    + teacherInput.id() + "), got " + teacher.inputDim());
        }
        double[] x = new double[(k + m) * n];
        System.arraycopy(student.firstLayer(), 0, x, 0, k * n);
        if (teacherInput == TeacherInput.LATENT) {
            double[] b = new double[m * n];
            omega.applyPhi(m, teacher.firstLayer(), b);
            System.arraycopy(b, 0, x, k * n, m * n);
        } else {
            System.arraycopy(teacher.firstLayer(), 0, x, k * n, m * n);
        }
        return x;
    }

    /**
     * The initial state on the nodes of {@code rule} (projections, no constant term) followed by the
     * nodes of {@code plain} (no projections, the constant term with their weights).
     *
     * @param inputDim  N (δ = D/N); the weights of {@code plain} sum to N
     * @param latentDim D
     */
    public static OdeInitialState of(TeacherInput teacherInput, TwoLayerNetwork teacher, TwoLayerNetwork student,
                                     int inputDim, int latentDim, BlockGaussRule rule, PlainMeasure plain) {
        int k = student.hidden();
        int m = teacher.hidden();
        int p = k + m;
        if (rule.blockSize() != p) {
            throw new IllegalArgumentException("rule must be for the block of K + M = " + p + " vectors, got "
                    + rule.blockSize());
        }
        int s = rule.size();
        int nb = plain.size();
        int total = s + nb;
        double[] rho = new double[total];
        double[] noise = new double[total];
        System.arraycopy(rule.nodes(), 0, rho, 0, s);
        System.arraycopy(plain.nodes(), 0, rho, s, nb);
        System.arraycopy(plain.weights(), 0, noise, s, nb);
        double[] y = rule.projections();
        double[] q = new double[k * k * total];
        double[] r = new double[k * m * total];
        double[] tt = new double[m * m * total];
        for (int j = 0; j < s; j++) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    q[(a * k + b) * total + j] = y[j * p + a] * y[j * p + b];
                }
                for (int b = 0; b < m; b++) {
                    r[(a * m + b) * total + j] = y[j * p + a] * y[j * p + k + b];
                }
            }
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    tt[(a * m + b) * total + j] = y[j * p + k + a] * y[j * p + k + b];
                }
            }
        }
        double n = plain.mass();
        double[] t = new double[m * m];
        if (teacherInput == TeacherInput.LATENT) {
            t = teacher.firstLayerOverlap();
        } else {
            // T = ⟨ρ t⟩ = θΩθᵀ/N: a moment of degree 1, exact under the rule
            for (int i = 0; i < m * m; i++) {
                double acc = 0;
                for (int j = 0; j < s; j++) {
                    acc += rho[j] * tt[i * total + j];
                }
                t[i] = acc / n;
            }
        }
        double delta = latentDim / (double) inputDim;
        return new OdeInitialState(k, m, teacherInput, rho, q, r, tt, t, teacher.secondLayer().clone(),
                student.secondLayer().clone(), delta, noise);
    }
}
