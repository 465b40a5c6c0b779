package org.gequiv.erm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.gequiv.linalg.Covariances;
import org.gequiv.validation.InvalidInputException;

/**
 * Saddle-point inputs from NumPy {@code .npz} files (docs/theory.md §6.2).
 *
 * <ul>
 *   <li>Spectra: keys {@code omega} (d), {@code t} (d), scalars {@code rho} and {@code gamma}; t_i
 *       must already be in Ω's own eigenbasis, paired with omega index by index.</li>
 *   <li>Covariances: keys {@code omega} Ω = E[v vᵀ] (d × d), {@code phi} Φ = E[u vᵀ] (p × d, the
 *       GCM convention of §6.1: teacher rows, student columns), {@code psi} Ψ (p × p) and
 *       {@code theta} (p); the spectra follow through {@link Spectra#fromCovariances}.</li>
 * </ul>
 * Stateless.
 */
public final class SpectraFiles {

    private SpectraFiles() {
    }

    /** The spec field of a spectra file, carried by the {@link InvalidInputException}s of reading. */
    public static final String SPECTRA_FIELD = "spectra";
    /** The spec field of a covariances file, carried by the {@link InvalidInputException}s of reading. */
    public static final String COVARIANCES_FIELD = "covariances";

    /**
     * Reads spectra from an archive with keys omega, t, rho, gamma.
     *
     * @throws InvalidInputException naming the file and key: a non-finite value, an eigenvalue ω_i
     *                               below −{@link Covariances#NEGATIVE_EIGENVALUE_TOLERANCE}·max|ω|,
     *                               or any other value the {@link Spectra} constructor refuses
     */
    public static Spectra readSpectra(Path path) throws IOException {
        return fromSpectraArchive(NpzArchive.read(path));
    }

    static Spectra fromSpectraArchive(NpzArchive npz) {
        NpyArray omega = npz.require("omega", -1);
        NpyArray t = npz.require("t", omega.shape()[0]);
        Covariances.checkEigenvalues(SPECTRA_FIELD, npz.source() + ":omega", omega.data());
        Covariances.checkFinite(SPECTRA_FIELD, npz.source() + ":t", t.data(), t.size(), 1);
        try {
            return new Spectra(omega.data(), t.data(), npz.scalar("rho"), npz.scalar("gamma"));
        } catch (InvalidInputException e) {
            String key = e.field() == null ? "" : ":" + e.field();
            throw new InvalidInputException(SPECTRA_FIELD, npz.source() + key, npz.source() + key + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads covariances (keys omega, phi, psi, theta) and returns their spectra.
     *
     * @throws InvalidInputException naming the file and key: a non-finite entry, Ω or Ψ not symmetric
     *                               or not positive semi-definite ({@link Covariances}), or spectra
     *                               the {@link Spectra} constructor refuses
     */
    public static Spectra readCovariances(Path path) throws IOException {
        return fromCovarianceArchive(NpzArchive.read(path));
    }

    /**
     * The covariances of {@code path} (keys as {@link #readCovariances}) as a model not yet
     * decomposed, for the Lanczos quadrature (docs/theory.md §5.12, "ERM (§6)"): Φ, Ψ, θ checked here,
     * Ω where it is decomposed (field {@link #COVARIANCES_FIELD}, source {@code FILE:omega}).
     */
    public static CovariateModel readCovariateModel(Path path) throws IOException {
        return covariateModel(NpzArchive.read(path));
    }

    static Spectra fromCovarianceArchive(NpzArchive npz) {
        CovariateModel model = covariateModel(npz);
        try {
            return model.spectra();
        } catch (InvalidInputException e) {
            if (e.source() != null) {
                throw e;
            }
            // a refusal of the Spectra constructor (rho, t): the derived spectra of this file
            throw new InvalidInputException(COVARIANCES_FIELD, npz.source(), npz.source() + ": " + e.getMessage(), e);
        }
    }

    private static CovariateModel covariateModel(NpzArchive npz) {
        NpyArray omega = npz.require("omega", -1, -1);
        int d = omega.shape()[0];
        if (omega.shape()[1] != d) {
            throw new InvalidInputException(COVARIANCES_FIELD, npz.source() + ":omega", npz.source()
                    + ": key 'omega' must be square, got " + omega.shapeString(), null);
        }
        NpyArray theta = npz.require("theta", -1);
        int p = theta.shape()[0];
        NpyArray phi = npz.get("phi");
        if (phi.rank() == 2 && phi.shape()[0] == d && phi.shape()[1] == p && p != d) {
            throw new InvalidInputException(COVARIANCES_FIELD, npz.source() + ":phi", npz.source()
                    + ": key 'phi' must have shape (" + p + ", " + d + ") = (p, d), E[u vᵀ], got " + phi.shapeString()
                    + " (the transpose: E[x cᵀ] of a generator is the GCM Φ transposed)", null);
        }
        npz.require("phi", p, d);
        NpyArray psi = npz.require("psi", p, p);
        return CovariateModel.ofCovariances(d, p, omega.data(), phi.data(), psi.data(), theta.data(),
                COVARIANCES_FIELD, npz.source());
    }

    /**
     * Writes spectra under the keys read by {@link #readSpectra}.
     *
     * @throws IllegalArgumentException for the weighted nodes of a teacher quadrature, which the
     *                                  format (every node an eigenvalue of weight 1) cannot hold
     */
    public static void writeSpectra(Path path, Spectra spectra) throws IOException {
        if (spectra.weighted()) {
            throw new IllegalArgumentException("spectra must be eigenvalues of weight 1 to be written, got "
                    + spectra.nodes() + " weighted nodes of a teacher quadrature");
        }
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", NpyArray.vector(spectra.omega()));
        m.put("t", NpyArray.vector(spectra.t()));
        m.put("rho", NpyArray.scalar(spectra.rho()));
        m.put("gamma", NpyArray.scalar(spectra.gamma()));
        NpzArchive.write(path, m, false);
    }
}
