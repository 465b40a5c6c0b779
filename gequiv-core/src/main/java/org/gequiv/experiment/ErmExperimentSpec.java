package org.gequiv.experiment;

import java.util.Locale;

import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;

/**
 * Everything a full-batch experiment does (docs/theory.md §6, §2.2): the sweep of {@link ErmSpec},
 * the student's features, where the theory's covariances come from, the saddle-point options,
 * whether ERM is simulated on samples, and how many seeds the Gaussian-twin comparison runs (0:
 * none). Validated once, here; immutable.
 *
 * @param erm                 loss, (α, λ) grid, label noise, repeats, test set, seed
 * @param features            input, random or latent features (ignored by the theory-only path)
 * @param covariances         analytic moments or a Monte-Carlo estimate
 * @param monteCarloSamples   samples of the Monte-Carlo estimate, ≥ 2 (unused for analytic moments)
 * @param saddlePoint         how the saddle-point iteration runs
 * @param simulate            solve ERM on sampled data sets too
 * @param versusGaussianSeeds S ≥ 0 seeds of the twin comparison (seeds s … s + S − 1, {@link SeedRules})
 */
public record ErmExperimentSpec(ErmSpec erm, FeatureSpec features, Covariances covariances, int monteCarloSamples,
                                SaddlePointOptions saddlePoint, boolean simulate, int versusGaussianSeeds) {

    /** Default samples of the Monte-Carlo covariance estimate. */
    public static final int DEFAULT_MONTE_CARLO_SAMPLES = 100_000;

    /** Where the theory's covariances come from when a generator is given. */
    public enum Covariances {
        /** The generator's analytic (or supplied) moments, docs/theory.md §6.2. */
        ANALYTIC("analytic"),
        /** Monte-Carlo estimates of Ω and Φ of the features (§7.2). */
        MONTE_CARLO("monte-carlo");

        private final String id;

        Covariances(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** The source called {@code id}. */
        public static Covariances byId(String id) {
            String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
            for (Covariances c : values()) {
                if (c.id.equals(wanted)) {
                    return c;
                }
            }
            throw new InvalidInputException("covariances", "covariances must be analytic or monte-carlo, got '" + id
                    + "'");
        }
    }

    public ErmExperimentSpec {
        Checks.given("erm", erm);
        Checks.given("features", features);
        Checks.given("covariances", covariances);
        Checks.atLeast("monteCarloSamples", monteCarloSamples, 2);
        Checks.given("saddlePoint", saddlePoint);
        Checks.atLeast("versusGaussianSeeds", versusGaussianSeeds, 0);
    }

    /** The theory alone from the analytic moments, default solver. */
    public static ErmExperimentSpec theory(ErmSpec erm, FeatureSpec features) {
        return new ErmExperimentSpec(erm, features, Covariances.ANALYTIC, DEFAULT_MONTE_CARLO_SAMPLES,
                SaddlePointOptions.defaults(), false, 0);
    }
}
