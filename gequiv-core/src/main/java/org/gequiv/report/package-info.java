/**
 * The paper report's science (docs/theory.md §2, §5, §6): each section a claim, a declarative list
 * of experiment points (spec parameters and seed) run through the {@code experiment} layer, a long
 * table of their rows, seed averages (mean ± standard error, count; {@link org.gequiv.report.SeedAverage}),
 * fitted rates with intervals ({@link org.gequiv.equivalence.RateFit}), figures as data
 * ({@link org.gequiv.report.FigureData}) and verdict sentences computed from the tables. The page
 * itself (HTML, drawing) is written by the command line. {@link org.gequiv.report.ReportRunner}
 * runs a section point by point, reading and keeping each finished point in a
 * {@link org.gequiv.report.PointStore} that the front end supplies (the command line's is the
 * sweeps' point folder), so an interrupted report resumes, and keeps there too what several points
 * of a section share ({@link org.gequiv.report.SharedResults}: section 3's Monte-Carlo moments) under
 * the same rule; a failing point is a recorded failure
 * shown in its section, and a failing section an outcome, not an exception.
 */
package org.gequiv.report;
