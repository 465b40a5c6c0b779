package org.gequiv.equivalence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.random.RandomStreams;

/**
 * Sweeps the field diagnostics over sizes N (at fixed δ = D/N or fixed D) and fits the decay
 * exponent of every statistic (theory.md §2.5).
 *
 * <p>At each size a fresh generator is built from {@code seed}'s
 * {@link RandomStreams#GENERATOR_WEIGHTS} stream (index N), weights are drawn by the
 * {@link WeightSpec}, and the fields are diagnosed with the same seed, so the slicing directions
 * coincide across sizes. Stateless.
 */
public final class EquivalenceSweep {

    /** Confidence level of the exponent intervals. */
    public static final double CONFIDENCE = 0.95;

    /** Builds the generator of a size. */
    @FunctionalInterface
    public interface GeneratorFactory {
        /** A generator with input dimension {@code n} and latent dimension {@code d}, weights from {@code seed}. */
        Generator create(int n, int d, long seed);
    }

    /**
     * Result of a sweep.
     *
     * @param sizes   the sizes, in sweep order
     * @param reports the diagnostics at each size
     * @param rates   one fit per statistic, in the order of the statistics
     */
    public record Result(List<SweepSize> sizes, List<FieldReport> reports, List<RateFit> rates) {
        public Result {
            sizes = List.copyOf(sizes);
            reports = List.copyOf(reports);
            rates = List.copyOf(rates);
        }

        /** The fit of the statistic called {@code name}. */
        public RateFit rate(String name) {
            for (RateFit r : rates) {
                if (r.statistic().equals(name)) {
                    return r;
                }
            }
            throw new java.util.NoSuchElementException("no statistic named '" + name + "'");
        }
    }

    private EquivalenceSweep() {
    }

    /** Sweep with the generators' analytic moments. */
    public static Result run(GeneratorFactory factory, List<SweepSize> sizes, WeightSpec weights,
                             FieldDiagnosticsSpec spec) {
        return run(factory, g -> g.analyticMoments().orElseThrow(() -> new IllegalArgumentException(
                "generator must have analytic moments, got none for '" + g.id() + "'")), sizes, weights, spec);
    }

    /** Sweep with moments supplied per generator (for example estimated by Monte Carlo). */
    public static Result run(GeneratorFactory factory, Function<Generator, Moments> moments, List<SweepSize> sizes,
                             WeightSpec weights, FieldDiagnosticsSpec spec) {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("sizes must be non-empty, got none");
        }
        List<FieldReport> reports = new ArrayList<>();
        for (SweepSize size : sizes) {
            long generatorSeed = RandomStreams.derivedSeed(spec.seed(), RandomStreams.GENERATOR_WEIGHTS, size.n());
            Generator g = factory.create(size.n(), size.d(), generatorSeed);
            FieldWeights w = weights.draw(size.n(), size.d(), spec.seed());
            reports.add(FieldDiagnostics.diagnose(g, moments.apply(g), w, spec));
        }
        return new Result(sizes, reports, fitRates(reports));
    }

    /** One {@link RateFit} per statistic of {@code reports} (which must share their statistics). */
    public static List<RateFit> fitRates(List<FieldReport> reports) {
        Map<String, Integer> order = new LinkedHashMap<>();
        for (FieldStatistic s : reports.get(0).statistics()) {
            order.put(s.name(), order.size());
        }
        int count = reports.size();
        double[] sizes = new double[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = reports.get(i).inputDimension();
        }
        List<RateFit> fits = new ArrayList<>();
        for (String name : order.keySet()) {
            double[] values = new double[count];
            boolean[] resolved = new boolean[count];
            for (int i = 0; i < count; i++) {
                FieldStatistic s = reports.get(i).statistic(name);
                values[i] = s.value();
                resolved[i] = s.resolved();
            }
            fits.add(RateFit.fit(name, sizes, values, resolved, CONFIDENCE));
        }
        return fits;
    }
}
