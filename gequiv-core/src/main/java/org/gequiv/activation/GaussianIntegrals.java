package org.gequiv.activation;

/**
 * The Gaussian integrals of Saad and Solla (docs/theory.md §4) over the local fields
 * u = (λ_1..λ_K, ν_1..ν_M) ~ N(0, C), and the generalisation error ε_g(Q, R, T, v, A) (§3.2).
 *
 * <p>Indices {@code 0..K−1} are student fields, which go through the student activation g_s;
 * indices {@code K..K+M−1} are teacher fields (teacher n at index K+n), which go through the
 * teacher activation g_t. The activation of each factor follows its index:
 * <pre>
 *   I2(a,b)     = E[ g(u_a) g(u_b) ]
 *   I3(a,b,c)   = E[ g'(u_a) u_b g(u_c) ]
 *   I4(a,b,c,d) = E[ g'(u_a) g'(u_b) g(u_c) g(u_d) ]
 * </pre>
 * so that, for example, I3(k,k,n) = E[g_s'(λ_k) λ_k g_t(ν_n)] when student and teacher differ.
 * Indices may repeat (I3(k,k,k) is a one-dimensional integral).
 *
 * <p>The covariance {@code cov} is the full (K+M) × (K+M) matrix C = [[Q, R], [Rᵀ, T]], row-major
 * and not modified. Evaluation allocates nothing. Instances may hold scratch space and are
 * <b>not thread-safe</b>: create one per thread.
 *
 * <p>{@link #create} uses closed forms where they exist (erf g(z) = erf(z/√2) and linear for all
 * of §4; ReLU and sign for I2) and tensor Gauss–Hermite quadrature otherwise;
 * {@link #byQuadrature} always integrates numerically (used to cross-check the closed forms).
 */
public interface GaussianIntegrals {

    /** K, the number of student fields. */
    int studentHidden();

    /** M, the number of teacher fields. */
    int teacherHidden();

    /** g of the student (fields 0..K−1). */
    Activation studentActivation();

    /** g of the teacher (fields K..K+M−1). */
    Activation teacherActivation();

    /** I2(a,b) = E[g(u_a) g(u_b)]. */
    double i2(double[] cov, int a, int b);

    /** I3(a,b,c) = E[g'(u_a) u_b g(u_c)]. */
    double i3(double[] cov, int a, int b, int c);

    /** I4(a,b,c,d) = E[g'(u_a) g'(u_b) g(u_c) g(u_d)]. */
    double i4(double[] cov, int a, int b, int c, int d);

    /**
     * ε_g = ½ E(φ − y)² = ½ [Σ_kl v_k v_l I2(k,l) + Σ_nm A_n A_m I2(K+n,K+m) − 2 Σ_kn v_k A_n I2(k,K+n)]
     * (docs/theory.md §3.2), from the full covariance C.
     *
     * @param cov (K+M) × (K+M) covariance, not modified
     * @param v   student second layer (K), not modified
     * @param a   teacher second layer (M), not modified
     */
    default double generalisationError(double[] cov, double[] v, double[] a) {
        int k = studentHidden();
        int m = teacherHidden();
        double s = 0;
        for (int i = 0; i < k; i++) {
            s += v[i] * v[i] * i2(cov, i, i);
            for (int j = i + 1; j < k; j++) {
                s += 2 * v[i] * v[j] * i2(cov, i, j);
            }
        }
        for (int n = 0; n < m; n++) {
            s += a[n] * a[n] * i2(cov, k + n, k + n);
            for (int p = n + 1; p < m; p++) {
                s += 2 * a[n] * a[p] * i2(cov, k + n, k + p);
            }
        }
        for (int i = 0; i < k; i++) {
            for (int n = 0; n < m; n++) {
                s -= 2 * v[i] * a[n] * i2(cov, i, k + n);
            }
        }
        return 0.5 * s;
    }

    /**
     * ε_g(Q, R, T, v, A) from the order parameters (docs/theory.md §3.2). Allocates the covariance;
     * meant for outputs, not for hot loops.
     *
     * @param q Q, K × K row-major
     * @param r R, K × M row-major
     * @param t T, M × M row-major
     */
    default double generalisationError(double[] q, double[] r, double[] t, double[] v, double[] a) {
        return generalisationError(covariance(studentHidden(), teacherHidden(), q, r, t, null), v, a);
    }

    /**
     * Assembles C = [[Q, R], [Rᵀ, T]] into {@code out} ((K+M)², allocated when null) and returns it.
     */
    static double[] covariance(int k, int m, double[] q, double[] r, double[] t, double[] out) {
        int d = k + m;
        double[] c = out == null ? new double[d * d] : out;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                c[i * d + j] = q[i * k + j];
            }
            for (int n = 0; n < m; n++) {
                c[i * d + k + n] = r[i * m + n];
                c[(k + n) * d + i] = r[i * m + n];
            }
        }
        for (int n = 0; n < m; n++) {
            for (int p = 0; p < m; p++) {
                c[(k + n) * d + k + p] = t[n * m + p];
            }
        }
        return c;
    }

    /**
     * Integrals for a (student, teacher) activation pair with K student and M teacher fields: closed
     * forms where available, quadrature with the default node counts otherwise.
     */
    static GaussianIntegrals create(Activation student, Activation teacher, int k, int m) {
        return new FieldIntegrals(student, teacher, k, m, false, QuadratureRule.DEFAULT_NODES);
    }

    /**
     * As {@link #create(Activation, Activation, int, int)}, with the quadrature node counts used
     * where no closed form exists (4 entries: integrals over 1, 2, 3 and 4 distinct fields).
     */
    static GaussianIntegrals create(Activation student, Activation teacher, int k, int m, int[] nodes) {
        return new FieldIntegrals(student, teacher, k, m, false, nodes == null ? QuadratureRule.DEFAULT_NODES : nodes);
    }

    /**
     * Integrals computed by tensor Gauss–Hermite quadrature only.
     *
     * @param nodes nodes per dimension for integrals over 1, 2, 3 and 4 distinct fields (4 entries,
     *              each ≥ 1)
     */
    static GaussianIntegrals byQuadrature(Activation student, Activation teacher, int k, int m, int[] nodes) {
        return new FieldIntegrals(student, teacher, k, m, true, nodes);
    }
}
