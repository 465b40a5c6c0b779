package org.gequiv.spectral;

import org.gequiv.validation.Identifiers;
import org.gequiv.validation.InvalidInputException;

/**
 * How the theory of §5 gets the spectral data of Ω: the full eigendecomposition (the reference,
 * docs/theory.md §5.1, §5.7) or block Lanczos quadrature (§5.12).
 */
public enum SpectralMethod {
    /** Every eigen-direction of Ω with its projections: O(N³) set-up, exact. */
    EIGEN("eigen"),
    /** Block Gauss nodes of the projected measure plus the plain spectral measure (§5.12). */
    LANCZOS("lanczos"),
    /**
     * Lanczos, kept when its error estimate meets the tolerance, the eigendecomposition otherwise
     * where Ω is held as a matrix ({@link SpectralTheory#choose}); the eigendecomposition also where
     * Lanczos does not apply (densities given, eigen-directions to keep).
     */
    AUTO("auto");

    private final String id;

    SpectralMethod(String id) {
        this.id = id;
    }

    /** The name used on the command line and in provenance. */
    public String id() {
        return id;
    }

    /**
     * The method named {@code id} (case-insensitive).
     *
     * @throws InvalidInputException for an unknown name (field {@code spectralMethod})
     */
    public static SpectralMethod byId(String id) {
        return Identifiers.byId(values(), c -> c.id, "spectralMethod", "spectral method", id);
    }
}
