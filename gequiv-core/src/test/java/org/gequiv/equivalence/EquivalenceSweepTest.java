package org.gequiv.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Acceptance of issue 5 on the single-layer sign generator x = sign(Ac/√D) (docs/theory.md §2.3, §2.5)
 * with its exact (arcsine) moments, so that what is measured is the shape of the field law, not a
 * moment error.
 *
 * <p>Sizes: with exact moments the student fields are already Gaussian to within the floor of 10⁵
 * samples (W₁ ≈ 0.003) from N ≈ 100 on, so a decay can only be resolved below that; the default tier
 * sweeps N = 8 … 64 at δ = 1/2. The slow tier shows the sizes 250 … 2000 of the issue.
 */
class EquivalenceSweepTest {

    private static final EquivalenceSweep.GeneratorFactory SIGN =
            (n, d, seed) -> DeepRandomGenerator.singleLayer(d, n, StandardActivation.SIGN, CovarianceRule.EXACT, seed);

    private static final String[] STUDENT_DISTANCES = {"w1_lambda_1", "ks_lambda_1", "w1_lambda_2", "ks_lambda_2"};

    private static boolean isDistance(String name) {
        return name.startsWith("w1_") || name.startsWith("ks_");
    }

    @Test
    void gaussianWeightsEveryResolvedDistanceDecays() {
        // 3 instances per size average out the instance-to-instance scatter of the deviation
        // (a factor 2–3 at equal N); 6·10^4 samples resolve W1 down to ≈ 0.008
        List<SweepSize> sizes = SweepSize.fixedRatio(new int[] {8, 11, 16, 23, 32, 45, 64}, 0.5);
        EquivalenceSweep.Result r = EquivalenceSweep.run(SIGN, sizes, WeightSpec.of(WeightKind.GAUSSIAN),
                FieldDiagnosticsSpec.of(60_000, 1), 3);
        for (String s : STUDENT_DISTANCES) {
            RateFit f = r.rate(s);
            assertEquals(RateFit.Verdict.DECAYS, f.verdict(), s + ": " + f);
            assertTrue(f.ciHigh() < 0, s);
        }
        assertEquals(RateFit.Verdict.DECAYS, r.rate("w1_sliced").verdict());
        assertEquals(RateFit.Verdict.DECAYS, r.rate("ks_sliced").verdict());
        // no distance is ever found flat or growing; the latent teacher fields are exactly Gaussian
        for (RateFit f : r.rates()) {
            if (isDistance(f.statistic())) {
                assertTrue(EnumSet.of(RateFit.Verdict.DECAYS, RateFit.Verdict.NOT_RESOLVED,
                        RateFit.Verdict.INCONCLUSIVE).contains(f.verdict()), f.toString());
            }
            if (f.statistic().contains("_nu_")) {
                assertEquals(RateFit.Verdict.NOT_RESOLVED, f.verdict(), f.toString());
            }
        }
    }

    @Test
    void localisedWeightsDoNotDecay() {
        // w_k on 4 input coordinates: λ_k = Σ ±sign(a_i·c/√D)/2 takes five values at every N, so its
        // W1 distance to a Gaussian stays ≈ 0.25 (floor ≈ 0.007 at 2·10^4 samples)
        List<SweepSize> sizes = SweepSize.fixedRatio(new int[] {32, 64, 128, 256, 512}, 0.5);
        EquivalenceSweep.Result r = EquivalenceSweep.run(SIGN, sizes, WeightSpec.of(WeightKind.LOCALISED),
                FieldDiagnosticsSpec.of(20_000, 1), 1);
        for (String s : STUDENT_DISTANCES) {
            RateFit f = r.rate(s);
            assertEquals(sizes.size(), f.resolvedPoints(), s + " is resolved at every size");
            assertNotEquals(RateFit.Verdict.DECAYS, f.verdict(), s + ": " + f);
            assertTrue(f.exponent() > -0.15, s + ": " + f);
        }
        for (String s : new String[] {"w1_lambda_1", "w1_lambda_2"}) {
            assertEquals(RateFit.Verdict.NO_DECAY, r.rate(s).verdict(), s);
            for (SizeSummary summary : r.summaries()) {
                assertTrue(summary.statistic(s).value() > 0.2, s + " at N = " + summary.size().n());
            }
        }
    }

    @Test
    void atFixedLatentDimensionTheDistanceDoesNotDecay() {
        // D = 8 fixed: λ is a function of 8 Gaussian variables whatever N, and its law keeps a
        // finite-D deviation from the Gaussian, so no decay can be established
        List<SweepSize> sizes = SweepSize.fixedLatent(new int[] {16, 32, 64, 128}, 8);
        EquivalenceSweep.Result r = EquivalenceSweep.run(SIGN, sizes, WeightSpec.of(WeightKind.GAUSSIAN),
                FieldDiagnosticsSpec.of(40_000, 1), 2);
        for (String s : new String[] {"w1_lambda_1", "w1_lambda_2", "w1_sliced"}) {
            assertNotEquals(RateFit.Verdict.DECAYS, r.rate(s).verdict(), s + ": " + r.rate(s));
        }
    }

    @Test
    @Tag("slow")
    void issueSizesWithATenthOfAMillionSamples() {
        // N = 250 … 2000 at δ = 1/2 with 10^5 samples: Gaussian weights are Gaussian to within the
        // floor (nothing to fit, never a decay claimed from noise), localised ones stay far from it
        int[] n = {250, 500, 1000, 2000};
        FieldDiagnosticsSpec spec = FieldDiagnosticsSpec.of(100_000, 1);
        EquivalenceSweep.Result gauss = EquivalenceSweep.run(SIGN, SweepSize.fixedRatio(n, 0.5),
                WeightSpec.of(WeightKind.GAUSSIAN), spec, 1);
        for (RateFit f : gauss.rates()) {
            if (isDistance(f.statistic())) {
                assertNotEquals(RateFit.Verdict.NO_DECAY, f.verdict(), f.toString());
                assertNotEquals(RateFit.Verdict.GROWS, f.verdict(), f.toString());
            }
        }
        for (SizeSummary s : gauss.summaries()) {
            assertTrue(s.statistic("w1_lambda_1").value() < 0.01, "N = " + s.size().n());
        }
        EquivalenceSweep.Result local = EquivalenceSweep.run(SIGN, SweepSize.fixedRatio(n, 0.5),
                WeightSpec.of(WeightKind.LOCALISED), spec, 1);
        for (String s : new String[] {"w1_lambda_1", "w1_lambda_2"}) {
            assertEquals(RateFit.Verdict.NO_DECAY, local.rate(s).verdict(), s + ": " + local.rate(s));
        }
    }
}
