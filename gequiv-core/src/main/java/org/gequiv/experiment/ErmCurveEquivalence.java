package org.gequiv.experiment;

import java.util.ArrayList;
import java.util.List;

import org.gequiv.erm.ErmPoint;
import org.gequiv.erm.ErmProblem;
import org.gequiv.erm.ErmSimulation;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.generator.GaussianEquivalentGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.random.Repeats;

/**
 * Full-batch learning-curve equivalence (docs/theory.md §2.2, §6): the same ERM experiment on a
 * generator and on its Gaussian equivalent with matched (μ, Ω, Φ), repeated over seeds, with the
 * mean difference of the test errors and training losses and their standard errors.
 *
 * <p>For each seed s both problems are built with {@code ErmProblem.create(·, features, s)} and run
 * with the spec's seed replaced by s: they share the teacher θ, the random-feature weights and the
 * training and test streams. {@link ErmProblem#sample} draws every block of samples from its own
 * sub-stream, so the two runs see the same latent vectors c (hence the same labels) throughout,
 * and the difference is paired: it carries the part of x that is not Φc, not the data-set noise.
 * Stateless.
 */
public final class ErmCurveEquivalence {

    /**
     * One (α, λ) point compared over seeds.
     *
     * @param alpha                  α
     * @param lambda                 λ
     * @param generatorTestError     mean test error on the generator
     * @param gaussianTestError      mean test error on the Gaussian equivalent
     * @param testErrorDifference    mean of the per-seed differences (generator − Gaussian)
     * @param testErrorDifferenceSem its standard error over seeds (NaN for one seed)
     * @param trainLossDifference    mean difference of the training losses
     * @param trainLossDifferenceSem its standard error
     * @param converged              whether every ERM solve of both runs converged
     */
    public record Point(double alpha, double lambda, double generatorTestError, double gaussianTestError,
                        double testErrorDifference, double testErrorDifferenceSem, double trainLossDifference,
                        double trainLossDifferenceSem, boolean converged) {
    }

    /**
     * @param seeds     the seeds
     * @param points    one per (α, λ), in the order of {@link ErmSimulation#run}
     * @param generator every seed's points on the generator
     * @param gaussian  every seed's points on the Gaussian equivalent
     */
    public record Result(long[] seeds, List<Point> points, List<List<ErmPoint>> generator,
                         List<List<ErmPoint>> gaussian) {
        public Result {
            seeds = seeds.clone();
            points = List.copyOf(points);
            generator = generator.stream().map(List::copyOf).toList();
            gaussian = gaussian.stream().map(List::copyOf).toList();
        }

        @Override
        public long[] seeds() {
            return seeds.clone();
        }
    }

    private ErmCurveEquivalence() {
    }

    /** Runs {@code spec} with each seed on {@code generator} and on the Gaussian equivalent of {@code moments}. */
    public static Result run(ErmSpec spec, FeatureSpec features, Generator generator, Moments moments, long[] seeds,
                             ErmSimulation simulation) {
        if (seeds.length < 1) {
            throw new org.gequiv.validation.InvalidInputException("seeds", "seeds must list at least one seed, got none");
        }
        Generator equivalent = new GaussianEquivalentGenerator(moments, generator.id());
        List<List<ErmPoint>> real = new ArrayList<>();
        List<List<ErmPoint>> gauss = new ArrayList<>();
        for (long seed : seeds) {
            ErmSpec s = spec.withSeed(seed);
            real.add(simulation.run(s, ErmProblem.create(generator, features, seed)));
            gauss.add(simulation.run(s, ErmProblem.create(equivalent, features, seed)));
        }
        int count = seeds.length;
        List<Point> points = new ArrayList<>();
        for (int k = 0; k < real.get(0).size(); k++) {
            double[] genTest = new double[count];
            double[] gaussTest = new double[count];
            double[] testDiff = new double[count];
            double[] trainDiff = new double[count];
            boolean converged = true;
            for (int i = 0; i < count; i++) {
                ErmPoint a = real.get(i).get(k);
                ErmPoint b = gauss.get(i).get(k);
                genTest[i] = a.testError();
                gaussTest[i] = b.testError();
                testDiff[i] = a.testError() - b.testError();
                trainDiff[i] = a.trainLoss() - b.trainLoss();
                converged &= a.converged() && b.converged();
            }
            ErmPoint first = real.get(0).get(k);
            points.add(new Point(first.alpha(), first.lambda(), mean(genTest), mean(gaussTest), mean(testDiff), sem(testDiff),
                    mean(trainDiff), sem(trainDiff), converged));
        }
        return new Result(seeds.clone(), points, real, gauss);
    }

    private static double mean(double[] x) {
        return Repeats.mean(x);
    }

    private static double sem(double[] x) {
        return Repeats.standardError(x);
    }
}
