package org.gequiv.moments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.generator.Precision;

/**
 * Test generator: another generator's samples x rounded to float32 (and widened back), declared
 * {@link Precision#FLOAT32}: a cheap stand-in for the float32 DCGAN in the moment estimator's
 * float32 block products. The latents are left as drawn.
 */
final class Float32Samples implements Generator {

    private final Generator delegate;

    Float32Samples(Generator delegate) {
        this.delegate = delegate;
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
        int size = batch * inputDimension();
        for (int i = 0; i < size; i++) {
            inputs[i] = (float) inputs[i];
        }
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    public Optional<Moments> analyticMoments() {
        return Optional.empty();
    }

    @Override
    public String id() {
        return "float32-" + delegate.id();
    }

    @Override
    public Map<String, Object> description() {
        Map<String, Object> d = new LinkedHashMap<>(delegate.description());
        d.put("precision", Precision.FLOAT32.id());
        return d;
    }
}
