package org.gequiv.erm;

import java.util.concurrent.ConcurrentHashMap;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.SymmetricEigen;

/**
 * Gauss–Hermite nodes and weights for ξ ~ N(0, 1) by the Golub–Welsch method: the nodes are the
 * eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials (zero diagonal,
 * off-diagonal √k), the weights the squared first components of its eigenvectors. This takes
 * milliseconds at a few hundred nodes, where building the rule by polynomial root finding
 * (org.gequiv.activation.GaussHermite through Hipparchus) takes seconds. Weights sum to one; the tiny
 * tail weights have poor relative accuracy, which does not matter for expectations. Cached per
 * order; immutable and thread-safe.
 */
final class HermiteRule {

    private static final ConcurrentHashMap<Integer, HermiteRule> CACHE = new ConcurrentHashMap<>();

    final double[] nodes;
    final double[] weights;

    private HermiteRule(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    static HermiteRule of(int order) {
        if (order < 1) {
            throw new IllegalArgumentException("quadrature order must be >= 1, got " + order);
        }
        return CACHE.computeIfAbsent(order, HermiteRule::build);
    }

    private static HermiteRule build(int n) {
        double[] jacobi = new double[n * n];
        for (int k = 1; k < n; k++) {
            double b = Math.sqrt(k);
            jacobi[k * n + k - 1] = b;
            jacobi[(k - 1) * n + k] = b;
        }
        SymmetricEigen eig = LinearAlgebra.get().symmetricEigen(n, jacobi);
        double[] x = new double[n];
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            x[i] = eig.values()[i];
            double v0 = eig.vector(0, i);
            w[i] = v0 * v0;
            sum += w[i];
        }
        // the eigenvectors are normalised, so Σ w = 1 up to round-off; remove that round-off
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
        // the rule is symmetric: enforce it exactly so odd moments vanish
        for (int i = 0; i < n / 2; i++) {
            double xs = 0.5 * (x[n - 1 - i] - x[i]);
            double ws = 0.5 * (w[i] + w[n - 1 - i]);
            x[i] = -xs;
            x[n - 1 - i] = xs;
            w[i] = ws;
            w[n - 1 - i] = ws;
        }
        if (n % 2 == 1) {
            x[n / 2] = 0.0;
        }
        return new HermiteRule(x, w);
    }
}
