package org.gequiv.equivalence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.parallel.StopRequest;
import org.gequiv.random.RandomStreams;

/**
 * Sweeps the field diagnostics over sizes N (at fixed δ = D/N or fixed D) and fits the decay
 * exponent of every statistic (docs/theory.md §2.5).
 *
 * <p>At each size, and for each of a few independent instances, a fresh generator and fresh fixed
 * weights are drawn and the fields diagnosed; the magnitudes are averaged over instances, because
 * a single instance's deviation from the Gaussian law scatters from size to size (the finite-size
 * error of the moments depends on the particular weights). The slicing directions depend only on
 * the seed, so they coincide across sizes and instances. Stateless.
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
     * @param sizes     the sizes, in sweep order
     * @param reports   the diagnostics of every instance: {@code reports.get(i).get(j)} is instance j
     *                  of size i
     * @param summaries the statistics of each size averaged over its instances
     * @param rates     one fit per statistic, in the order of the statistics
     */
    public record Result(List<SweepSize> sizes, List<List<FieldReport>> reports, List<SizeSummary> summaries,
                         List<RateFit> rates) {
        public Result {
            sizes = List.copyOf(sizes);
            reports = reports.stream().map(List::copyOf).toList();
            summaries = List.copyOf(summaries);
            rates = List.copyOf(rates);
        }

        /** The fit of the statistic called {@code name}. */
        public RateFit rate(String name) {
            for (RateFit r : rates) {
                if (r.statistic().equals(name)) {
                    return r;
                }
            }
            throw new NoSuchElementException("no statistic named '" + name + "'");
        }
    }

    private EquivalenceSweep() {
    }

    /** Sweep with the generators' analytic moments. */
    public static Result run(GeneratorFactory factory, List<SweepSize> sizes, WeightSpec weights,
                             FieldDiagnosticsSpec spec, int instances) {
        return run(factory, EquivalenceSweep::analyticMoments, sizes, weights, spec, instances);
    }

    /** The analytic moments of {@code g}, which a family sweep requires. */
    public static Moments analyticMoments(Generator g) {
        return g.analyticMoments().orElseThrow(() -> new IllegalArgumentException(
                "generator must have analytic moments, got none for '" + g.id() + "'"));
    }

    /**
     * Sweep with moments supplied per generator (for example estimated by Monte Carlo).
     *
     * <p>Instance j of size N builds its generator from the seed
     * derivedSeed(s_j, {@link RandomStreams#GENERATOR_WEIGHTS}, N) and its weights and field samples from s_j, where
     * s_0 = seed and s_j = derivedSeed(seed, "instance", j), so instance 0 of a one-instance sweep
     * and of a longer one coincide. The slicing directions and the floors use {@code spec.seed()}
     * itself, so they are shared by all sizes and instances.
     *
     * @param instances independent instances per size (≥ 1), averaged in the summaries
     */
    public static Result run(GeneratorFactory factory, Function<Generator, Moments> moments, List<SweepSize> sizes,
                             WeightSpec weights, FieldDiagnosticsSpec spec, int instances) {
        return run(factory, moments, sizes, weights, spec, instances, org.gequiv.progress.Progress.NONE,
                StopRequest.NEVER);
    }

    /**
     * As {@link #run(GeneratorFactory, Function, List, WeightSpec, FieldDiagnosticsSpec, int)},
     * reporting the floors and then each size as a phase of {@code progress}, with its instances as
     * units, and polling {@code stop} after every size: a requested stop returns the sizes done so
     * far (at least the first), with the rates fitted over them.
     */
    public static Result run(GeneratorFactory factory, Function<Generator, Moments> moments, List<SweepSize> sizes,
                             WeightSpec weights, FieldDiagnosticsSpec spec, int instances,
                             org.gequiv.progress.Progress progress, StopRequest stop) {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("sizes must be non-empty, got none");
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be >= 1, got " + instances);
        }
        progress.phase("Monte-Carlo floors: " + spec.floorReplicates() + " Gaussian replicates");
        NullFloors floors = FieldDiagnostics.nullFloors(spec);
        List<List<FieldReport>> reports = new ArrayList<>();
        List<SizeSummary> summaries = new ArrayList<>();
        int done = 0;
        for (SweepSize size : sizes) {
            progress.phase("size N = " + size.n() + ", D = " + size.d() + " (" + (++done) + " of " + sizes.size() + ")");
            List<FieldReport> atSize = new ArrayList<>();
            for (int j = 0; j < instances; j++) {
                long instanceSeed = FieldDiagnostics.instanceSeed(spec.seed(), j);
                long generatorSeed = RandomStreams.derivedSeed(instanceSeed, RandomStreams.GENERATOR_WEIGHTS, size.n());
                Generator g = factory.create(size.n(), size.d(), generatorSeed);
                FieldWeights w = weights.draw(size.n(), size.d(), instanceSeed);
                Moments m = moments.apply(g);
                atSize.add(FieldDiagnostics.diagnose(g, m, w, m.mean(), spec, j, floors));
                progress.progress(j + 1, instances);
            }
            reports.add(atSize);
            summaries.add(SizeSummary.average(size, atSize, spec.resolutionSigmas()));
            if (stop.requested()) {
                break;
            }
        }
        return new Result(sizes.subList(0, summaries.size()), reports, summaries, fitRates(summaries));
    }

    /** One {@link RateFit} per statistic of {@code summaries} (which must share their statistics). */
    public static List<RateFit> fitRates(List<SizeSummary> summaries) {
        Map<String, Integer> order = new LinkedHashMap<>();
        for (FieldStatistic s : summaries.get(0).statistics()) {
            order.put(s.name(), order.size());
        }
        int count = summaries.size();
        double[] sizes = new double[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = summaries.get(i).size().n();
        }
        List<RateFit> fits = new ArrayList<>();
        for (String name : order.keySet()) {
            double[] values = new double[count];
            boolean[] resolved = new boolean[count];
            for (int i = 0; i < count; i++) {
                FieldStatistic s = summaries.get(i).statistic(name);
                values[i] = s.value();
                resolved[i] = s.resolved();
            }
            fits.add(RateFit.fit(name, sizes, values, resolved, CONFIDENCE));
        }
        return fits;
    }
}
