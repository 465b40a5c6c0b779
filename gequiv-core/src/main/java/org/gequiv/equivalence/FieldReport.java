package org.gequiv.equivalence;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * The diagnostics of the local fields of fixed weights at one size (docs/theory.md §2.5).
 *
 * @param inputDimension  N
 * @param latentDimension D
 * @param samples         P
 * @param law             the predicted Gaussian law N(μ, C)
 * @param sampleMean      the sample mean of the fields, length K + M
 * @param sampleCovariance the sample covariance (1/P normalisation), (K + M)² row-major
 * @param statistics      every statistic with its floor, in a fixed order
 */
public record FieldReport(int inputDimension, int latentDimension, int samples, GaussianFieldLaw law,
                          double[] sampleMean, double[] sampleCovariance, List<FieldStatistic> statistics) {

    public FieldReport {
        statistics = List.copyOf(statistics);
    }

    /** The statistic called {@code name}. */
    public FieldStatistic statistic(String name) {
        for (FieldStatistic s : statistics) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new NoSuchElementException("no statistic named '" + name + "'");
    }
}
