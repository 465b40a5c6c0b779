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
 * N(μ, C) its moments predict (docs/theory.md §2.1, §2.5), and puts every number beside its
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
 * The floor of each statistic is its mean magnitude for P samples of the exact Gaussian N(μ, C),
 * over {@link FieldDiagnosticsSpec#floorReplicates()} fixed-seed replicates, and its spread the
 * standard deviation over those replicates: for the moment errors from samples of N(μ, C) itself,
 * for the one-dimensional statistics from {@link NullFloors} (identical in law, shared by all
 * fields and directions). A statistic is resolved when it exceeds floor + k·spread; below that the
 * fields are Gaussian to within sampling noise, and nothing more can be said.
 *
 * <p>A null statistic exceeds floor + 3·spread with probability about 1% for |skewness| and
 * |excess kurtosis| (nearly half-normal) and far less for W₁ and KS, so in a large table an
 * occasional isolated skewness or kurtosis entry is resolved by chance; a rate is fitted only from
 * three or more resolved sizes.
 *
 * <p>Stateless; parallel inside (see {@link FieldSampler} for the process-wide BLAS setting).
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
        return diagnose(generator, moments, weights, moments.mean(), spec, 0, nullFloors(spec));
    }

    /**
     * As {@link #diagnose(Generator, Moments, FieldWeights, FieldDiagnosticsSpec)}, with an explicit
     * centring x₀, an instance number and precomputed one-dimensional floors.
     *
     * @param instance the field samples of instance j are drawn with the master seed
     *                 {@code spec.seed()} for j = 0 and derivedSeed(seed, "instance", j) otherwise;
     *                 the slicing directions always use {@code spec.seed()}
     * @param floors   from {@link #nullFloors(FieldDiagnosticsSpec)} (one set serves every call with
     *                 the same spec)
     */
    public static FieldReport diagnose(Generator generator, Moments moments, FieldWeights weights, double[] centring,
                                       FieldDiagnosticsSpec spec, int instance, NullFloors floors) {
        GaussianFieldLaw law = GaussianFieldLaw.fromMoments(moments, weights, centring);
        double[] fields = FieldSampler.sample(generator, weights, centring, spec.samples(), spec.batch(),
                instanceSeed(spec.seed(), instance), spec.threads());
        return compare(fields, weights.labels(), law, weights.inputDimension(), weights.latentDimension(), spec,
                floors);
    }

    /** The one-dimensional floors for {@code spec}: P samples, {@code floorReplicates} replicates. */
    public static NullFloors nullFloors(FieldDiagnosticsSpec spec) {
        return NullFloors.compute(spec.samples(), spec.floorReplicates(), spec.seed(), spec.threads());
    }

    /** The master seed of instance {@code j}: the seed itself for instance 0. */
    public static long instanceSeed(long seed, int j) {
        return j == 0 ? seed : RandomStreams.derivedSeed(seed, "instance", j);
    }

    /**
     * Compares given samples of the fields with {@code law}; the building block of
     * {@link #diagnose}, public so that fields sampled elsewhere can be diagnosed alike.
     *
     * @param fields P × (K + M) row-major, P = {@code spec.samples()}, not modified
     * @param labels K + M field labels
     * @param floors one-dimensional floors for P samples
     */
    public static FieldReport compare(double[] fields, String[] labels, GaussianFieldLaw law, int inputDimension,
                                      int latentDimension, FieldDiagnosticsSpec spec, NullFloors floors) {
        int dim = law.dimension();
        int p = spec.samples();
        if (fields.length != (long) p * dim || labels.length != dim) {
            throw new IllegalArgumentException("fields must be P × (K + M) = " + p + " × " + dim
                    + " with " + dim + " labels, got " + fields.length + " entries and " + labels.length + " labels");
        }
        if (floors.samples() != p) {
            throw new IllegalArgumentException("floors must be for P = " + p + " samples, got " + floors.samples());
        }
        int count = spec.directions();
        double[] directions = directions(spec.seed(), dim, count);
        List<String> names = names(labels, count);
        double[] sampleMean = new double[dim];
        double[] sampleCov = new double[dim * dim];
        double[] values = statistics(fields, p, law, directions, count, sampleMean, sampleCov, spec.threads());

        // floors of the moment errors: replicates of N(μ, C) itself (cheap: no sorting)
        int reps = spec.floorReplicates();
        double[][] momentFloors = new double[reps][2];
        double[] scratchMean = new double[dim];
        double[] scratchCov = new double[dim * dim];
        for (int r = 0; r < reps; r++) {
            double[] gauss = FieldSampler.sampleGaussian(law, p, spec.batch(), spec.seed(), r, spec.threads());
            momentErrors(gauss, p, law, scratchMean, scratchCov, momentFloors[r]);
        }
        double[] floor = new double[values.length];
        double[] spread = new double[values.length];
        for (int s = 0; s < 2; s++) {
            double m = 0;
            for (double[] f : momentFloors) {
                m += f[s];
            }
            m /= reps;
            double var = 0;
            for (double[] f : momentFloors) {
                var += (f[s] - m) * (f[s] - m);
            }
            floor[s] = m;
            spread[s] = Math.sqrt(var / (reps - 1));
        }
        for (int a = 0; a < dim; a++) {
            int o = 2 + 4 * a;
            double sd = Math.sqrt(law.variance(a));
            oneDimensional(floors, sd, floor, spread, o);
            floor[o] = floors.mean()[NullFloors.SKEWNESS];
            spread[o] = floors.spread()[NullFloors.SKEWNESS];
            floor[o + 1] = floors.mean()[NullFloors.KURTOSIS];
            spread[o + 1] = floors.spread()[NullFloors.KURTOSIS];
        }
        if (count > 0) {
            double sdSum = 0;
            for (int j = 0; j < count; j++) {
                double sd = Math.sqrt(law.quadraticForm(Arrays.copyOfRange(directions, j * dim, (j + 1) * dim)));
                sdSum += sd;
                oneDimensional(floors, sd, floor, spread, 2 + 4 * dim + 2 * j - 2);
            }
            // the average over directions of correlated statistics: keep the spread of one
            oneDimensional(floors, sdSum / count, floor, spread, 2 + 4 * dim + 2 * count - 2);
        }
        List<FieldStatistic> stats = new ArrayList<>(values.length);
        for (int s = 0; s < values.length; s++) {
            boolean resolved = Math.abs(values[s]) > floor[s] + spec.resolutionSigmas() * spread[s];
            stats.add(new FieldStatistic(names.get(s), values[s], floor[s], spread[s], resolved));
        }
        return new FieldReport(inputDimension, latentDimension, p, law, sampleMean, sampleCov, stats);
    }

    /** Writes the W₁ and KS floors of a marginal with standard deviation {@code sd} at {@code o + 2}, {@code o + 3}. */
    private static void oneDimensional(NullFloors floors, double sd, double[] floor, double[] spread, int o) {
        floor[o + 2] = sd * floors.mean()[NullFloors.W1];
        spread[o + 2] = sd * floors.spread()[NullFloors.W1];
        floor[o + 3] = floors.mean()[NullFloors.KS];
        spread[o + 3] = floors.spread()[NullFloors.KS];
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
                                       int count, double[] sampleMean, double[] sampleCov, int threads) {
        int dim = law.dimension();
        double[] out = new double[2 + 4 * dim + (count > 0 ? 2 * count + 2 : 0)];
        double[] errors = new double[2];
        momentErrors(fields, p, law, sampleMean, sampleCov, errors);
        out[0] = errors[0];
        out[1] = errors[1];

        // one column per field and per direction, each handled independently, so in parallel
        int fieldsThenSlices = dim + count;
        BlockParallel.forEachBlock(fieldsThenSlices, threads, () -> new double[p], (column, c) -> {
            double mu;
            double sd;
            if (c < dim) {
                for (int q = 0; q < p; q++) {
                    column[q] = fields[q * dim + c];
                }
                int o = 2 + 4 * c;
                out[o] = SampleStatistics.skewness(column, p);
                out[o + 1] = SampleStatistics.excessKurtosis(column, p);
                Arrays.sort(column);
                mu = law.mean()[c];
                sd = Math.sqrt(law.variance(c));
                out[o + 2] = SampleStatistics.wasserstein1ToNormal(column, p, mu, sd);
                out[o + 3] = SampleStatistics.kolmogorovSmirnovToNormal(column, p, mu, sd);
            } else {
                int j = c - dim;
                double[] u = Arrays.copyOfRange(directions, j * dim, (j + 1) * dim);
                mu = 0;
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
                sd = Math.sqrt(law.quadraticForm(u));
                int o = 2 + 4 * dim + 2 * j;
                out[o] = SampleStatistics.wasserstein1ToNormal(column, p, mu, sd);
                out[o + 1] = SampleStatistics.kolmogorovSmirnovToNormal(column, p, mu, sd);
            }
        });
        if (count > 0) {
            double w1Sum = 0;
            double ksSum = 0;
            for (int j = 0; j < count; j++) {
                w1Sum += out[2 + 4 * dim + 2 * j];
                ksSum += out[2 + 4 * dim + 2 * j + 1];
            }
            out[2 + 4 * dim + 2 * count] = w1Sum / count;
            out[2 + 4 * dim + 2 * count + 1] = ksSum / count;
        }
        return out;
    }

    /**
     * errors[0] = ‖μ̂ − μ‖₂, errors[1] = ‖Ĉ − C‖_F/‖C‖_F; also returns the sample mean and
     * covariance (1/P normalisation).
     */
    private static void momentErrors(double[] fields, int p, GaussianFieldLaw law, double[] sampleMean,
                                     double[] sampleCov, double[] errors) {
        int dim = law.dimension();
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
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                double v = sampleCov[a * dim + b] / p;
                sampleCov[a * dim + b] = v;
                sampleCov[b * dim + a] = v;
            }
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < dim * dim; i++) {
            double e = sampleCov[i] - law.covariance()[i];
            num += e * e;
            den += law.covariance()[i] * law.covariance()[i];
        }
        errors[0] = Math.sqrt(meanErr);
        errors[1] = den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
    }
}
