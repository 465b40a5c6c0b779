package org.gequiv.erm;

import java.util.Arrays;

import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;

/**
 * One full-batch learning experiment (docs/theory.md §6.1), shared by the saddle-point theory and the
 * ERM simulation: {@code ŵ = argmin_w Σ_μ ℓ(y^μ, w·v^μ/√d) + (λ/2)‖w‖²} with n = αd samples, at
 * every (α, λ) of the grid.
 *
 * <p>Labels: regression y = ν + √Δ z, classification y = sign(ν + √Δ z) (probit noise), with ν the
 * teacher field and Δ = {@code labelNoise}; test errors are measured against the noiseless teacher.
 * The theory ignores {@code repeats}, {@code testSamples} and {@code seed}.
 *
 * @param loss        the task
 * @param alphas      α = n/d &gt; 0, in sweep order (the theory warm-starts each α from the previous)
 * @param lambdas     λ ≥ 0, in sweep order; λ = 0 only for the square losses at every α &gt; 1
 * @param labelNoise  Δ ≥ 0
 * @param repeats     simulated data sets per point, ≥ 1
 * @param testSamples size of each fresh test set, ≥ 1
 * @param seed        master seed of the simulation (streams split by RandomStreams)
 */
public record ErmSpec(ErmLoss loss, double[] alphas, double[] lambdas, double labelNoise, int repeats,
                      int testSamples, long seed) {

    public ErmSpec {
        Checks.given("loss", loss);
        alphas = alphas.clone();
        lambdas = lambdas.clone();
        if (alphas.length == 0) {
            throw new InvalidInputException("alphas", "alphas must list at least one value, got none");
        }
        if (lambdas.length == 0) {
            throw new InvalidInputException("lambdas", "lambdas must list at least one value, got none");
        }
        double minAlpha = Double.POSITIVE_INFINITY;
        for (double a : alphas) {
            if (!(a > 0) || !Double.isFinite(a)) {
                throw new InvalidInputException("alpha", "alpha must be finite and > 0, got " + a);
            }
            minAlpha = Math.min(minAlpha, a);
        }
        for (double l : lambdas) {
            validateLambda(loss, minAlpha, l);
        }
        Checks.nonNegative("labelNoise", labelNoise);
        Checks.atLeast("repeats", repeats, 1);
        Checks.atLeast("testSamples", testSamples, 1);
    }

    /** A spec for the theory alone (one repeat, 10 000 test samples, seed 0 for a later simulation). */
    public static ErmSpec theory(ErmLoss loss, double[] alphas, double[] lambdas, double labelNoise) {
        return new ErmSpec(loss, alphas, lambdas, labelNoise, 1, 10_000, 0L);
    }

    /**
     * Checks that (α, λ) defines a unique minimiser: λ must be finite and ≥ 0; λ = 0 is allowed only
     * for the square losses with α &gt; 1 (below, the interpolating solutions are not unique, and the
     * logistic and hinge minimisers run off to infinity on separable data).
     */
    static void validateLambda(ErmLoss loss, double alpha, double lambda) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new InvalidInputException("lambda", "lambda must be finite and >= 0, got " + lambda);
        }
        if (lambda == 0) {
            if (!loss.isSquare()) {
                throw new InvalidInputException("lambda", "lambda must be > 0 for the " + loss.id() + " loss, got 0");
            }
            if (!(alpha > 1)) {
                throw new InvalidInputException("lambda", "lambda must be > 0 for " + loss.id()
                        + " at alpha <= 1, got 0 at alpha " + alpha);
            }
        }
    }

    @Override
    public double[] alphas() {
        return alphas.clone();
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }

    /** The same experiment with another master seed. */
    public ErmSpec withSeed(long newSeed) {
        return new ErmSpec(loss, alphas, lambdas, labelNoise, repeats, testSamples, newSeed);
    }

    /** Number of (α, λ) points. */
    public int size() {
        return alphas.length * lambdas.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErmSpec s && loss == s.loss && Arrays.equals(alphas, s.alphas)
                && Arrays.equals(lambdas, s.lambdas) && Double.compare(labelNoise, s.labelNoise) == 0
                && repeats == s.repeats && testSamples == s.testSamples && seed == s.seed;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(alphas) * 31 + Arrays.hashCode(lambdas) + loss.hashCode() + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "ErmSpec[loss=" + loss.id() + ", alphas=" + Arrays.toString(alphas) + ", lambdas="
                + Arrays.toString(lambdas) + ", labelNoise=" + labelNoise + ", repeats=" + repeats
                + ", testSamples=" + testSamples + ", seed=" + seed + "]";
    }
}
