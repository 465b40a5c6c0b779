/**
 * Studies: {@code gequiv sweep SPEC.toml}, one command run over the Cartesian product of option
 * values (and explicit points), on a pool of workers in one JVM or as Spark tasks, resumable.
 *
 * <ul>
 *   <li>{@link org.gequiv.sweep.SweepSpec}: the TOML spec, expanded into
 *       {@link org.gequiv.sweep.SweepPoint}s with stable ids;</li>
 *   <li>{@link org.gequiv.sweep.PointRunner}: how one point is validated and run — implemented by
 *       the command line ({@code org.gequiv.cli.CommandPoints}), which builds each point's spec
 *       with the command's own option parsing, so option names, defaults and validation exist
 *       once;</li>
 *   <li>{@link org.gequiv.sweep.SweepExecutor}: where points run — {@link org.gequiv.sweep.LocalExecutor}
 *       (a thread pool), or a provider found through {@link java.util.ServiceLoader} (the optional
 *       gequiv-spark module);</li>
 *   <li>{@link org.gequiv.sweep.SweepFolder}: the output folder, finished-point markers and the
 *       resume rule; {@link org.gequiv.sweep.SweepTables}: {@code results.csv},
 *       {@code summary.csv} (mean, standard error and count over seeds) and {@code failures.csv};</li>
 *   <li>{@link org.gequiv.sweep.Sweep}: the run itself;</li>
 *   <li>{@link org.gequiv.sweep.SectionPoints}: the same point folders as the store of the paper
 *       report's sections ({@code gequiv paper}), one sweep folder per section.</li>
 * </ul>
 *
 * <p>Determinism: a point's result depends only on its parameters (its seed among them), never on
 * the order of execution, the worker or the number of workers; the tables are assembled from the
 * finished points in the spec's order, so they are byte-identical however the points ran. Silent:
 * what the sweep has to say goes to a {@link org.gequiv.sweep.Sweep.Listener}.
 */
package org.gequiv.sweep;
