package org.gequiv.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.gequiv.plot.Figures;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * How one run of a command fits into a sweep ({@code gequiv sweep}); a command of its own has
 * none. A sweep builds every point's command object from the point's options with picocli, so
 * that option names, defaults and validation stay in the command; this context only changes what
 * a point does not need from a stand-alone run:
 *
 * <ul>
 *   <li>{@link #validateOnly}: the command returns right after building its specs and
 *       generator, before it touches its output folder (every point is validated before the first
 *       one runs);</li>
 *   <li>the output folder is the point's own, which the sweep has already claimed with its lock on
 *       the sweep folder ({@link #folder});</li>
 *   <li>no progress bars (the sweep shows its own), and no figures when the spec says
 *       {@code point-figures = false} (drawing PNG and SVG is most of a small point's cost);</li>
 *   <li>the command hands over its main table ({@link #table}), whose rows become the point's
 *       rows of {@code results.csv}.</li>
 * </ul>
 *
 * <p>One context belongs to one command object, used by one thread.
 */
final class SweepPointContext {
    final boolean validateOnly;
    /** Whether the point draws the command's figures (a sweep of many points may leave them out). */
    final boolean figures;
    /** The main table of the run (a CsvTable or LabelledCsvTable), set by the command. */
    Object table;

    SweepPointContext(boolean validateOnly, boolean figures) {
        this.validateOnly = validateOnly;
        this.figures = figures;
    }

    /**
     * Saves a command's figure, unless the run is a sweep point without figures; the panels are
     * built only when drawn, once for the PNG and once for the SVG, which are drawn concurrently
     * ({@link Figures#save(java.util.function.Supplier, Path)}).
     */
    static void saveFigures(SweepPointContext point, java.util.function.Supplier<? extends List<? extends Chart<?, ?>>> panels,
                            Path base) throws IOException {
        drawFigures(point, panels, base).write();
    }

    /**
     * As {@link #saveFigures}, returning while the figure is drawn ({@link Figures#draw}): the
     * command formats its tables meanwhile, then writes the figure first with
     * {@link Figures.Drawing#write}. {@link Figures.Drawing#NONE} when the point draws no figures.
     */
    static Figures.Drawing drawFigures(SweepPointContext point,
                                       java.util.function.Supplier<? extends List<? extends Chart<?, ?>>> panels,
                                       Path base) {
        return point == null || point.figures ? Figures.draw(panels, base) : Figures.Drawing.NONE;
    }

    /** The output folder of a command run under {@code point} (null: a stand-alone run, which claims it). */
    static Path folder(SweepPointContext point, Path out) {
        return point == null ? OutputFolder.prepare(out) : OutputFolder.writable(out);
    }

    /** The progress of a command run under {@code point}: its own bar, or none in a sweep (which shows its own). */
    static Terminal.Bar progress(SweepPointContext point, java.io.PrintWriter err) {
        return point == null ? Terminal.progress(err) : new Terminal.Bar(null, System::nanoTime);
    }

    /**
     * The stop request a command polls: its own, fed by SIGINT/SIGTERM ({@link Interruption}), or
     * none under a sweep, which lets its running points finish and stops between points.
     */
    static org.gequiv.parallel.StopRequest stop(SweepPointContext point) {
        return point == null ? Interruption.cooperate() : org.gequiv.parallel.StopRequest.NEVER;
    }
}
