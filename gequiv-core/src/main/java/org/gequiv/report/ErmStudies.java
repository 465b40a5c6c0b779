package org.gequiv.report;

import org.gequiv.activation.StandardActivation;
import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.experiment.ErmExperiment;
import org.gequiv.experiment.ErmExperimentSpec;
import org.gequiv.experiment.ErmResult;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.Generator;
import org.gequiv.generator.GeneratorSpec;

/**
 * The full-batch problem of the ERM sections (docs/theory.md §6): random features σ(Fx/√N), σ = erf,
 * of the single-layer sign generator x = sign(Ac/√D) (or of its Gaussian twin, §2.2, which has the
 * same moments), the teacher on the latent, one data set per seed (the report averages over
 * seeds); the theory from the generator's analytic moments. Stateless.
 */
final class ErmStudies {

    /** Sizes of the problem. */
    record Problem(int n, int d, int features, double[] alphas, int testSamples) {
        /** The same α grid and test set size at other dimensions. */
        Problem resized(int n, int d, int features) {
            return new Problem(n, d, features, alphas, testSamples);
        }
    }

    /** The generator of the studies and its Gaussian twin, as {@link GeneratorSpec} kinds. */
    static final String GENERATOR = "single-layer";
    static final String TWIN = "gaussian-single-layer";

    private ErmStudies() {
    }

    /**
     * The experiment of one seed; a saddle point that does not converge throws, which fails the
     * point ({@link ReportRunner}).
     */
    static ErmResult run(Problem p, String generator, ErmLoss loss, double lambda, long seed, boolean simulate,
                         int twinSeeds, SaddlePointOptions saddlePoint, ReportContext context) {
        Generator g = new GeneratorSpec(generator, p.n(), p.d(), 1, 0, StandardActivation.SIGN,
                CovarianceRule.EXACT, seed).build();
        ErmSpec erm = new ErmSpec(loss, p.alphas(), new double[] {lambda}, 0, 1, p.testSamples(), seed);
        ErmExperimentSpec spec = new ErmExperimentSpec(erm, FeatureSpec.random(p.features(), StandardActivation.ERF),
                ErmExperimentSpec.Covariances.ANALYTIC, ErmExperimentSpec.DEFAULT_MONTE_CARLO_SAMPLES,
                saddlePoint, simulate, twinSeeds);
        ErmResult r = new ErmExperiment(spec, context.linearAlgebra()).run(g);
        for (var t : r.theory()) {
            if (!t.converged()) {
                throw new IllegalStateException("the saddle point did not converge at α = " + t.alpha() + ", λ = "
                        + t.lambda() + " (residual " + t.residual() + " after " + t.iterations() + " iterations)");
            }
        }
        return r;
    }

    /** n evenly spaced values from a to b. */
    static double[] grid(double a, double b, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = n == 1 ? a : a + (b - a) * i / (n - 1);
        }
        return x;
    }
}
