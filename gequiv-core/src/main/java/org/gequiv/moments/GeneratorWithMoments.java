package org.gequiv.moments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;

/**
 * A generator paired with moments obtained elsewhere (typically a Monte-Carlo estimate read with
 * {@link MomentsFile}), which {@link #analyticMoments()} then reports, so that every consumer of
 * moments (theory, Gaussian equivalent) can use them (docs/theory.md §2.2, §7.2).
 *
 * <p>{@link #centred} also subtracts the mean: x ← G(c) − μ, as the reference code does for the
 * DCGAN and real NVP scenarios (docs/theory.md §1.1, "all theory assumes centred x"); its moments then
 * have μ = 0 and the same Ω and Φ. Immutable and thread-safe when the wrapped generator is.
 */
public final class GeneratorWithMoments implements Generator {

    private final Generator delegate;
    private final Moments moments;
    private final Map<String, Object> description;
    private final double[] shift;

    /**
     * The generator unchanged, reporting {@code moments}.
     *
     * @throws IllegalArgumentException if the moments' dimensions differ from the generator's
     */
    public GeneratorWithMoments(Generator delegate, Moments moments) {
        this(delegate, moments, false);
    }

    /** The centred generator x = G(c) − μ with moments (0, Ω, Φ). */
    public static GeneratorWithMoments centred(Generator delegate, Moments moments) {
        return new GeneratorWithMoments(delegate, moments, true);
    }

    private GeneratorWithMoments(Generator delegate, Moments moments, boolean centre) {
        if (moments.inputDimension() != delegate.inputDimension()
                || moments.latentDimension() != delegate.latentDimension()) {
            throw new IllegalArgumentException("moments must have the generator's dimensions N = "
                    + delegate.inputDimension() + ", D = " + delegate.latentDimension() + ", got N = "
                    + moments.inputDimension() + ", D = " + moments.latentDimension());
        }
        this.delegate = delegate;
        this.shift = centre ? moments.mean().clone() : null;
        this.moments = centre
                ? new Moments(moments.inputDimension(), moments.latentDimension(), new double[moments.inputDimension()],
                        moments.omega(), moments.phi(), moments.samples(), moments.source())
                : moments;
        Map<String, Object> d = new LinkedHashMap<>(delegate.description());
        d.put("moments", moments.isAnalytic() ? "supplied" : "estimated from " + moments.samples() + " samples");
        Object file = moments.source().get("file");
        if (file != null) {
            d.put("momentsFile", file);
        }
        d.put("centred", centre);
        this.description = java.util.Collections.unmodifiableMap(d);
    }

    /** The wrapped generator. */
    public Generator delegate() {
        return delegate;
    }

    @Override
    public int latentDimension() {
        return delegate.latentDimension();
    }

    @Override
    public int inputDimension() {
        return delegate.inputDimension();
    }

    @Override
    public void sample(RandomGenerator rng, int batch, double[] latent, double[] inputs) {
        delegate.sample(rng, batch, latent, inputs);
        if (shift != null) {
            int n = shift.length;
            for (int r = 0; r < batch; r++) {
                int off = r * n;
                for (int i = 0; i < n; i++) {
                    inputs[off + i] -= shift[i];
                }
            }
        }
    }

    /** Whether samples are centred with the supplied mean. */
    public boolean isCentred() {
        return shift != null;
    }

    /** The supplied moments (estimated ones have {@code samples() > 0}); mean 0 when centred. */
    @Override
    public Optional<Moments> analyticMoments() {
        return Optional.of(moments);
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public Map<String, Object> description() {
        return description;
    }
}
