package org.gequiv.cli;

import org.gequiv.spectral.LanczosOptions;
import org.gequiv.spectral.PlainMeasure;
import org.gequiv.spectral.SpectralMethod;

import picocli.CommandLine.Option;

/**
 * The spectral method of a theory and the settings of its Lanczos path (docs/theory.md §5.12): the
 * options, their defaults and their validation, shared by {@code online} and {@code erm}.
 */
final class SpectralOptions {

    @Option(names = "--spectral-method", paramLabel = "eigen|lanczos|auto",
            description = "The spectral data of Omega the theory uses (docs/theory.md §5.12): eigen, the full "
                    + "eigendecomposition (the reference, O(N^3)); lanczos, Gauss quadrature nodes by Lanczos with an "
                    + "a-posteriori error estimate (online: of the measure projected on [w, Phi theta] plus the plain "
                    + "spectral measure; erm: of the teacher's measure of Phi^T theta plus the exact eigenvalues of "
                    + "Omega); auto, lanczos kept when its estimate meets --lanczos-tolerance, eigen otherwise. The "
                    + "method that ran, its nodes and error estimate are recorded in run.json. Default: auto for "
                    + "online, eigen for erm.")
    String spectralMethod;

    @Option(names = "--lanczos-steps", defaultValue = "0", paramLabel = "M",
            description = "Lanczos steps m (the error estimate compares m and m + " + LanczosOptions.DEFAULT_CHECK_STEPS
                    + "); 0 grows m until the estimate meets --lanczos-tolerance. Default: ${DEFAULT-VALUE}.")
    int lanczosSteps;

    @Option(names = "--lanczos-tolerance", defaultValue = "" + LanczosOptions.DEFAULT_TOLERANCE, paramLabel = "TOL",
            description = "Target of the Lanczos error estimate: the largest relative change between the rules of m "
                    + "and m' steps of eg, Q, R at a recorded time (online) or of eg, the training loss, V, q, m at "
                    + "each saddle point (erm). For online, when an estimate misses it, auto first takes the exact "
                    + "eigenvalues for the plain measure (only its stochastic part missed and Omega is held, N <= "
                    + PlainMeasure.EXACT_LIMIT + "), then eigen. Default: ${DEFAULT-VALUE}.")
    double lanczosTolerance;

    /** Spec fields → these options, for the messages of refused values. */
    static final OptionMap NAMES = new OptionMap("spectralMethod", "--spectral-method", "lanczosSteps",
            "--lanczos-steps", "lanczosTolerance", "--lanczos-tolerance");

    /** The method asked for, or {@code fallback} when none was given. */
    SpectralMethod method(SpectralMethod fallback) {
        return spectralMethod == null ? fallback
                : NAMES.parse("--spectral-method", () -> SpectralMethod.byId(spectralMethod));
    }

    /** The Lanczos settings with the plain measure {@code plain}, checked whatever the method. */
    LanczosOptions lanczos(PlainMeasure.Method plain) {
        return NAMES.apply(() -> LanczosOptions.defaults().withTolerance(lanczosTolerance)
                .withBlockSteps(lanczosSteps).withPlainMeasure(plain));
    }
}
