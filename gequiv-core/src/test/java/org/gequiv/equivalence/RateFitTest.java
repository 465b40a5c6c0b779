package org.gequiv.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateFitTest {

    /** An exact power law is fitted to rounding. */
    private static final double ROUNDING = 1e-12;

    private static final double[] SIZES = {100, 200, 400, 800, 1600};

    @Test
    void exactPowerLawIsRecoveredWithAZeroWidthInterval() {
        double[] v = new double[SIZES.length];
        boolean[] all = {true, true, true, true, true};
        for (int i = 0; i < v.length; i++) {
            v[i] = 3.0 * Math.pow(SIZES[i], -0.5);
        }
        RateFit f = RateFit.fit("w1", SIZES, v, all, 0.95);
        assertEquals(-0.5, f.exponent(), ROUNDING);
        assertEquals(-0.5, f.ciLow(), 1e-9);
        assertEquals(-0.5, f.ciHigh(), 1e-9);
        assertEquals(3.0 * Math.pow(1000, -0.5), f.predict(1000), ROUNDING);
        assertEquals(RateFit.Verdict.DECAYS, f.verdict());
    }

    @Test
    void confidenceIntervalFollowsTheTDistribution() {
        // log v = −x + e with residuals e = (+h, −h, 0, −h, +h) around a line in x = log N
        double h = 0.1;
        double[] e = {h, -h, 0, -h, h};
        double[] v = new double[SIZES.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.exp(-Math.log(SIZES[i]) + e[i]);
        }
        RateFit f = RateFit.fit("ks", SIZES, v, new boolean[] {true, true, true, true, true}, 0.95);
        // the residuals are orthogonal to x − x̄ (symmetric pattern), so the slope is exactly −1,
        // Sxx = (ln 2)²·10 and the residual variance is 4h²/(n − 2)
        double sxx = 10 * Math.log(2) * Math.log(2);
        double se = Math.sqrt(4 * h * h / 3 / sxx);
        double t = 3.182446305284263; // 97.5% quantile of Student t with 3 degrees of freedom
        assertEquals(-1.0, f.exponent(), 1e-12);
        assertEquals(-1.0 - t * se, f.ciLow(), 1e-9);
        assertEquals(-1.0 + t * se, f.ciHigh(), 1e-9);
    }

    @Test
    void unresolvedPointsAreLeftOutAndNeverCountAsDecay() {
        // a statistic that decays only because the last sizes sit at the floor
        double[] v = {0.02, 0.02, 0.004, 0.002, 0.001};
        boolean[] resolved = {true, true, false, false, false};
        RateFit f = RateFit.fit("w1", SIZES, v, resolved, 0.95);
        assertEquals(RateFit.Verdict.NOT_RESOLVED, f.verdict());
        assertEquals(2, f.resolvedPoints());
        assertTrue(Double.isNaN(f.exponent()));
    }

    @Test
    void flatAndUndecidedStatisticsAreTold() {
        double[] flat = {0.25, 0.26, 0.25, 0.255, 0.25};
        boolean[] all = {true, true, true, true, true};
        assertEquals(RateFit.Verdict.NO_DECAY, RateFit.fit("w1", SIZES, flat, all, 0.95).verdict());
        double[] noisy = {0.02, 0.05, 0.01, 0.04, 0.015};
        assertEquals(RateFit.Verdict.INCONCLUSIVE, RateFit.fit("w1", SIZES, noisy, all, 0.95).verdict());
        double[] growing = {0.01, 0.02, 0.04, 0.08, 0.16};
        assertEquals(RateFit.Verdict.GROWS, RateFit.fit("w1", SIZES, growing, all, 0.95).verdict());
    }

    @Test
    void weightedFitOfAnExactPowerLawHasTheIntervalItsErrorsImply() {
        // values exactly on 3 N^{-1/2}, each with a relative error r_i: the weights are 1/r_i², the
        // χ² is 0 (no inflation, the errors are taken as known), so the half-width is
        // z_{0.975} / sqrt(Σ w (x − x̄_w)²) with the normal quantile
        double[] v = new double[SIZES.length];
        double[] se = new double[SIZES.length];
        double[] rel = {0.05, 0.1, 0.1, 0.2, 0.4};
        boolean[] all = {true, true, true, true, true};
        double sw = 0;
        double swx = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = 3.0 * Math.pow(SIZES[i], -0.5);
            se[i] = rel[i] * v[i];
            sw += 1 / (rel[i] * rel[i]);
            swx += Math.log(SIZES[i]) / (rel[i] * rel[i]);
        }
        double mean = swx / sw;
        double sxx = 0;
        for (int i = 0; i < v.length; i++) {
            double dx = Math.log(SIZES[i]) - mean;
            sxx += dx * dx / (rel[i] * rel[i]);
        }
        double halfWidth = 1.959963984540054 / Math.sqrt(sxx);
        RateFit f = RateFit.weightedFit("gap", SIZES, v, se, all, 0.95);
        assertEquals(-0.5, f.exponent(), ROUNDING);
        assertEquals(-0.5 - halfWidth, f.ciLow(), ROUNDING);
        assertEquals(-0.5 + halfWidth, f.ciHigh(), ROUNDING);
        assertEquals(3.0 * Math.pow(1000, -0.5), f.predict(1000), ROUNDING);
        // the unweighted fit of the same exact points claims a zero-width interval
        assertEquals(0, RateFit.fit("gap", SIZES, v, all, 0.95).ciHigh() + 0.5, 1e-9);
    }

    @Test
    void weightedFitInflatesTheIntervalWhenPointsScatterMoreThanTheirErrors() {
        // residuals ±h about −x with stated errors far smaller than h: χ²/(n − 2) > 1 scales the SE,
        // so the interval equals the residual-based one of the unweighted fit (equal weights here)
        double h = 0.1;
        double[] e = {h, -h, 0, -h, h};
        double[] v = new double[SIZES.length];
        double[] se = new double[SIZES.length];
        boolean[] all = {true, true, true, true, true};
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.exp(-Math.log(SIZES[i]) + e[i]);
            se[i] = 1e-3 * v[i];
        }
        RateFit weighted = RateFit.weightedFit("gap", SIZES, v, se, all, 0.95);
        RateFit plain = RateFit.fit("gap", SIZES, v, all, 0.95);
        assertEquals(plain.exponent(), weighted.exponent(), ROUNDING);
        assertEquals(plain.ciLow(), weighted.ciLow(), 1e-9);
        assertEquals(plain.ciHigh(), weighted.ciHigh(), 1e-9);
    }
}
