package org.gequiv.experiment;

import org.gequiv.online.OdeOptions;
import org.gequiv.online.OnlineSpec;
import org.gequiv.spectral.LanczosOptions;
import org.gequiv.spectral.SpectralMethod;
import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;

/**
 * Everything an online experiment does (docs/theory.md §1.4, §5, §2.2): the learning problem, SGD
 * protocol and recording of {@link OnlineSpec}, whether the ODE theory and the SGD simulation run,
 * the integrator, and how many seeds the Gaussian-twin comparison runs (0: none). Validated once,
 * here; immutable.
 *
 * <p>Spec fields named by {@link InvalidInputException#field()}: {@code run} (nothing to compute),
 * {@code ode}, {@code versusGaussianSeeds}, besides those of the parts of {@link OnlineSpec}.
 *
 * @param online              problem, protocol, recording
 * @param theory              integrate the ODEs of the order-parameter densities (§5)
 * @param simulate            run SGD on samples of the generator (§1.4)
 * @param ode                 the integrator; required when {@code theory}
 * @param versusGaussianSeeds S ≥ 0 seeds of the twin comparison (seeds s … s + S − 1, {@link SeedRules})
 * @param sampleAhead         the simulation draws the next block of samples on a second thread
 *                            (results are identical either way)
 * @param spectralMethod      how the theory gets the spectral data of Ω (§5.12): eigen (the
 *                            reference), lanczos, or auto (Lanczos when its error estimate meets
 *                            the tolerance of {@code lanczos}, eigen otherwise)
 * @param lanczos             the settings of the Lanczos path (steps or tolerance, plain measure)
 */
public record OnlineExperimentSpec(OnlineSpec online, boolean theory, boolean simulate, OdeOptions ode,
                                   int versusGaussianSeeds, boolean sampleAhead, SpectralMethod spectralMethod,
                                   LanczosOptions lanczos) {

    /**
     * The spectral method of the theory when none is given: {@link SpectralMethod#AUTO} (see
     * docs/theory.md §5.12 for the measurements behind the choice).
     */
    public static final SpectralMethod DEFAULT_SPECTRAL_METHOD = SpectralMethod.AUTO;

    public OnlineExperimentSpec {
        Checks.given("online", online);
        Checks.given("spectralMethod", spectralMethod);
        Checks.given("lanczos", lanczos);
        if (!theory && !simulate) {
            throw new InvalidInputException("run", "nothing to compute: the theory and the simulation are both off");
        }
        if (theory) {
            Checks.given("ode", ode);
        }
        Checks.atLeast("versusGaussianSeeds", versusGaussianSeeds, 0);
    }

    /** With the {@link #DEFAULT_SPECTRAL_METHOD} and {@link LanczosOptions#defaults()}. */
    public OnlineExperimentSpec(OnlineSpec online, boolean theory, boolean simulate, OdeOptions ode,
                                int versusGaussianSeeds, boolean sampleAhead) {
        this(online, theory, simulate, ode, versusGaussianSeeds, sampleAhead, DEFAULT_SPECTRAL_METHOD,
                LanczosOptions.defaults());
    }

    /** Theory and simulation with the default integrator, no twin comparison, sampling ahead. */
    public static OnlineExperimentSpec of(OnlineSpec online) {
        return new OnlineExperimentSpec(online, true, true, OdeOptions.defaults(), 0, true);
    }
}
