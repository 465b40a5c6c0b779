package org.gequiv.paper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

import org.gequiv.report.FigureData;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** How the report's series styles are drawn, checked on the chart's series and on painted pixels. */
class PaperFiguresTest {

    @Test
    void openMarkersAreScatteredRingsWithTheirErrorBarsBesideFilledMarkers() {
        double[] t = {1, 2, 4};
        double[] error = {0.01, 0.02, 0.03};
        FigureData.Panel panel = new FigureData.Panel("p", "t", "ε", true, true, List.of(
                new FigureData.Series("generator", t, new double[] {0.5, 0.4, 0.3}, error, FigureData.Style.MARKERS, 0),
                new FigureData.Series("theory", t, new double[] {0.5, 0.41, 0.31}, null, FigureData.Style.LINE, 1),
                new FigureData.Series("twin", t, new double[] {0.51, 0.42, 0.32}, error, FigureData.Style.OPEN_MARKERS,
                        2)));
        XYChart chart = PaperFigures.chart(panel);
        XYSeries twin = chart.getSeries("twin");
        assertEquals(XYSeries.XYSeriesRenderStyle.Scatter, twin.getXYSeriesRenderStyle().orElseThrow());
        assertSame(PaperFigures.OPEN_CIRCLE, twin.getMarker());
        assertArrayEquals(error, twin.getExtraValues(), "the twin keeps its error bars");
        XYSeries generator = chart.getSeries("generator");
        assertSame(SeriesMarkers.CIRCLE, generator.getMarker());
        assertArrayEquals(error, generator.getExtraValues());
        assertEquals(XYSeries.XYSeriesRenderStyle.Line,
                chart.getSeries("theory").getXYSeriesRenderStyle().orElseThrow());
    }

    @Test
    void theOpenMarkerPaintsARingAndLeavesItsCentreAlone() {
        BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 40, 40);
        g.setColor(Color.BLACK);
        PaperFigures.OPEN_CIRCLE.paint(g, 20, 20, 6);
        g.dispose();
        assertEquals(Color.WHITE.getRGB(), image.getRGB(20, 20), "the centre shows what lies below");
        boolean ring = false;
        for (int x = 20; x < 40; x++) {
            ring |= image.getRGB(x, 20) != Color.WHITE.getRGB();
        }
        assertTrue(ring, "a ring is drawn around the centre");
    }
}
