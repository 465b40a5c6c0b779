package org.gequiv.erm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;

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

    /** Reads spectra from an archive with keys omega, t, rho, gamma. */
    public static Spectra readSpectra(Path path) throws IOException {
        return fromSpectraArchive(NpzArchive.read(path));
    }

    static Spectra fromSpectraArchive(NpzArchive npz) {
        NpyArray omega = npz.require("omega", -1);
        NpyArray t = npz.require("t", omega.shape()[0]);
        return new Spectra(omega.data(), t.data(), npz.scalar("rho"), npz.scalar("gamma"));
    }

    /** Reads covariances (keys omega, phi, psi, theta) and returns their spectra. */
    public static Spectra readCovariances(Path path) throws IOException {
        return fromCovarianceArchive(NpzArchive.read(path));
    }

    static Spectra fromCovarianceArchive(NpzArchive npz) {
        NpyArray omega = npz.require("omega", -1, -1);
        int d = omega.shape()[0];
        if (omega.shape()[1] != d) {
            throw new IllegalArgumentException(npz.source() + ": key 'omega' must be square, got " + omega.shapeString());
        }
        NpyArray theta = npz.require("theta", -1);
        int p = theta.shape()[0];
        NpyArray phi = npz.get("phi");
        if (phi.rank() == 2 && phi.shape()[0] == d && phi.shape()[1] == p && p != d) {
            throw new IllegalArgumentException(npz.source() + ": key 'phi' must have shape (" + p + ", " + d
                    + ") = (p, d), E[u vᵀ], got " + phi.shapeString() + " (the transpose: E[x cᵀ] of a generator is"
                    + " the GCM Φ transposed)");
        }
        npz.require("phi", p, d);
        NpyArray psi = npz.require("psi", p, p);
        return Spectra.fromCovariances(d, p, omega.data(), phi.data(), psi.data(), theta.data());
    }

    /** Writes spectra under the keys read by {@link #readSpectra}. */
    public static void writeSpectra(Path path, Spectra spectra) throws IOException {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", NpyArray.vector(spectra.omega()));
        m.put("t", NpyArray.vector(spectra.t()));
        m.put("rho", NpyArray.scalar(spectra.rho()));
        m.put("gamma", NpyArray.scalar(spectra.gamma()));
        NpzArchive.write(path, m, false);
    }
}
