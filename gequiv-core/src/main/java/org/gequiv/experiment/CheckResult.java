package org.gequiv.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.equivalence.RateFit;
import org.gequiv.equivalence.SizeSummary;

/**
 * What a {@link CheckExperiment} produced: the field statistics beside their Monte-Carlo floors
 * (docs/theory.md §2.5), per size of a sweep or per recorded time of saved weights, and the fitted
 * decay rates of a sweep.
 *
 * @param summaries  per size (sweep, fixed size) or per recorded time (saved weights), averaged over instances
 * @param rates      one fit per statistic over the sizes of a sweep; empty for a single size
 * @param times      the recorded times of saved weights, one per summary; null otherwise
 * @param provenance ordered, unmodifiable description of the run
 */
public record CheckResult(List<SizeSummary> summaries, List<RateFit> rates, double[] times,
                          Map<String, Object> provenance) {

    public CheckResult {
        summaries = List.copyOf(summaries);
        rates = List.copyOf(rates);
        times = times == null ? null : times.clone();
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** Whether the check was stopped on request before its last size, instance or time. */
    public boolean interrupted() {
        return "interrupted".equals(provenance.get("status"));
    }

    @Override
    public double[] times() {
        return times == null ? null : times.clone();
    }
}
