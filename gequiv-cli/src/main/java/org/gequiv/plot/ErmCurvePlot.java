package org.gequiv.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.gequiv.erm.ErmPoint;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Full-batch learning curves against α = n/d (theory.md §6): the saddle point as lines, the ERM
 * simulation as markers with error bars of one standard error, one colour per λ.
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
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle("α = n / d")
                .yAxisTitle(yLabel).build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setMarkerSize(6);
        st.setErrorBarsColorSeriesColor(true);
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
