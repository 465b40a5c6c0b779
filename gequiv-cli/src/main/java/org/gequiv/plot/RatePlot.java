package org.gequiv.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.gequiv.experiment.CheckResult;
import org.gequiv.equivalence.FieldStatistic;
import org.gequiv.equivalence.RateFit;
import org.gequiv.equivalence.SizeSummary;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Convergence figures of the Gaussian-equivalence diagnostics (docs/theory.md §2.5): a distance against
 * N on log–log axes, one colour per statistic. Measured values are markers (filled when resolved,
 * open at or below the floor), the fitted power law a solid line over the resolved sizes, and the
 * Monte-Carlo floor a dashed line in the same colour.
 */
public final class RatePlot {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private RatePlot() {
    }

    /**
     * The legend of a statistic's resolved points: its fitted rate, or, when too few sizes are
     * resolved for a fit, that they are resolved but not fitted (never "not resolved").
     */
    public static String resolvedLabel(String name, RateFit fit) {
        if (fit.verdict() == RateFit.Verdict.NOT_RESOLVED) {
            return name + " resolved at " + fit.resolvedPoints() + " of " + fit.totalPoints() + " sizes (no fit)";
        }
        return name + String.format(Locale.ROOT, " N^%.2f [%.2f, %.2f] %s", fit.exponent(), fit.ciLow(),
                fit.ciHigh(), fit.verdict().id());
    }

    /** One panel with the given statistics of a sweep. */
    public static XYChart distances(String title, String yLabel, CheckResult sweep, List<String> names) {
        XYChart chart = new XYChartBuilder().width(800).height(560).title(title).xAxisTitle("input dimension N")
                .yAxisTitle(yLabel).build();
        var st = chart.getStyler();
        st.setXAxisLogarithmic(true);
        st.setYAxisLogarithmic(true);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setMarkerSize(7);
        int colour = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        double nLo = Double.POSITIVE_INFINITY;
        double nHi = 0;
        for (String name : names) {
            Color c = PALETTE[colour++ % PALETTE.length];
            List<Double> n = new ArrayList<>();
            List<Double> resolvedY = new ArrayList<>();
            List<Double> resolvedX = new ArrayList<>();
            List<Double> openY = new ArrayList<>();
            List<Double> openX = new ArrayList<>();
            List<Double> floor = new ArrayList<>();
            for (SizeSummary s : sweep.summaries()) {
                FieldStatistic st2 = s.statistic(name);
                double x = s.size().n();
                n.add(x);
                floor.add(st2.floor());
                nLo = Math.min(nLo, x);
                nHi = Math.max(nHi, x);
                for (double y : new double[] {st2.floor(), st2.magnitude()}) {
                    if (y > 0) {
                        lo = Math.min(lo, y);
                        hi = Math.max(hi, y);
                    }
                }
                if (st2.magnitude() > 0) {
                    (st2.resolved() ? resolvedX : openX).add(x);
                    (st2.resolved() ? resolvedY : openY).add(st2.magnitude());
                }
            }
            RateFit fit = sweep.rates().stream().filter(r -> r.statistic().equals(name)).findFirst().orElseThrow();
            if (!resolvedX.isEmpty()) {
                XYSeries s = chart.addSeries(resolvedLabel(name, fit), resolvedX, resolvedY);
                markers(s, c, SeriesMarkers.CIRCLE);
            }
            if (!openX.isEmpty()) {
                XYSeries s = chart.addSeries(name + " at floor", openX, openY);
                markers(s, c, SeriesMarkers.DIAMOND);
                s.setMarkerColor(c.brighter());
            }
            XYSeries f = chart.addSeries(colour == 1 ? "Monte-Carlo floors (dashed)" : name + " floor", n, floor);
            f.setShowInLegend(colour == 1);
            line(f, c, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            if (fit.verdict() != RateFit.Verdict.NOT_RESOLVED) {
                List<Double> fy = new ArrayList<>();
                for (double x : resolvedX) {
                    fy.add(fit.predict(x));
                }
                XYSeries l = chart.addSeries(name + " fit", resolvedX, fy);
                line(l, c, new BasicStroke(2f));
                l.setShowInLegend(false);
            }
        }
        // XChart labels only powers of ten on a log axis: span whole decades so that labels show
        if (hi > 0) {
            st.setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo))));
            st.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi))));
            // N: a margin of 25% when the range already holds a power of ten, whole decades otherwise
            double xMin = nLo / 1.25;
            double xMax = nHi * 1.25;
            if (Math.floor(Math.log10(xMax)) < Math.ceil(Math.log10(xMin))) {
                xMin = Math.pow(10, Math.floor(Math.log10(nLo)));
                xMax = Math.pow(10, Math.ceil(Math.log10(nHi)));
            }
            st.setXAxisMin(xMin);
            st.setXAxisMax(xMax);
        }
        LogAxes.readable(chart);
        return chart;
    }

    private static void markers(XYSeries s, Color c, Marker marker) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(marker);
        s.setMarkerColor(c);
    }

    private static void line(XYSeries s, Color c, BasicStroke stroke) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(c);
        s.setLineStyle(stroke);
    }
}
