package org.gequiv.online;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.gequiv.model.TeacherInput;

/**
 * Where the order-parameter densities of docs/theory.md §5.1 live in the ODE state, and the linear
 * functionals that turn them into Q, R and v.
 *
 * <p><b>Merging.</b> Densities of equal eigenvalues obey the same linear equations (§5.3–§5.4), so
 * only their sum matters: eigenvalues within a tolerance of the smallest of their sorted run form
 * a group g, resolved by one density, the sum of its members', on the group's mean eigenvalue ρ_g.
 * The constant η²ρ term of dq (§5.4) is per direction τ with weight w_τ
 * ({@link OdeInitialState#noiseWeights()}, 1 for an eigen-direction), so a group carries
 * ρ_g Σ_{τ∈g} w_τ.
 *
 * <p><b>Packing.</b> The state is {@code double[][]}, one row per density: q_kl for k ≤ l, pair by
 * pair (row-major order of the upper triangle), then r_km for (k, m) row-major, each of length
 * {@link #size()} (the number of groups), then one row holding v (K). Separate rows, rather than one
 * flat vector, let every loop address all its operands with the same index, which HotSpot turns
 * into SIMD code (about 3× faster here).
 *
 * <p><b>Functionals.</b> φ(y) = (Q_kl for k ≤ l, R_km, v_k), with Q = (1/N) Σ ρ q, R = (1/(N√δ)) Σ r
 * for the teacher on the latent and (1/N) Σ ρ r on the input (§5.8); N is the number of
 * eigenvalues before merging. φ is linear in y.
 *
 * <p>Immutable after construction; the methods that write take the output arrays.
 */
final class DensityLayout {

    private final int k;
    private final int m;
    private final int pairs;
    private final int outputs;
    /** Number of groups (merged eigenvalues). */
    private final int n;
    /** Number of entries per density row of the initial state (its directions or nodes). */
    private final int eigenvalueCount;
    /**
     * N, the number of directions of the input space that the entries stand for, the denominators of
     * Q and R: {@link OdeInitialState#directions()}, equal to {@link #eigenvalueCount} for
     * eigen-directions (a quadrature's nodes stand for more directions than there are nodes, §5.12).
     */
    private final double directions;
    /** τ's of group g: members[memberStart[g] .. memberStart[g + 1]). */
    private final int[] members;
    private final int[] memberStart;
    /** The group means ρ_g, ascending when merging. */
    private final double[] rho;
    /** ρ_g Σ_{τ∈g} w_τ: the factor of the constant term of dq in group g. */
    private final double[] noiseScale;
    private final int[] pairIndex;
    private final int[] pairK;
    private final int[] pairL;
    /** Whether functional o is ρ-weighted (Q; R for the teacher on the input) or a plain sum. */
    private final boolean[] rhoWeighted;
    private final double[] functionalScale;

    /**
     * @param init              the eigenvalues, noise weights, K, M, δ and the teacher's input; read
     * @param eigenvalueMerging see {@link OdeOptions#eigenvalueMerging()}: 0 merges only equal
     *                          eigenvalues, a negative value none (every τ keeps its density, in
     *                          input order)
     */
    DensityLayout(OdeInitialState init, double eigenvalueMerging) {
        this.k = init.studentHidden();
        this.m = init.teacherHidden();
        this.pairs = k * (k + 1) / 2;
        this.outputs = pairs + k * m;
        this.eigenvalueCount = init.size();
        this.directions = init.directions();
        double[] rhoAll = init.rho();
        int[][] groups = group(rhoAll, eigenvalueMerging);
        this.members = groups[0];
        this.memberStart = groups[1];
        this.n = memberStart.length - 1;
        this.rho = new double[n];
        sumGroups(rhoAll, 0, rho);
        double[] weightSums = new double[n];
        sumGroups(init.noiseWeights(), 0, weightSums);
        this.noiseScale = new double[n];
        for (int g = 0; g < n; g++) {
            rho[g] /= memberStart[g + 1] - memberStart[g];
            noiseScale[g] = rho[g] * weightSums[g];
        }
        this.pairIndex = new int[k * k];
        this.pairK = new int[pairs];
        this.pairL = new int[pairs];
        int p = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                pairIndex[i * k + j] = p;
                pairIndex[j * k + i] = p;
                pairK[p] = i;
                pairL[p] = j;
                p++;
            }
        }
        boolean latent = init.teacherInput() == TeacherInput.LATENT;
        this.rhoWeighted = new boolean[outputs];
        this.functionalScale = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            boolean density = o < pairs;
            rhoWeighted[o] = density || !latent;
            functionalScale[o] = density || !latent ? 1.0 / directions
                    : 1.0 / (directions * Math.sqrt(init.delta()));
        }
    }

    /**
     * The groups of {@code rho} under merging tolerance {@code tolerance}: {members, starts}, the
     * τ's of group g being members[starts[g] .. starts[g + 1]). A run of sorted eigenvalues within
     * tolerance·max|ρ| of its smallest is one group.
     */
    static int[][] group(double[] rho, double tolerance) {
        OdeOptions.checkEigenvalueMerging(tolerance);
        int count = rho.length;
        boolean merge = tolerance >= 0;
        int[] members = merge ? ascendingOrder(rho) : IntStream.range(0, count).toArray();
        double maxAbs = 0;
        for (double x : rho) {
            maxAbs = Math.max(maxAbs, Math.abs(x));
        }
        double gap = tolerance * maxAbs;
        int[] starts = new int[count + 1];
        int groups = 0;
        for (int i = 0; i < count; i++) {
            if (i == 0 || !merge || rho[members[i]] - rho[members[starts[groups - 1]]] > gap) {
                starts[groups++] = i;
            }
        }
        starts[groups] = count;
        return new int[][] {members, Arrays.copyOf(starts, groups + 1)};
    }

    /** The permutation that sorts {@code x} ascending (stable). */
    private static int[] ascendingOrder(double[] x) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(x[i], x[j]));
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** target[g] = Σ_{τ ∈ g} density[offset + τ]; {@code target} has {@link #size()} entries. */
    void sumGroups(double[] density, int offset, double[] target) {
        for (int g = 0; g < n; g++) {
            double sum = 0;
            for (int i = memberStart[g]; i < memberStart[g + 1]; i++) {
                sum += density[offset + members[i]];
            }
            target[g] = sum;
        }
    }

    /** K. */
    int studentHidden() {
        return k;
    }

    /** M. */
    int teacherHidden() {
        return m;
    }

    /** Number of pairs k ≤ l: the q rows come first. */
    int pairs() {
        return pairs;
    }

    /** Number of density rows, K(K+1)/2 + KM (the row of v follows them). */
    int densityRows() {
        return outputs;
    }

    /** Number of groups: the length of each density row. */
    int size() {
        return n;
    }

    /** N, the number of eigenvalues before merging. */
    int eigenvalueCount() {
        return eigenvalueCount;
    }

    /** Number of entries of the state: (K(K+1)/2 + KM)·{@link #size()} + K. */
    int dimension() {
        return outputs * n + k;
    }

    /** Number of functionals: the K(K+1)/2 entries Q_kl, k ≤ l, the KM of R, then the K of v. */
    int functionalCount() {
        return outputs + k;
    }

    /** The group eigenvalues ρ_g (shared, do not modify). */
    double[] rho() {
        return rho;
    }

    /** ρ_g Σ_{τ∈g} w_τ (shared, do not modify). */
    double[] noiseScale() {
        return noiseScale;
    }

    /** The row of q_kl (either order of k, l). */
    int qRow(int kk, int ll) {
        return pairIndex[kk * k + ll];
    }

    /** The row of r_km. */
    int rRow(int kk, int mm) {
        return pairs + kk * m + mm;
    }

    /** First index k of pair p. */
    int pairK(int p) {
        return pairK[p];
    }

    /** Second index l ≥ k of pair p. */
    int pairL(int p) {
        return pairL[p];
    }

    /** A zero state: {@link #densityRows()} rows of {@link #size()} and a last row of K. */
    double[][] newState() {
        double[][] y = new double[outputs + 1][];
        for (int i = 0; i < outputs; i++) {
            y[i] = new double[n];
        }
        y[outputs] = new double[k];
        return y;
    }

    /** Writes the merged densities and v of {@code init} into {@code y} (shaped as {@link #newState()}). */
    void initialState(OdeInitialState init, double[][] y) {
        double[] q = init.q();
        double[] r = init.r();
        for (int p = 0; p < pairs; p++) {
            sumGroups(q, (pairK[p] * k + pairL[p]) * eigenvalueCount, y[p]);
        }
        for (int i = 0; i < k * m; i++) {
            sumGroups(r, i * eigenvalueCount, y[pairs + i]);
        }
        System.arraycopy(init.v(), 0, y[outputs], 0, k);
    }

    /** φ(y) into {@code phi} ({@link #functionalCount()} entries). */
    void functionals(double[][] y, double[] phi) {
        for (int o = 0; o < outputs; o++) {
            phi[o] = partialFunctional(y[o], o, 0, n) * functionalScale[o];
        }
        System.arraycopy(y[outputs], 0, phi, outputs, k);
    }

    /**
     * The unscaled part of functional {@code o} (a density row) from τ in [from, to): Σ ρ_τ x_τ or
     * Σ x_τ; multiplied by {@link #functionalScale(int)} once the sum over all blocks is complete.
     */
    double partialFunctional(double[] row, int o, int from, int to) {
        return rhoWeighted[o] ? weightedSum(rho, row, from, to) : sum(row, from, to);
    }

    /** The factor that turns the summed {@link #partialFunctional} of row o into Q or R. */
    double functionalScale(int o) {
        return functionalScale[o];
    }

    /**
     * Q, R and v from the functionals φ.
     *
     * @param q overwritten with Q (K × K, symmetric)
     * @param r overwritten with R (K × M)
     * @param v overwritten with v (K)
     */
    void unpack(double[] phi, double[] q, double[] r, double[] v) {
        for (int p = 0; p < pairs; p++) {
            q[pairK[p] * k + pairL[p]] = phi[p];
            q[pairL[p] * k + pairK[p]] = phi[p];
        }
        System.arraycopy(phi, pairs, r, 0, k * m);
        System.arraycopy(phi, outputs, v, 0, k);
    }

    /**
     * Σ_{i ∈ [from, to)} w_i x_i with four independent accumulators: a single running sum is bound
     * by the latency of the floating-point add and is several times slower at N = 3072.
     */
    static double weightedSum(double[] w, double[] x, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += w[i] * x[i];
            s1 += w[i + 1] * x[i + 1];
            s2 += w[i + 2] * x[i + 2];
            s3 += w[i + 3] * x[i + 3];
        }
        for (; i < to; i++) {
            s0 += w[i] * x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ_{i ∈ [from, to)} x_i, four accumulators (see {@link #weightedSum}). */
    static double sum(double[] x, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < to; i++) {
            s0 += x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
