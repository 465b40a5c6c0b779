package org.gequiv.moments;

import java.util.List;
import java.util.Map;
import org.gequiv.generator.Moments;
import org.gequiv.linalg.Covariances;

/**
 * Result of a Monte-Carlo moment estimate (docs/theory.md §7.2).
 *
 * @param moments      (μ̂, Ω̂, Φ̂) with Ω̂ = Cov(x) and Φ̂ = Cov(x, c), both with the unbiased
 *                     1/(P − 1) normalisation; {@code moments.samples()} is P
 * @param latentMean   the sample mean of c (length D), a check that the latent is centred
 * @param log          one entry per checkpoint interval, the last one at P
 * @param resumedFrom  samples taken over from a checkpoint (0 when the estimate started afresh)
 * @param provenance   generator, seed, block size, threads, linear-algebra backend, wall time, and
 *                     for an estimate stopped on request, {@code "interrupted"}: who stopped it
 *                     and after how many samples
 * @throws org.gequiv.validation.InvalidInputException when an entry is not finite or Ω̂ is not a
 *         covariance ({@link Covariances#validate}), for example when a user-supplied generator
 *         produced non-finite outputs
 */
public record MomentEstimate(Moments moments, double[] latentMean, List<ConvergenceRecord> log,
                             long resumedFrom, Map<String, Object> provenance) {

    public MomentEstimate {
        String source = "Monte-Carlo estimate of " + provenance.getOrDefault("generator", "the generator");
        int n = moments.inputDimension();
        Covariances.checkFinite(MomentsFile.FIELD, source + ": mean_x", moments.mean(), n, 1);
        Covariances.validate(MomentsFile.FIELD, source + ": omega", moments.omega(), n);
        Covariances.checkFinite(MomentsFile.FIELD, source + ": phi", moments.phi(), n, moments.latentDimension());
        Covariances.checkFinite(MomentsFile.FIELD, source + ": mean_c", latentMean, latentMean.length, 1);
        log = List.copyOf(log);
        provenance = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(provenance));
    }

    /** Whether the estimate was stopped on request before its P samples (it holds fewer). */
    public boolean interrupted() {
        return provenance.containsKey("interrupted");
    }
}
