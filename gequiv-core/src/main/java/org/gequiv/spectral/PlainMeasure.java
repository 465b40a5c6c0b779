package org.gequiv.spectral;

import java.util.random.RandomGenerator;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;
import org.gequiv.validation.Identifiers;
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
 *       N exactly (‖z_c‖² = N). The error is statistical, O(‖f(Ω)‖_F √(2/P)); the
 *       {@link #PROBE_GROUPS} disjoint groups of the probes ({@link #groupWeights()}) estimate it
 *       (docs/theory.md §5.12, error estimate).</li>
 *   <li>{@link Method#DEFLATED}: the same with the outlying eigen-space of Ω removed first
 *       ({@link #deflated}).</li>
 * </ul>
 *
 * @param method      how the measure was obtained
 * @param nodes       ρ of the nodes
 * @param weights     weight of each node (in directions; they sum to N)
 * @param groupWeights null, or the weights from each of the {@link #PROBE_GROUPS} disjoint groups
 *                    of consecutive probes (stochastic and deflated only), each summing to N
 * @param probes      number of probe vectors (0 for eigenvalues)
 */
public record PlainMeasure(Method method, double[] nodes, double[] weights, double[][] groupWeights, int probes) {

    /** Source of the plain measure. */
    public enum Method {
        /**
         * The eigenvalues when Ω is held explicitly and N ≤ {@link PlainMeasure#EIGENVALUES_LIMIT},
         * or N ≤ {@link PlainMeasure#EXACT_LIMIT} and the deflation block would exceed its cap
         * ({@link PlainMeasure#deflationFits});
         * otherwise the deflated stochastic quadrature, and the eigenvalues instead when its error
         * estimate misses the tolerance while the quadrature part meets it and Ω is held explicitly
         * with N ≤ {@link PlainMeasure#EXACT_LIMIT} ({@code SpectralTheory}, docs/theory.md §5.12).
         */
        AUTO("auto"),
        EIGENVALUES("eigenvalues"),
        STOCHASTIC("stochastic"),
        DEFLATED("deflated");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** @throws InvalidInputException for an unknown name (field {@code plainMeasure}) */
        public static Method byId(String id) {
            return Identifiers.byId(values(), c -> c.id, "plainMeasure", "plain measure", id);
        }
    }

    /**
     * Largest N at which the exact measure (the eigenvalues) is affordable: {@link Method#AUTO}'s
     * fallback when the deflated measure's estimate misses the tolerance. Their O(N³) reduction
     * costs about 3 s at N = 3072 on one core and grows 19-fold to N = 8192; beyond, a stochastic
     * measure (O(N²) per probe step) is the only affordable one.
     */
    public static final int EXACT_LIMIT = 8192;

    /**
     * Largest N at which {@link Method#AUTO} takes the eigenvalues without trying the deflated
     * measure: there their reduction (≈ 0.1 s at N = 1024) costs less than what the deflated
     * measure adds to the theory — its Ω products and the {@link #PROBE_GROUPS} ODE integrations of
     * its error estimate (docs/theory.md §5.12) — and it is exact.
     */
    public static final int EIGENVALUES_LIMIT = 1024;

    /** Name of the random stream of the probe vectors. */
    public static final String PROBE_STREAM = "spectral-probes";
    /** Name of the random stream of the oversampling vectors of the deflated measure. */
    public static final String DEFLATION_STREAM = "spectral-deflation";
    /**
     * Disjoint groups of probes whose curves estimate the stochastic error: four, so that the
     * spread over groups has three degrees of freedom, the fewest at which Student's quantile is
     * moderate (t(3) = 5.841 at 99 % against 63.66 for two groups), while each group keeps a
     * quarter of the 16 default probes.
     */
    public static final int PROBE_GROUPS = 4;
    /** Random vectors added to the D columns of ΩΦ in the deflation block. */
    public static final int DEFLATION_OVERSAMPLING = 8;

    /**
     * The deflation block has at most N / DEFLATION_RANK_DIVISOR vectors ({@link #deflationRank}).
     * The deflated measure's set-up — three products of the r-vector block, its Gram–Schmidt and the
     * eigendecomposition of its 2r × 2r projected matrix — costs O(N²r + Nr² + r³) against the
     * eigenvalues' O(N³), so their ratio is a function of r/N alone; measured at N = 3072 (sign,
     * one BLAS thread, thread CPU, probes included) it is 0.14 at r = 108, 0.30 at 256, 0.45 at 384
     * = N/8, 0.67 at 512 and 1.2–1.4 at 768 (docs/theory.md §5.12): up to N/8 the deflation costs
     * less than half of the eigenvalues, leaving the other half for what the deflated measure adds
     * to the theory (the ODE integrations of its error estimate).
     */
    public static final int DEFLATION_RANK_DIVISOR = 8;

    /**
     * Smallest cap of the deflation rank, whatever N: the oversampling and twice as many directions
     * of Φ, so that a small N keeps a deflation worth its name (N/8 is below it for N &lt; 192, where
     * {@link Method#AUTO} takes the eigenvalues anyway).
     */
    static final int MIN_DEFLATION_RANK_CAP = 3 * DEFLATION_OVERSAMPLING;

    /**
     * The largest deflation rank at N: max(N / {@link #DEFLATION_RANK_DIVISOR},
     * {@link #MIN_DEFLATION_RANK_CAP}), at most N.
     */
    public static int deflationRankCap(int n) {
        return Math.min(n, Math.max(n / DEFLATION_RANK_DIVISOR, MIN_DEFLATION_RANK_CAP));
    }

    /**
     * Rank r of the deflation block of {@link #deflated} at N and D: D + {@link #DEFLATION_OVERSAMPLING}
     * (the columns of ΩΦ and the random vectors) when that is at most {@link #deflationRankCap}(N);
     * otherwise the cap, the D columns of Φ then replaced by r − {@link #DEFLATION_OVERSAMPLING}
     * random combinations of them (a sketch ΦS of the spike space).
     */
    public static int deflationRank(int n, int d) {
        return (int) Math.min((long) d + DEFLATION_OVERSAMPLING, deflationRankCap(n));
    }

    /**
     * Whether the deflation block of D + {@link #DEFLATION_OVERSAMPLING} vectors fits under
     * {@link #deflationRankCap}(N), so that the deflated measure removes the whole spike space of Φ
     * at a cost below half of the eigenvalues' ({@link #DEFLATION_RANK_DIVISOR}).
     */
    public static boolean deflationFits(int n, int d) {
        return (long) d + DEFLATION_OVERSAMPLING <= deflationRankCap(n);
    }

    /** Name of the random stream of the sketch ΦS of a deflation block capped below D + 8. */
    public static final String SKETCH_STREAM = "spectral-deflation-sketch";

    public PlainMeasure {
        if (nodes == null || weights == null || nodes.length != weights.length || nodes.length == 0) {
            throw new IllegalArgumentException("nodes and weights must have the same length >= 1, got "
                    + (nodes == null ? "null" : nodes.length) + " and " + (weights == null ? "null" : weights.length));
        }
    }

    /**
     * The Ω products that the measure of {@code method} runs, on each of which a companion Lanczos
     * process ({@code alongside} of {@link #deflated(CovarianceOperator, int, int, int, long, double[],
     * BlockLanczos, int)} and {@link #stochastic(SymmetricOperator, int, int, long, double[],
     * BlockLanczos, int)}) can take one step: deflated, the product Ω[Φ, G] and then
     * max(deflation steps, probe steps) rounds; stochastic, the probe steps; none for the
     * eigenvalues. Extended that far, the companion's steps cost it no product of its own.
     *
     * @param method a resolved method (not {@link Method#AUTO})
     */
    public static int sharedProducts(Method method, int probeSteps, int deflationSteps) {
        switch (method) {
            case DEFLATED:
                return 1 + Math.max(deflationSteps, probeSteps);
            case STOCHASTIC:
                return probeSteps;
            case EIGENVALUES:
                return 0;
            default:
                throw new IllegalArgumentException("method must be resolved, got " + method.id());
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
     * @throws InvalidInputException if probes &lt; {@link #PROBE_GROUPS} or blockSteps &lt; 1
     */
    public static PlainMeasure stochastic(SymmetricOperator omega, int probes, int blockSteps, long seed) {
        return stochastic(omega, probes, blockSteps, seed, null);
    }

    /**
     * As {@link #stochastic(SymmetricOperator, int, int, long)}, with the weights (and those of each
     * probe group) matched to the exact moments {@code powerTraces} = {N, tr Ω, tr Ω²}
     * ({@link CovarianceOperator#powerTraces()}): w'_j = w_j (1 + λ_0 + λ_1 θ_j + λ_2 θ_j²) with λ
     * such that Σ_j w'_j θ_j^a equals the exact trace for a = 0, 1, 2 — a control variate that
     * removes the stochastic error of the best quadratic part of every integrand. Should a weight
     * turn negative the matching falls back to degree 1, then 0.
     *
     * @param powerTraces null (no matching) or the exact {N, tr Ω, tr Ω²}
     */
    public static PlainMeasure stochastic(SymmetricOperator omega, int probes, int blockSteps, long seed,
                                          double[] powerTraces) {
        return stochastic(omega, probes, blockSteps, seed, powerTraces, null, 0);
    }

    /**
     * As {@link #stochastic(SymmetricOperator, int, int, long, double[])}, extending {@code alongside}
     * (null for none), a block Lanczos process on the same {@code omega}, to {@code alongsideSteps}
     * in the same Ω products as the probes ({@link BlockLanczos#extendTogether}).
     */
    public static PlainMeasure stochastic(SymmetricOperator omega, int probes, int blockSteps, long seed,
                                          double[] powerTraces, BlockLanczos alongside, int alongsideSteps) {
        requireProbes(probes);
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
        lanczos.lastStep(blockSteps);
        extend(omega, lanczos, blockSteps, alongside, alongsideSteps);
        BlockGaussRule rule = lanczos.gaussRule(lanczos.steps());
        double[][] probeWeights = probeWeights(rule, probes);
        double[] nodes = rule.nodes().clone();
        if (powerTraces != null) {
            for (int i = 0; i < probeWeights.length; i++) {
                probeWeights[i] = matched(nodes, probeWeights[i], powerTraces);
            }
        }
        return new PlainMeasure(Method.STOCHASTIC, nodes, probeWeights[0],
                java.util.Arrays.copyOfRange(probeWeights, 1, probeWeights.length), probes);
    }

    /**
     * Deflated stochastic Lanczos quadrature (Hutch++-style, docs/theory.md §5.12): for any orthonormal
     * Q_1, tr f(Ω) = tr(Q_1ᵀ f(Ω) Q_1) + tr((I − Q_1Q_1ᵀ) f(Ω) (I − Q_1Q_1ᵀ)). Q_1 is the orthonormal
     * basis of Ω[Φ, G] (the D columns of Φ, which carry the outlying eigenvalues of a generator's Ω,
     * and {@link #DEFLATION_OVERSAMPLING} Rademacher vectors G), of Ω[ΦS, G] with a random sketch S
     * when D + 8 exceeds {@link #deflationRankCap} ({@link #deflationRank}): the first term is the
     * deterministic block Gauss rule of {@code deflationSteps} steps from Q_1
     * ({@link BlockLanczos#startBasisRule}), exact for degree ≤ 2·deflationSteps − 1; the second
     * the stochastic quadrature of {@code probes} Rademacher vectors projected off Q_1, whose
     * weights alone are matched to the exact {N, tr Ω, tr Ω²} left after the first term. The
     * statistical error is that of the deflated remainder, O(‖f(Ω_⊥)‖_F √(2/P)) — small when the
     * remainder's spectrum is narrow, as for the bulk of a generator's Ω once its D spikes are
     * removed. The probes run as {@link #PROBE_GROUPS} independent block processes of consecutive
     * probes, one per group, in the same Ω products: {@link #groupWeights()} keep the first term and
     * put each group's weights on its own process's nodes (0 on the others'), so that the group
     * curves are independent draws; with converged probe rules the group values are those of one
     * block of all the probes (default case at N = 3072: the same stochastic estimate to three
     * digits), at a quarter of its Gram–Schmidt.
     *
     * @param powerTraces the exact {N, tr Ω, tr Ω²} (required)
     * @throws InvalidInputException if probes &lt; {@link #PROBE_GROUPS} or a step count &lt; 1
     */
    public static PlainMeasure deflated(CovarianceOperator omega, int probes, int probeSteps, int deflationSteps,
                                        long seed, double[] powerTraces) {
        return deflated(omega, probes, probeSteps, deflationSteps, seed, powerTraces, null, 0);
    }

    /**
     * As {@link #deflated(CovarianceOperator, int, int, int, long, double[])}, extending
     * {@code alongside} (null for none), a block Lanczos process on the same {@code omega}, to
     * {@code alongsideSteps} in the same Ω products: its first step shares the product Ω[Φ, G], its
     * next ones those of the deflation block and the probes ({@link BlockLanczos#extendTogether}).
     */
    public static PlainMeasure deflated(CovarianceOperator omega, int probes, int probeSteps, int deflationSteps,
                                        long seed, double[] powerTraces, BlockLanczos alongside,
                                        int alongsideSteps) {
        return deflated(omega, probes, probeSteps, deflationSteps, seed, powerTraces, alongside, alongsideSteps, 0);
    }

    /**
     * As {@link #deflated(CovarianceOperator, int, int, int, long, double[], BlockLanczos, int)}, with the
     * deterministic part (the 2r nodes of the deflation block's rule) compressed to at most
     * {@code deflationNodes} Gauss nodes of its own discrete measure ({@link #compressed}: exact
     * for degree ≤ 2·deflationNodes − 1, the same compression as the eigenvalues'; 0 keeps them
     * all). Every probe group shares that part, so the compression cuts the densities of each of
     * the curves the theory integrates (the returned one and one per probe group) by 2r − deflationNodes.
     *
     * @throws InvalidInputException if deflationNodes &lt; 0
     */
    public static PlainMeasure deflated(CovarianceOperator omega, int probes, int probeSteps, int deflationSteps,
                                        long seed, double[] powerTraces, BlockLanczos alongside,
                                        int alongsideSteps, int deflationNodes) {
        requireProbes(probes);
        if (deflationNodes < 0) {
            throw new InvalidInputException("plainSteps", "deflation nodes must be >= 0 (0 = all), got "
                    + deflationNodes);
        }
        if (probeSteps < 1 || deflationSteps < 1) {
            throw new InvalidInputException("probeSteps", "probe and deflation block steps must be >= 1, got "
                    + probeSteps + " and " + deflationSteps);
        }
        int n = omega.dimension();
        int d = omega.latentDimension();
        int g = DEFLATION_OVERSAMPLING;
        int r = deflationRank(n, d);
        double[] start = new double[r * n];
        // the D columns of Φ (as many as fit when N < D + 8), or, capped below D + 8, r − 8 random
        // combinations ΦS of them: a sketch of the spike space (its strongest directions dominate
        // Ω ΦS), at the cost bound of DEFLATION_RANK_DIVISOR
        boolean sketched = !deflationFits(n, d) && r > g;
        int fromPhi = sketched ? r - g : Math.min(d, r);
        double[] coefficients = new double[fromPhi * d];
        if (sketched) {
            RandomGenerator sketchRng = RandomStreams.stream(seed, SKETCH_STREAM);
            for (int i = 0; i < coefficients.length; i++) {
                coefficients[i] = sketchRng.nextBoolean() ? 1.0 : -1.0;
            }
        } else {
            for (int i = 0; i < fromPhi; i++) {
                coefficients[i * d + i] = 1.0;
            }
        }
        double[] phiRows = new double[fromPhi * n];
        omega.applyPhi(fromPhi, coefficients, phiRows);
        System.arraycopy(phiRows, 0, start, 0, fromPhi * n);
        RandomGenerator rng = RandomStreams.stream(seed, DEFLATION_STREAM);
        for (int i = fromPhi * n; i < r * n; i++) {
            start[i] = rng.nextBoolean() ? 1.0 : -1.0;
        }
        double[] y = new double[r * n];
        int shared = alongside == null ? 0 : alongside.pendingVectors(alongsideSteps);
        if (shared > 0) {
            // the first step of the companion process rides on the product Ω[Φ, G]
            double[] both = java.util.Arrays.copyOf(start, (r + shared) * n);
            alongside.pendingBlock(both, r);
            double[] products = new double[(r + shared) * n];
            omega.apply(r + shared, both, products);
            System.arraycopy(products, 0, y, 0, r * n);
            alongside.completeStep(products, r);
        } else {
            omega.apply(r, start, y);
        }
        BlockLanczos top = new BlockLanczos(omega, r, y);
        double[] q1 = top.startBasis();
        int k = q1.length / n;
        // probes projected off Q_1: Z ← Z − (Z Q_1ᵀ) Q_1, twice for orthogonality to working precision
        RandomGenerator probeRng = RandomStreams.stream(seed, PROBE_STREAM);
        double[] z = new double[probes * n];
        for (int i = 0; i < z.length; i++) {
            z[i] = probeRng.nextBoolean() ? 1.0 : -1.0;
        }
        LinearAlgebra la = LinearAlgebra.get();
        la.projectOutRows(probes, k, n, z, q1, 2, new double[probes * k]);
        // one block process per probe group: the groups' curves are independent draws (the
        // error estimate, docs/theory.md §5.12), and each process reorthogonalises against its own
        // basis only, a quarter of the Gram–Schmidt of one process of all the probes
        BlockLanczos[] processes = new BlockLanczos[PROBE_GROUPS + 1 + (alongside == null ? 0 : 1)];
        int[] targets = new int[processes.length];
        top.lastStep(deflationSteps);
        processes[0] = top;
        targets[0] = deflationSteps;
        for (int group = 0; group < PROBE_GROUPS; group++) {
            BlockLanczos rest = new BlockLanczos(omega, groupEnd(group, probes) - groupStart(group, probes),
                    java.util.Arrays.copyOfRange(z, groupStart(group, probes) * n, groupEnd(group, probes) * n));
            rest.lastStep(probeSteps);
            processes[1 + group] = rest;
            targets[1 + group] = probeSteps;
        }
        if (alongside != null) {
            processes[PROBE_GROUPS + 1] = alongside;
            targets[PROBE_GROUPS + 1] = alongsideSteps;
        }
        BlockLanczos.extendTogether(omega, processes, targets);
        BlockGaussRule topRule = top.startBasisRule(top.steps());
        int st = topRule.size();
        double[] topWeights = new double[st];
        for (int j = 0; j < st; j++) {
            double w = 0;
            for (int c = 0; c < k; c++) {
                double v = topRule.projections()[j * k + c];
                w += v * v;
            }
            topWeights[j] = w;
        }
        double[] topNodes = topRule.nodes();
        if (deflationNodes > 0 && st > deflationNodes) {
            PlainMeasure part = new PlainMeasure(Method.DEFLATED, topNodes, topWeights, null, 0).compressed(deflationNodes);
            topNodes = part.nodes();
            topWeights = part.weights();
        }
        double[] residual = powerTraces.clone();
        for (int j = 0; j < topNodes.length; j++) {
            double w = topWeights[j];
            double x = topNodes[j];
            residual[0] -= w;
            residual[1] -= w * x;
            residual[2] -= w * x * x;
        }
        // the probe nodes: those of each group's process in turn; a group's weights vanish on the others'
        BlockGaussRule[] rules = new BlockGaussRule[PROBE_GROUPS];
        int total = 0;
        for (int group = 0; group < PROBE_GROUPS; group++) {
            rules[group] = processes[1 + group].gaussRule(processes[1 + group].steps());
            total += rules[group].size();
        }
        double[] restNodes = new double[total];
        double[][] probeWeights = new double[PROBE_GROUPS + 1][total];
        int at = 0;
        for (int group = 0; group < PROBE_GROUPS; group++) {
            int size = groupEnd(group, probes) - groupStart(group, probes);
            BlockGaussRule rule = rules[group];
            for (int j = 0; j < rule.size(); j++) {
                double sum = 0;
                for (int c = 0; c < size; c++) {
                    double v = rule.projections()[j * size + c];
                    sum += v * v;
                }
                restNodes[at + j] = rule.nodes()[j];
                probeWeights[0][at + j] = sum / probes;
                probeWeights[1 + group][at + j] = sum / size;
            }
            at += rule.size();
        }
        double[] nodes = concat(topNodes, restNodes);
        double[][] groups = new double[PROBE_GROUPS][];
        for (int i = 0; i < probeWeights.length; i++) {
            double[] w = concat(topWeights, matched(restNodes, probeWeights[i], residual));
            if (i == 0) {
                probeWeights[0] = w;
            } else {
                groups[i - 1] = w;
            }
        }
        return new PlainMeasure(Method.DEFLATED, nodes, probeWeights[0], groups, probes);
    }

    /** Extends {@code process} to {@code steps}, and {@code alongside} (if any) in the same products. */
    private static void extend(SymmetricOperator omega, BlockLanczos process, int steps, BlockLanczos alongside,
                               int alongsideSteps) {
        if (alongside == null) {
            process.extend(steps);
        } else {
            BlockLanczos.extendTogether(omega, new BlockLanczos[] {process, alongside}, new int[] {steps, alongsideSteps});
        }
    }

    private static void requireProbes(int probes) {
        if (probes < PROBE_GROUPS) {
            throw new InvalidInputException("probes", "probes must be >= " + PROBE_GROUPS + " (" + PROBE_GROUPS
                    + " groups estimate the stochastic error), got " + probes);
        }
    }

    /**
     * Weights of the stochastic quadrature from the per-probe projections of {@code rule}: row 0 the
     * mean of ‖y_jc‖² over all probes c, row 1 + g the mean over the consecutive probes of group g
     * ({@link #PROBE_GROUPS} groups of sizes differing by at most one).
     */
    private static double[][] probeWeights(BlockGaussRule rule, int probes) {
        int s = rule.size();
        double[] y = rule.projections();
        double[][] out = new double[PROBE_GROUPS + 1][s];
        for (int g = 0; g < PROBE_GROUPS; g++) {
            int from = groupStart(g, probes);
            int to = groupEnd(g, probes);
            for (int j = 0; j < s; j++) {
                double sum = 0;
                for (int c = from; c < to; c++) {
                    sum += y[j * probes + c] * y[j * probes + c];
                }
                out[0][j] += sum;
                out[1 + g][j] = sum / (to - from);
            }
        }
        for (int j = 0; j < s; j++) {
            out[0][j] /= probes;
        }
        return out;
    }

    /** First probe of group {@code group} (groups of consecutive probes, sizes differing by at most one). */
    private static int groupStart(int group, int probes) {
        return group * probes / PROBE_GROUPS;
    }

    /** One past the last probe of group {@code group}. */
    private static int groupEnd(int group, int probes) {
        return (group + 1) * probes / PROBE_GROUPS;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Weights matched to the exact moments (see {@link #stochastic(SymmetricOperator, int, int, long, double[])}). */
    static double[] matched(double[] nodes, double[] weights, double[] powerTraces) {
        double scale = 0;
        double mass = 0;
        for (int j = 0; j < nodes.length; j++) {
            scale = Math.max(scale, Math.abs(nodes[j]));
            mass += weights[j];
        }
        if (!(scale > 0)) {
            scale = 1;
        }
        for (int degree = Math.min(2, powerTraces.length - 1); degree >= 0; degree--) {
            int k = degree + 1;
            boolean[] dropped = new boolean[nodes.length];
            double droppedMass = 0;
            // nodes whose matched weight would turn negative are dropped (weight 0) and the match
            // redone on the others, as long as they carry at most MAX_DROPPED_MASS of the mass
            while (droppedMass <= MAX_DROPPED_MASS * mass) {
                double[] out = matchedOnce(nodes, weights, dropped, powerTraces, k, scale);
                if (out == null) {
                    break;
                }
                boolean positive = true;
                for (int j = 0; j < nodes.length; j++) {
                    if (!dropped[j] && !(out[j] >= 0 && Double.isFinite(out[j]))) {
                        dropped[j] = true;
                        droppedMass += weights[j];
                        positive = false;
                    }
                }
                if (positive) {
                    return out;
                }
            }
        }
        return weights;
    }

    /**
     * Largest share of the mass the moment matching may drop (nodes whose weight would turn
     * negative: Ritz values of the deflated probes' small leak into the deflated spikes).
     */
    static final double MAX_DROPPED_MASS = 1e-3;

    /** One solve of the matching of degree k − 1 on the nodes not dropped; null if singular. */
    private static double[] matchedOnce(double[] nodes, double[] weights, boolean[] dropped, double[] powerTraces,
                                        int k, double scale) {
        // in the variable θ/scale, so that the Gram matrix is well scaled
        double[] gram = new double[k * k];
        double[] rhs = new double[k];
        for (int a = 0; a < k; a++) {
            double est = 0;
            for (int j = 0; j < nodes.length; j++) {
                if (!dropped[j]) {
                    est += weights[j] * Math.pow(nodes[j] / scale, a);
                }
            }
            rhs[a] = powerTraces[a] / Math.pow(scale, a) - est;
            for (int b = 0; b < k; b++) {
                double g = 0;
                for (int j = 0; j < nodes.length; j++) {
                    if (!dropped[j]) {
                        g += weights[j] * Math.pow(nodes[j] / scale, a + b);
                    }
                }
                gram[a * k + b] = g;
            }
        }
        try {
            LinearAlgebra.get().solveSymmetricPositive(k, 1, gram, rhs);
        } catch (RuntimeException singular) {
            return null;
        }
        double[] out = new double[nodes.length];
        for (int j = 0; j < nodes.length; j++) {
            if (dropped[j]) {
                continue;
            }
            double factor = 1;
            for (int a = 0; a < k; a++) {
                factor += rhs[a] * Math.pow(nodes[j] / scale, a);
            }
            out[j] = weights[j] * factor;
        }
        return out;
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
        if (steps >= nodes.length || groupWeights != null) {
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

    /** This measure with other weights on the same nodes (for the probe-group error estimate). */
    PlainMeasure withWeights(double[] other) {
        return new PlainMeasure(method, nodes, other, null, probes);
    }
}
