package org.gequiv.activation;

import java.util.Arrays;

/**
 * {@link GaussianIntegrals} with closed forms for erf and linear activations (docs/theory.md §4), ReLU
 * and sign kernels for I2 (§3.2), and {@link QuadratureRule tensor Gauss–Hermite quadrature} for
 * every other combination, including mixed student/teacher activations. Not thread-safe (scratch).
 */
final class FieldIntegrals implements GaussianIntegrals {

    private static final double TWO_OVER_PI = 2.0 / Math.PI;
    private static final double FOUR_OVER_PI2 = 4.0 / (Math.PI * Math.PI);

    private final Activation student;
    private final Activation teacher;
    private final int k;
    private final int m;
    private final int dim;
    private final boolean quadratureOnly;
    private final int[] nodes;
    private QuadratureRule quadrature;
    private final int[] factorIndex = new int[4];
    private final int[] factorKind = new int[4];

    FieldIntegrals(Activation student, Activation teacher, int k, int m, boolean quadratureOnly, int[] nodes) {
        if (student == null || teacher == null) {
            throw new IllegalArgumentException("activations must be given, got " + student + " and " + teacher);
        }
        if (k < 1 || m < 1) {
            throw new IllegalArgumentException("K and M must be >= 1, got K = " + k + ", M = " + m);
        }
        this.student = student;
        this.teacher = teacher;
        this.k = k;
        this.m = m;
        this.dim = k + m;
        this.quadratureOnly = quadratureOnly;
        if (nodes == null || nodes.length != 4 || Arrays.stream(nodes).anyMatch(x -> x < 1)) {
            throw new IllegalArgumentException("quadrature nodes must give 4 counts >= 1 (1-4 dimensions), got "
                    + Arrays.toString(nodes));
        }
        this.nodes = nodes.clone();
    }

    @Override
    public int studentHidden() {
        return k;
    }

    @Override
    public int teacherHidden() {
        return m;
    }

    @Override
    public Activation studentActivation() {
        return student;
    }

    @Override
    public Activation teacherActivation() {
        return teacher;
    }

    private Activation act(int index) {
        return index < k ? student : teacher;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= dim) {
            throw new IndexOutOfBoundsException("field index must be in [0, " + dim + "), got " + index);
        }
    }

    @Override
    public double i2(double[] c, int a, int b) {
        checkIndex(a);
        checkIndex(b);
        double caa = c[a * dim + a];
        double cbb = c[b * dim + b];
        double cab = c[a * dim + b];
        if (!quadratureOnly) {
            Activation ga = act(a);
            Activation gb = act(b);
            if (ga == StandardActivation.ERF && gb == StandardActivation.ERF) {
                return erfI2(caa, cbb, cab);
            }
            if (ga == StandardActivation.LINEAR && gb == StandardActivation.LINEAR) {
                return cab;
            }
            if (ga == StandardActivation.RELU && gb == StandardActivation.RELU) {
                return reluI2(caa, cbb, cab);
            }
            if (ga == StandardActivation.SIGN && gb == StandardActivation.SIGN) {
                double s = Math.sqrt(caa * cbb);
                return s > 0 ? TWO_OVER_PI * Arcsine.asin(clamp(cab / s)) : 0.0;
            }
            if (ga == StandardActivation.ERF && gb == StandardActivation.LINEAR) {
                // Stein: E[g(u_a) u_b] = C_ab E g'(u_a) = C_ab √(2/π) / √(1 + C_aa)
                return cab * Math.sqrt(TWO_OVER_PI / (1 + caa));
            }
            if (ga == StandardActivation.LINEAR && gb == StandardActivation.ERF) {
                return cab * Math.sqrt(TWO_OVER_PI / (1 + cbb));
            }
        }
        factorIndex[0] = a;
        factorKind[0] = QuadratureRule.VALUE;
        factorIndex[1] = b;
        factorKind[1] = QuadratureRule.VALUE;
        return quadrature().expectation(c, dim, 2, factorIndex, factorKind, act(a), act(b), null, null);
    }

    @Override
    public double i3(double[] c, int a, int b, int d) {
        checkIndex(a);
        checkIndex(b);
        checkIndex(d);
        if (!quadratureOnly) {
            Activation ga = act(a);
            Activation gd = act(d);
            if (ga == StandardActivation.ERF && gd == StandardActivation.ERF) {
                return erfI3(c[a * dim + a], c[a * dim + b], c[a * dim + d], c[b * dim + d], c[d * dim + d]);
            }
            if (ga == StandardActivation.LINEAR && gd == StandardActivation.LINEAR) {
                return c[b * dim + d];
            }
        }
        factorIndex[0] = a;
        factorKind[0] = QuadratureRule.DERIVATIVE;
        factorIndex[1] = b;
        factorKind[1] = QuadratureRule.IDENTITY;
        factorIndex[2] = d;
        factorKind[2] = QuadratureRule.VALUE;
        return quadrature().expectation(c, dim, 3, factorIndex, factorKind, act(a), null, act(d), null);
    }

    @Override
    public double i4(double[] c, int a, int b, int e, int f) {
        checkIndex(a);
        checkIndex(b);
        checkIndex(e);
        checkIndex(f);
        if (!quadratureOnly) {
            Activation ga = act(a);
            Activation gb = act(b);
            Activation ge = act(e);
            Activation gf = act(f);
            if (ga == StandardActivation.ERF && gb == StandardActivation.ERF
                    && ge == StandardActivation.ERF && gf == StandardActivation.ERF) {
                return erfI4(c[a * dim + a], c[a * dim + b], c[a * dim + e], c[a * dim + f],
                        c[b * dim + b], c[b * dim + e], c[b * dim + f],
                        c[e * dim + e], c[e * dim + f], c[f * dim + f]);
            }
            if (ga == StandardActivation.LINEAR && gb == StandardActivation.LINEAR
                    && ge == StandardActivation.LINEAR && gf == StandardActivation.LINEAR) {
                return c[e * dim + f];
            }
        }
        factorIndex[0] = a;
        factorKind[0] = QuadratureRule.DERIVATIVE;
        factorIndex[1] = b;
        factorKind[1] = QuadratureRule.DERIVATIVE;
        factorIndex[2] = e;
        factorKind[2] = QuadratureRule.VALUE;
        factorIndex[3] = f;
        factorKind[3] = QuadratureRule.VALUE;
        return quadrature().expectation(c, dim, 4, factorIndex, factorKind, act(a), act(b), act(e), act(f));
    }

    /** (2/π) arcsin(C12 / √((1+C11)(1+C22))), docs/theory.md §4. */
    static double erfI2(double c11, double c22, double c12) {
        return TWO_OVER_PI * Arcsine.asin(clamp(c12 / Math.sqrt((1 + c11) * (1 + c22))));
    }

    /** docs/theory.md §4: (2/π) Λ3^{-1/2} (C23(1+C11) − C12 C13)/(1+C11). */
    static double erfI3(double c11, double c12, double c13, double c23, double c33) {
        double lambda3 = (1 + c11) * (1 + c33) - c13 * c13;
        return TWO_OVER_PI / Math.sqrt(lambda3) * (c23 * (1 + c11) - c12 * c13) / (1 + c11);
    }

    /** docs/theory.md §4: (4/π²) Λ4^{-1/2} arcsin(Λ0/√(Λ1 Λ2)). */
    static double erfI4(double c11, double c12, double c13, double c14, double c22, double c23, double c24,
                        double c33, double c34, double c44) {
        double lambda4 = (1 + c11) * (1 + c22) - c12 * c12;
        double lambda0 = lambda4 * c34 - c23 * c24 * (1 + c11) - c13 * c14 * (1 + c22)
                + c12 * c13 * c24 + c12 * c14 * c23;
        double lambda1 = lambda4 * (1 + c33) - c23 * c23 * (1 + c11) - c13 * c13 * (1 + c22) + 2 * c12 * c13 * c23;
        double lambda2 = lambda4 * (1 + c44) - c24 * c24 * (1 + c11) - c14 * c14 * (1 + c22) + 2 * c12 * c14 * c24;
        return FOUR_OVER_PI2 / Math.sqrt(lambda4) * Arcsine.asin(clamp(lambda0 / Math.sqrt(lambda1 * lambda2)));
    }

    /** E[relu(u) relu(u')] (docs/theory.md §3.2). */
    static double reluI2(double c11, double c22, double c12) {
        double s = Math.sqrt(c11 * c22);
        if (!(s > 0)) {
            return 0.0;
        }
        double cos = clamp(c12 / s);
        double det = Math.max(c11 * c22 - c12 * c12, 0.0);
        return (Math.sqrt(det) + c12 * (Math.PI - Math.acos(cos))) / (2 * Math.PI);
    }

    /**
     * Rounding can push a correlation a few ulps beyond ±1 for (near-)identical fields, where
     * arcsin would return NaN; a NaN argument stays NaN so that divergence remains visible.
     */
    private static double clamp(double x) {
        return x > 1 ? 1 : (x < -1 ? -1 : x);
    }

    /** Built on first use: closed-form pairs never pay for the node tables. */
    private QuadratureRule quadrature() {
        if (quadrature == null) {
            quadrature = new QuadratureRule(nodes);
        }
        return quadrature;
    }

    @Override
    public String toString() {
        return "GaussianIntegrals[" + student.id() + "/" + teacher.id() + ", K=" + k + ", M=" + m
                + (quadratureOnly ? ", quadrature " + Arrays.toString(nodes) : "") + "]";
    }
}
