package org.gequiv.spectral;

import java.util.Locale;
import java.util.random.RandomGenerator;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;
import org.gequiv.validation.InvalidInputException;

/**
 * The plain spectral measure of Ω, Σ_τ δ(ρ − ρ_τ) (mass N; docs/theory.md §5.1 divides it by N), as nodes
 * and weights: it carries the constant η² term of dq/dt (§5.4, §5.12), on nodes with zero densities.
 *
 * <ul>
 *   <li>{@link Method#EIGENVALUES}: all N eigenvalues with weight 1 (LAPACK without eigenvectors):
 *       exact.</li>
 *   <li>{@link Method#STOCHASTIC}: stochastic Lanczos quadrature. For P Rademacher probes z_c,
 *       tr f(Ω) = E[z_cᵀ f(Ω) z_c], and block Lanczos on the block Z gives nodes θ_j with
 *       projections y_j, so that tr f(Ω) ≈ (1/P) Σ_j f(θ_j) ‖y_j‖². The weights (1/P)‖y_j‖² sum to
 *       N exactly (‖z_c‖² = N). The error is statistical, O(‖f(Ω)‖_F √(2/P)); the two halves of the
 *       probes ({@link #halfWeights()}) estimate it.</li>
 * </ul>
 *
 * @param method      how the measure was obtained
 * @param nodes       ρ of the nodes
 * @param weights     weight of each node (in directions; they sum to N)
 * @param halfWeights null, or the weights from the first and the second half of the probes
 *                    (stochastic only), each summing to N
 * @param probes      number of probe vectors (0 for eigenvalues)
 */
public record PlainMeasure(Method method, double[] nodes, double[] weights, double[][] halfWeights, int probes) {

    /** Source of the plain measure. */
    public enum Method {
        /**
         * Eigenvalues when Ω is held explicitly and N ≤ {@link PlainMeasure#EXACT_LIMIT},
         * stochastic quadrature otherwise.
         */
        AUTO("auto"),
        EIGENVALUES("eigenvalues"),
        STOCHASTIC("stochastic");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** @throws InvalidInputException for an unknown name (field {@code plainMeasure}) */
        public static Method byId(String id) {
            String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
            for (Method m : values()) {
                if (m.id.equals(wanted)) {
                    return m;
                }
            }
            throw new InvalidInputException("plainMeasure", "plain measure must be one of auto, eigenvalues, "
                    + "stochastic, got '" + id + "'");
        }
    }

    /**
     * Largest N at which {@link Method#AUTO} takes the eigenvalues: their O(N³) reduction costs
     * about 1 s at N = 3072 on one core and grows 19-fold to N = 8192; beyond, the stochastic
     * measure (O(N²) per probe step) is the only affordable one.
     */
    public static final int EXACT_LIMIT = 8192;

    /** Name of the random stream of the probe vectors. */
    public static final String PROBE_STREAM = "spectral-probes";

    public PlainMeasure {
        if (nodes == null || weights == null || nodes.length != weights.length || nodes.length == 0) {
            throw new IllegalArgumentException("nodes and weights must have the same length >= 1, got "
                    + (nodes == null ? "null" : nodes.length) + " and " + (weights == null ? "null" : weights.length));
        }
    }

    /** Number of nodes. */
    public int size() {
        return nodes.length;
    }

    /** Σ weights, N. */
    public double mass() {
        double s = 0;
        for (double w : weights) {
            s += w;
        }
        return s;
    }

    /** The measure of the given eigenvalues, weight 1 each. */
    public static PlainMeasure ofEigenvalues(double[] eigenvalues) {
        double[] w = new double[eigenvalues.length];
        java.util.Arrays.fill(w, 1.0);
        return new PlainMeasure(Method.EIGENVALUES, eigenvalues.clone(), w, null, 0);
    }

    /** The eigenvalues of the explicit N × N symmetric {@code omega} (values only). */
    public static PlainMeasure eigenvalues(int n, double[] omega) {
        return ofEigenvalues(LinearAlgebra.get().symmetricEigenvalues(n, omega));
    }

    /**
     * Stochastic Lanczos quadrature with {@code probes} Rademacher vectors from stream
     * {@link #PROBE_STREAM} of {@code seed} and {@code blockSteps} block steps, without moment
     * matching.
     *
     * @throws InvalidInputException if probes &lt; 2 or blockSteps &lt; 1
     */
    public static PlainMeasure stochastic(SymmetricOperator omega, int probes, int blockSteps, long seed) {
        return stochastic(omega, probes, blockSteps, seed, null);
    }

    /**
     * As {@link #stochastic(SymmetricOperator, int, int, long)}, with the weights (and those of each
     * half) matched to the exact moments {@code powerTraces} = {N, tr Ω, tr Ω²}
     * ({@link CovarianceOperator#powerTraces()}): w'_j = w_j (1 + λ_0 + λ_1 θ_j + λ_2 θ_j²) with λ
     * such that Σ_j w'_j θ_j^a equals the exact trace for a = 0, 1, 2 — a control variate that
     * removes the stochastic error of the best quadratic part of every integrand. Should a weight
     * turn negative the matching falls back to degree 1, then 0.
     *
     * @param powerTraces null (no matching) or the exact {N, tr Ω, tr Ω²}
     */
    public static PlainMeasure stochastic(SymmetricOperator omega, int probes, int blockSteps, long seed,
                                          double[] powerTraces) {
        if (probes < 2) {
            throw new InvalidInputException("probes", "probes must be >= 2, got " + probes);
        }
        if (blockSteps < 1) {
            throw new InvalidInputException("probeSteps", "probe block steps must be >= 1, got " + blockSteps);
        }
        int n = omega.dimension();
        RandomGenerator rng = RandomStreams.stream(seed, PROBE_STREAM);
        double[] z = new double[probes * n];
        for (int i = 0; i < z.length; i++) {
            z[i] = rng.nextBoolean() ? 1.0 : -1.0;
        }
        BlockLanczos lanczos = new BlockLanczos(omega, probes, z);
        lanczos.extend(blockSteps);
        BlockGaussRule rule = lanczos.gaussRule(lanczos.steps());
        int s = rule.size();
        double[] w = new double[s];
        double[] first = new double[s];
        double[] second = new double[s];
        int half = probes / 2;
        double[] y = rule.projections();
        for (int j = 0; j < s; j++) {
            double a = 0;
            double b = 0;
            for (int c = 0; c < probes; c++) {
                double y2 = y[j * probes + c] * y[j * probes + c];
                if (c < half) {
                    a += y2;
                } else {
                    b += y2;
                }
            }
            w[j] = (a + b) / probes;
            first[j] = a / half;
            second[j] = b / (probes - half);
        }
        double[] nodes = rule.nodes().clone();
        if (powerTraces != null) {
            w = matched(nodes, w, powerTraces);
            first = matched(nodes, first, powerTraces);
            second = matched(nodes, second, powerTraces);
        }
        return new PlainMeasure(Method.STOCHASTIC, nodes, w, new double[][] {first, second}, probes);
    }

    /** Weights matched to the exact moments (see {@link #stochastic(SymmetricOperator, int, int, long, double[])}). */
    static double[] matched(double[] nodes, double[] weights, double[] powerTraces) {
        double scale = 0;
        for (double x : nodes) {
            scale = Math.max(scale, Math.abs(x));
        }
        if (!(scale > 0)) {
            scale = 1;
        }
        for (int degree = Math.min(2, powerTraces.length - 1); degree >= 0; degree--) {
            int k = degree + 1;
            // in the variable θ/scale, so that the Gram matrix is well scaled
            double[] gram = new double[k * k];
            double[] rhs = new double[k];
            for (int a = 0; a < k; a++) {
                double est = 0;
                for (int j = 0; j < nodes.length; j++) {
                    est += weights[j] * Math.pow(nodes[j] / scale, a);
                }
                rhs[a] = powerTraces[a] / Math.pow(scale, a) - est;
                for (int b = 0; b < k; b++) {
                    double g = 0;
                    for (int j = 0; j < nodes.length; j++) {
                        g += weights[j] * Math.pow(nodes[j] / scale, a + b);
                    }
                    gram[a * k + b] = g;
                }
            }
            try {
                LinearAlgebra.get().solveSymmetricPositive(k, 1, gram, rhs);
            } catch (RuntimeException singular) {
                continue;
            }
            double[] out = new double[nodes.length];
            boolean positive = true;
            for (int j = 0; j < nodes.length && positive; j++) {
                double factor = 1;
                for (int a = 0; a < k; a++) {
                    factor += rhs[a] * Math.pow(nodes[j] / scale, a);
                }
                out[j] = weights[j] * factor;
                positive = out[j] >= 0 && Double.isFinite(out[j]);
            }
            if (positive) {
                return out;
            }
        }
        return weights;
    }

    /**
     * The Gauss rule of this discrete measure with at most {@code steps} nodes: Lanczos on
     * diag(nodes) from the vector √weights (full reorthogonalisation), so that Σ_j w'_j f(θ'_j)
     * equals Σ_i w_i f(ρ_i) for every polynomial f of degree ≤ 2·steps − 1, and the mass is kept.
     * Deterministic; it turns the N eigenvalues into a few dozen nodes (and so a few dozen
     * densities in the ODEs) at an error that decays exponentially with {@code steps} for the
     * analytic integrands of docs/theory.md §5.12. A stochastic measure (with halves) is returned as it
     * is: it has few nodes already.
     *
     * @throws InvalidInputException if steps &lt; 1
     */
    public PlainMeasure compressed(int steps) {
        if (steps < 1) {
            throw new InvalidInputException("plainSteps", "plain measure steps must be >= 1, got " + steps);
        }
        if (steps >= nodes.length || halfWeights != null) {
            return this;
        }
        int count = nodes.length;
        double[] start = new double[count];
        for (int i = 0; i < count; i++) {
            start[i] = Math.sqrt(weights[i]);
        }
        double[] diagonal = nodes;
        SymmetricOperator op = new SymmetricOperator() {
            @Override
            public int dimension() {
                return count;
            }

            @Override
            public void apply(int p, double[] v, double[] out) {
                for (int c = 0; c < p; c++) {
                    for (int i = 0; i < count; i++) {
                        out[c * count + i] = diagonal[i] * v[c * count + i];
                    }
                }
            }
        };
        BlockLanczos lanczos = new BlockLanczos(op, 1, start);
        lanczos.extend(steps);
        BlockGaussRule rule = lanczos.gaussRule(lanczos.steps());
        double[] w = new double[rule.size()];
        for (int j = 0; j < w.length; j++) {
            w[j] = rule.projections()[j] * rule.projections()[j];
        }
        return new PlainMeasure(method, rule.nodes().clone(), w, null, probes);
    }

    /** This measure with other weights on the same nodes (for the half-probe error estimate). */
    PlainMeasure withWeights(double[] other) {
        return new PlainMeasure(method, nodes, other, null, probes);
    }
}
