package org.gequiv.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.gequiv.online.LearningCurve;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Learning-curve figures: ε_g(t) on log–log axes, and the order parameters Q, R, v over log time.
 * Simulations are drawn as markers, theories as lines, in one colour per quantity.
 *
 * <p>A simulation's marker that would lie within {@value #MARKER_RESOLUTION} pixel of the last one
 * drawn of its series along both axes is left out: it would be drawn over that marker (5 pixels
 * wide) with its edge moved by at most that much. A pixel is taken as the data's range across the
 * whole panel, at most the axis's range across its plot area, so the left-out markers lie that
 * close or closer. Only curves with recorded times closer than the figure resolves lose markers
 * (2000 recorded times to t = 5 keep about half of them, and half the SVG), and their drawing was most of the
 * figures' cost (issue 11); curve.csv holds every point.
 */
public final class LearningCurvePlot {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0xbcbd22)
    };

    /** Pixels within which a marker is left out (see the class comment). */
    static final double MARKER_RESOLUTION = 0.5;

    private LearningCurvePlot() {
    }

    /** A named curve to draw; {@code simulated} curves are markers, others lines. */
    public record Series(String label, LearningCurve curve, boolean simulated) {
    }

    /** ε_g(t) with log axes (t = 0 is left out of a log axis). */
    public static XYChart generalisationError(String title, List<Series> series) {
        XYChart chart = base(title, "time t = steps / N", "generalisation error ε_g", true);
        List<Pending> pending = new ArrayList<>();
        int colour = 0;
        for (Series s : series) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (LearningCurve.Point p : s.curve().points()) {
                if (p.time() > 0 && p.generalisationError() > 0) {
                    x.add(p.time());
                    y.add(p.generalisationError());
                }
            }
            pending.add(new Pending(s.label(), x, y, s.simulated(), colour++));
        }
        addAll(chart, pending);
        LogAxes.readable(chart);
        return chart;
    }

    /**
     * The title of {@link #orderParameters}: says which style is which only for the kinds of
     * series drawn (a theory-only figure has no simulation markers to explain).
     */
    public static String orderParameterTitle(List<Series> series) {
        boolean sim = series.stream().anyMatch(Series::simulated);
        boolean theory = series.stream().anyMatch(s -> !s.simulated());
        return "order parameters" + (sim && theory ? " (markers: simulation, lines: theory)"
                : sim ? " (simulation)" : theory ? " (theory)" : "");
    }

    /** Q_kl, R_km and v_k over log time; one colour per order parameter, shared by sim and theory. */
    public static XYChart orderParameters(String title, List<Series> series) {
        XYChart chart = base(title, "time t = steps / N", "order parameter", false);
        chart.getStyler().setYAxisLogarithmic(false);
        List<Pending> pending = new ArrayList<>();
        for (Series s : series) {
            LearningCurve c = s.curve();
            int k = c.studentHidden();
            int m = c.teacherHidden();
            int colour = 0;
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    final int idx = i * k + j;
                    pending.add(pending(s, "Q" + i + j, p -> p.q()[idx], colour++));
                }
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < m; j++) {
                    final int idx = i * m + j;
                    pending.add(pending(s, "R" + i + j, p -> p.r()[idx], colour++));
                }
            }
            for (int i = 0; i < k; i++) {
                final int idx = i;
                pending.add(pending(s, "v" + i, p -> p.v()[idx], colour++));
            }
        }
        addAll(chart, pending);
        LogAxes.readable(chart);
        return chart;
    }

    /**
     * Mean ε_g on a generator and on its Gaussian equivalent (left), and their difference with
     * ± one standard error over seeds (right), over log time.
     */
    public static List<XYChart> versusGaussian(String title, double[] times, double[] generator, double[] gaussian,
                                               double[] difference, double[] standardError) {
        XYChart curves = base(title, "time t = steps / N", "mean generalisation error ε_g", true);
        XYChart diff = base("ε_g(generator) − ε_g(Gaussian equivalent), ± 1 SE", "time t = steps / N",
                "difference", false);
        List<Double> x = new ArrayList<>();
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> d = new ArrayList<>();
        List<Double> e = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            if (times[i] > 0) {
                x.add(times[i]);
                a.add(generator[i]);
                b.add(gaussian[i]);
                d.add(difference[i]);
                e.add(Double.isFinite(standardError[i]) ? standardError[i] : 0.0);
            }
        }
        if (!x.isEmpty()) {
            style(curves.addSeries("generator", x, a), true, PALETTE[0]);
            // both curves are simulations (markers); the twin gets another marker shape
            XYSeries twin = curves.addSeries("Gaussian equivalent", x, b);
            style(twin, true, PALETTE[1]);
            twin.setMarker(SeriesMarkers.DIAMOND);
            style(diff.addSeries("difference", x, d, e), true, PALETTE[2]);
            style(diff.addSeries("zero", List.of(x.get(0), x.get(x.size() - 1)), List.of(0.0, 0.0)), false, Color.GRAY);
        }
        LogAxes.readable(curves);
        LogAxes.readable(diff);
        return List.of(curves, diff);
    }

    /** A series to add to a chart once the data range of all of them is known. */
    private record Pending(String name, List<Double> x, List<Double> y, boolean simulated, int colour) {
    }

    private static Pending pending(Series s, String name, java.util.function.ToDoubleFunction<LearningCurve.Point> value,
                                   int colour) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (LearningCurve.Point p : s.curve().points()) {
            if (p.time() > 0) {
                x.add(p.time());
                y.add(value.applyAsDouble(p));
            }
        }
        return new Pending(name + " " + s.label(), x, y, s.simulated(), colour);
    }

    /**
     * Adds the non-empty series in order, the simulations' markers thinned to
     * {@link #MARKER_RESOLUTION} of a pixel of the range of all of them.
     */
    private static void addAll(XYChart chart, List<Pending> pending) {
        boolean logX = chart.getStyler().isXAxisLogarithmic();
        boolean logY = chart.getStyler().isYAxisLogarithmic();
        double[] xRange = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] yRange = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Pending p : pending) {
            widen(xRange, p.x(), logX);
            widen(yRange, p.y(), logY);
        }
        double xStep = MARKER_RESOLUTION * (xRange[1] - xRange[0]) / chart.getWidth();
        double yStep = MARKER_RESOLUTION * (yRange[1] - yRange[0]) / chart.getHeight();
        for (Pending p : pending) {
            if (p.x().isEmpty()) {
                continue;
            }
            List<Double> x = p.x();
            List<Double> y = p.y();
            if (p.simulated()) {
                x = new ArrayList<>();
                y = new ArrayList<>();
                thin(p.x(), p.y(), logX, logY, xStep, yStep, x, y);
            }
            style(chart.addSeries(p.name(), x, y), p.simulated(), PALETTE[p.colour() % PALETTE.length]);
        }
    }

    /** Widens [range[0], range[1]] to the finite values (their log10 on a log axis) of {@code v}. */
    private static void widen(double[] range, List<Double> v, boolean log) {
        for (double d : v) {
            double a = log ? Math.log10(d) : d;
            if (Double.isFinite(a)) {
                range[0] = Math.min(range[0], a);
                range[1] = Math.max(range[1], a);
            }
        }
    }

    /**
     * The points of a marker series to draw into {@code xOut}, {@code yOut}: the first, and each
     * farther than {@code xStep} or {@code yStep} (in axis coordinates: log10 on a log axis) from
     * the last one kept; a point with a coordinate that is not finite there is always kept (it is
     * not drawn, and leaves a gap).
     */
    static void thin(List<Double> x, List<Double> y, boolean logX, boolean logY, double xStep, double yStep,
                     List<Double> xOut, List<Double> yOut) {
        double lastX = Double.NaN;
        double lastY = Double.NaN;
        for (int i = 0; i < x.size(); i++) {
            double a = logX ? Math.log10(x.get(i)) : x.get(i);
            double b = logY ? Math.log10(y.get(i)) : y.get(i);
            boolean finite = Double.isFinite(a) && Double.isFinite(b);
            if (finite && Math.abs(a - lastX) <= xStep && Math.abs(b - lastY) <= yStep) {
                continue;
            }
            xOut.add(x.get(i));
            yOut.add(y.get(i));
            lastX = finite ? a : Double.NaN;
            lastY = finite ? b : Double.NaN;
        }
    }

    private static XYChart base(String title, String xLabel, String yLabel, boolean logY) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        var st = chart.getStyler();
        st.setXAxisLogarithmic(true);
        st.setYAxisLogarithmic(logY);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setMarkerSize(5);
        return chart;
    }

    private static void style(XYSeries series, boolean simulated, Color colour) {
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        if (simulated) {
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(SeriesMarkers.CIRCLE);
        } else {
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineStyle(new BasicStroke(2f));
        }
    }

    /**
     * Draws, into memory, a small figure of the panels of {@code gequiv online}: ε_g and the order
     * parameters of a simulation (markers) and a theory (lines) on log time axes
     * ({@link Figures#warmUp}); the charts of the other commands share its code paths. Safe to call
     * from any thread.
     */
    public static void warmUp() {
        LearningCurve.Builder points = new LearningCurve.Builder(1, 1);
        for (int i = 0; i < 4; i++) {
            points.add(Math.pow(10, i - 1), 0.5 / (i + 1), new double[] {1.0 / (i + 1)}, new double[] {0.5},
                    new double[] {1.0});
        }
        LearningCurve curve = points.build(LearningCurve.Termination.completedAt(100));
        List<Series> series = List.of(new Series("simulation", curve, true), new Series("theory", curve, false));
        Figures.warmUp(List.of(generalisationError("warm-up, ε_g, η", series),
                orderParameters(orderParameterTitle(series), series)));
    }

    /** Writes one chart as {@code base}.png and {@code base}.svg. */
    public static void save(XYChart chart, Path base) throws IOException {
        Figures.save(List.of(chart), base);
    }
}
