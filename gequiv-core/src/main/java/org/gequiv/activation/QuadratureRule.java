package org.gequiv.activation;

import java.util.Arrays;

/**
 * Expectations of products of g(u_i), g'(u_i) and u_i over a zero-mean Gaussian vector u with a
 * given covariance, by tensor Gauss–Hermite quadrature (docs/theory.md §4, for activations without a
 * closed form).
 *
 * <p>Only the <em>distinct</em> fields enter: I3(k,k,k) is integrated in one dimension, I4(k,l,k,n)
 * in three. The sub-covariance S of the distinct fields is written S = L Lᵀ and u = L z with
 * z ~ N(0, I) on the product grid. L is the Cholesky factor when S is safely positive definite;
 * when a pivot is not (two fields identical or nearly so, a field of zero variance), L = U Λ^{1/2}
 * from a Jacobi eigendecomposition, negative round-off eigenvalues set to zero, which is valid for
 * any positive-semidefinite S. Holds scratch space: not thread-safe.
 */
final class QuadratureRule {

    static final int VALUE = 0;
    static final int DERIVATIVE = 1;
    static final int IDENTITY = 2;

    /**
     * Nodes per dimension for 1, 2, 3, 4 distinct fields: ≈ 1e-4 absolute error or better for ReLU
     * (kinks limit the convergence), near machine precision for erf and tanh in 1–2 dimensions, and
     * a 4-d grid of 14⁴ ≈ 3.8·10⁴ points.
     */
    static final int[] DEFAULT_NODES = {128, 64, 28, 14};

    /** Half-width of the split rule: the normal tail beyond 9 is ~1e-19. */
    private static final double SPLIT_RANGE = 9.0;

    /** A pivot below this fraction of the largest variance switches Cholesky to eigen. */
    private static final double PIVOT_TOLERANCE = 1e-10;

    private final int[] nodeCounts;
    private final double[][] nodes = new double[4][];
    private final double[][] weights = new double[4][];
    private final double[][] splitNodes = new double[4][];
    private final double[][] splitWeights = new double[4][];
    private final double[][] legendreNodes = new double[4][];
    private final double[][] legendreWeights = new double[4][];
    private final double[][] shiftedNodes = new double[4][];
    private final double[][] shiftedWeights = new double[4][];
    private final double[][] axisNodes = new double[4][];
    private final double[][] axisWeights = new double[4][];

    private final int[] distinct = new int[4];
    private final int[] slot = new int[4];
    private final double[] s = new double[16];
    private final double[] l = new double[16];
    private final double[] vectors = new double[16];
    private final double[] u = new double[4];
    private final int[] counter = new int[4];

    QuadratureRule(int[] nodesPerDimension) {
        if (nodesPerDimension == null || nodesPerDimension.length != 4) {
            throw new IllegalArgumentException("quadrature nodes must give 4 counts (1-4 dimensions), got "
                    + Arrays.toString(nodesPerDimension));
        }
        for (int d = 0; d < 4; d++) {
            if (nodesPerDimension[d] < 1) {
                throw new IllegalArgumentException("quadrature nodes must be >= 1, got "
                        + Arrays.toString(nodesPerDimension));
            }
            double[][] gh = GolubWelsch.hermite(nodesPerDimension[d]);
            nodes[d] = gh[0];
            weights[d] = gh[1];
            // Gauss–Legendre on [−X, 0] and [0, X] against the normal density: smooth on each side
            // of a kink or jump at 0, which a Gauss–Hermite rule straddles
            int half = nodesPerDimension[d];
            double[][] gl = GolubWelsch.legendre(half);
            legendreNodes[d] = gl[0];
            legendreWeights[d] = gl[1];
            shiftedNodes[d] = new double[2 * half];
            shiftedWeights[d] = new double[2 * half];
            splitNodes[d] = new double[2 * half];
            splitWeights[d] = new double[2 * half];
            for (int i = 0; i < half; i++) {
                // map [−1, 1] → [0, X]
                double z = 0.5 * SPLIT_RANGE * (gl[0][i] + 1);
                double w = 0.5 * SPLIT_RANGE * gl[1][i] * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
                splitNodes[d][i] = -z;
                splitWeights[d][i] = w;
                splitNodes[d][half + i] = z;
                splitWeights[d][half + i] = w;
            }
        }
        this.nodeCounts = nodesPerDimension.clone();
    }

    int[] nodes() {
        return nodeCounts.clone();
    }

    /**
     * E Π_f h_f(u_{index[f]}) where h_f is g_f (VALUE), g_f' (DERIVATIVE) or the identity.
     *
     * @param cov      full covariance, {@code dim × dim}, not modified
     * @param factors  number of factors (≤ 4)
     * @param index    field index of each factor
     * @param kind     VALUE, DERIVATIVE or IDENTITY per factor
     */
    double expectation(double[] cov, int dim, int factors, int[] index, int[] kind,
                       Activation g0, Activation g1, Activation g2, Activation g3) {
        int d = 0;
        for (int f = 0; f < factors; f++) {
            int found = -1;
            for (int i = 0; i < d; i++) {
                if (distinct[i] == index[f]) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                distinct[d] = index[f];
                found = d++;
            }
            slot[f] = found;
        }
        // put a field with a non-smooth factor first: with the Cholesky factor u_0 = L_00 z_0, so
        // its kink at u = 0 is the plane z_0 = 0, where the split rule has its break
        int rough = -1;
        for (int f = 0; f < factors && rough < 0; f++) {
            Activation g = f == 0 ? g0 : (f == 1 ? g1 : (f == 2 ? g2 : g3));
            if (kind[f] != IDENTITY && !isSmooth(g)) {
                rough = slot[f];
            }
        }
        if (rough > 0) {
            swapFields(0, rough, factors);
        }
        // a second non-smooth field goes second: u_1 = L_10 z_0 + L_11 z_1 has its kink at
        // z_1 = −L_10 z_0 / L_11, where the inner rule is split anew for every z_0
        int rough2 = -1;
        if (rough >= 0) {
            for (int f = 0; f < factors && rough2 < 0; f++) {
                Activation g = f == 0 ? g0 : (f == 1 ? g1 : (f == 2 ? g2 : g3));
                if (kind[f] != IDENTITY && !isSmooth(g) && slot[f] != 0) {
                    rough2 = slot[f];
                }
            }
            if (rough2 > 1) {
                swapFields(1, rough2, factors);
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                s[i * d + j] = cov[distinct[i] * dim + distinct[j]];
            }
        }
        boolean triangular = factorise(d);
        for (int j = 0; j < d; j++) {
            boolean split = j == 0 && rough >= 0 && triangular;
            axisNodes[j] = split ? splitNodes[d - 1] : nodes[d - 1];
            axisWeights[j] = split ? splitWeights[d - 1] : weights[d - 1];
        }
        boolean innerSplit = rough2 >= 0 && triangular && d > 1;
        if (innerSplit) {
            shiftSplit(d, axisNodes[0][0]);
            axisNodes[1] = shiftedNodes[d - 1];
            axisWeights[1] = shiftedWeights[d - 1];
        }
        Arrays.fill(counter, 0, d, 0);
        double total = 0;
        while (true) {
            double weight = 1;
            for (int j = 0; j < d; j++) {
                weight *= axisWeights[j][counter[j]];
            }
            for (int i = 0; i < d; i++) {
                double acc = 0;
                for (int j = 0; j < d; j++) {
                    acc += l[i * d + j] * axisNodes[j][counter[j]];
                }
                u[i] = acc;
            }
            double product = factor(g0, kind[0], u[slot[0]]);
            if (factors > 1) {
                product *= factor(g1, kind[1], u[slot[1]]);
            }
            if (factors > 2) {
                product *= factor(g2, kind[2], u[slot[2]]);
            }
            if (factors > 3) {
                product *= factor(g3, kind[3], u[slot[3]]);
            }
            total += weight * product;
            int j = d - 1;
            while (j >= 0 && ++counter[j] == axisNodes[j].length) {
                counter[j] = 0;
                j--;
            }
            if (j < 0) {
                break;
            }
            if (j == 0 && innerSplit) {
                shiftSplit(d, axisNodes[0][counter[0]]);
            }
        }
        return total;
    }

    private void swapFields(int p, int q, int factors) {
        int swap = distinct[p];
        distinct[p] = distinct[q];
        distinct[q] = swap;
        for (int f = 0; f < factors; f++) {
            slot[f] = slot[f] == p ? q : (slot[f] == q ? p : slot[f]);
        }
    }

    /**
     * Gauss–Legendre on [−X, c] and [c, X] against the normal density, c = −L_10 z_0 / L_11 the
     * kink of the second field, into the shifted-rule scratch (the side that is empty when |c| ≥ X
     * gets zero weights).
     */
    private void shiftSplit(int d, double z0) {
        double c = -l[d] * z0 / l[d + 1];
        c = Math.max(-SPLIT_RANGE, Math.min(SPLIT_RANGE, c));
        double[] x = legendreNodes[d - 1];
        double[] w = legendreWeights[d - 1];
        double[] xs = shiftedNodes[d - 1];
        double[] ws = shiftedWeights[d - 1];
        int half = x.length;
        double midL = 0.5 * (c - SPLIT_RANGE);
        double radL = 0.5 * (c + SPLIT_RANGE);
        double midR = 0.5 * (c + SPLIT_RANGE);
        double radR = 0.5 * (SPLIT_RANGE - c);
        double norm = 1 / Math.sqrt(2 * Math.PI);
        for (int i = 0; i < half; i++) {
            double zl = midL + radL * x[i];
            xs[i] = zl;
            ws[i] = radL * w[i] * Math.exp(-0.5 * zl * zl) * norm;
            double zr = midR + radR * x[i];
            xs[half + i] = zr;
            ws[half + i] = radR * w[i] * Math.exp(-0.5 * zr * zr) * norm;
        }
    }

    /** Activations known to be smooth (analytic); anything else may have a kink or jump at 0. */
    static boolean isSmooth(Activation g) {
        return g == StandardActivation.ERF || g == StandardActivation.LINEAR || g == StandardActivation.TANH;
    }

    private static double factor(Activation g, int kind, double z) {
        switch (kind) {
            case VALUE:
                return g.value(z);
            case DERIVATIVE:
                return g.derivative(z);
            default:
                return z;
        }
    }

    /**
     * Fills {@code l} (d × d) with a square root of {@code s}: S = L Lᵀ. Returns whether it is the
     * lower-triangular Cholesky factor (rather than the eigen root).
     */
    private boolean factorise(int d) {
        double scale = 0;
        for (int i = 0; i < d; i++) {
            scale = Math.max(scale, Math.abs(s[i * d + i]));
        }
        Arrays.fill(l, 0, d * d, 0.0);
        if (!(scale > 0)) {
            // all variances zero (or NaN): u ≡ 0, or NaN propagates through l
            if (Double.isNaN(scale)) {
                Arrays.fill(l, 0, d * d, Double.NaN);
            }
            return false;
        }
        if (cholesky(d, scale * PIVOT_TOLERANCE)) {
            return true;
        }
        jacobiRoot(d);
        return false;
    }

    private boolean cholesky(int d, double minPivot) {
        for (int j = 0; j < d; j++) {
            double diag = s[j * d + j];
            for (int p = 0; p < j; p++) {
                diag -= l[j * d + p] * l[j * d + p];
            }
            if (!(diag > minPivot)) {
                return false;
            }
            double root = Math.sqrt(diag);
            l[j * d + j] = root;
            for (int i = j + 1; i < d; i++) {
                double acc = s[i * d + j];
                for (int p = 0; p < j; p++) {
                    acc -= l[i * d + p] * l[j * d + p];
                }
                l[i * d + j] = acc / root;
            }
        }
        return true;
    }

    /** L = U diag(√max(λ, 0)) from cyclic Jacobi rotations on a copy of S. */
    private void jacobiRoot(int d) {
        double[] a = l; // reuse l as the working matrix, overwritten with the root at the end
        System.arraycopy(s, 0, a, 0, d * d);
        Arrays.fill(vectors, 0, d * d, 0.0);
        for (int i = 0; i < d; i++) {
            vectors[i * d + i] = 1.0;
        }
        for (int sweep = 0; sweep < 64; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < d; i++) {
                diag += a[i * d + i] * a[i * d + i];
                for (int j = i + 1; j < d; j++) {
                    off += a[i * d + j] * a[i * d + j];
                }
            }
            if (off <= 1e-32 * diag) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    double apq = a[p * d + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int r = 0; r < d; r++) {
                        double arp = a[r * d + p];
                        double arq = a[r * d + q];
                        a[r * d + p] = c * arp - sn * arq;
                        a[r * d + q] = sn * arp + c * arq;
                    }
                    for (int r = 0; r < d; r++) {
                        double apr = a[p * d + r];
                        double aqr = a[q * d + r];
                        a[p * d + r] = c * apr - sn * aqr;
                        a[q * d + r] = sn * apr + c * aqr;
                    }
                    for (int r = 0; r < d; r++) {
                        double vrp = vectors[r * d + p];
                        double vrq = vectors[r * d + q];
                        vectors[r * d + p] = c * vrp - sn * vrq;
                        vectors[r * d + q] = sn * vrp + c * vrq;
                    }
                }
            }
        }
        double e0 = a[0];
        double e1 = d > 1 ? a[d + 1] : 0;
        double e2 = d > 2 ? a[2 * d + 2] : 0;
        double e3 = d > 3 ? a[3 * d + 3] : 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double ej = j == 0 ? e0 : (j == 1 ? e1 : (j == 2 ? e2 : e3));
                l[i * d + j] = vectors[i * d + j] * Math.sqrt(Math.max(ej, 0.0));
            }
        }
    }
}
