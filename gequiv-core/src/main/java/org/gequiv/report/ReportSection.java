package org.gequiv.report;

import java.util.List;

/**
 * One section of the report: a claim, a declarative list of experiment points (spec and seed),
 * how one point runs, and how the long table of every point's rows becomes the shown tables,
 * figures and verdict. {@link #run} depends only on the point, so the points may run in any
 * order and be kept one by one in a {@link PointStore}; {@link #summarise} depends only on the
 * results table, so a cached table gives the same section.
 */
public interface ReportSection {

    /** A short identifier, used for file names and {@code --section}. */
    String id();

    /** The heading. */
    String title();

    /** The claim the section tests, in one or two sentences. */
    String claim();

    /** The points of the study, in a fixed order. */
    List<ExperimentPoint> points();

    /**
     * The rows of one point (without the point's parameters, which the runner prepends).
     *
     * @throws Exception a failure of the point, recorded with its message and shown in the section
     *                   ({@link ReportRunner}); the other points still run
     */
    ReportTable run(ExperimentPoint point) throws Exception;

    /**
     * The rows of one point, with the results that several points share (a Monte-Carlo moment
     * estimate) read from and kept in {@code shared}, so that a rerun does not compute them again;
     * what {@link ReportRunner} calls. A section that shares nothing has only {@link #run(ExperimentPoint)}.
     *
     * @throws Exception a failure of the point, as for {@link #run(ExperimentPoint)}
     */
    default ReportTable run(ExperimentPoint point, SharedResults shared) throws Exception {
        return run(point);
    }

    /**
     * The section's tables, figures and verdict from the results of every point.
     *
     * @param results one row per point and row of {@link #run}: the point's parameters, then the rows' columns
     */
    SectionBody summarise(ReportTable results);

    /** Grids of samples of the section's generators, shown beside its figures; none by default. */
    default List<SampleGrid> sampleGrids() {
        return List.of();
    }
}
