package org.gequiv.report;

import java.util.List;

/**
 * What a report figure shows, as data: panels of series, with no drawing library behind it (the
 * command line draws it). Simulations are markers with ± one standard error (open markers for a
 * second simulation of the same panel, such as a Gaussian twin), theories lines.
 *
 * @param name    file name without extension, also the figure's id on the page
 * @param caption one or two sentences under the figure
 * @param panels  left to right
 */
public record FigureData(String name, String caption, List<Panel> panels) {

    public FigureData {
        panels = List.copyOf(panels);
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("panels must not be empty");
        }
    }

    /** How a series is drawn. */
    public enum Style {
        /** A solid line (a theory). */
        LINE,
        /** A dashed line (a floor, a fitted law, a reference). */
        DASHED,
        /** Markers, with error bars when the series has errors (a simulation). */
        MARKERS,
        /**
         * Open markers, with error bars when the series has errors: a second simulation drawn beside
         * the filled markers of a first one in the same panel (the Gaussian twin beside its generator).
         */
        OPEN_MARKERS
    }

    /**
     * @param title  panel title
     * @param xLabel x-axis title
     * @param yLabel y-axis title
     * @param logX   logarithmic x axis (non-positive x are left out)
     * @param logY   logarithmic y axis (non-positive y are left out)
     * @param series what is drawn
     */
    public record Panel(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {
        public Panel {
            series = List.copyOf(series);
        }
    }

    /**
     * @param label  legend entry (unique within its panel)
     * @param x      abscissae
     * @param y      ordinates, one per abscissa; NaN points are left out
     * @param error  ± error of each ordinate (one standard error), or null
     * @param style  how it is drawn
     * @param colour index into the figure palette; equal indices share a colour
     */
    public record Series(String label, double[] x, double[] y, double[] error, Style style, int colour) {
        public Series {
            x = x.clone();
            y = y.clone();
            error = error == null ? null : error.clone();
            if (x.length != y.length || (error != null && error.length != x.length)) {
                throw new IllegalArgumentException("x, y and error must have equal lengths, got " + x.length + ", "
                        + y.length + ", " + (error == null ? "none" : error.length));
            }
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }

        @Override
        public double[] error() {
            return error == null ? null : error.clone();
        }
    }
}
