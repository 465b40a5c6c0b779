package org.gequiv.experiment;

import java.util.ArrayList;
import java.util.List;

import org.gequiv.generator.GaussianEquivalentGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSimulation;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.ProgressListener;
import org.gequiv.parallel.StopRequest;
import org.gequiv.random.Repeats;

/**
 * Learning-curve equivalence (docs/theory.md §2.1–§2.2): the same online-SGD experiment on a generator
 * and on its Gaussian equivalent x̃ = μ + Φc + (Ω − ΦΦᵀ)^{1/2} z with matched (μ, Ω, Φ), repeated
 * over seeds, with the mean difference of the generalisation-error curves and its standard error.
 *
 * <p>Both runs of a seed share the teacher, the student's initial weights, and the latent vectors
 * c of every training and test sample: both generators draw c first from the same indexed streams.
 * The labels are therefore identical sample by sample, and the difference of the curves measures
 * only the replacement of G(c) by its Gaussian equivalent; its seed-to-seed scatter is far
 * smaller than that of either curve. Stateless.
 */
public final class LearningCurveEquivalence {

    /**
     * Curves on the generator and on its Gaussian equivalent over seeds; an immutable value (arrays
     * are copied in and out).
     *
     * @param times                   the common recorded times (the shortest curve's, if any run stopped early)
     * @param seeds                   the seeds, one pair of runs each
     * @param generatorMean           mean ε_g on the generator at each time
     * @param gaussianMean            mean ε_g on the Gaussian equivalent
     * @param differenceMean          mean of ε_g(generator) − ε_g(Gaussian) over seeds
     * @param differenceStandardError its standard error, sd/√seeds (NaN for one seed)
     * @param generatorCurves         every run on the generator, in seed order
     * @param gaussianCurves          every run on the Gaussian equivalent, in seed order
     */
    public record Result(double[] times, long[] seeds, double[] generatorMean, double[] gaussianMean,
                         double[] differenceMean, double[] differenceStandardError,
                         List<LearningCurve> generatorCurves, List<LearningCurve> gaussianCurves) {
        public Result {
            times = times.clone();
            seeds = seeds.clone();
            generatorMean = generatorMean.clone();
            gaussianMean = gaussianMean.clone();
            differenceMean = differenceMean.clone();
            differenceStandardError = differenceStandardError.clone();
            generatorCurves = List.copyOf(generatorCurves);
            gaussianCurves = List.copyOf(gaussianCurves);
        }

        @Override
        public double[] times() {
            return times.clone();
        }

        @Override
        public long[] seeds() {
            return seeds.clone();
        }

        @Override
        public double[] generatorMean() {
            return generatorMean.clone();
        }

        @Override
        public double[] gaussianMean() {
            return gaussianMean.clone();
        }

        @Override
        public double[] differenceMean() {
            return differenceMean.clone();
        }

        @Override
        public double[] differenceStandardError() {
            return differenceStandardError.clone();
        }
    }

    private LearningCurveEquivalence() {
    }

    /**
     * Runs {@code spec} with each seed on {@code generator} and on the Gaussian equivalent built
     * from {@code moments}.
     *
     * @param seeds master seeds (the spec's own seed is replaced by each in turn); at least one
     */
    public static Result online(OnlineSpec spec, Generator generator, Moments moments, long[] seeds,
                                OnlineSimulation simulation) {
        if (seeds.length < 1) {
            throw new org.gequiv.validation.InvalidInputException("seeds", "seeds must list at least one seed, got none");
        }
        return online(spec, generator, new GaussianEquivalentGenerator(moments, generator.id()), seeds, simulation);
    }

    /**
     * Runs {@code spec} with each seed on {@code generator} and on {@code gaussian}, its Gaussian
     * equivalent built beforehand (docs/theory.md §2.2).
     */
    public static Result online(OnlineSpec spec, Generator generator, Generator gaussian, long[] seeds,
                                OnlineSimulation simulation) {
        return online(spec, generator, gaussian, seeds, simulation, StopRequest.NEVER);
    }

    /**
     * As {@link #online(OnlineSpec, Generator, Generator, long[], OnlineSimulation)}, every run
     * polling {@code stop}: an interrupted comparison keeps the times that every run reached.
     */
    public static Result online(OnlineSpec spec, Generator generator, Generator gaussian, long[] seeds,
                                OnlineSimulation simulation, StopRequest stop) {
        if (seeds.length < 1) {
            throw new org.gequiv.validation.InvalidInputException("seeds", "seeds must list at least one seed, got none");
        }
        List<LearningCurve> real = new ArrayList<>();
        List<LearningCurve> equivalent = new ArrayList<>();
        for (long seed : seeds) {
            OnlineSpec s = spec.withSeed(seed);
            OnlineSimulation.Control control = new OnlineSimulation.Control(stop, null, 0, null);
            real.add(simulation.run(OnlineProblem.initialise(s, generator), ProgressListener.NONE, null, control));
            equivalent.add(simulation.run(OnlineProblem.initialise(s, gaussian), ProgressListener.NONE, null,
                    control));
        }
        int points = Integer.MAX_VALUE;
        for (int i = 0; i < seeds.length; i++) {
            points = Math.min(points, Math.min(real.get(i).points().size(), equivalent.get(i).points().size()));
        }
        double[] times = new double[points];
        double[] genMean = new double[points];
        double[] gaussMean = new double[points];
        double[] diffMean = new double[points];
        double[] diffSe = new double[points];
        int count = seeds.length;
        double[] a = new double[count];
        double[] b = new double[count];
        double[] difference = new double[count];
        for (int t = 0; t < points; t++) {
            times[t] = real.get(0).points().get(t).time();
            for (int i = 0; i < count; i++) {
                a[i] = real.get(i).points().get(t).generalisationError();
                b[i] = equivalent.get(i).points().get(t).generalisationError();
                difference[i] = a[i] - b[i];
            }
            genMean[t] = Repeats.mean(a);
            gaussMean[t] = Repeats.mean(b);
            diffMean[t] = Repeats.mean(difference);
            diffSe[t] = Repeats.standardError(difference);
        }
        return new Result(times, seeds.clone(), genMean, gaussMean, diffMean, diffSe, real, equivalent);
    }
}
