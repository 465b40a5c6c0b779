package org.gequiv.spectral;

/**
 * Which spectral method the theory used and why: the outcome of {@link SpectralTheory#choose}, the
 * one place where {@link SpectralMethod#AUTO} is decided (docs/theory.md §5.12).
 *
 * @param method    the method whose curve is the theory: eigen or lanczos
 * @param reason    why, in words, for run.json (the estimate and the tolerance it was compared with)
 * @param fellBack  whether auto gave up a computed Lanczos curve for the eigendecomposition
 */
public record SpectralChoice(SpectralMethod method, String reason, boolean fellBack) {

    public SpectralChoice {
        if (method == SpectralMethod.AUTO) {
            throw new IllegalArgumentException("method must be eigen or lanczos, got auto");
        }
    }
}
