package org.gequiv.activation;

import java.util.function.DoubleUnaryOperator;
import java.util.concurrent.ConcurrentHashMap;

import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Gauss–Hermite quadrature rescaled to expectations under the standard normal:
 * {@code E f(ξ) ≈ Σ_i w_i f(x_i)} with {@code Σ w_i = 1}. Nodes and weights come from Hipparchus
 * and are cached per order. Immutable and thread-safe.
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
        // Hipparchus integrates f(x) e^{-x²}; substitute ξ = √2 x and divide by √π
        GaussIntegrator raw = new GaussIntegratorFactory().hermite(order);
        int n = raw.getNumberOfPoints();
        double[] x = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.sqrt(2.0) * raw.getPoint(i);
            w[i] = raw.getWeight(i) / Math.sqrt(Math.PI);
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
