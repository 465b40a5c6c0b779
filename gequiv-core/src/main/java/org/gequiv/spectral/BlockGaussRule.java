package org.gequiv.spectral;

/**
 * A block Gauss quadrature rule of the matrix-valued spectral measure of Ω for a block X of p
 * vectors (docs/theory.md §5.12): nodes θ_j and projection vectors y_j ∈ R^p with
 * <pre>
 *   Xᵀ f(Ω) X = Σ_τ f(ρ_τ) (Xᵀe_τ)(Xᵀe_τ)ᵀ  ≈  Σ_j f(θ_j) y_j y_jᵀ,
 * </pre>
 * exact for polynomials f of degree ≤ 2m − 1 after m block steps. The θ_j are the Ritz values and
 * y_j = Xᵀ z_j the projections of X on the Ritz vectors z_j: "pseudo-eigen-directions" on which the
 * density ODEs of §5 run unchanged.
 *
 * @param blockSize   p
 * @param blockSteps  m
 * @param nodes       θ_j, ascending
 * @param projections y_j, (nodes × p) row-major: component c of y_j at {@code j·p + c}
 * @param exact       whether the Krylov space was exhausted, so that the rule is exact for every f
 */
public record BlockGaussRule(int blockSize, int blockSteps, double[] nodes, double[] projections, boolean exact) {

    public BlockGaussRule {
        if (blockSize < 1 || nodes == null || projections == null
                || projections.length != (long) nodes.length * blockSize) {
            throw new IllegalArgumentException("projections must have nodes·p entries, got "
                    + (projections == null ? "null" : projections.length) + " for "
                    + (nodes == null ? "null" : nodes.length) + " nodes and p = " + blockSize);
        }
    }

    /** Number of nodes, Σ p_i over the m steps (p·m without deflation). */
    public int size() {
        return nodes.length;
    }

    /** Σ_j θ_j^degree y_j y_jᵀ, p × p: the rule's value of Xᵀ Ω^degree X. */
    public double[] moment(int degree) {
        if (degree < 0) {
            throw new IllegalArgumentException("degree must be >= 0, got " + degree);
        }
        int p = blockSize;
        double[] out = new double[p * p];
        for (int j = 0; j < nodes.length; j++) {
            double w = Math.pow(nodes[j], degree);
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    out[a * p + b] += w * projections[j * p + a] * projections[j * p + b];
                }
            }
        }
        return out;
    }
}
