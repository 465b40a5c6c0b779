/**
 * The experiments every front end runs (the command line today; sweeps, Spark executors and the
 * paper report next): one per task, each an immutable spec validated once in its constructor, an
 * experiment object that runs theory ∥ simulation (and the Gaussian-twin comparison when asked),
 * and one result value that carries its own provenance — an ordered description of every
 * parameter, the seeds and their streams, the generator's identity and the linear-algebra backend.
 *
 * <ul>
 *   <li>{@link org.gequiv.experiment.OnlineExperiment}: one-pass SGD and the ODEs of the
 *       order-parameter densities (docs/theory.md §1.4, §5), also from given densities (§5.7);</li>
 *   <li>{@link org.gequiv.experiment.ErmExperiment}: ERM and the saddle point of the Gaussian covariate
 *       model (§6);</li>
 *   <li>{@link org.gequiv.experiment.CheckExperiment}: the Gaussianity of local fields (§2.1, §2.5),
 *       over a family's sizes, at a fixed generator's own size, or for weights saved by SGD (§8);</li>
 *   <li>{@link org.gequiv.experiment.MomentsExperiment}: Monte-Carlo moments (§7.2).</li>
 * </ul>
 *
 * <p>The policies that used to live in the command line are written here once: centring of inputs
 * whose mean is known ({@link org.gequiv.experiment.InputCentring}, §1.1), seed derivation
 * ({@link org.gequiv.experiment.SeedRules}), the Gaussian-twin pairing
 * ({@link org.gequiv.experiment.LearningCurveEquivalence}, {@link org.gequiv.experiment.ErmCurveEquivalence},
 * §2.2), the result tables ({@link org.gequiv.experiment.ResultTables}), and where a run's time went
 * ({@link org.gequiv.experiment.PhaseTimings}, run.json's {@code timings}). Spec violations are
 * {@link org.gequiv.validation.InvalidInputException}s naming the spec field, so that a front end can
 * name its own option.
 */
package org.gequiv.experiment;
