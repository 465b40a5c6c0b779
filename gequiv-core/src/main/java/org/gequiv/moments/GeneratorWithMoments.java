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
 * moments (theory, Gaussian equivalent) can use them (theory.md §2.2, §7.2). Sampling is the
 * wrapped generator's. Immutable and thread-safe when the wrapped generator is.
 */
public final class GeneratorWithMoments implements Generator {

    private final Generator delegate;
    private final Moments moments;
    private final Map<String, Object> description;

    /**
     * @throws IllegalArgumentException if the moments' dimensions differ from the generator's
     */
    public GeneratorWithMoments(Generator delegate, Moments moments) {
        if (moments.inputDimension() != delegate.inputDimension()
                || moments.latentDimension() != delegate.latentDimension()) {
            throw new IllegalArgumentException("moments must have the generator's dimensions N = "
                    + delegate.inputDimension() + ", D = " + delegate.latentDimension() + ", got N = "
                    + moments.inputDimension() + ", D = " + moments.latentDimension());
        }
        this.delegate = delegate;
        this.moments = moments;
        Map<String, Object> d = new LinkedHashMap<>(delegate.description());
        d.put("moments", moments.isAnalytic() ? "supplied" : "estimated from " + moments.samples() + " samples");
        Object file = moments.source().get("file");
        if (file != null) {
            d.put("momentsFile", file);
        }
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
    }

    /** The supplied moments (estimated ones have {@code samples() > 0}). */
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
