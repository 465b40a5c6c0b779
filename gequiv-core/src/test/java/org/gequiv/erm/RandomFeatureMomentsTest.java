package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.random.RandomGenerator;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.GaussianEquivalentGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

/**
 * The analytic moments of random features v = σ(Fx/√N) of generator data (docs/theory.md §2.3, §6.1),
 * Ω_v = E[v vᵀ] and Φ_v = E[v cᵀ], against Monte Carlo, for the activations whose kernel has no
 * arcsine law: ReLU (arc-cosine kernel) and tanh (Hermite series).
 *
 * <p>The data come from a Gaussian generator (x = Φc + (Ω − ΦΦᵀ)^{1/2}z of a strongly correlated
 * low-rank Ω, D = 3, N = 16, scale 2): its pre-activations h = Fx/√N are exactly Gaussian, so the
 * kernel is exact and any gap beyond the sampling noise is an error of the kernel. Each entry's
 * z-score (estimate − analytic)/(standard error from the same samples) is compared with
 * {@link #Z_BOUND}: over the 6·7/2 + 6·3 = 39 entries per activation a two-sided 4.5σ bound
 * is exceeded with probability ≤ 39·6.8e-6 ≈ 3e-4 by chance.
 */
class RandomFeatureMomentsTest {

    private static final int D = 3;
    private static final int N = 16;
    private static final int P = 6;
    private static final int SAMPLES = 400_000;
    private static final double Z_BOUND = 4.5;

    /** Ω = s² A Aᵀ/D + 0.05 I, Φ = s A/√D: Gaussian data with pre-activation correlations near ±1. */
    static Generator correlatedGaussian() {
        double scale = 2.0;
        double[] a = new double[N * D];
        RandomStreams.fillGaussian(RandomStreams.stream(7, "test-weights"), a, a.length);
        double[] phi = new double[N * D];
        for (int i = 0; i < phi.length; i++) {
            phi[i] = scale * a[i] / Math.sqrt(D);
        }
        double[] omega = new double[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < D; k++) {
                    s += phi[i * D + k] * phi[j * D + k];
                }
                omega[i * N + j] = s + (i == j ? 0.05 : 0.0);
            }
        }
        return new GaussianEquivalentGenerator(new Moments(N, D, new double[N], omega, phi, 0, Map.of()), "test");
    }

    @Test
    void reluAndTanhRandomFeatureMomentsMatchMonteCarlo() {
        Generator g = correlatedGaussian();
        Moments moments = g.analyticMoments().orElseThrow();
        for (StandardActivation sigma : new StandardActivation[] {StandardActivation.RELU, StandardActivation.TANH}) {
            ErmProblem problem = ErmProblem.create(g, FeatureSpec.random(P, sigma), 3);
            double[][] pre = problem.randomFeaturePreActivations(moments);
            FeatureKernels.FeatureMoments rf = FeatureKernels.moments(sigma, P, pre[0]);
            double[] omega = rf.omega();
            double[] phi = rf.crossCovariance(pre[1], D);
            Estimate mc = estimate(g, problem.featureWeights(), sigma);
            double worst = 0;
            double worstLinearised = 0;
            for (int a = 0; a < P; a++) {
                for (int b = 0; b <= a; b++) {
                    worst = Math.max(worst, Math.abs(mc.omega[a * P + b] - omega[a * P + b]) / mc.omegaError[a * P + b]);
                    if (b < a) {
                        // the first-order kernel the random features used before: κ0_a κ0_b + κ1_a κ1_b C_ab
                        var k = new org.gequiv.activation.GaussianKernel(sigma);
                        double linearised = k.mean(pre[0][a * P + a]) * k.mean(pre[0][b * P + b])
                                + rf.slope()[a] * rf.slope()[b] * pre[0][a * P + b];
                        worstLinearised = Math.max(worstLinearised,
                                Math.abs(mc.omega[a * P + b] - linearised) / mc.omegaError[a * P + b]);
                    }
                }
                for (int j = 0; j < D; j++) {
                    worst = Math.max(worst, Math.abs(mc.phi[a * D + j] - phi[a * D + j]) / mc.phiError[a * D + j]);
                }
            }
            assertTrue(worst < Z_BOUND, sigma.id() + ": largest |z| of the analytic moments = " + worst);
            // the test resolves the kernel: the linearised off-diagonal is many standard errors off
            assertTrue(worstLinearised > 3 * Z_BOUND, sigma.id() + ": largest |z| of the linearised kernel = "
                    + worstLinearised);
        }
    }

    /** Sample means of v vᵀ and v cᵀ with their standard errors. */
    private record Estimate(double[] omega, double[] omegaError, double[] phi, double[] phiError) {
    }

    private static Estimate estimate(Generator g, double[] f, StandardActivation sigma) {
        RandomGenerator rng = RandomStreams.stream(11, "test-data");
        int block = 1000;
        double[] c = new double[block * D];
        double[] x = new double[block * N];
        double[] v = new double[P];
        double[] so = new double[P * P];
        double[] so2 = new double[P * P];
        double[] sp = new double[P * D];
        double[] sp2 = new double[P * D];
        for (int done = 0; done < SAMPLES; done += block) {
            g.sample(rng, block, c, x);
            for (int r = 0; r < block; r++) {
                for (int a = 0; a < P; a++) {
                    double h = 0;
                    for (int i = 0; i < N; i++) {
                        h += f[a * N + i] * x[r * N + i];
                    }
                    v[a] = sigma.value(h / Math.sqrt(N));
                }
                for (int a = 0; a < P; a++) {
                    for (int b = 0; b <= a; b++) {
                        double y = v[a] * v[b];
                        so[a * P + b] += y;
                        so2[a * P + b] += y * y;
                    }
                    for (int j = 0; j < D; j++) {
                        double y = v[a] * c[r * D + j];
                        sp[a * D + j] += y;
                        sp2[a * D + j] += y * y;
                    }
                }
            }
        }
        return new Estimate(mean(so), error(so, so2), mean(sp), error(sp, sp2));
    }

    private static double[] mean(double[] sum) {
        double[] m = new double[sum.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = sum[i] / SAMPLES;
        }
        return m;
    }

    private static double[] error(double[] sum, double[] sum2) {
        double[] e = new double[sum.length];
        for (int i = 0; i < e.length; i++) {
            double m = sum[i] / SAMPLES;
            e[i] = Math.sqrt((sum2[i] / SAMPLES - m * m) / (SAMPLES - 1));
        }
        return e;
    }
}
