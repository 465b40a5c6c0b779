package org.gequiv.equivalence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.random.RandomGenerator;

import org.gequiv.generator.Moments;
import org.gequiv.model.TeacherInput;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

class GaussianFieldLawTest {

    /** Sums of at most N·N products of O(1) numbers: only rounding. */
    private static final double ROUNDING = 1e-12;

    private static final int N = 7;
    private static final int D = 3;

    /** Random moments with a symmetric Ω, arbitrary Φ and mean. */
    private static Moments moments(long seed) {
        RandomGenerator rng = RandomStreams.stream(seed, "moments");
        double[] b = new double[N * N];
        RandomStreams.fillGaussian(rng, b, b.length);
        double[] omega = new double[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++) {
                    s += b[i * N + k] * b[j * N + k];
                }
                omega[i * N + j] = s / N;
            }
        }
        double[] phi = new double[N * D];
        RandomStreams.fillGaussian(rng, phi, phi.length);
        double[] mean = new double[N];
        RandomStreams.fillGaussian(rng, mean, N);
        return new Moments(N, D, mean, omega, phi, 0, Map.of("test", "random"));
    }

    @Test
    void latentTeacherCovarianceByDefinition() {
        Moments m = moments(1);
        FieldWeights w = new WeightSpec(WeightKind.GAUSSIAN, 2, 3, TeacherInput.LATENT, 1).draw(N, D, 5);
        double[] centring = new double[N];
        GaussianFieldLaw law = GaussianFieldLaw.fromMoments(m, w, centring);
        int dim = 5;
        for (int a = 0; a < 2; a++) {
            // μ_λ = W(μ − x₀)/√N
            double mu = 0;
            for (int i = 0; i < N; i++) {
                mu += w.student()[a * N + i] * m.mean()[i];
            }
            assertEquals(mu / Math.sqrt(N), law.mean()[a], ROUNDING);
            for (int b = 0; b < 2; b++) {
                double q = 0;
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < N; j++) {
                        q += w.student()[a * N + i] * m.omega()[i * N + j] * w.student()[b * N + j];
                    }
                }
                assertEquals(q / N, law.covariance()[a * dim + b], ROUNDING, "Q");
            }
            for (int t = 0; t < 3; t++) {
                double r = 0;
                for (int i = 0; i < N; i++) {
                    for (int k = 0; k < D; k++) {
                        r += w.student()[a * N + i] * m.phi()[i * D + k] * w.teacher()[t * D + k];
                    }
                }
                assertEquals(r / Math.sqrt(N * D), law.covariance()[a * dim + 2 + t], ROUNDING, "R");
                assertEquals(law.covariance()[a * dim + 2 + t], law.covariance()[(2 + t) * dim + a], 0.0, "symmetry");
            }
        }
        for (int s = 0; s < 3; s++) {
            assertEquals(0.0, law.mean()[2 + s], 0.0, "a latent teacher field has mean 0");
            for (int t = 0; t < 3; t++) {
                double tt = 0;
                for (int k = 0; k < D; k++) {
                    tt += w.teacher()[s * D + k] * w.teacher()[t * D + k];
                }
                assertEquals(tt / D, law.covariance()[(2 + s) * dim + 2 + t], ROUNDING, "T");
            }
        }
    }

    @Test
    void inputTeacherCovarianceByDefinition() {
        Moments m = moments(2);
        FieldWeights w = new WeightSpec(WeightKind.GAUSSIAN, 1, 1, TeacherInput.INPUT, 1).draw(N, D, 6);
        GaussianFieldLaw law = GaussianFieldLaw.fromMoments(m, w, m.mean());
        double r = 0;
        double t = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                r += w.student()[i] * m.omega()[i * N + j] * w.teacher()[j];
                t += w.teacher()[i] * m.omega()[i * N + j] * w.teacher()[j];
            }
        }
        assertEquals(r / N, law.covariance()[1], ROUNDING, "R = wΩθᵀ/N");
        assertEquals(t / N, law.covariance()[3], ROUNDING, "T = θΩθᵀ/N");
        // centred by the mean itself: μ = 0 exactly
        assertArrayEquals(new double[2], law.mean(), 0.0);
    }

    @Test
    void gaussianSamplesReproduceTheLaw() {
        // 2·10^5 samples: entries of the sample covariance have sd ≈ √(2/P)·C ≈ 0.003; 0.015 is 5 sd
        GaussianFieldLaw law = new GaussianFieldLaw(2, 1, new double[] {0.5, -1, 0},
                new double[] {1.0, 0.3, 0.2, 0.3, 2.0, -0.4, 0.2, -0.4, 0.5});
        int p = 200_000;
        double[] x = FieldSampler.sampleGaussian(law, p, 1000, 3, 0, 2);
        for (int a = 0; a < 3; a++) {
            double mean = 0;
            for (int q = 0; q < p; q++) {
                mean += x[q * 3 + a];
            }
            mean /= p;
            assertEquals(law.mean()[a], mean, 0.015);
            for (int b = 0; b < 3; b++) {
                double c = 0;
                for (int q = 0; q < p; q++) {
                    c += (x[q * 3 + a] - law.mean()[a]) * (x[q * 3 + b] - law.mean()[b]);
                }
                assertEquals(law.covariance()[a * 3 + b], c / p, 0.015);
            }
        }
    }

    @Test
    void rejectsMismatchedDimensions() {
        Moments m = moments(3);
        FieldWeights w = WeightSpec.of(WeightKind.GAUSSIAN).draw(N + 1, D, 1);
        assertThrows(IllegalArgumentException.class, () -> GaussianFieldLaw.fromMoments(m, w, new double[N + 1]));
    }
}
