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

    /**
     * Shared products, checked against the definitions: two processes extended together, one of them
     * with a declared last step, keep an orthonormal basis, the Lanczos relation (the continuing
     * one) and T = QᵀΩQ over the whole basis (the declared one, whose last block has no residual), and
     * give the rules of the same processes run alone to round-off ({@link #SAME_RULE}).
     */
    @Test
    void sharedProductsKeepOrthonormalityTheLanczosRelationAndTheRulesAlone() {
        int n = 150;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i < 4 ? 20.0 + 5 * i : 0.4 + 1.6 * i / n;
        }
        ExplicitCovariance op = dense(withSpectrum(lambda, 31));
        double[] x = gaussian(4, n, 32);
        double[] z = gaussian(6, n, 33);
        BlockLanczos rule = new BlockLanczos(op, 4, x);
        BlockLanczos probes = new BlockLanczos(op, 6, z);
        probes.lastStep(5);
        BlockLanczos.extendTogether(op, new BlockLanczos[] {rule, probes}, new int[] {9, 12});
        assertEquals(9, rule.steps());
        assertEquals(5, probes.steps(), "the declared last step bounds the target");
        assertEquals(probes.size(5), probes.basisSize(), "a declared last step appends no next block");
        assertOrthonormalBasisAndLanczosRelation(rule, op, lambda[3], "rule extended together");
        assertOrthonormalBasisAndRayleighQuotient(probes, op, lambda[3], "declared last step, extended together");
        // the rule keeps going alone after the shared rounds
        rule.extend(14);
        assertOrthonormalBasisAndLanczosRelation(rule, op, lambda[3], "rule extended on after sharing");
        BlockLanczos ruleAlone = new BlockLanczos(op, 4, x);
        ruleAlone.extend(14);
        BlockLanczos probesAlone = new BlockLanczos(op, 6, z);
        probesAlone.extend(5);
        for (int m : new int[] {1, 5, 9, 14}) {
            assertSameRule(ruleAlone.gaussRule(m), rule.gaussRule(m), SAME_RULE);
        }
        assertSameRule(probesAlone.gaussRule(5), probes.gaussRule(5), SAME_RULE);
    }

    /**
     * The declared last step against an undeclared run of the same length, on a block with
     * deflation (a dependent start vector) and on a well-conditioned one: the same nodes and node
     * weights y_j y_jᵀ to {@link #SAME_RULE}, and the declared process's basis orthonormal with
     * T = QᵀΩQ.
     */
    @Test
    void aDeclaredLastStepEqualsAnUndeclaredRunOfTheSameLength() {
        int n = 120;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 0.5 + 2.5 * i / (n - 1) + 0.07 * Math.sin(3 * i);
        }
        ExplicitCovariance op = dense(withSpectrum(lambda, 34));
        double[] two = gaussian(2, n, 35);
        double[] dependent = new double[3 * n];
        System.arraycopy(two, 0, dependent, 0, 2 * n);
        for (int i = 0; i < n; i++) {
            dependent[2 * n + i] = two[i] - 3 * two[n + i];
        }
        double[][] starts = {gaussian(3, n, 36), dependent};
        for (double[] x : starts) {
            for (int m : new int[] {1, 2, 7}) {
                BlockLanczos undeclared = new BlockLanczos(op, 3, x);
                undeclared.extend(m);
                BlockLanczos declared = new BlockLanczos(op, 3, x);
                declared.lastStep(m);
                declared.extend(m);
                assertEquals(m, declared.steps());
                assertEquals(undeclared.size(m), declared.size(m));
                String label = (x == dependent ? "dependent" : "independent") + " start, m = " + m;
                assertOrthonormalBasisAndRayleighQuotient(declared, op, lambda[n - 1], label);
                BlockGaussRule expected = undeclared.gaussRule(m);
                BlockGaussRule actual = declared.gaussRule(m);
                assertSameRule(expected, actual, SAME_RULE);
                assertSameNodeWeights(expected, actual, SAME_RULE);
            }
        }
    }

    /** Ω of {@code inner}, counting the vectors of every product and the quadratic forms asked of it. */
    private static final class CountingOperator implements SymmetricOperator {
        final ExplicitCovariance inner;
        final java.util.List<Integer> products = new java.util.ArrayList<>();
        final java.util.List<Integer> forms = new java.util.ArrayList<>();

        CountingOperator(ExplicitCovariance inner) {
            this.inner = inner;
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public void apply(int p, double[] v, double[] out) {
            products.add(p);
            inner.apply(p, v, out);
        }

        @Override
        public void quadraticForm(int p, double[] v, double[] out) {
            forms.add(p);
            inner.quadraticForm(p, v, out);
        }
    }

    /**
     * The quadratic form by definition: the default of {@link SymmetricOperator#quadraticForm} (from
     * the product), the explicit Ω's half-flop form from its lower triangle, and that of
     * {@link SymmetricOperator#ofLowerTriangle} on a copy whose strict upper triangle holds other
     * numbers all equal V(ΩV)ᵀ symmetrised, to the round-off of sums of N² = 1.7e4 products of O(1)
     * numbers (1e-12 of the largest entry), exactly symmetric; the last one's products are ΩV to
     * the same round-off, and a matrix of the wrong size is refused.
     */
    @Test
    void quadraticFormsEqualTheBlockTimesItsProduct() {
        int n = 130;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 0.1 + 3.0 * i / n;
        }
        ExplicitCovariance dense = dense(withSpectrum(lambda, 40));
        SymmetricOperator byProduct = new SymmetricOperator() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public void apply(int p, double[] v, double[] out) {
                dense.apply(p, v, out);
            }
        };
        int p = 7;
        double[] v = gaussian(p, n, 41);
        double[] w = new double[p * n];
        dense.apply(p, v, w);
        double[] expected = new double[p * p];
        LinearAlgebra.get().gemm(false, true, p, p, n, 1.0, v, w, 0.0, expected);
        double scale = maxAbs(expected);
        double[] lowerOnly = dense.explicitOmega().orElseThrow().clone();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                lowerOnly[i * n + j] = 1e3 + i - j;
            }
        }
        SymmetricOperator lower = SymmetricOperator.ofLowerTriangle(n, lowerOnly);
        double[] lowerProduct = new double[p * n];
        lower.apply(p, v, lowerProduct);
        double productScale = maxAbs(w);
        for (int i = 0; i < p * n; i++) {
            assertEquals(w[i], lowerProduct[i], 1e-12 * productScale);
        }
        assertThrows(IllegalArgumentException.class, () -> SymmetricOperator.ofLowerTriangle(n, new double[n * n - 1]));
        for (SymmetricOperator op : new SymmetricOperator[] {byProduct, dense, lower}) {
            double[] form = new double[p * p];
            op.quadraticForm(p, v, form);
            for (int r = 0; r < p; r++) {
                for (int c = 0; c < p; c++) {
                    assertEquals(0.5 * (expected[r * p + c] + expected[c * p + r]), form[r * p + c], 1e-12 * scale);
                    assertEquals(form[c * p + r], form[r * p + c], 0.0);
                }
            }
        }
    }

    /**
     * A declared last step of at least {@link BlockLanczos#WIDE_LAST_STEP} vectors leaves the shared
     * product and is computed from its own quadratic form, while a narrow companion keeps the
     * shared products: the wide process (36 vectors, 3 steps) keeps an orthonormal basis with
     * T = QᵀΩQ, its rule is that of an undeclared run of the same length (nodes and node weights to
     * {@link #SAME_RULE}) and exact to degree 2m − 1 ({@link #MOMENT_ROUND_OFF}); the companion's rule
     * is its rule alone; and the products are exactly those of the schedule (36 + 4 twice, then the
     * companion's 4 alone, one quadratic form of 36).
     */
    @Test
    void aWideDeclaredLastStepLeavesTheSharedProductForItsQuadraticForm() {
        int n = 200;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i < 6 ? 8.0 + i : 0.3 + 1.7 * i / n + 0.05 * Math.sin(5 * i);
        }
        ExplicitCovariance dense = dense(withSpectrum(lambda, 37));
        CountingOperator op = new CountingOperator(dense);
        int p = BlockLanczos.WIDE_LAST_STEP + 4;
        int m = 3;
        double[] z = gaussian(p, n, 38);
        double[] x = gaussian(4, n, 39);
        BlockLanczos wide = new BlockLanczos(op, p, z);
        wide.lastStep(m);
        BlockLanczos rule = new BlockLanczos(op, 4, x);
        BlockLanczos.extendTogether(op, new BlockLanczos[] {wide, rule}, new int[] {m, 4});
        assertEquals(java.util.List.of(p + 4, p + 4, 4, 4), op.products, "shared products, then the rule alone");
        assertEquals(java.util.List.of(p), op.forms, "one quadratic form, of the wide last block");
        assertEquals(m, wide.steps());
        assertOrthonormalBasisAndRayleighQuotient(wide, dense, lambda[5], "wide declared last step");
        BlockLanczos undeclared = new BlockLanczos(dense, p, z);
        undeclared.extend(m);
        assertSameRule(undeclared.gaussRule(m), wide.gaussRule(m), SAME_RULE);
        assertSameNodeWeights(undeclared.gaussRule(m), wide.gaussRule(m), SAME_RULE);
        BlockGaussRule got = wide.gaussRule(m);
        for (int degree = 0; degree <= 2 * m - 1; degree++) {
            double[] exact = directMoment(dense, p, z, degree);
            double[] moment = got.moment(degree);
            double scale = maxAbs(exact);
            for (int i = 0; i < exact.length; i++) {
                assertEquals(exact[i], moment[i], MOMENT_ROUND_OFF * scale, "degree " + degree + " entry " + i);
            }
        }
        BlockLanczos ruleAlone = new BlockLanczos(dense, 4, x);
        ruleAlone.extend(4);
        assertSameRule(ruleAlone.gaussRule(4), rule.gaussRule(4), SAME_RULE);
    }

    /**
     * Two rules that differ only by round-off in the entries of T (O(ε‖Ω‖): one projection instead
     * of two, or a GEMM over a wider block): Ritz values move by O(ε‖Ω‖) and Ritz vectors by
     * O(ε‖Ω‖/gap). 1e-11 relative admits a Ritz-value gap down to ~1e-4·‖Ω‖ with a margin of ~50;
     * the differences met in these tests are a few units of the last bit (node 0 of the cases below:
     * 5e-16 to 4e-15 relative), so the tolerance is far from what it has to absorb and far below a
     * genuinely different rule (a wrong T entry moves the nodes by its own size).
     */
    static final double SAME_RULE = 1e-11;

    /** Σ_j y_j y_jᵀ restricted to node j, entry by entry (sign-free), relative to the largest weight. */
    private static void assertSameNodeWeights(BlockGaussRule expected, BlockGaussRule actual, double tolerance) {
        int p = expected.blockSize();
        double scale = 0;
        for (double v : expected.projections()) {
            scale = Math.max(scale, v * v);
        }
        for (int j = 0; j < expected.size(); j++) {
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    double e = expected.projections()[j * p + a] * expected.projections()[j * p + b];
                    double g = actual.projections()[j * p + a] * actual.projections()[j * p + b];
                    assertEquals(e, g, tolerance * scale, "node " + j + " weight (" + a + ", " + b + ")");
                }
            }
        }
    }

    /**
     * For a process with a declared last step, whose basis ends with the last block Q_m (no
     * residual): max |QQᵀ − I|, max |QᵀΩQ − T| / ‖Ω‖ over the whole basis, and the Lanczos relation
     * Ω Q_{1:m−1} = Q T[:, 1:m−1] for the blocks before the last.
     */
    static void assertOrthonormalBasisAndRayleighQuotient(BlockLanczos lanczos, ExplicitCovariance op,
                                                          double normOmega, String label) {
        int n = op.dimension();
        int b = lanczos.basisSize();
        assertEquals(lanczos.size(lanczos.steps()), b, label + ": the basis ends with the last block");
        double[] q = lanczos.basisRows();
        double[] gram = new double[b * b];
        LinearAlgebra.get().gemm(false, true, b, b, n, 1.0, q, q, 0.0, gram);
        double[] omegaQ = new double[b * n];
        op.apply(b, q, omegaQ);
        double[] rayleigh = new double[b * b];
        LinearAlgebra.get().gemm(false, true, b, b, n, 1.0, q, omegaQ, 0.0, rayleigh);
        double[] t = lanczos.projectedMatrix();
        double orthogonality = 0;
        double quotient = 0;
        for (int i = 0; i < b * b; i++) {
            orthogonality = Math.max(orthogonality, Math.abs(gram[i] - (i / b == i % b ? 1.0 : 0.0)));
            quotient = Math.max(quotient, Math.abs(rayleigh[i] - t[i]));
        }
        assertTrue(orthogonality <= ORTHONORMALITY, label + ": basis of " + b + " off orthonormal by " + orthogonality);
        assertTrue(quotient <= RELATION_ROUND_OFF * normOmega, label + ": T off Q^T Omega Q by "
                + quotient / normOmega + " of ||Omega||");
        int s = lanczos.steps() > 1 ? lanczos.size(lanczos.steps() - 1) : 0;
        double residual = 0;
        if (s > 0) {
            double[] ts = new double[s * b];
            System.arraycopy(t, 0, ts, 0, s * b);
            double[] qt = new double[s * n];
            LinearAlgebra.get().gemm(false, false, s, n, b, 1.0, ts, q, 0.0, qt);
            for (int i = 0; i < s * n; i++) {
                residual = Math.max(residual, Math.abs(omegaQ[i] - qt[i]));
            }
        }
        assertTrue(residual <= RELATION_ROUND_OFF * normOmega, label + ": Lanczos relation off by "
                + residual / normOmega + " of ||Omega||");
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
