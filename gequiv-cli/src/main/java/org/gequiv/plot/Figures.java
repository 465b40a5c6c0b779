package org.gequiv.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

import org.gequiv.io.AtomicFiles;
import org.knowm.xchart.internal.chartpart.Chart;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;

/**
 * Saves one or more charts side by side as a figure, as PNG (raster, for quick looks and the
 * README; written by {@link PngEncoder}) and SVG (vector, for papers; written by
 * {@link SvgDocument} from the commands that VectorGraphics2D records). Files are written atomically.
 *
 * <p>The two formats are independent drawings of the same panels; from a {@link Supplier} of the
 * panels they are drawn at the same time on two threads, each from its own copy of the charts
 * (an XChart chart lays itself out while it paints and must not be painted by two threads at
 * once): at the end of a run nothing else needs the second core, and the figure is most of the
 * fixed cost of a short run (issue 11). {@link #draw} returns while they are drawn, so that a
 * command formats its tables meanwhile. The files are the same either way.
 */
public final class Figures {
    private Figures() {
    }

    /** Writes {@code base}.png and {@code base}.svg with the panels laid out left to right, one after the other. */
    public static void save(List<? extends Chart<?, ?>> panels, Path base) throws IOException {
        checkPanels(panels);
        byte[] png = png(panels);
        byte[] svg = svg(panels);
        write(base, png, svg);
    }

    /**
     * As {@link #save(List, Path)}, the PNG and the SVG drawn concurrently, each from panels of its
     * own call of {@code panels}.
     *
     * @param panels builds the same panels on every call; called twice, from two threads at once
     */
    public static void save(Supplier<? extends List<? extends Chart<?, ?>>> panels, Path base) throws IOException {
        draw(panels, base).write();
    }

    /**
     * Starts drawing the PNG and the SVG of the panels, each on a thread of its own from its own call
     * of {@code panels}, and returns at once: the caller can format its tables meanwhile and writes
     * the files with {@link Drawing#write} (issue 11: the figures were drawn before the tables were
     * formatted, one after the other on the critical path of every run's end).
     *
     * @param panels builds the same panels on every call; called twice, from two threads at once
     */
    public static Drawing draw(Supplier<? extends List<? extends Chart<?, ?>>> panels, Path base) {
        FutureTask<byte[]> raster = new FutureTask<>(() -> png(checkPanels(panels.get())));
        FutureTask<byte[]> vector = new FutureTask<>(() -> svg(checkPanels(panels.get())));
        start(raster, "gequiv-figure-png");
        start(vector, "gequiv-figure-svg");
        return new Drawing(base, raster, vector);
    }

    private static void start(FutureTask<byte[]> task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A figure being drawn ({@link #draw}); not thread-safe. */
    public static final class Drawing {
        /** Draws and writes nothing (a figure left out). */
        public static final Drawing NONE = new Drawing(null, null, null);

        private final Path base;
        private final FutureTask<byte[]> raster;
        private final FutureTask<byte[]> vector;

        private Drawing(Path base, FutureTask<byte[]> raster, FutureTask<byte[]> vector) {
            this.base = base;
            this.raster = raster;
            this.vector = vector;
        }

        /**
         * Waits for both drawings and writes {@code base}.png and {@code base}.svg atomically; a
         * failed drawing is thrown as it was thrown (the other one is cancelled, nothing is written).
         */
        public void write() throws IOException {
            if (base == null) {
                return;
            }
            byte[] png;
            try {
                png = result(raster, "drawing the PNG");
            } catch (RuntimeException | Error e) {
                vector.cancel(true);
                throw e;
            }
            Figures.write(base, png, result(vector, "drawing the SVG"));
        }
    }

    private static <T extends List<? extends Chart<?, ?>>> T checkPanels(T panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("panels must not be empty");
        }
        return panels;
    }

    /** The value of a finished drawing, or its failure as it was thrown. */
    private static byte[] result(FutureTask<byte[]> task, String what) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // the drawing is short and its result is needed: wait for it, keep the interrupt
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            throw org.gequiv.parallel.Futures.failure(e, what);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int width(List<? extends Chart<?, ?>> panels) {
        return panels.stream().mapToInt(Chart::getWidth).sum();
    }

    private static int height(List<? extends Chart<?, ?>> panels) {
        return panels.stream().mapToInt(Chart::getHeight).max().orElseThrow();
    }

    /** The PNG file of the panels. */
    private static byte[] png(List<? extends Chart<?, ?>> panels) {
        int width = width(panels);
        int height = height(panels);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        paint(panels, g);
        g.dispose();
        return PngEncoder.encode(image);
    }

    /** The SVG file of the panels. */
    private static byte[] svg(List<? extends Chart<?, ?>> panels) {
        VectorGraphics2D vg = new VectorGraphics2D();
        paint(panels, vg);
        return SvgDocument.write(vg.getCommands(), width(panels), height(panels));
    }

    private static void write(Path base, byte[] png, byte[] svg) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        String name = base.getFileName().toString();
        AtomicFiles.write(dir.resolve(name + ".png"), out -> out.write(png));
        AtomicFiles.write(dir.resolve(name + ".svg"), out -> out.write(svg));
    }

    /**
     * Draws {@code panels} as PNG and as SVG into memory and drops the result: the first figure
     * of a process otherwise pays, on its own critical path, for Java2D's font manager and glyph
     * outlines, the anti-aliasing renderer, and the first, interpreted runs of XChart's layout and
     * of the two encoders (≈ 0.7 s of CPU of the ≈ 1 s a short run's figure cost, issue 11). Writes
     * nothing and changes no later pixel (drawing keeps no state between figures but caches of
     * glyph outlines, which hold the same shapes). Safe to call from any thread, concurrently with
     * a figure being drawn from other charts.
     */
    public static void warmUp(List<? extends Chart<?, ?>> panels) {
        checkPanels(panels);
        png(panels);
        svg(panels);
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
