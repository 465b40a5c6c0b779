package org.gequiv.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.gequiv.experiment.ErmCurveEquivalence;
import org.gequiv.erm.ErmPoint;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Full-batch learning curves against α = n/d (docs/theory.md §6): the saddle point as lines, the ERM
 * simulation as markers with error bars of one standard error, one colour per λ; and the
 * comparison of a generator with its Gaussian equivalent (§2.2).
 */
public final class ErmCurvePlot {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private ErmCurvePlot() {
    }

    /** Test error against α. */
    public static XYChart testError(String title, String yLabel, double[] lambdas, List<ErmPoint> theory,
                                    List<ErmPoint> simulation) {
        return chart(title, yLabel, lambdas, theory, simulation, ErmPoint::testError, ErmPoint::testErrorSem);
    }

    /** Training loss against α. */
    public static XYChart trainLoss(String title, String yLabel, double[] lambdas, List<ErmPoint> theory,
                                    List<ErmPoint> simulation) {
        return chart(title, yLabel, lambdas, theory, simulation, ErmPoint::trainLoss, ErmPoint::trainLossSem);
    }

    private static XYChart chart(String title, String yLabel, double[] lambdas, List<ErmPoint> theory,
                                 List<ErmPoint> simulation, ToDoubleFunction<ErmPoint> value,
                                 ToDoubleFunction<ErmPoint> sem) {
        XYChart chart = base(title, yLabel);
        for (int l = 0; l < lambdas.length; l++) {
            Color colour = PALETTE[l % PALETTE.length];
            double lambda = lambdas[l];
            List<ErmPoint> t = select(theory, lambda, true);
            if (t.size() > 0) {
                XYSeries s = chart.addSeries("theory λ=" + lambda, xs(t), ys(t, value));
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(colour);
                s.setLineStyle(new BasicStroke(2f));
            }
            List<ErmPoint> m = select(simulation, lambda, false);
            if (m.size() > 0) {
                double[] err = ys(m, p -> Double.isNaN(sem.applyAsDouble(p)) ? 0.0 : sem.applyAsDouble(p));
                XYSeries s = chart.addSeries("simulation λ=" + lambda, xs(m), ys(m, value), err);
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(colour);
                s.setLineColor(colour);
            }
        }
        return chart;
    }

    /**
     * Mean test error on a generator (markers) and on its Gaussian equivalent (lines) against α,
     * one colour per λ (left), and their difference with ± one standard error over seeds (right).
     */
    public static List<XYChart> versusGaussian(String title, String yLabel, double[] lambdas,
                                               List<ErmCurveEquivalence.Point> points) {
        XYChart curves = base(title, yLabel);
        XYChart diff = base("test error: generator − Gaussian equivalent, ± 1 SE over seeds", "difference");
        double alphaMin = Double.POSITIVE_INFINITY;
        double alphaMax = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < lambdas.length; l++) {
            Color colour = PALETTE[l % PALETTE.length];
            List<ErmCurveEquivalence.Point> p = new ArrayList<>();
            for (ErmCurveEquivalence.Point x : points) {
                if (x.lambda() == lambdas[l] && Double.isFinite(x.generatorTestError())
                        && Double.isFinite(x.gaussianTestError())) {
                    p.add(x);
                }
            }
            if (p.isEmpty()) {
                continue;
            }
            double[] alpha = p.stream().mapToDouble(ErmCurveEquivalence.Point::alpha).toArray();
            alphaMin = Math.min(alphaMin, alpha[0]);
            alphaMax = Math.max(alphaMax, alpha[alpha.length - 1]);
            XYSeries g = curves.addSeries("generator λ=" + lambdas[l], alpha,
                    p.stream().mapToDouble(ErmCurveEquivalence.Point::generatorTestError).toArray());
            g.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            g.setMarker(SeriesMarkers.CIRCLE);
            g.setMarkerColor(colour);
            XYSeries e = curves.addSeries("Gaussian equivalent λ=" + lambdas[l], alpha,
                    p.stream().mapToDouble(ErmCurveEquivalence.Point::gaussianTestError).toArray());
            e.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            e.setMarker(SeriesMarkers.NONE);
            e.setLineColor(colour);
            e.setLineStyle(new BasicStroke(2f));
            XYSeries d = diff.addSeries("λ=" + lambdas[l], alpha,
                    p.stream().mapToDouble(ErmCurveEquivalence.Point::testErrorDifference).toArray(),
                    p.stream().mapToDouble(x -> Double.isFinite(x.testErrorDifferenceSem())
                            ? x.testErrorDifferenceSem() : 0.0).toArray());
            d.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            d.setMarker(SeriesMarkers.CIRCLE);
            d.setMarkerColor(colour);
            d.setLineColor(colour);
        }
        if (alphaMin <= alphaMax) {
            XYSeries zero = diff.addSeries("zero", new double[] {alphaMin, alphaMax}, new double[] {0, 0});
            zero.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            zero.setMarker(SeriesMarkers.NONE);
            zero.setLineColor(Color.GRAY);
        }
        return List.of(curves, diff);
    }

    private static XYChart base(String title, String yLabel) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle("α = n / d")
                .yAxisTitle(yLabel).build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setMarkerSize(6);
        st.setErrorBarsColorSeriesColor(true);
        return chart;
    }

    /** The points of one λ; for theory only converged points, which are the only predictions. */
    private static List<ErmPoint> select(List<ErmPoint> points, double lambda, boolean convergedOnly) {
        List<ErmPoint> out = new ArrayList<>();
        if (points == null) {
            return out;
        }
        for (ErmPoint p : points) {
            if (p.lambda() == lambda && (!convergedOnly || p.converged()) && Double.isFinite(p.testError())) {
                out.add(p);
            }
        }
        return out;
    }

    private static double[] xs(List<ErmPoint> points) {
        return points.stream().mapToDouble(ErmPoint::alpha).toArray();
    }

    private static double[] ys(List<ErmPoint> points, ToDoubleFunction<ErmPoint> f) {
        return points.stream().mapToDouble(f).toArray();
    }
}
