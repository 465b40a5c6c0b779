package org.gequiv.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.gequiv.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;

/** The block Gauss rule of {@link BlockLanczos} (docs/theory.md §5.12) on matrices with known spectra. */
class BlockLanczosTest {

    /**
     * Round-off of a moment of degree d: the rule and the direct product both accumulate ~d·N
     * rounding errors of relative size 2^-53 on entries bounded by ‖X‖²‖Ω‖^d; 1e-11 leaves a
     * margin of ~100 over d·N·ε at d = 9, N = 80.
     */
    static final double MOMENT_ROUND_OFF = 1e-11;

    /** A symmetric N × N matrix U diag(λ) Uᵀ with a random orthogonal U and the given spectrum. */
    static double[] withSpectrum(double[] lambda, long seed) {
        int n = lambda.length;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] g = new double[n * n];
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextDouble() - 0.5;
        }
        double[] sym = new double[n * n];
        LinearAlgebra.get().gemm(false, true, n, n, n, 1.0, g, g, 0.0, sym);
        double[] u = LinearAlgebra.get().symmetricEigen(n, sym).vectors();
        double[] ul = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                ul[i * n + j] = u[i * n + j] * lambda[j];
            }
        }
        double[] a = new double[n * n];
        LinearAlgebra.get().gemm(false, true, n, n, n, 1.0, ul, u, 0.0, a);
        return a;
    }

    static double[] gaussian(int rows, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[rows * n];
        for (int i = 0; i < x.length; i++) {
            // Box–Muller from two uniforms
            double u = 1 - rng.nextDouble();
            x[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
        }
        return x;
    }

    /** Xᵀ Ω^d X (p × p), by repeated products. */
    static double[] directMoment(ExplicitCovariance op, int p, double[] x, int degree) {
        int n = op.dimension();
        double[] y = x.clone();
        double[] tmp = new double[p * n];
        for (int i = 0; i < degree; i++) {
            op.apply(p, y, tmp);
            System.arraycopy(tmp, 0, y, 0, p * n);
        }
        double[] out = new double[p * p];
        LinearAlgebra.get().gemm(false, true, p, p, n, 1.0, x, y, 0.0, out);
        return out;
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static ExplicitCovariance dense(double[] omega) {
        int n = (int) Math.round(Math.sqrt(omega.length));
        return new ExplicitCovariance(n, 1, omega, new double[n]);
    }

    @Test
    void gaussRuleIsExactForPolynomialsUpToDegreeTwoMMinusOne() {
        int n = 80;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 0.2 + 3.0 * i / (n - 1) + 0.1 * Math.sin(i);
        }
        ExplicitCovariance op = dense(withSpectrum(lambda, 1));
        int p = 3;
        double[] x = gaussian(p, n, 2);
        BlockLanczos lanczos = new BlockLanczos(op, p, x);
        int m = 5;
        lanczos.extend(m);
        assertEquals(m, lanczos.steps());
        assertFalse(lanczos.exhausted());
        BlockGaussRule rule = lanczos.gaussRule(m);
        assertEquals(p * m, rule.size());
        for (int degree = 0; degree <= 2 * m - 1; degree++) {
            double[] exact = directMoment(op, p, x, degree);
            double[] got = rule.moment(degree);
            double scale = maxAbs(exact);
            for (int i = 0; i < p * p; i++) {
                assertEquals(exact[i], got[i], MOMENT_ROUND_OFF * scale, "degree " + degree + " entry " + i);
            }
        }
        // degree 2m is not exact in general: the rule's error there is far above round-off
        double[] exact = directMoment(op, p, x, 2 * m);
        double[] got = rule.moment(2 * m);
        double worst = 0;
        for (int i = 0; i < p * p; i++) {
            worst = Math.max(worst, Math.abs(exact[i] - got[i]));
        }
        assertTrue(worst > 1e3 * MOMENT_ROUND_OFF * maxAbs(exact), "degree 2m unexpectedly exact: " + worst);
    }

    /**
     * Processes extended together in shared products give each its own decomposition: the same
     * Gauss rules as extended alone (up to the last bits of the GEMM on a wider block), and each
     * stops at its own target.
     */
    @Test
    void processesExtendedTogetherGiveTheirOwnRules() {
        int n = 90;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 0.3 + 2.0 * i / (n - 1) + 0.05 * Math.cos(i);
        }
        ExplicitCovariance op = dense(withSpectrum(lambda, 5));
        double[] x = gaussian(3, n, 6);
        double[] z = gaussian(5, n, 7);
        BlockLanczos a = new BlockLanczos(op, 3, x);
        BlockLanczos b = new BlockLanczos(op, 5, z);
        BlockLanczos.extendTogether(op, new BlockLanczos[] {a, b}, new int[] {6, 4});
        assertEquals(6, a.steps());
        assertEquals(4, b.steps());
        BlockLanczos aloneA = new BlockLanczos(op, 3, x);
        aloneA.extend(6);
        BlockLanczos aloneB = new BlockLanczos(op, 5, z);
        aloneB.extend(4);
        assertSameRule(aloneA.gaussRule(6), a.gaussRule(6), 1e-12);
        assertSameRule(aloneB.gaussRule(4), b.gaussRule(4), 1e-12);
        // a process on another operator is refused
        BlockLanczos other = new BlockLanczos(dense(withSpectrum(lambda, 8)), 3, x);
        assertThrows(IllegalArgumentException.class,
                () -> BlockLanczos.extendTogether(op, new BlockLanczos[] {a, other}, new int[] {7, 1}));
    }

    /**
     * A declared last step computes only its entries of T (one projection instead of two and no
     * QR of the residual): the rule equals the full path's to round-off of the entries (O(ε‖Ω‖),
     * 1e-12 relative with margin on eigenvalues and projections of order 1), still exact to degree
     * 2m − 1, and the process stops there.
     */
    @Test
    void aDeclaredLastStepGivesTheSameRule() {
        int n = 80;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 0.2 + 3.0 * i / (n - 1) + 0.1 * Math.sin(i);
        }
        ExplicitCovariance op = dense(withSpectrum(lambda, 1));
        double[] x = gaussian(3, n, 2);
        int m = 5;
        BlockLanczos full = new BlockLanczos(op, 3, x);
        full.extend(m);
        BlockLanczos last = new BlockLanczos(op, 3, x);
        last.lastStep(m);
        last.extend(m + 3);
        assertEquals(m, last.steps());
        assertEquals(0, last.pendingVectors(m + 3));
        assertSameRule(full.gaussRule(m), last.gaussRule(m), 1e-12);
        BlockGaussRule rule = last.gaussRule(m);
        for (int degree = 0; degree <= 2 * m - 1; degree++) {
            double[] exact = directMoment(op, 3, x, degree);
            double[] got = rule.moment(degree);
            double scale = maxAbs(exact);
            for (int i = 0; i < exact.length; i++) {
                assertEquals(exact[i], got[i], MOMENT_ROUND_OFF * scale, "degree " + degree + " entry " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> last.lastStep(m - 1));
    }

    private static void assertSameRule(BlockGaussRule expected, BlockGaussRule actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int j = 0; j < expected.size(); j++) {
            assertEquals(expected.nodes()[j], actual.nodes()[j], tolerance * maxAbs(expected.nodes()), "node " + j);
        }
        // Ritz vectors are defined up to sign: compare y_j y_jᵀ through |y_jc|
        double scale = maxAbs(expected.projections());
        for (int i = 0; i < expected.projections().length; i++) {
            assertEquals(Math.abs(expected.projections()[i]), Math.abs(actual.projections()[i]), tolerance * scale,
                    "projection " + i);
        }
    }

    @Test
    void fewDistinctEigenvaluesExhaustTheKrylovSpaceAndMakeTheRuleExact() {
        int n = 60;
        double[] lambda = new double[n];
        double[] levels = {0.5, 1.0, 2.5, 4.0};
        for (int i = 0; i < n; i++) {
            lambda[i] = levels[i % levels.length];
        }
        ExplicitCovariance op = dense(withSpectrum(lambda, 3));
        int p = 2;
        double[] x = gaussian(p, n, 4);
        BlockLanczos lanczos = new BlockLanczos(op, p, x);
        lanczos.extend(50);
        assertTrue(lanczos.exhausted());
        // the Krylov space of a block of 2 under 4 distinct eigenvalues has dimension 8
        assertEquals(8, lanczos.size(lanczos.steps()));
        BlockGaussRule rule = lanczos.gaussRule(lanczos.steps());
        assertTrue(rule.exact());
        for (double node : rule.nodes()) {
            double nearest = Double.MAX_VALUE;
            for (double l : levels) {
                nearest = Math.min(nearest, Math.abs(node - l));
            }
            assertEquals(0.0, nearest, 1e-12, "node " + node);
        }
        for (int degree = 0; degree <= 30; degree += 6) {
            double[] exact = directMoment(op, p, x, degree);
            double[] got = rule.moment(degree);
            for (int i = 0; i < p * p; i++) {
                assertEquals(exact[i], got[i], 1e-10 * maxAbs(exact), "degree " + degree);
            }
        }
    }

    @Test
    void aDependentStartVectorDeflatesAndKeepsItsProjections() {
        int n = 50;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 1 + i;
        }
        ExplicitCovariance op = dense(withSpectrum(lambda, 5));
        double[] two = gaussian(2, n, 6);
        double[] x = new double[3 * n];
        System.arraycopy(two, 0, x, 0, 2 * n);
        for (int i = 0; i < n; i++) {
            x[2 * n + i] = 2 * two[i] - 0.5 * two[n + i];
        }
        BlockLanczos lanczos = new BlockLanczos(op, 3, x);
        lanczos.extend(4);
        // the first block keeps two directions, so every later block has at most two
        assertEquals(2 * 4, lanczos.size(4));
        BlockGaussRule rule = lanczos.gaussRule(4);
        for (int degree = 0; degree <= 7; degree++) {
            double[] exact = directMoment(op, 3, x, degree);
            double[] got = rule.moment(degree);
            for (int i = 0; i < 9; i++) {
                assertEquals(exact[i], got[i], MOMENT_ROUND_OFF * maxAbs(exact), "degree " + degree);
            }
        }
    }

    /**
     * Orthonormality of the basis: inner products of unit vectors of length N ≤ 300 computed in
     * double carry ~√N·ε ≈ 2e-15; CGS2 with Cholesky QR or Householder and a final pass keep the
     * loss at that level, so 1e-13 leaves a margin of ~50.
     */
    static final double ORTHONORMALITY = 1e-13;

    /**
     * The Lanczos relation Ω Q_m = Q_{m+1} T_{m+1, m}, relative to ‖Ω‖: each entry of Ω q sums N
     * products and carries ≲ N·ε·‖Ω‖ ≈ 3e-14·‖Ω‖ at N = 300; 1e-12 leaves a margin of ~30.
     */
    static final double RELATION_ROUND_OFF = 1e-12;

    /** max |QQᵀ − I| and max |Ω Q_{1:s} − Q T[:, 1:s]| / ‖Ω‖ of the decomposition so far. */
    static void assertOrthonormalBasisAndLanczosRelation(BlockLanczos lanczos, ExplicitCovariance op,
                                                         double normOmega, String label) {
        int n = op.dimension();
        int b = lanczos.basisSize();
        int s = lanczos.size(lanczos.steps());
        double[] q = lanczos.basisRows();
        double[] gram = new double[b * b];
        LinearAlgebra.get().gemm(false, true, b, b, n, 1.0, q, q, 0.0, gram);
        double worst = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                worst = Math.max(worst, Math.abs(gram[i * b + j] - (i == j ? 1.0 : 0.0)));
            }
        }
        assertTrue(worst <= ORTHONORMALITY, label + ": basis of " + b + " off orthonormal by " + worst);
        // rows: (Ω Q_{1:s})ᵀ as s × N, against T[1:s, :]·Q = (Q ᵀ T[:, 1:s])ᵀ by symmetry of T
        double[] omegaQ = new double[s * n];
        op.apply(s, q, omegaQ);
        double[] t = lanczos.projectedMatrix();
        double[] ts = new double[s * b];
        System.arraycopy(t, 0, ts, 0, s * b);
        double[] qt = new double[s * n];
        LinearAlgebra.get().gemm(false, false, s, n, b, 1.0, ts, q, 0.0, qt);
        double residual = 0;
        for (int i = 0; i < s * n; i++) {
            residual = Math.max(residual, Math.abs(omegaQ[i] - qt[i]));
        }
        assertTrue(residual <= RELATION_ROUND_OFF * normOmega, label + ": Lanczos relation off by "
                + residual / normOmega + " of ||Omega||");
    }

    @Test
    void choleskyQrKeepsTheBasisOrthonormalAndTheLanczosRelation() {
        int n = 300;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            // a bulk with outliers: the extreme Ritz values converge and orthogonality is lost fast
            lambda[i] = i < 5 ? 50.0 + 10 * i : 0.5 + 0.001 * i;
        }
        ExplicitCovariance op = dense(withSpectrum(lambda, 21));
        BlockLanczos lanczos = new BlockLanczos(op, 4, gaussian(4, n, 22));
        lanczos.extend(20);
        assertEquals(80, lanczos.size(20));
        assertEquals(0, lanczos.pivotedBlocks(), "a well-conditioned block takes Cholesky QR");
        assertOrthonormalBasisAndLanczosRelation(lanczos, op, 90.0, "well-conditioned");
    }

    @Test
    void aNearlyDependentBlockGoesThroughPivotedQrAndStaysOrthonormal() {
        int n = 200;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 1 + 0.05 * i;
        }
        ExplicitCovariance op = dense(withSpectrum(lambda, 23));
        double[] two = gaussian(2, n, 24);
        double[] noise = gaussian(1, n, 25);
        double[] x = new double[3 * n];
        System.arraycopy(two, 0, x, 0, 2 * n);
        for (int i = 0; i < n; i++) {
            // remaining norm ~1e-8 of the row: below the Cholesky resolution, above the deflation threshold
            x[2 * n + i] = 2 * two[i] - 0.5 * two[n + i] + 1e-9 * noise[i];
        }
        BlockLanczos lanczos = new BlockLanczos(op, 3, x);
        assertEquals(1, lanczos.pivotedBlocks(), "the start block needs pivoted QR");
        assertEquals(3, lanczos.basisSize(), "a direction above the threshold is kept");
        lanczos.extend(8);
        assertOrthonormalBasisAndLanczosRelation(lanczos, op, lambda[n - 1], "nearly dependent start");
        BlockGaussRule rule = lanczos.gaussRule(8);
        for (int degree = 0; degree <= 15; degree++) {
            double[] exact = directMoment(op, 3, x, degree);
            double[] got = rule.moment(degree);
            for (int i = 0; i < 9; i++) {
                assertEquals(exact[i], got[i], MOMENT_ROUND_OFF * maxAbs(exact), "degree " + degree);
            }
        }
    }

    @Test
    void anExhaustedSpaceDeflatesHonestlyAndStaysOrthonormal() {
        int n = 120;
        double[] lambda = new double[n];
        double[] levels = {0.3, 1.0, 1.7, 2.0, 5.0};
        for (int i = 0; i < n; i++) {
            lambda[i] = levels[i % levels.length];
        }
        ExplicitCovariance op = dense(withSpectrum(lambda, 26));
        BlockLanczos lanczos = new BlockLanczos(op, 3, gaussian(3, n, 27));
        lanczos.extend(40);
        assertTrue(lanczos.exhausted());
        assertEquals(15, lanczos.size(lanczos.steps()), "3 vectors under 5 distinct eigenvalues span 15 directions");
        assertOrthonormalBasisAndLanczosRelation(lanczos, op, 5.0, "exhausted");
    }

    @Test
    void rejectsAZeroStartBlockAndStepsOutOfRange() {
        ExplicitCovariance op = dense(withSpectrum(new double[] {1, 2, 3}, 7));
        assertThrows(IllegalArgumentException.class, () -> new BlockLanczos(op, 1, new double[3]));
        BlockLanczos lanczos = new BlockLanczos(op, 1, new double[] {1, 0, 0});
        lanczos.extend(1);
        assertThrows(IllegalArgumentException.class, () -> lanczos.gaussRule(2));
        assertThrows(IllegalArgumentException.class, () -> lanczos.gaussRule(0));
    }
}
