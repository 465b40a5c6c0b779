package org.gequiv.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The plain spectral measure (docs/theory.md §5.12): eigenvalues only, and stochastic Lanczos quadrature. */
class PlainMeasureTest {

    static double moment(PlainMeasure m, int degree) {
        double s = 0;
        for (int j = 0; j < m.size(); j++) {
            s += m.weights()[j] * Math.pow(m.nodes()[j], degree);
        }
        return s;
    }

    @Test
    void eigenvaluesOnlyEqualTheFullDecompositionsValues() {
        double[] lambda = new double[40];
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = 0.1 + i * i / 100.0;
        }
        double[] omega = BlockLanczosTest.withSpectrum(lambda, 21);
        PlainMeasure m = PlainMeasure.eigenvalues(40, omega);
        double[] full = LinearAlgebra.get().symmetricEigen(40, omega).values();
        // both from LAPACK's dsyevd on the same matrix: the same tridiagonal reduction
        for (int i = 0; i < 40; i++) {
            assertEquals(full[i], m.nodes()[i], 1e-12 * lambda[39]);
            assertEquals(lambda[i], m.nodes()[i], 1e-12 * lambda[39]);
        }
        assertEquals(40.0, m.mass());
    }

    @Test
    void stochasticWeightsHaveMassNAndMatchTheExactLowMoments() {
        int n = 400;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 0.3 + (i < 20 ? 5 + i * 0.5 : 0.02 * Math.sin(i));
        }
        ExplicitCovariance op = BlockLanczosTest.dense(BlockLanczosTest.withSpectrum(lambda, 22));
        double[] traces = op.powerTraces();
        PlainMeasure plain = PlainMeasure.stochastic(op, 8, 10, 3);
        // Rademacher probes have ‖z‖² = N exactly; the rule keeps degree 0 exactly
        assertEquals(n, plain.mass(), 1e-10 * n);
        PlainMeasure matched = PlainMeasure.stochastic(op, 8, 10, 3, traces);
        for (int a = 0; a <= 2; a++) {
            assertEquals(traces[a], moment(matched, a), 1e-10 * traces[a], "degree " + a);
            for (double[] group : matched.groupWeights()) {
                PlainMeasure h = new PlainMeasure(PlainMeasure.Method.STOCHASTIC, matched.nodes(), group, null, 2);
                assertEquals(traces[a], moment(h, a), 1e-10 * traces[a], "group, degree " + a);
            }
        }
        assertTrue(Arrays.stream(matched.weights()).allMatch(w -> w >= 0));
    }

    @Test
    void stochasticTraceOfACubeIsWithinItsSamplingError() {
        int n = 300;
        double[] lambda = new double[n];
        double exact = 0;
        double frobenius = 0;
        for (int i = 0; i < n; i++) {
            lambda[i] = 0.5 + 1.5 * i / n;
            exact += Math.pow(lambda[i], 3);
            frobenius += Math.pow(lambda[i], 6);
        }
        ExplicitCovariance op = BlockLanczosTest.dense(BlockLanczosTest.withSpectrum(lambda, 23));
        int probes = 16;
        // 10 block steps integrate degree 3 exactly, so only Hutchinson's error is left; its variance
        // for Rademacher probes is 2 Σ_{i≠j} (Ω³)_ij² / P ≤ 2 ‖Ω³‖_F² / P; 4 standard deviations
        // (a two-sided 6e-5 level) bound it for this fixed seed
        PlainMeasure m = PlainMeasure.stochastic(op, probes, 10, 4);
        double sigma = Math.sqrt(2 * frobenius / probes);
        assertEquals(exact, moment(m, 3), 4 * sigma);
    }

    /**
     * Ω = c·I + ΦΦᵀ (D spikes on a flat bulk): Ω[Φ, G] spans the spike space plus G's share of the bulk,
     * on which the deterministic rule is exact, and every probe projected off it lies in an
     * eigenspace of c, so the deflated measure is exact for every f (docs/theory.md §5.12) — to
     * round-off, here for powers up to 8 and for exp(−ρ).
     */
    @Test
    void deflatedMeasureIsExactForSpikesOnAFlatBulk() {
        int n = 300;
        int d = 12;
        java.util.Random rng = new java.util.Random(5);
        double[] phi = new double[n * d];
        for (int i = 0; i < phi.length; i++) {
            phi[i] = rng.nextGaussian() / Math.sqrt(d);
        }
        double c = 0.4;
        double[] omega = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double acc = i == j ? c : 0;
                for (int a = 0; a < d; a++) {
                    acc += phi[i * d + a] * phi[j * d + a];
                }
                omega[i * n + j] = acc;
            }
        }
        ExplicitCovariance op = new ExplicitCovariance(n, d, omega, phi);
        PlainMeasure exact = PlainMeasure.eigenvalues(n, omega);
        PlainMeasure deflated = PlainMeasure.deflated(op, 8, 4, 3, 1, op.powerTraces());
        assertEquals(n, deflated.mass(), 1e-10 * n);
        for (int degree = 0; degree <= 8; degree++) {
            double want = moment(exact, degree);
            assertEquals(want, moment(deflated, degree), 1e-10 * want, "degree " + degree);
        }
        double want = 0;
        double got = 0;
        for (int j = 0; j < exact.size(); j++) {
            want += Math.exp(-exact.nodes()[j]);
        }
        for (int j = 0; j < deflated.size(); j++) {
            got += deflated.weights()[j] * Math.exp(-deflated.nodes()[j]);
        }
        assertEquals(want, got, 1e-10 * want);
    }

    /** Ω = c·I + ΦΦᵀ with D spikes on N = 300 (the test above), as an operator. */
    private static ExplicitCovariance flatBulk(int n, int d, double c, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        double[] phi = new double[n * d];
        for (int i = 0; i < phi.length; i++) {
            phi[i] = rng.nextGaussian() / Math.sqrt(d);
        }
        double[] omega = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double acc = i == j ? c : 0;
                for (int a = 0; a < d; a++) {
                    acc += phi[i * d + a] * phi[j * d + a];
                }
                omega[i * n + j] = acc;
            }
        }
        return new ExplicitCovariance(n, d, omega, phi);
    }

    /**
     * The rank of the deflation block by definition: D + 8 up to max(N/8, 24) (at most N), the cap
     * beyond.
     */
    @Test
    void deflationRankIsDPlusTheOversamplingUpToItsCap() {
        assertEquals(108, PlainMeasure.deflationRank(3072, 100));
        assertTrue(PlainMeasure.deflationFits(3072, 100));
        assertEquals(384, PlainMeasure.deflationRankCap(3072));
        assertEquals(384, PlainMeasure.deflationRank(3072, 376));
        assertTrue(PlainMeasure.deflationFits(3072, 376));
        assertEquals(384, PlainMeasure.deflationRank(3072, 1536));
        assertTrue(!PlainMeasure.deflationFits(3072, 377));
        assertEquals(2500, PlainMeasure.deflationRank(20_000, 20_000));
        assertEquals(24, PlainMeasure.deflationRank(100, 100));
        assertEquals(23, PlainMeasure.deflationRank(150, 15));
        assertEquals(10, PlainMeasure.deflationRank(10, 50));
        assertEquals(Integer.MAX_VALUE / 8, PlainMeasure.deflationRank(Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    /**
     * Compressing the deterministic part of the deflated measure to s Gauss nodes of its own
     * discrete measure keeps its moments up to degree 2s − 1: on c·I + ΦΦᵀ, where the uncompressed
     * measure is exact for every f, the compressed one (s = 8: 8 instead of the D + 8 = 20 nodes of
     * the invariant block)
     * keeps every moment to degree 15 to round-off, and the probe part is unchanged.
     */
    @Test
    void compressingTheDeflationPartKeepsItsMomentsToDegreeTwiceItsNodes() {
        int n = 300;
        ExplicitCovariance op = flatBulk(n, 12, 0.4, 5);
        PlainMeasure exact = PlainMeasure.eigenvalues(n, op.explicitOmega().orElseThrow());
        PlainMeasure whole = PlainMeasure.deflated(op, 8, 4, 3, 1, op.powerTraces());
        int s = 8;
        PlainMeasure compressed = PlainMeasure.deflated(op, 8, 4, 3, 1, op.powerTraces(), null, 0, s);
        int topNodes = whole.size() - (compressed.size() - s);
        // Ω[Φ, G] spans a space invariant under c·I + ΦΦᵀ: the block's rule is one block of D + 8 = 20 nodes
        assertEquals(20, topNodes);
        for (int degree = 0; degree < 2 * s; degree++) {
            double want = moment(exact, degree);
            assertEquals(want, moment(compressed, degree), 1e-10 * want, "degree " + degree);
            for (double[] group : compressed.groupWeights()) {
                PlainMeasure h = new PlainMeasure(PlainMeasure.Method.DEFLATED, compressed.nodes(), group, null, 2);
                assertEquals(want, moment(h, degree), 1e-10 * want, "group, degree " + degree);
            }
        }
        for (int j = s; j < compressed.size(); j++) {
            assertEquals(whole.nodes()[topNodes + j - s], compressed.nodes()[j], 0.0, "probe node " + j);
        }
        assertThrows(InvalidInputException.class, () -> PlainMeasure.deflated(op, 8, 4, 3, 1, op.powerTraces(), null,
                0, -1));
    }

    /**
     * A deflation block capped below D + 8 (D = 60 spikes at N = 300, cap 37) takes a sketch ΦS of
     * the spike space: the measure keeps the exact mass and its degree-1 and -2 moments (matched),
     * has at most the capped block's 2·37 nodes plus the probes', and its error on the fourth moment is
     * within 4 standard deviations of the plain Hutchinson estimate with the same probes.
     */
    @Test
    void aCappedDeflationSketchesTheSpikeSpaceAndKeepsTheMatchedMoments() {
        int n = 300;
        int d = 60;
        ExplicitCovariance op = flatBulk(n, d, 0.4, 6);
        assertTrue(!PlainMeasure.deflationFits(n, d));
        int r = PlainMeasure.deflationRank(n, d);
        assertEquals(37, r);
        int probes = 8;
        int steps = 4;
        PlainMeasure capped = PlainMeasure.deflated(op, probes, steps, 2, 3, op.powerTraces());
        assertTrue(capped.size() <= 2 * r + probes * steps, "nodes " + capped.size());
        double[] traces = op.powerTraces();
        for (int a = 0; a <= 2; a++) {
            assertEquals(traces[a], moment(capped, a), 1e-10 * traces[a], "degree " + a);
        }
        PlainMeasure exact = PlainMeasure.eigenvalues(n, op.explicitOmega().orElseThrow());
        double sigma = Math.sqrt(2 * moment(exact, 8) / probes);
        assertEquals(moment(exact, 4), moment(capped, 4), 4 * sigma);
    }

    /**
     * On a generator's Ω (single-layer sign, D spikes on a bulk that is not flat) the deflated measure
     * keeps the exact mass and low moments, and its error on tr Ω⁴ stays within 4 standard deviations
     * of the plain Hutchinson estimate with the same probes, sqrt(2‖Ω⁴‖_F²/P) (a bound the
     * deflation only tightens: the removed spikes carry most of ‖Ω⁴‖_F).
     */
    @Test
    void deflatedMeasureOnAGeneratorKeepsTheMomentsAndBeatsThePlainSpread() {
        org.gequiv.generator.DeepRandomGenerator g = org.gequiv.generator.DeepRandomGenerator.singleLayer(20, 400,
                org.gequiv.activation.StandardActivation.SIGN, org.gequiv.generator.CovarianceRule.EXACT, 3);
        ExplicitCovariance op = ExplicitCovariance.of(g.analyticMoments().orElseThrow());
        int n = op.dimension();
        double[] traces = op.powerTraces();
        int probes = 8;
        PlainMeasure deflated = PlainMeasure.deflated(op, probes, 6, 3, 2, traces);
        for (int a = 0; a <= 2; a++) {
            assertEquals(traces[a], moment(deflated, a), 1e-10 * traces[a], "degree " + a);
            for (double[] group : deflated.groupWeights()) {
                PlainMeasure h = new PlainMeasure(PlainMeasure.Method.DEFLATED, deflated.nodes(), group, null, 2);
                assertEquals(traces[a], moment(h, a), 1e-10 * traces[a], "group, degree " + a);
            }
        }
        PlainMeasure exact = PlainMeasure.eigenvalues(n, op.explicitOmega().orElseThrow());
        double fourth = moment(exact, 4);
        double frobenius = moment(exact, 8);
        double sigma = Math.sqrt(2 * frobenius / probes);
        assertEquals(fourth, moment(deflated, 4), 4 * sigma);
        assertEquals(PlainMeasure.Method.DEFLATED, PlainMeasure.Method.byId("deflated"));
    }

    /**
     * A block Gauss rule extended alongside the plain measure (its first step on the product Ω[Φ, G]
     * of the deflated measure, its next ones on the products of the deflation block and the probes,
     * {@link BlockLanczos#extendTogether}) is the rule of the same start block extended alone, and
     * the plain measure is the one computed without a companion, both to round-off
     * ({@link BlockLanczosTest#SAME_RULE}); likewise for the stochastic measure. The companion's
     * target lies beyond the probes' declared last step, so it also keeps stepping alone inside
     * the shared call, and afterwards by {@link BlockLanczos#extend}.
     */
    @Test
    void aRuleExtendedAlongsideThePlainMeasureIsTheRuleAlone() {
        org.gequiv.generator.DeepRandomGenerator g = org.gequiv.generator.DeepRandomGenerator.singleLayer(10, 160,
                org.gequiv.activation.StandardActivation.TANH, org.gequiv.generator.CovarianceRule.EXACT, 4);
        ExplicitCovariance op = ExplicitCovariance.of(g.analyticMoments().orElseThrow());
        double[] traces = op.powerTraces();
        double[] x = BlockLanczosTest.gaussian(4, op.dimension(), 41);
        int probes = 8;
        BlockLanczos alone = new BlockLanczos(op, 4, x);
        alone.extend(10);
        for (boolean deflate : new boolean[] {true, false}) {
            BlockLanczos companion = new BlockLanczos(op, 4, x);
            PlainMeasure shared = deflate
                    ? PlainMeasure.deflated(op, probes, 5, 2, 7, traces, companion, 8)
                    : PlainMeasure.stochastic(op, probes, 5, 7, traces, companion, 8);
            PlainMeasure apart = deflate
                    ? PlainMeasure.deflated(op, probes, 5, 2, 7, traces)
                    : PlainMeasure.stochastic(op, probes, 5, 7, traces);
            assertEquals(8, companion.steps(), "the companion reaches its own target");
            companion.extend(10);
            String label = deflate ? "deflated" : "stochastic";
            // ‖Ω‖ from the largest Ritz value, which has converged to round-off at 10 steps
            double norm = alone.gaussRule(10).nodes()[alone.gaussRule(10).size() - 1];
            BlockLanczosTest.assertOrthonormalBasisAndLanczosRelation(companion, op, norm, label);
            for (int m = 1; m <= 10; m++) {
                BlockGaussRule want = alone.gaussRule(m);
                BlockGaussRule got = companion.gaussRule(m);
                assertEquals(want.size(), got.size(), label + ", m = " + m);
                for (int j = 0; j < want.size(); j++) {
                    double scale = Math.abs(want.nodes()[want.size() - 1]);
                    assertEquals(want.nodes()[j], got.nodes()[j], BlockLanczosTest.SAME_RULE * scale,
                            label + ", m = " + m + ", node " + j);
                }
                for (int degree = 0; degree < 2 * m; degree++) {
                    double[] a = want.moment(degree);
                    double[] b = got.moment(degree);
                    double scale = BlockLanczosTest.maxAbs(a);
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(a[i], b[i], BlockLanczosTest.SAME_RULE * scale,
                                label + ", m = " + m + ", degree " + degree);
                    }
                }
            }
            assertEquals(apart.size(), shared.size(), label);
            double top = apart.nodes()[apart.size() - 1];
            for (int j = 0; j < apart.size(); j++) {
                assertEquals(apart.nodes()[j], shared.nodes()[j], BlockLanczosTest.SAME_RULE * top, label + " node " + j);
                assertEquals(apart.weights()[j], shared.weights()[j], BlockLanczosTest.SAME_RULE * op.dimension(),
                        label + " weight " + j);
                for (int k = 0; k < apart.groupWeights().length; k++) {
                    assertEquals(apart.groupWeights()[k][j], shared.groupWeights()[k][j],
                            BlockLanczosTest.SAME_RULE * op.dimension(), label + " group " + k + " weight " + j);
                }
            }
        }
    }

    @Test
    void compressionIsTheGaussRuleOfTheDiscreteMeasure() {
        double[] lambda = new double[500];
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = 0.3 + (i < 50 ? 2 + 0.3 * i : 0.01 * Math.cos(i));
        }
        PlainMeasure all = PlainMeasure.ofEigenvalues(lambda);
        int steps = 12;
        PlainMeasure gauss = all.compressed(steps);
        assertEquals(steps, gauss.size());
        // exact for degree ≤ 2·steps − 1 = 23; relative round-off ~ degree·ε·(ρ_max/ρ_typ)^0 on sums of
        // positive terms
        for (int degree = 0; degree < 2 * steps; degree++) {
            double exact = moment(all, degree);
            assertEquals(exact, moment(gauss, degree), 1e-11 * exact, "degree " + degree);
        }
        assertTrue(Arrays.stream(gauss.weights()).allMatch(w -> w > 0));
        assertThrows(InvalidInputException.class, () -> all.compressed(0));
    }

    @Test
    void invalidSettingsAreRefusedAsUserInput() {
        ExplicitCovariance op = BlockLanczosTest.dense(BlockLanczosTest.withSpectrum(new double[] {1, 2, 3}, 1));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlainMeasure.stochastic(op, 1, 3, 0));
        assertEquals("probes", e.field());
        assertThrows(InvalidInputException.class, () -> PlainMeasure.Method.byId("exactly"));
        assertEquals(PlainMeasure.Method.STOCHASTIC, PlainMeasure.Method.byId(" Stochastic "));
        assertArrayEquals(new double[] {1, 1}, PlainMeasure.ofEigenvalues(new double[] {2, 3}).weights());
    }
}
