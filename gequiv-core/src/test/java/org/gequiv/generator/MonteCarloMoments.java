package org.gequiv.generator;

import java.util.random.RandomGenerator;

import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.random.RandomStreams;

/**
 * Test oracle: Monte-Carlo Ω̂ = Cov(x) and Φ̂ = E[(x − μ)cᵀ] around a known mean μ, as the average of
 * independent batch estimates, together with the squared standard error of the average summed over
 * all entries (the expected squared Frobenius error of an unbiased estimate).
 */
final class MonteCarloMoments {
    final double[] omega;
    final double[] phi;
    final double[] mean;
    final double omegaNoise2;
    final double phiNoise2;

    private MonteCarloMoments(double[] omega, double[] phi, double[] mean, double omegaNoise2, double phiNoise2) {
        this.omega = omega;
        this.phi = phi;
        this.mean = mean;
        this.omegaNoise2 = omegaNoise2;
        this.phiNoise2 = phiNoise2;
    }

    static MonteCarloMoments estimate(Generator g, double[] knownMean, int batches, int batchSize, long seed) {
        int n = g.inputDimension();
        int d = g.latentDimension();
        LinearAlgebra la = LinearAlgebra.get();
        double[] sumO = new double[n * n];
        double[] sumO2 = new double[n * n];
        double[] sumP = new double[n * d];
        double[] sumP2 = new double[n * d];
        double[] sumMean = new double[n];
        double[] c = new double[batchSize * d];
        double[] x = new double[batchSize * n];
        double[] o = new double[n * n];
        double[] p = new double[n * d];
        for (int b = 0; b < batches; b++) {
            RandomGenerator rng = RandomStreams.stream(seed, "mc-moments", b);
            g.sample(rng, batchSize, c, x);
            for (int s = 0; s < batchSize; s++) {
                for (int i = 0; i < n; i++) {
                    sumMean[i] += x[s * n + i];
                    x[s * n + i] -= knownMean[i];
                }
            }
            la.syrkTransposed(n, batchSize, 1.0 / batchSize, x, 0.0, o);
            la.gemm(true, false, n, d, batchSize, 1.0 / batchSize, x, c, 0.0, p);
            for (int i = 0; i < n * n; i++) {
                sumO[i] += o[i];
                sumO2[i] += o[i] * o[i];
            }
            for (int i = 0; i < n * d; i++) {
                sumP[i] += p[i];
                sumP2[i] += p[i] * p[i];
            }
        }
        double noiseO = 0;
        for (int i = 0; i < n * n; i++) {
            double m = sumO[i] / batches;
            noiseO += (sumO2[i] / batches - m * m) / (batches - 1);
            sumO[i] = m;
        }
        double noiseP = 0;
        for (int i = 0; i < n * d; i++) {
            double m = sumP[i] / batches;
            noiseP += (sumP2[i] / batches - m * m) / (batches - 1);
            sumP[i] = m;
        }
        for (int i = 0; i < n; i++) {
            sumMean[i] /= (double) batches * batchSize;
        }
        return new MonteCarloMoments(sumO, sumP, sumMean, noiseO, noiseP);
    }

    static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
