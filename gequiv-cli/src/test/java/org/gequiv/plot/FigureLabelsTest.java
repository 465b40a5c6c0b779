package org.gequiv.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.gequiv.equivalence.RateFit;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Issue 13 item 12: titles, legends and styles say what is drawn (checked on the charts' data). */
class FigureLabelsTest {

    @Test
    void theoryOnlyOrderParametersAreNotTitledAsSimulation() {
        assertEquals("order parameters (theory)", LearningCurvePlot.orderParameterTitle(
                List.of(new LearningCurvePlot.Series("theory", null, false))));
        assertEquals("order parameters (simulation)", LearningCurvePlot.orderParameterTitle(
                List.of(new LearningCurvePlot.Series("sim", null, true))));
        assertEquals("order parameters (markers: simulation, lines: theory)", LearningCurvePlot.orderParameterTitle(
                List.of(new LearningCurvePlot.Series("sim", null, true),
                        new LearningCurvePlot.Series("theory", null, false))));
    }

    @Test
    void gaussianTwinIsDrawnAsSimulationMarkers() {
        double[] t = {0, 1, 10};
        List<XYChart> charts = LearningCurvePlot.versusGaussian("twin", t, new double[] {1, 0.5, 0.2},
                new double[] {1, 0.6, 0.3}, new double[] {0, -0.1, -0.1}, new double[] {0, 0.01, 0.01});
        XYSeries twin = charts.get(0).getSeries("Gaussian equivalent");
        assertEquals(XYSeries.XYSeriesRenderStyle.Scatter, twin.getXYSeriesRenderStyle().orElseThrow());
        assertEquals(XYSeries.XYSeriesRenderStyle.Scatter,
                charts.get(0).getSeries("generator").getXYSeriesRenderStyle().orElseThrow());
    }

    @Test
    void resolvedPointsWithoutAFitAreNotCalledNotResolved() {
        RateFit unfitted = new RateFit("w1_lambda_1", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.95, 2, 4,
                RateFit.Verdict.NOT_RESOLVED);
        String label = RatePlot.resolvedLabel("w1_lambda_1", unfitted);
        assertFalse(label.contains("not resolved"), label);
        assertTrue(label.contains("resolved at 2 of 4 sizes (no fit)"), label);
        RateFit fitted = new RateFit("w1_lambda_1", 0, -0.5, -0.6, -0.4, 0.95, 4, 4, RateFit.Verdict.DECAYS);
        assertEquals("w1_lambda_1 N^-0.50 [-0.60, -0.40] decays", RatePlot.resolvedLabel("w1_lambda_1", fitted));
    }

    @Test
    void logAxisLabelsArePlainWithinTheirRangeAndScientificBeyond() {
        assertEquals(LogAxes.PLAIN, LogAxes.pattern(0.0015, 900));
        assertEquals(LogAxes.SCIENTIFIC, LogAxes.pattern(2e-5, 0.01), "0.###  would print 0");
        assertEquals(LogAxes.SCIENTIFIC, LogAxes.pattern(10, 3e7));
        double[] t = {0, 0.1, 1, 10, 100};
        List<XYChart> twin = LearningCurvePlot.versusGaussian("twin", t, new double[] {1, 1e-2, 1e-3, 1e-4, 2e-5},
                new double[] {1, 1e-2, 1e-3, 1e-4, 3e-5}, new double[5], new double[5]);
        XYChart curves = twin.get(0);
        assertTrue(curves.getStyler().isXAxisLogarithmic() && curves.getStyler().isYAxisLogarithmic());
        assertTrue(curves.getStyler().isYAxisLogarithmicDecadeOnly(), "five decades: powers of ten only");
        assertTrue(curves.getStyler().isXAxisLogarithmicDecadeOnly(), "0.1 to 100: powers of ten only");
        assertTrue(LogAxes.decadesOnly(0.1, 10) && LogAxes.decadesOnly(0.5, 20));
        assertFalse(LogAxes.decadesOnly(80, 500), "one power of ten: label 80, 90, 100, 200, …");
        assertFalse(LogAxes.decadesOnly(0.02, 0.07), "none: label 0.02, 0.03, …");
        assertEquals(LogAxes.SCIENTIFIC, curves.getStyler().getYAxisDecimalPattern());
        assertEquals(LogAxes.PLAIN, curves.getStyler().getXAxisDecimalPattern());
    }
}
