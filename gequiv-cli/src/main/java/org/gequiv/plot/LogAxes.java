package org.gequiv.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;

/**
 * The one policy for the tick labels of logarithmic axes, applied by every plot class after its
 * series are added: labels at the powers of ten when the axis holds at least two of them, and at
 * 1, 2, …, 9 × 10^k otherwise (powers of ten alone would leave such an axis with one label or
 * none, and all nine per decade would overlap on an axis of several decades); written plainly
 * ("0.002", "500") when every tick lies in [{@value #PLAIN_LOW}, {@value #PLAIN_HIGH}] and in
 * scientific notation ("2E-4") otherwise, where a plain pattern would print 0 or a long string of
 * zeros.
 */
public final class LogAxes {

    /** The smallest value a plain label shows with its pattern's three decimals. */
    public static final double PLAIN_LOW = 1e-3;
    /** The largest value a plain label shows without becoming unreadable. */
    public static final double PLAIN_HIGH = 1e6;
    /** Plain labels: up to three decimals. */
    public static final String PLAIN = "0.###";
    /** Scientific labels: one decimal of mantissa. */
    public static final String SCIENTIFIC = "0.#E0";

    private LogAxes() {
    }

    /** Sets decade-only off and the label pattern of each logarithmic axis of {@code chart} from its data. */
    public static void readable(XYChart chart) {
        XYStyler st = chart.getStyler();
        double xLo = Double.POSITIVE_INFINITY;
        double xHi = 0;
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = 0;
        for (XYSeries s : chart.getSeriesCollection()) {
            for (double x : s.getXData()) {
                if (x > 0 && Double.isFinite(x)) {
                    xLo = Math.min(xLo, x);
                    xHi = Math.max(xHi, x);
                }
            }
            for (double y : s.getYData()) {
                if (y > 0 && Double.isFinite(y)) {
                    yLo = Math.min(yLo, y);
                    yHi = Math.max(yHi, y);
                }
            }
        }
        if (st.getXAxisMin() != null && st.getXAxisMin() > 0) {
            xLo = Math.min(xLo, st.getXAxisMin());
        }
        if (st.getXAxisMax() != null) {
            xHi = Math.max(xHi, st.getXAxisMax());
        }
        if (st.getYAxisMin() != null && st.getYAxisMin() > 0) {
            yLo = Math.min(yLo, st.getYAxisMin());
        }
        if (st.getYAxisMax() != null) {
            yHi = Math.max(yHi, st.getYAxisMax());
        }
        if (st.isXAxisLogarithmic()) {
            st.setXAxisLogarithmicDecadeOnly(decadesOnly(xLo, xHi));
            st.setXAxisDecimalPattern(pattern(xLo, xHi));
        }
        if (st.isYAxisLogarithmic()) {
            st.setYAxisLogarithmicDecadeOnly(decadesOnly(yLo, yHi));
            st.setYAxisDecimalPattern(pattern(yLo, yHi));
        }
    }

    /** Whether [lo, hi] holds at least two powers of ten, so that labelling those suffices. */
    static boolean decadesOnly(double lo, double hi) {
        if (!(lo <= hi)) {
            return false;
        }
        // a little slack, so that an axis from exactly 0.1 to exactly 10 counts its ends
        return Math.floor(Math.log10(hi) + 1e-9) - Math.ceil(Math.log10(lo) - 1e-9) >= 1;
    }

    /** The label pattern of a log axis whose ticks span [lo, hi] (whole decades around the data). */
    static String pattern(double lo, double hi) {
        if (!(lo <= hi)) {
            return PLAIN;
        }
        double firstTick = Math.pow(10, Math.floor(Math.log10(lo)));
        double lastTick = Math.pow(10, Math.ceil(Math.log10(hi)));
        return firstTick >= PLAIN_LOW && lastTick <= PLAIN_HIGH ? PLAIN : SCIENTIFIC;
    }
}
