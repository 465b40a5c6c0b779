package org.gequiv.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.gequiv.online.LearningCurve;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * A simulation's markers closer than the figure resolves are left out (issue 11), and only those:
 * every point left out lies within the step of a drawn one along both axes, points farther apart
 * and points that cannot be drawn are kept, and the theory's lines keep every point.
 */
class MarkerThinningTest {

    @Test
    void aPointIsLeftOutOnlyWithinTheStepOfTheLastOneKeptAlongBothAxes() {
        List<Double> x = List.of(1.0, 1.05, 1.3, 1.35, 1.36, 2.0, Double.NaN, 2.01, 2.02);
        List<Double> y = List.of(5.0, 5.05, 5.0, 6.0, 6.05, 6.0, 6.0, 6.0, 6.01);
        List<Double> xOut = new ArrayList<>();
        List<Double> yOut = new ArrayList<>();
        LearningCurvePlot.thin(x, y, false, false, 0.1, 0.1, xOut, yOut);
        // 1.05 is within 0.1 of 1.0 in both; 1.35 is 1.0 away in y; 1.36 within 0.1 of 1.35 in both;
        // NaN is kept (a gap), and the point after it too (nothing to compare with); 2.02 within 2.01's step
        assertEquals(List.of(1.0, 1.3, 1.35, 2.0, Double.NaN, 2.01), xOut);
        assertEquals(List.of(5.0, 5.0, 6.0, 6.0, 6.0, 6.0), yOut);
    }

    @Test
    void denseCurvesLoseMarkersWithinHalfAPixelSparseOnesNone() {
        for (int points : new int[] {20, 2000}) {
            LearningCurve.Builder b = new LearningCurve.Builder(1, 1);
            for (int i = 0; i < points; i++) {
                double t = 5.0 * (i + 1) / points;
                b.add(t, 0.8 * Math.exp(-t / 3), new double[] {1 + t / 10}, new double[] {0.1 * t},
                        new double[] {1.0});
            }
            LearningCurve curve = b.build(LearningCurve.Termination.completedAt(5));
            List<LearningCurvePlot.Series> series = List.of(new LearningCurvePlot.Series("simulation", curve, true),
                    new LearningCurvePlot.Series("theory", curve, false));
            XYChart eg = LearningCurvePlot.generalisationError("ε_g", series);
            XYSeries sim = eg.getSeries("simulation");
            XYSeries theory = eg.getSeries("theory");
            assertEquals(points, theory.getXData().length, "the theory's line keeps every point");
            if (points == 20) {
                assertEquals(points, sim.getXData().length, "points farther apart than a pixel are all drawn");
            } else {
                // t > 0.6 resolves less than half a pixel along x, and ε_g moves about half a pixel a step
                assertTrue(sim.getXData().length < 0.6 * points, "kept " + sim.getXData().length + " of " + points);
            }
            // every point left out is within half a pixel (range / panel size) of a kept one on both axes
            double xStep = LearningCurvePlot.MARKER_RESOLUTION * Math.log10(5.0 / (5.0 / points)) / eg.getWidth();
            double yStep = LearningCurvePlot.MARKER_RESOLUTION * Math.log10(0.8 * Math.exp(-1.0 / points * 5 / 3)
                    / (0.8 * Math.exp(-5.0 / 3))) / eg.getHeight();
            double[] kx = sim.getXData();
            double[] ky = sim.getYData();
            for (int i = 0; i < points; i++) {
                double t = 5.0 * (i + 1) / points;
                double e = 0.8 * Math.exp(-t / 3);
                boolean near = false;
                for (int j = 0; j < kx.length && !near; j++) {
                    near = Math.abs(Math.log10(kx[j] / t)) <= xStep * (1 + 1e-9)
                            && Math.abs(Math.log10(ky[j] / e)) <= yStep * (1 + 1e-9);
                }
                assertTrue(near, "point " + i + " at t = " + t + " has a drawn marker within half a pixel");
            }
        }
    }
}
