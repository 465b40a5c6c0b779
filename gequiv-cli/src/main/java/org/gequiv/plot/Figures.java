package org.gequiv.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.gequiv.io.AtomicFiles;
import org.knowm.xchart.internal.chartpart.Chart;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;

/**
 * Saves one or more charts side by side as a figure, as PNG (raster, for quick looks and the
 * README; written by {@link PngEncoder}) and SVG (vector, for papers; written by
 * {@link SvgDocument} from the commands that VectorGraphics2D records). Files are written atomically.
 */
public final class Figures {
    private Figures() {
    }

    /** Writes {@code base}.png and {@code base}.svg with the panels laid out left to right. */
    public static void save(List<? extends Chart<?, ?>> panels, Path base) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("panels must not be empty");
        }
        int width = panels.stream().mapToInt(Chart::getWidth).sum();
        int height = panels.stream().mapToInt(Chart::getHeight).max().orElseThrow();

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        paint(panels, g);
        g.dispose();
        byte[] png = PngEncoder.encode(image);

        VectorGraphics2D vg = new VectorGraphics2D();
        paint(panels, vg);
        byte[] svg = SvgDocument.write(vg.getCommands(), width, height);

        Path dir = base.toAbsolutePath().getParent();
        String name = base.getFileName().toString();
        AtomicFiles.write(dir.resolve(name + ".png"), out -> out.write(png));
        AtomicFiles.write(dir.resolve(name + ".svg"), out -> out.write(svg));
    }

    private static void paint(List<? extends Chart<?, ?>> panels, Graphics2D g) {
        int x = 0;
        for (Chart<?, ?> chart : panels) {
            Graphics2D panel = (Graphics2D) g.create(x, 0, chart.getWidth(), chart.getHeight());
            chart.paint(panel, chart.getWidth(), chart.getHeight());
            panel.dispose();
            x += chart.getWidth();
        }
    }
}
