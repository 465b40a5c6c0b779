package org.gequiv.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.GaussianEquivalentGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.junit.jupiter.api.Test;

class FieldDiagnosticsTest {

    private static boolean isDistance(String name) {
        return name.startsWith("w1_") || name.startsWith("ks_");
    }

    @Test
    void exactGaussianFieldsAreNotResolved() {
        // fields drawn from N(μ, C) itself, with a replicate index the floors never use
        GaussianFieldLaw law = new GaussianFieldLaw(2, 1, new double[] {0.1, 0, 0},
                new double[] {1.0, 0.2, 0.3, 0.2, 0.8, 0.1, 0.3, 0.1, 1.2});
        FieldDiagnosticsSpec spec = FieldDiagnosticsSpec.of(20_000, 31);
        double[] fields = FieldSampler.sampleGaussian(law, spec.samples(), spec.batch(), 999, 0, 2);
        FieldReport r = FieldDiagnostics.compare(fields, new String[] {"lambda_1", "lambda_2", "nu_1"}, law, 10, 5,
                spec, FieldDiagnostics.nullFloors(spec));
        for (FieldStatistic s : r.statistics()) {
            if (isDistance(s.name()) || s.name().endsWith("_error")) {
                assertFalse(s.resolved(), s.name() + " = " + s.value() + ", floor " + s.floor());
            }
            // a null statistic lies within a few spreads of its floor (5 spreads: < 1e-4 for W1/KS)
            assertTrue(s.magnitude() < s.floor() + 5 * s.floorSpread(), s.name());
        }
    }

    @Test
    void floorsHaveTheKnownNullScale() {
        // E|skew| ≈ √(6/P)·√(2/π), E|kurt| ≈ √(24/P)·√(2/π), E[√P·KS] ≈ 0.8687 for large P;
        // 16 replicates pin the means to about 15% (half-normal) and 8% (KS)
        int p = 20_000;
        NullFloors f = NullFloors.compute(p, 16, 5, 2);
        double halfNormal = Math.sqrt(2 / Math.PI);
        assertEquals(Math.sqrt(6.0 / p) * halfNormal, f.mean()[NullFloors.SKEWNESS], 0.35 * Math.sqrt(6.0 / p));
        assertEquals(Math.sqrt(24.0 / p) * halfNormal, f.mean()[NullFloors.KURTOSIS], 0.35 * Math.sqrt(24.0 / p));
        assertEquals(0.8687 / Math.sqrt(p), f.mean()[NullFloors.KS], 0.2 / Math.sqrt(p));
    }

    @Test
    void gaussianEquivalentGeneratorPassesAndTheSignGeneratorIsResolvedAtSmallN() {
        // N = 12, D = 6: the sign generator's student fields are visibly non-Gaussian (W1 ≈ 0.05
        // against a floor ≈ 0.006), while its Gaussian equivalent, which has the same moments, is
        // Gaussian by construction: its distances stay unresolved.
        int n = 12;
        int d = 6;
        DeepRandomGenerator sign = DeepRandomGenerator.singleLayer(d, n, StandardActivation.SIGN, CovarianceRule.EXACT, 4);
        Moments m = sign.analyticMoments().orElseThrow();
        Generator gaussian = new GaussianEquivalentGenerator(m, sign.id());
        FieldWeights w = WeightSpec.of(WeightKind.GAUSSIAN).draw(n, d, 2);
        FieldDiagnosticsSpec spec = FieldDiagnosticsSpec.of(20_000, 8);
        FieldReport real = FieldDiagnostics.diagnose(sign, m, w, spec);
        FieldReport equivalent = FieldDiagnostics.diagnose(gaussian, m, w, spec);
        for (String f : new String[] {"lambda_1", "lambda_2"}) {
            assertTrue(real.statistic("w1_" + f).resolved(), "w1_" + f);
            assertTrue(real.statistic("ks_" + f).resolved(), "ks_" + f);
        }
        for (FieldStatistic s : equivalent.statistics()) {
            if (isDistance(s.name())) {
                assertFalse(s.resolved(), s.name() + " = " + s.value() + ", floor " + s.floor());
            }
        }
        // the latent teacher fields are exactly Gaussian under both
        for (String f : new String[] {"w1_nu_1", "ks_nu_1", "w1_nu_2", "ks_nu_2"}) {
            assertFalse(real.statistic(f).resolved(), f);
        }
    }
}
