package org.gequiv.experiment;

import org.gequiv.equivalence.FieldDiagnosticsSpec;
import org.gequiv.equivalence.WeightSpec;
import org.gequiv.validation.Checks;

/**
 * Everything a field-diagnostic experiment does (docs/theory.md §2.1, §2.5): how the fixed weights are
 * drawn, how the fields are sampled and compared with their Gaussian law, how many independent
 * instances are averaged per size, whether one generator per size serves every instance, and how
 * many samples estimate the moments of a generator that has none. Validated once, here; immutable.
 *
 * @param weights        student and teacher vectors (ignored when weights are supplied)
 * @param diagnostics    samples, batch, directions, floors, resolution, seed, threads
 * @param instances      independent instances per size, ≥ 1, averaged
 * @param generatorSeed  with a family sweep, the seed G of one generator per size for all instances
 *                       ({@link SeedRules#sweepGenerator}); null for fresh generators per instance
 * @param momentSamples  samples of the Monte-Carlo moment estimate of a fixed-size generator
 *                       without supplied moments, ≥ 2
 */
public record CheckExperimentSpec(WeightSpec weights, FieldDiagnosticsSpec diagnostics, int instances,
                                  Long generatorSeed, long momentSamples) {

    /** Default samples of the moment estimate. */
    public static final long DEFAULT_MOMENT_SAMPLES = 100_000;

    public CheckExperimentSpec {
        Checks.given("weights", weights);
        Checks.given("diagnostics", diagnostics);
        Checks.atLeast("instances", instances, 1);
        Checks.atLeast("momentSamples", momentSamples, 2);
    }
}
