package org.gequiv.experiment;

import org.gequiv.equivalence.FieldDiagnosticsSpec;
import org.gequiv.equivalence.WeightSpec;
import org.gequiv.validation.Checks;
import org.gequiv.validation.MemoryEstimate;

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

    /**
     * The memory of one size of the check at dimensions N, D (sizes run one after the other; pass
     * the largest), with K + M fields: the Gaussian law's Ω, its factor and a work copy (3 N²), Φ
     * (N·D), the weights ((K + M) × N), the sampled fields and one exact-Gaussian replicate
     * (2 × samples × (K + M + directions)), the sample blocks of each thread (threads × batch × (N +
     * D)), and for a generator without moments the Monte-Carlo accumulators (N² + N·D); one figure.
     *
     * @param fields K + M, the number of fields (from the weights, or the saved trajectory)
     */
    public MemoryEstimate memory(int inputDim, int latentDim, int fields) {
        long n = inputDim;
        long d = latentDim;
        MemoryEstimate.Builder b = MemoryEstimate.builder();
        b.doubles("n", "Gaussian law: Ω, its factor and a work copy, 3 × N² doubles", 3, n, n);
        b.doubles("n", "Φ: N × D doubles", 1, n, d);
        b.doubles("students", "weights: (K + M) × N doubles", 1, fields, n);
        b.doubles("samples", "fields and a Gaussian replicate: 2 × samples × (K + M + directions) doubles", 2,
                diagnostics.samples(), (long) fields + diagnostics.directions());
        b.doubles("batch", "sample blocks: threads × batch × (N + D) doubles", diagnostics.threads(),
                diagnostics.batch(), n + d);
        b.doubles("n", "Monte-Carlo moment accumulators: N² + N·D doubles", 1, n, n + d);
        return b.figures(1).build();
    }
}
