package org.gequiv.moments;

import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.random.RandomStreams;

/**
 * Test generator x = μ + A c + s z with closed-form moments μ, Ω = A Aᵀ + s² I, Φ = A; optionally
 * emits a NaN at one sample to test the guards.
 */
final class LinearGaussianGenerator implements Generator {

    final int n;
    final int d;
    final double offset;
    final double noise;
    final long weightSeed;
    final double[] a;
    final long nanAtSample;

    LinearGaussianGenerator(int n, int d, double offset, double noise, long weightSeed) {
        this(n, d, offset, noise, weightSeed, -1);
    }

    LinearGaussianGenerator(int n, int d, double offset, double noise, long weightSeed, long nanAtSample) {
        this.n = n;
        this.d = d;
        this.offset = offset;
        this.noise = noise;
        this.weightSeed = weightSeed;
        this.nanAtSample = nanAtSample;
        this.a = new double[n * d];
        RandomStreams.fillGaussian(RandomStreams.stream(weightSeed, RandomStreams.GENERATOR_WEIGHTS), a, n * d,
                1 / Math.sqrt(d));
    }

    @Override
    public int latentDimension() {
        return d;
    }

    @Override
    public int inputDimension() {
        return n;
    }

    private final java.util.concurrent.atomic.AtomicLong drawn = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void sample(RandomGenerator rng, int batch, double[] latent, double[] inputs) {
        for (int r = 0; r < batch; r++) {
            for (int j = 0; j < d; j++) {
                latent[r * d + j] = rng.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                double s = offset + noise * rng.nextGaussian();
                for (int j = 0; j < d; j++) {
                    s += a[i * d + j] * latent[r * d + j];
                }
                inputs[r * n + i] = s;
            }
        }
        if (nanAtSample >= 0 && drawn.getAndAdd(batch) + batch > nanAtSample) {
            inputs[0] = Double.NaN;
        }
    }

    @Override
    public Optional<Moments> analyticMoments() {
        double[] mean = new double[n];
        java.util.Arrays.fill(mean, offset);
        double[] omega = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double s = i == k ? noise * noise : 0;
                for (int j = 0; j < d; j++) {
                    s += a[i * d + j] * a[k * d + j];
                }
                omega[i * n + k] = s;
            }
        }
        return Optional.of(new Moments(n, d, mean, omega, a.clone(), 0, Map.of("method", "closed form")));
    }

    @Override
    public String id() {
        return "linear-gaussian";
    }

    @Override
    public Map<String, Object> description() {
        return Map.of("N", n, "D", d, "offset", offset, "noise", noise, "weightSeed", weightSeed);
    }
}
