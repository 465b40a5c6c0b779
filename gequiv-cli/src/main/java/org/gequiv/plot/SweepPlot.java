package org.gequiv.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.sweep.SweepTables;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figure of a sweep's {@code summary.csv}: the command's usual axes with the seed-averaged
 * simulation as markers with error bars of one standard error, the theory as lines (with dashed
 * lines at ± one standard error when the theory itself varies with the seed, as it does through
 * the seed's generator and teacher at finite N), one colour per value of the other grid keys.
 *
 * <ul>
 *   <li>online: ε_g against t (docs/theory.md §5), columns {@code eg_sim}, {@code eg_theory}, both
 *       axes logarithmic;</li>
 *   <li>erm: the test error against α (§6), columns {@code test_error_sim},
 *       {@code test_error_theory}, one colour per λ and other key.</li>
 * </ul>
 *
 * Check and moments sweeps have no figure (their tables have no single curve per point).
 */
public final class SweepPlot {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private SweepPlot() {
    }

    /**
     * Writes {@code base}.png and .svg for a sweep of {@code command}; returns false (writing
     * nothing) when the command has no sweep figure or the summary has none of its columns.
     */
    public static boolean save(String command, List<String> varyingKeys, SweepTables.Summary summary, Path base)
            throws IOException {
        String x;
        String sim;
        String theory;
        String yLabel;
        boolean log;
        List<String> groupBy = new ArrayList<>();
        for (String k : varyingKeys) {
            if (!k.equals("seed") && summary.columns().contains(k)) {
                groupBy.add(k);
            }
        }
        switch (command) {
            case "online" -> {
                x = "t";
                sim = "eg_sim";
                theory = "eg_theory";
                yLabel = "generalisation error ε_g";
                log = true;
            }
            case "erm" -> {
                x = "alpha";
                sim = "test_error_sim";
                theory = "test_error_theory";
                yLabel = "test error";
                log = false;
                if (!groupBy.contains("lambda")) {
                    groupBy.add(0, "lambda");
                }
            }
            default -> {
                return false;
            }
        }
        boolean hasSim = summary.columns().contains(sim + "_mean");
        boolean hasTheory = summary.columns().contains(theory + "_mean");
        if (!summary.columns().contains(x) || (!hasSim && !hasTheory)) {
            return false;
        }
        Map<String, List<Integer>> series = new LinkedHashMap<>();
        for (int r = 0; r < summary.rows().size(); r++) {
            StringBuilder label = new StringBuilder();
            for (String k : groupBy) {
                label.append(label.length() == 0 ? "" : ", ").append(k.equals("lambda") ? "λ" : k.equals("lr") ? "η" : k).append('=')
                        .append(summary.cell(r, k));
            }
            series.computeIfAbsent(label.toString(), l -> new ArrayList<>()).add(r);
        }
        int seeds = 0;
        for (int r = 0; r < summary.rows().size(); r++) {
            seeds = Math.max(seeds, Integer.parseInt(summary.cell(r, "points")));
        }
        String title = "gequiv sweep " + command + ": mean over " + seeds + (seeds == 1 ? " seed" : " seeds")
                + (hasSim ? ", simulation ± 1 SE" : "");
        XYChart chart = new XYChartBuilder().width(1000).height(620).title(title)
                .xAxisTitle(command.equals("online") ? "time t = steps / N" : "α = n / d").yAxisTitle(yLabel).build();
        var st = chart.getStyler();
        st.setXAxisLogarithmic(log);
        st.setYAxisLogarithmic(log);
        st.setYAxisLogarithmicDecadeOnly(false);
        st.setYAxisDecimalPattern("0.###");
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setMarkerSize(6);
        st.setErrorBarsColorSeriesColor(true);
        int colourIndex = 0;
        int added = 0;
        for (Map.Entry<String, List<Integer>> s : series.entrySet()) {
            Color colour = PALETTE[colourIndex++ % PALETTE.length];
            String name = s.getKey().isEmpty() ? "" : " " + s.getKey();
            if (hasTheory) {
                double[][] t = columns(summary, s.getValue(), x, theory, log);
                if (t[0].length > 0) {
                    XYSeries line = chart.addSeries("theory" + name, t[0], t[1]);
                    line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    line.setMarker(SeriesMarkers.NONE);
                    line.setLineColor(colour);
                    line.setLineStyle(new BasicStroke(2f));
                    added++;
                    if (varies(t[2])) {
                        double[] lo = new double[t[1].length];
                        double[] hi = new double[t[1].length];
                        for (int i = 0; i < lo.length; i++) {
                            double e = Double.isNaN(t[2][i]) ? 0 : t[2][i];
                            lo[i] = log ? Math.max(t[1][i] - e, t[1][i] * 1e-3) : t[1][i] - e;
                            hi[i] = t[1][i] + e;
                        }
                        for (double[] band : new double[][] {lo, hi}) {
                            XYSeries b = chart.addSeries("theory ± 1 SE" + name + (band == lo ? " " : "  "), t[0], band);
                            b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                            b.setMarker(SeriesMarkers.NONE);
                            b.setLineColor(colour);
                            b.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                                    new float[] {4f, 4f}, 0f));
                            b.setShowInLegend(band == lo);
                        }
                    }
                }
            }
            if (hasSim) {
                double[][] m = columns(summary, s.getValue(), x, sim, log);
                if (m[0].length > 0) {
                    double[] err = new double[m[2].length];
                    for (int i = 0; i < err.length; i++) {
                        err[i] = Double.isNaN(m[2][i]) ? 0 : m[2][i];
                    }
                    XYSeries dots = chart.addSeries("simulation" + name, m[0], m[1], err);
                    dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    dots.setMarker(SeriesMarkers.CIRCLE);
                    dots.setMarkerColor(colour);
                    dots.setLineColor(colour);
                    added++;
                }
            }
        }
        if (added == 0) {
            return false;
        }
        Figures.save(List.of(chart), base);
        return true;
    }

    /** x, mean and standard error of {@code y} over the given summary rows; positive only on log axes. */
    private static double[][] columns(SweepTables.Summary s, List<Integer> rows, String x, String y, boolean log) {
        List<double[]> kept = new ArrayList<>();
        for (int r : rows) {
            double xv = s.number(r, x);
            double yv = s.number(r, y + "_mean");
            if (Double.isNaN(xv) || Double.isNaN(yv) || (log && (xv <= 0 || yv <= 0))) {
                continue;
            }
            kept.add(new double[] {xv, yv, s.number(r, y + "_sem")});
        }
        kept.sort((a, b) -> Double.compare(a[0], b[0]));
        double[][] out = new double[3][kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            for (int j = 0; j < 3; j++) {
                out[j][i] = kept.get(i)[j];
            }
        }
        return out;
    }

    private static boolean varies(double[] sem) {
        for (double e : sem) {
            if (e > 0) {
                return true;
            }
        }
        return false;
    }
}
