package org.gequiv.activation;

import java.util.function.DoubleUnaryOperator;
import java.util.concurrent.ConcurrentHashMap;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.SymmetricEigen;

/**
 * Gauss–Hermite quadrature rescaled to expectations under the standard normal:
 * {@code E f(ξ) ≈ Σ_i w_i f(x_i)} with {@code Σ w_i = 1}, exact for polynomials of degree
 * {@code 2·order − 1}. Nodes and weights come from the Golub–Welsch method: the nodes are the
 * eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials (zero diagonal,
 * off-diagonal √k), the weights the squared first components of its eigenvectors. (Hipparchus'
 * rule generator needs minutes for 400 nodes; this takes milliseconds.) Cached per order;
 * immutable and thread-safe.
 */
public final class GaussHermite {

    private static final ConcurrentHashMap<Integer, GaussHermite> CACHE = new ConcurrentHashMap<>();

    private final double[] nodes;
    private final double[] weights;

    private GaussHermite(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /** The rule with {@code order} nodes for ξ ~ N(0, 1). */
    public static GaussHermite standardNormal(int order) {
        if (order < 1) {
            throw new IllegalArgumentException("order must be >= 1, got " + order);
        }
        return CACHE.computeIfAbsent(order, GaussHermite::build);
    }

    private static GaussHermite build(int order) {
        double[] jacobi = new double[order * order];
        for (int k = 1; k < order; k++) {
            double offDiagonal = Math.sqrt(k);
            jacobi[k * order + k - 1] = offDiagonal;
            jacobi[(k - 1) * order + k] = offDiagonal;
        }
        SymmetricEigen eigen = LinearAlgebra.get().symmetricEigen(order, jacobi);
        double[] x = new double[order];
        double[] w = new double[order];
        double sum = 0;
        for (int i = 0; i < order; i++) {
            x[i] = eigen.values()[i];
            double first = eigen.vector(0, i);
            w[i] = first * first;
            sum += w[i];
        }
        // symmetrise: the rule is exactly symmetric about 0, the eigensolver only to round-off
        for (int i = 0; i < order / 2; i++) {
            int j = order - 1 - i;
            double node = 0.5 * (x[j] - x[i]);
            double weight = 0.5 * (w[i] + w[j]) / sum;
            x[i] = -node;
            x[j] = node;
            w[i] = weight;
            w[j] = weight;
        }
        if (order % 2 == 1) {
            x[order / 2] = 0.0;
            w[order / 2] /= sum;
        }
        return new GaussHermite(x, w);
    }

    /** Number of nodes. */
    public int size() {
        return nodes.length;
    }

    /** Node {@code i} on the ξ scale. */
    public double node(int i) {
        return nodes[i];
    }

    /** Weight {@code i}; the weights sum to one. */
    public double weight(int i) {
        return weights[i];
    }

    /** E f(ξ) for ξ ~ N(0, 1). */
    public double expectation(DoubleUnaryOperator f) {
        double s = 0;
        for (int i = 0; i < nodes.length; i++) {
            s += weights[i] * f.applyAsDouble(nodes[i]);
        }
        return s;
    }
}
