package org.gequiv.report;

import java.io.IOException;

/**
 * Where the finished points of a report's sections are kept, so that an interrupted report
 * resumes point by point: {@link ReportRunner} asks for each point before running it and hands
 * over each point's rows as soon as the point has run. The command line keeps them in one sweep
 * folder per section ({@code org.gequiv.sweep.SectionPoints}, the sweeps' own point store), the
 * library has no store of its own. A store answers only for entries of the same points and build
 * (it decides what "the same build" means, for example the git commit); a failed point is never
 * stored, so it runs again.
 *
 * <p>Implementations must write each point so that an interruption at any moment leaves it either
 * stored whole or not at all, and may be called for one section at a time from one thread.
 */
public interface PointStore {

    /**
     * A finished point.
     *
     * @param rows    the point's rows, as {@link ReportSection#run} returned them
     * @param seconds wall time of the point when it ran
     */
    record Stored(ReportTable rows, double seconds) {
        public Stored {
            org.gequiv.validation.Checks.given("rows", rows);
        }
    }

    /** Keeps nothing: every point runs. */
    PointStore NONE = new PointStore() {
        @Override
        public Stored read(ReportSection section, int index, ExperimentPoint point) {
            return null;
        }

        @Override
        public void write(ReportSection section, int index, ExperimentPoint point, Stored result) {
        }
    };

    /**
     * The stored result of point {@code index} (0-based, of {@code section.points()}), or null
     * when there is none that can be trusted (not finished, of another build, unreadable).
     */
    Stored read(ReportSection section, int index, ExperimentPoint point);

    /**
     * Keeps the result of point {@code index} of {@code section}.
     *
     * @throws IOException when it cannot be written; the report stops, since it could not be
     *                     resumed either
     */
    void write(ReportSection section, int index, ExperimentPoint point, Stored result) throws IOException;

    /**
     * Where the results shared by several points of {@code section} are kept, under the same rule
     * as its points; {@link SharedResults#NONE} (nowhere) by default.
     */
    default SharedResults shared(ReportSection section) {
        return SharedResults.NONE;
    }
}
