package org.gequiv.equivalence;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * The statistics of one size of a sweep, averaged over independent instances (fresh generator
 * weights and fixed weights per instance): each {@link FieldStatistic#value()} is the mean
 * magnitude |statistic| over the instances, each floor and spread the mean floor and spread, and a
 * statistic is resolved when the mean magnitude exceeds floor + k·spread. The spread is deliberately
 * not divided by √instances (which the null law of a mean of independent instances would allow), so
 * the threshold stays conservative.
 *
 * @param size       N and D
 * @param instances  number of instances averaged
 * @param statistics averaged statistics, in the order of the per-instance reports
 */
public record SizeSummary(SweepSize size, int instances, List<FieldStatistic> statistics) {

    public SizeSummary {
        statistics = List.copyOf(statistics);
    }

    /** The averaged statistic called {@code name}. */
    public FieldStatistic statistic(String name) {
        for (FieldStatistic s : statistics) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new NoSuchElementException("no statistic named '" + name + "'");
    }

    /** Averages reports of the same size; all must carry the same statistics. */
    public static SizeSummary average(SweepSize size, List<FieldReport> reports, double resolutionSigmas) {
        int count = reports.size();
        List<FieldStatistic> first = reports.get(0).statistics();
        FieldStatistic[] out = new FieldStatistic[first.size()];
        for (int s = 0; s < first.size(); s++) {
            double value = 0;
            double floor = 0;
            double spread = 0;
            for (FieldReport r : reports) {
                FieldStatistic st = r.statistics().get(s);
                value += st.magnitude();
                floor += st.floor();
                spread += st.floorSpread();
            }
            value /= count;
            floor /= count;
            spread /= count;
            out[s] = new FieldStatistic(first.get(s).name(), count == 1 ? first.get(s).value() : value, floor,
                    spread, value > floor + resolutionSigmas * spread);
        }
        return new SizeSummary(size, count, List.of(out));
    }
}
