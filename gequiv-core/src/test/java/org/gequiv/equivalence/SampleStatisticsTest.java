package org.gequiv.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.gequiv.random.RandomStreams;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

class SampleStatisticsTest {

    /** The Taylor-series Φ reaches double precision in absolute terms. */
    private static final double CDF_TOLERANCE = 2e-15;
    /** Exact formulas for tiny samples: only rounding remains. */
    private static final double EXACT_TOLERANCE = 1e-12;

    @Test
    void normalCdfMatchesHipparchusErfc() {
        for (double z = -9; z <= 9; z += 0.01) {
            double expected = 0.5 * Erf.erfc(-z / Math.sqrt(2.0));
            assertEquals(expected, NormalLaw.cdf(z), CDF_TOLERANCE, "Φ(" + z + ")");
        }
    }

    @Test
    void cdfIntegralIsTheAntiderivativeOfPhi() {
        // H(b) − H(a) against a 20000-point midpoint rule of Φ; the rule's error is ~(b−a)³φ'/24n²
        double a = -1.3;
        double b = 2.1;
        int m = 20000;
        double h = (b - a) / m;
        double sum = 0;
        for (int i = 0; i < m; i++) {
            sum += NormalLaw.cdf(a + (i + 0.5) * h) * h;
        }
        assertEquals(sum, NormalLaw.cdfIntegral(b) - NormalLaw.cdfIntegral(a), 1e-9);
        assertEquals(0.0, NormalLaw.cdfIntegral(-40), 0.0);
        assertEquals(1.0 / Math.sqrt(2 * Math.PI), NormalLaw.cdfIntegral(0), EXACT_TOLERANCE);
    }

    @Test
    void singlePointSample() {
        // W1(δ_m, N(m, s²)) = E|sZ| = s√(2/π); KS = sup|1{x ≥ m} − Φ| = 1/2
        double[] x = {0.7};
        assertEquals(2.5 * Math.sqrt(2 / Math.PI), SampleStatistics.wasserstein1ToNormal(x, 1, 0.7, 2.5), EXACT_TOLERANCE);
        assertEquals(0.5, SampleStatistics.kolmogorovSmirnovToNormal(x, 1, 0.7, 2.5), EXACT_TOLERANCE);
    }

    @Test
    void twoPointSampleAgainstQuantileDefinition() {
        // W1 = ∫_0^1 |F_P^{-1}(u) − m − sΦ^{-1}(u)| du evaluated by a fine midpoint rule in u
        double[] x = {-1.0, 0.4};
        double m = 0.2;
        double s = 1.3;
        int grid = 2_000_000;
        double w1 = 0;
        for (int i = 0; i < grid; i++) {
            double u = (i + 0.5) / grid;
            double q = u < 0.5 ? x[0] : x[1];
            w1 += Math.abs(q - m - s * NormalLaw.quantile(u)) / grid;
        }
        // the midpoint rule in u converges slowly at the infinite ends: ~1e-6 at this grid
        assertEquals(w1, SampleStatistics.wasserstein1ToNormal(x, 2, m, s), 2e-6);
        // KS: the jumps at the two points, checked one by one
        double f0 = NormalLaw.cdf((x[0] - m) / s);
        double f1 = NormalLaw.cdf((x[1] - m) / s);
        double ks = Math.max(Math.max(f0, 0.5 - f0), Math.max(f1 - 0.5, 1 - f1));
        assertEquals(ks, SampleStatistics.kolmogorovSmirnovToNormal(x, 2, m, s), EXACT_TOLERANCE);
    }

    @Test
    void quantileSampleOfShiftedNormalHasW1EqualToTheShift() {
        // x_i = a + Φ^{-1}((i + ½)/P): W1 to N(0,1) is |a| up to the O(log P / P) quantisation
        int p = 20000;
        double shift = 0.3;
        double[] x = new double[p];
        for (int i = 0; i < p; i++) {
            x[i] = shift + NormalLaw.quantile((i + 0.5) / p);
        }
        assertEquals(shift, SampleStatistics.wasserstein1ToNormal(x, p, 0.0, 1.0), 1e-3);
        // KS of a shift a is Φ(a/2) − Φ(−a/2) (the sup is at the midpoint), plus ≤ 1/P
        double ks = NormalLaw.cdf(shift / 2) - NormalLaw.cdf(-shift / 2);
        assertEquals(ks, SampleStatistics.kolmogorovSmirnovToNormal(x, p, 0.0, 1.0), 1.0 / p);
        // and against its own law both vanish to the quantisation level
        assertTrue(SampleStatistics.wasserstein1ToNormal(x, p, shift, 1.0) < 1e-3);
        assertTrue(SampleStatistics.kolmogorovSmirnovToNormal(x, p, shift, 1.0) <= 0.5 / p + 1e-12);
    }

    @Test
    void momentsOfASmallSampleByHand() {
        // {0, 0, 3}: deviations −1, −1, 2; m2 = 2, m3 = 2, m4 = 6
        double[] x = {0, 0, 3};
        assertEquals(2 / Math.pow(2, 1.5), SampleStatistics.skewness(x, 3), EXACT_TOLERANCE);
        assertEquals(6.0 / 4.0 - 3.0, SampleStatistics.excessKurtosis(x, 3), EXACT_TOLERANCE);
    }

    @Test
    void gaussianSampleHasVanishingSkewnessAndExcessKurtosis() {
        // sd of the estimators: √(6/P) and √(24/P); 4 sd keeps a false failure below 1e-4
        int p = 200_000;
        double[] x = new double[p];
        RandomStreams.fillGaussian(RandomStreams.stream(11, "skew-test"), x, p);
        assertEquals(0.0, SampleStatistics.skewness(x, p), 4 * Math.sqrt(6.0 / p));
        assertEquals(0.0, SampleStatistics.excessKurtosis(x, p), 4 * Math.sqrt(24.0 / p));
    }

    @Test
    void exponentialSampleHasSkewnessTwoAndExcessKurtosisSix() {
        // Exp(1): skewness 2, excess kurtosis 6; the kurtosis estimator has a heavy tail, so 10%
        int p = 400_000;
        RandomGenerator rng = RandomStreams.stream(12, "exp-test");
        double[] x = new double[p];
        for (int i = 0; i < p; i++) {
            x[i] = -Math.log(1 - rng.nextDouble());
        }
        assertEquals(2.0, SampleStatistics.skewness(x, p), 0.05);
        assertEquals(6.0, SampleStatistics.excessKurtosis(x, p), 0.6);
    }

    @Test
    void gaussianSampleDistancesSitAtTheKnownNullLevel() {
        // under the null, E[√P·KS] → √(π/2)·ln 2 ≈ 0.8687; with one sample allow ±0.6 (about 2.3 sd)
        int p = 50_000;
        double[] x = new double[p];
        RandomStreams.fillGaussian(RandomStreams.stream(13, "ks-null"), x, p);
        Arrays.sort(x);
        double ks = SampleStatistics.kolmogorovSmirnovToNormal(x, p, 0, 1) * Math.sqrt(p);
        assertTrue(ks > 0.2 && ks < 1.5, "√P·KS = " + ks);
        double w1 = SampleStatistics.wasserstein1ToNormal(x, p, 0, 1) * Math.sqrt(p);
        // √P·W1 converges to ∫|B(Φ(z))|dz, whose mean is ∫√(Φ(1−Φ))·√(2/π) dz ≈ 0.85
        assertTrue(w1 > 0.2 && w1 < 2.0, "√P·W1 = " + w1);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> SampleStatistics.wasserstein1ToNormal(new double[1], 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SampleStatistics.kolmogorovSmirnovToNormal(new double[1], 2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SampleStatistics.skewness(new double[] {1, 1}, 2));
    }
}
