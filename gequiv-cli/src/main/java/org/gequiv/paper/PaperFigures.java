package org.gequiv.paper;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.gequiv.plot.Figures;
import org.gequiv.report.FigureData;
import org.gequiv.report.Numbers;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a report figure ({@link FigureData}) with XChart, one chart per panel side by side, and saves
 * it as PNG and SVG through {@link Figures}. Points a logarithmic axis cannot show (x or y ≤ 0) and
 * NaN points are left out; on a logarithmic y axis a series keeps its error bars only when every
 * bar stays above zero. Markers are filled circles, open markers rings.
 */
final class PaperFigures {

    static final int PANEL_WIDTH = 660;
    static final int PANEL_HEIGHT = 460;

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
    };

    /** Open markers are drawn larger than the filled ones, so that a filled marker at the same point shows inside. */
    private static final int OPEN_MARKER_SIZE = 10;

    /**
     * A ring in the series colour (XChart has filled markers only), unfilled: drawn after the filled
     * markers of the panel's first simulation, it does not hide them where the two agree. XChart
     * paints the legend's sample with the same marker, so the legend shows the ring too.
     */
    static final Marker OPEN_CIRCLE = new Marker() {
        @Override
        public void paint(Graphics2D g, double x, double y, int markerSize) {
            double d = Math.max(markerSize, OPEN_MARKER_SIZE);
            g.setStroke(new BasicStroke(1.5f));
            g.draw(new Ellipse2D.Double(x - d / 2, y - d / 2, d, d));
        }
    };

    private PaperFigures() {
    }

    /** Writes {@code dir/<name>.png} and {@code .svg}; returns the SVG's text. */
    static String save(FigureData figure, Path dir) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (FigureData.Panel p : figure.panels()) {
            charts.add(chart(p));
        }
        Path base = dir.resolve(figure.name());
        Figures.save(charts, base);
        return Files.readString(dir.resolve(figure.name() + ".svg"), StandardCharsets.UTF_8);
    }

    static XYChart chart(FigureData.Panel panel) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(panel.title())
                .xAxisTitle(panel.xLabel()).yAxisTitle(panel.yLabel()).build();
        var st = chart.getStyler();
        st.setXAxisLogarithmic(panel.logX());
        st.setYAxisLogarithmic(panel.logY());
        // a log axis has ticks at 1, 2, …, 9 times each decade; only 1, 2, 3 and 5 are labelled, which
        // never overlap and still label an axis shorter than a decade
        st.setXAxisLogarithmicDecadeOnly(false);
        st.setYAxisLogarithmicDecadeOnly(false);
        if (panel.logX()) {
            boolean all = span(panel, true) < SHORT_SPAN;
            st.setXAxisTickLabelsFormattingFunction(v -> logLabel(v, all));
        }
        if (panel.logY()) {
            boolean all = span(panel, false) < SHORT_SPAN;
            st.setYAxisTickLabelsFormattingFunction(v -> logLabel(v, all));
        }
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setLegendBorderColor(Color.WHITE);
        st.setMarkerSize(6);
        st.setErrorBarsColorSeriesColor(true);
        if (!panel.logY()) {
            st.setYAxisDecimalPattern("0.###");
        }
        int drawn = 0;
        for (FigureData.Series s : panel.series()) {
            if (add(chart, panel, s)) {
                drawn++;
            }
        }
        if (drawn == 0) {
            // XChart cannot draw an empty chart; an invisible point keeps the panel's axes
            XYSeries empty = chart.addSeries("no data", new double[] {1}, new double[] {1});
            empty.setMarker(SeriesMarkers.NONE);
            empty.setLineColor(Color.WHITE);
        }
        return chart;
    }

    /** A log axis whose values span less than this factor labels every tick. */
    private static final double SHORT_SPAN = 4;

    /** max/min of the positive finite abscissae (or ordinates) of a panel; 1 when there are none. */
    private static double span(FigureData.Panel panel, boolean x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (FigureData.Series s : panel.series()) {
            for (double v : x ? s.x() : s.y()) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return hi > 0 ? hi / lo : 1;
    }

    /**
     * The label of a log-axis tick: 1, 2, 3 and 5 times a power of ten, the other ticks unlabelled
     * unless {@code all}.
     */
    static String logLabel(Double v, boolean all) {
        if (v == null || !(v > 0)) {
            return "";
        }
        double mantissa = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
        long lead = Math.round(mantissa);
        boolean labelled = Math.abs(mantissa - lead) < 1e-6
                && (all || lead == 1 || lead == 2 || lead == 3 || lead == 5 || lead == 10);
        return labelled ? Numbers.significant(v, 3) : "";
    }

    private static boolean add(XYChart chart, FigureData.Panel panel, FigureData.Series s) {
        double[] x = s.x();
        double[] y = s.y();
        double[] e = s.error();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> es = new ArrayList<>();
        boolean errorsFit = e != null;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || (panel.logX() && x[i] <= 0)
                    || (panel.logY() && y[i] <= 0)) {
                continue;
            }
            xs.add(x[i]);
            ys.add(y[i]);
            double err = e == null || !Double.isFinite(e[i]) ? 0 : e[i];
            es.add(err);
            if (panel.logY() && err >= y[i]) {
                errorsFit = false;
            }
        }
        if (xs.isEmpty()) {
            return false;
        }
        Color colour = PALETTE[Math.floorMod(s.colour(), PALETTE.length)];
        boolean markers = s.style() == FigureData.Style.MARKERS || s.style() == FigureData.Style.OPEN_MARKERS;
        XYSeries series = errorsFit && markers
                ? chart.addSeries(s.label(), xs, ys, es) : chart.addSeries(s.label(), xs, ys);
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        switch (s.style()) {
            case MARKERS -> {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                series.setMarker(SeriesMarkers.CIRCLE);
            }
            case OPEN_MARKERS -> {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                series.setMarker(OPEN_CIRCLE);
            }
            case LINE -> {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineStyle(new BasicStroke(2f));
            }
            case DASHED -> {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f));
            }
        }
        return true;
    }
}
