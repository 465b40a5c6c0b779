package org.gequiv.generator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.gequiv.linalg.Covariances;
import org.gequiv.linalg.DenseMatrices;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.SymmetricEigen;
import org.gequiv.random.RandomStreams;
import org.gequiv.validation.InvalidInputException;

/**
 * The Gaussian-equivalent generator of docs/theory.md §2.2: x̃ = μ + Φc + (Ω − ΦΦᵀ)^{1/2} z with
 * c ~ N(0, I_D) and z ~ N(0, I_N) independent. It has exactly the moments (μ, Ω, Φ) it was
 * built from.
 *
 * <p>Immutable and thread-safe.
 */
public final class GaussianEquivalentGenerator implements Generator {

    /**
     * Relative tolerance for negative eigenvalues of Ω − ΦΦᵀ, in units of Ω's largest absolute
     * eigenvalue: round-off in a double-precision eigendecomposition of size N stays far below.
     */
    public static final double PSD_TOLERANCE = 1e-9;

    /** The spec field of the moments, carried by the {@link InvalidInputException}s of construction. */
    static final String FIELD = "moments";

    private final Moments moments;
    private final String baseId;
    private final double[] phiTransposed;  // D × N
    private final double[] noiseRoot;      // N × N, symmetric
    private final double smallestEigenvalue;

    /**
     * @param moments the moments to match
     * @param baseId  identifier of the generator the moments come from, for provenance
     * @throws InvalidInputException when μ, Ω or Φ has a non-finite entry, Ω is not a covariance
     *                               ({@link Covariances}: symmetric, positive semi-definite; checked on
     *                               the eigenvalues computed here anyway), or Ω − ΦΦᵀ has an eigenvalue
     *                               below −{@link #PSD_TOLERANCE}·‖Ω‖₂; the message names the moments
     *                               file and key when the moments come from a file
     */
    public GaussianEquivalentGenerator(Moments moments, String baseId) {
        this.moments = moments;
        this.baseId = baseId;
        int n = moments.inputDimension();
        int d = moments.latentDimension();
        Object file = moments.source().get("file");
        String origin = file != null ? file + ":" : "moments of " + baseId + ": ";
        Covariances.checkFinite(FIELD, origin + "mean_x", moments.mean(), n, 1);
        Covariances.checkFiniteSymmetric(FIELD, origin + "omega", moments.omega(), n);
        Covariances.checkFinite(FIELD, origin + "phi", moments.phi(), n, d);
        LinearAlgebra la = LinearAlgebra.get();
        double[] schur = moments.omega().clone();
        la.gemm(false, true, n, n, d, -1.0, moments.phi(), moments.phi(), 1.0, schur);
        // symmetrise away the round-off of the product before decomposing
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0.5 * (schur[i * n + j] + schur[j * n + i]);
                schur[i * n + j] = s;
                schur[j * n + i] = s;
            }
        }
        SymmetricEigen omegaEigen = la.symmetricEigen(n, moments.omega());
        Covariances.checkEigenvalues(FIELD, origin + "omega", omegaEigen.values());
        double scale = Math.max(Math.abs(omegaEigen.values()[0]), Math.abs(omegaEigen.values()[n - 1]));
        SymmetricEigen eigen = la.symmetricEigen(n, schur);
        smallestEigenvalue = eigen.values()[0];
        if (smallestEigenvalue < -PSD_TOLERANCE * scale) {
            throw new InvalidInputException(FIELD, origin + "omega, phi", (file != null ? file : "moments of " + baseId)
                    + ": Omega - Phi Phi^T must be positive semi-definite (beyond round-off " + PSD_TOLERANCE
                    + " * ||Omega|| = " + PSD_TOLERANCE * scale + "), got smallest eigenvalue " + smallestEigenvalue
                    + "; the moments are inconsistent (for Monte-Carlo moments, use more samples)", null);
        }
        noiseRoot = DenseMatrices.psdSquareRoot(eigen, la);
        phiTransposed = DenseMatrices.transpose(n, d, moments.phi());
    }

    /** Smallest eigenvalue of Ω − ΦΦᵀ found at construction (negative values within round-off are clipped). */
    public double smallestSchurEigenvalue() {
        return smallestEigenvalue;
    }

    /** Per-thread buffer for z: sample() runs once per block, often on a sampler thread too. */
    private final ThreadLocal<double[]> noise = ThreadLocal.withInitial(() -> new double[0]);

    @Override
    public int latentDimension() {
        return moments.latentDimension();
    }

    @Override
    public int inputDimension() {
        return moments.inputDimension();
    }

    @Override
    public void sample(RandomGenerator rng, int batch, double[] latent, double[] inputs) {
        int n = moments.inputDimension();
        int d = moments.latentDimension();
        RandomStreams.fillGaussian(rng, latent, batch * d);
        double[] z = noise.get();
        if (z.length < batch * n) {
            z = new double[batch * n];
            noise.set(z);
        }
        RandomStreams.fillGaussian(rng, z, batch * n);
        LinearAlgebra la = LinearAlgebra.get();
        double[] mean = moments.mean();
        for (int b = 0; b < batch; b++) {
            System.arraycopy(mean, 0, inputs, b * n, n);
        }
        la.gemm(false, false, batch, n, d, 1.0, latent, phiTransposed, 1.0, inputs);
        la.gemm(false, false, batch, n, n, 1.0, z, noiseRoot, 1.0, inputs);
    }

    @Override
    public Optional<Moments> analyticMoments() {
        return Optional.of(moments);
    }

    @Override
    public String id() {
        return "gaussian-" + baseId;
    }

    @Override
    public Map<String, Object> description() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("generator", id());
        d.put("D", moments.latentDimension());
        d.put("N", moments.inputDimension());
        d.put("construction", "x = mu + Phi c + (Omega - Phi Phi^T)^(1/2) z");
        d.put("moments", moments.source());
        return d;
    }
}
