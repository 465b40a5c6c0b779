package org.gequiv.activation;

import java.util.function.DoubleUnaryOperator;
import java.util.concurrent.ConcurrentHashMap;


/**
 * Gauss–Hermite quadrature rescaled to expectations under the standard normal:
 * {@code E f(ξ) ≈ Σ_i w_i f(x_i)} with {@code Σ w_i = 1}, exact for polynomials of degree
 * {@code 2·order − 1}. Nodes and weights come from {@link GolubWelsch} (Hipparchus' rule
 * generator needs minutes for 400 nodes; this takes milliseconds). Cached per order; immutable and
 * thread-safe.
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
        double[][] rule = GolubWelsch.hermite(order);
        return new GaussHermite(rule[0].clone(), rule[1].clone());
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
