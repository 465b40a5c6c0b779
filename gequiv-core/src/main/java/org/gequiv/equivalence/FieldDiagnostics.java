package org.gequiv.equivalence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.random.RandomStreams;

/**
 * Compares the local fields (λ, ν) of fixed weights under a generator with the Gaussian law
 * N(μ, C) its moments predict (theory.md §2.1, §2.5), and puts every number beside its
 * Monte-Carlo floor.
 *
 * <p>The statistics, in this order:
 * <ul>
 *   <li>{@code mean_error} = ‖μ̂ − μ‖₂ and {@code covariance_error} = ‖Ĉ − C‖_F/‖C‖_F;</li>
 *   <li>per field f ∈ {lambda_k, nu_m}: {@code skewness_f}, {@code excess_kurtosis_f}, and
 *       {@code w1_f}, {@code ks_f} against the exact Gaussian marginal N(μ_f, C_ff);</li>
 *   <li>per random unit direction u_j of R^{K+M}: {@code w1_slice_j}, {@code ks_slice_j} of u_j·(λ, ν)
 *       against N(u_j·μ, u_jᵀCu_j), and their averages {@code w1_sliced}, {@code ks_sliced}.</li>
 * </ul>
 * The floor of each statistic is the mean of its magnitude over
 * {@link FieldDiagnosticsSpec#floorReplicates()} samples of size P drawn from N(μ, C) itself with
 * fixed-seed streams; it is the level below which a deviation cannot be told from sampling noise.
 *
 * <p>Stateless and thread-safe; parallel inside (see {@link FieldSampler}).
 */
public final class FieldDiagnostics {

    /** Name of the stream the slicing directions are drawn from. */
    public static final String DIRECTIONS_STREAM = "slice-directions";

    private FieldDiagnostics() {
    }

    /**
     * Diagnoses the fields of {@code weights} under {@code generator}, centred by the moments' mean
     * and compared with the law predicted by {@code moments}.
     */
    public static FieldReport diagnose(Generator generator, Moments moments, FieldWeights weights,
                                       FieldDiagnosticsSpec spec) {
        return diagnose(generator, moments, weights, moments.mean(), spec);
    }

    /** As {@link #diagnose(Generator, Moments, FieldWeights, FieldDiagnosticsSpec)}, with an explicit centring x₀. */
    public static FieldReport diagnose(Generator generator, Moments moments, FieldWeights weights, double[] centring,
                                       FieldDiagnosticsSpec spec) {
        GaussianFieldLaw law = GaussianFieldLaw.fromMoments(moments, weights, centring);
        double[] fields = FieldSampler.sample(generator, weights, centring, spec.samples(), spec.batch(),
                spec.seed(), spec.threads());
        return compare(fields, weights.labels(), law, weights.inputDimension(), weights.latentDimension(), spec);
    }

    /**
     * Compares given samples of the fields with {@code law}; the building block of
     * {@link #diagnose}, public so that fields sampled elsewhere can be diagnosed alike.
     *
     * @param fields P × (K + M) row-major, P = {@code spec.samples()}, not modified
     * @param labels K + M field labels
     */
    public static FieldReport compare(double[] fields, String[] labels, GaussianFieldLaw law, int inputDimension,
                                      int latentDimension, FieldDiagnosticsSpec spec) {
        int dim = law.dimension();
        int p = spec.samples();
        if (fields.length != (long) p * dim || labels.length != dim) {
            throw new IllegalArgumentException("fields must be P × (K + M) = " + p + " × " + dim
                    + " with " + dim + " labels, got " + fields.length + " entries and " + labels.length + " labels");
        }
        double[] directions = directions(spec.seed(), dim, spec.directions());
        List<String> names = names(labels, spec.directions());
        double[] sampleMean = new double[dim];
        double[] sampleCov = new double[dim * dim];
        double[] values = statistics(fields, p, law, directions, spec.directions(), sampleMean, sampleCov);

        int reps = spec.floorReplicates();
        double[][] floors = new double[reps][];
        double[] scratchMean = new double[dim];
        double[] scratchCov = new double[dim * dim];
        for (int r = 0; r < reps; r++) {
            double[] gauss = FieldSampler.sampleGaussian(law, p, spec.batch(), spec.seed(), r, spec.threads());
            floors[r] = statistics(gauss, p, law, directions, spec.directions(), scratchMean, scratchCov);
        }
        List<FieldStatistic> stats = new ArrayList<>(values.length);
        for (int s = 0; s < values.length; s++) {
            double mean = 0;
            for (int r = 0; r < reps; r++) {
                mean += Math.abs(floors[r][s]);
            }
            mean /= reps;
            double var = 0;
            for (int r = 0; r < reps; r++) {
                double dev = Math.abs(floors[r][s]) - mean;
                var += dev * dev;
            }
            double spread = Math.sqrt(var / (reps - 1));
            boolean resolved = Math.abs(values[s]) > spec.resolutionFactor() * mean;
            stats.add(new FieldStatistic(names.get(s), values[s], mean, spread, resolved));
        }
        return new FieldReport(inputDimension, latentDimension, p, law, sampleMean, sampleCov, stats);
    }

    /** {@code count} unit vectors of R^dim, row-major, from the seed's direction stream. */
    static double[] directions(long seed, int dim, int count) {
        RandomGenerator rng = RandomStreams.stream(seed, DIRECTIONS_STREAM, dim);
        double[] u = new double[count * dim];
        for (int j = 0; j < count; j++) {
            double norm = 0;
            while (!(norm > 1e-12)) {
                norm = 0;
                for (int a = 0; a < dim; a++) {
                    double g = rng.nextGaussian();
                    u[j * dim + a] = g;
                    norm += g * g;
                }
            }
            norm = Math.sqrt(norm);
            for (int a = 0; a < dim; a++) {
                u[j * dim + a] /= norm;
            }
        }
        return u;
    }

    private static List<String> names(String[] labels, int directions) {
        List<String> names = new ArrayList<>();
        names.add("mean_error");
        names.add("covariance_error");
        for (String f : labels) {
            names.add("skewness_" + f);
            names.add("excess_kurtosis_" + f);
            names.add("w1_" + f);
            names.add("ks_" + f);
        }
        for (int j = 1; j <= directions; j++) {
            names.add("w1_slice_" + j);
            names.add("ks_slice_" + j);
        }
        if (directions > 0) {
            names.add("w1_sliced");
            names.add("ks_sliced");
        }
        return names;
    }

    /** The statistics of one sample in the order of {@link #names}; also returns its mean and covariance. */
    private static double[] statistics(double[] fields, int p, GaussianFieldLaw law, double[] directions,
                                       int count, double[] sampleMean, double[] sampleCov) {
        int dim = law.dimension();
        double[] out = new double[2 + 4 * dim + (count > 0 ? 2 * count + 2 : 0)];
        Arrays.fill(sampleMean, 0.0);
        Arrays.fill(sampleCov, 0.0);
        for (int q = 0; q < p; q++) {
            for (int a = 0; a < dim; a++) {
                sampleMean[a] += fields[q * dim + a];
            }
        }
        double meanErr = 0;
        for (int a = 0; a < dim; a++) {
            sampleMean[a] /= p;
            double e = sampleMean[a] - law.mean()[a];
            meanErr += e * e;
        }
        for (int q = 0; q < p; q++) {
            for (int a = 0; a < dim; a++) {
                double da = fields[q * dim + a] - sampleMean[a];
                for (int b = a; b < dim; b++) {
                    sampleCov[a * dim + b] += da * (fields[q * dim + b] - sampleMean[b]);
                }
            }
        }
        double num = 0;
        double den = 0;
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                double v = sampleCov[a * dim + b] / p;
                sampleCov[a * dim + b] = v;
                sampleCov[b * dim + a] = v;
            }
        }
        for (int i = 0; i < dim * dim; i++) {
            double e = sampleCov[i] - law.covariance()[i];
            num += e * e;
            den += law.covariance()[i] * law.covariance()[i];
        }
        out[0] = Math.sqrt(meanErr);
        out[1] = den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);

        double[] column = new double[p];
        int o = 2;
        for (int a = 0; a < dim; a++) {
            for (int q = 0; q < p; q++) {
                column[q] = fields[q * dim + a];
            }
            out[o++] = SampleStatistics.skewness(column, p);
            out[o++] = SampleStatistics.excessKurtosis(column, p);
            Arrays.sort(column);
            double mu = law.mean()[a];
            double sd = Math.sqrt(law.variance(a));
            out[o++] = SampleStatistics.wasserstein1ToNormal(column, p, mu, sd);
            out[o++] = SampleStatistics.kolmogorovSmirnovToNormal(column, p, mu, sd);
        }
        if (count > 0) {
            double w1Sum = 0;
            double ksSum = 0;
            double[] u = new double[dim];
            for (int j = 0; j < count; j++) {
                System.arraycopy(directions, j * dim, u, 0, dim);
                double mu = 0;
                for (int a = 0; a < dim; a++) {
                    mu += u[a] * law.mean()[a];
                }
                for (int q = 0; q < p; q++) {
                    double s = 0;
                    for (int a = 0; a < dim; a++) {
                        s += u[a] * fields[q * dim + a];
                    }
                    column[q] = s;
                }
                Arrays.sort(column);
                double sd = Math.sqrt(law.quadraticForm(u));
                double w1 = SampleStatistics.wasserstein1ToNormal(column, p, mu, sd);
                double ks = SampleStatistics.kolmogorovSmirnovToNormal(column, p, mu, sd);
                out[o++] = w1;
                out[o++] = ks;
                w1Sum += w1;
                ksSum += ks;
            }
            out[o++] = w1Sum / count;
            out[o] = ksSum / count;
        }
        return out;
    }
}
