package org.gequiv.moments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Precision;
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
    /** Null until first asked for when centring by a mean alone ({@link #centred(Generator, double[])}). */
    private volatile Moments moments;
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

    /**
     * The centred generator x = G(c) − μ from the mean alone, for a generator whose own moments
     * are analytic ({@link Generator#analyticMoments()} exact, samples 0): its moments (0, Ω, Φ)
     * are formed from the delegate's only if asked for, so that a run that never needs Ω (the
     * matrix-free theory of docs/theory.md §5.12) never holds it.
     *
     * @param mean μ, length N, copied
     */
    public static GeneratorWithMoments centred(Generator delegate, double[] mean) {
        return new GeneratorWithMoments(delegate, mean);
    }

    private GeneratorWithMoments(Generator delegate, double[] mean) {
        if (mean.length != delegate.inputDimension()) {
            throw new IllegalArgumentException("mean must have the generator's dimension N = "
                    + delegate.inputDimension() + ", got " + mean.length);
        }
        this.delegate = delegate;
        this.shift = mean.clone();
        this.moments = null;
        Map<String, Object> d = new LinkedHashMap<>(delegate.description());
        d.put("moments", "supplied");
        d.put("centred", true);
        this.description = java.util.Collections.unmodifiableMap(d);
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
                        moments.omega(), moments.phi(), moments.samples(), moments.source(), moments.omegaChecked())
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

    /** The delegate's, unless the samples are centred here (in float64). */
    @Override
    public Precision precision() {
        return shift == null ? delegate.precision() : Precision.FLOAT64;
    }

    /** Whether samples are centred with the supplied mean. */
    public boolean isCentred() {
        return shift != null;
    }

    /** The supplied moments (estimated ones have {@code samples() > 0}); mean 0 when centred. */
    @Override
    public Optional<Moments> analyticMoments() {
        Moments m = moments;
        if (m == null) {
            synchronized (this) {
                if (moments == null) {
                    Moments own = delegate.analyticMoments().orElseThrow(() -> new IllegalStateException(
                            "generator " + delegate.id() + " has a mean but no analytic moments"));
                    moments = new Moments(own.inputDimension(), own.latentDimension(),
                            new double[own.inputDimension()], own.omega(), own.phi(), own.samples(), own.source(),
                            own.omegaChecked());
                }
                m = moments;
            }
        }
        return Optional.of(m);
    }

    /** Zero when centred, else the supplied moments' mean; never forms Ω. */
    @Override
    public Optional<double[]> analyticMean() {
        return shift != null ? Optional.of(new double[shift.length]) : Optional.of(moments.mean().clone());
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
