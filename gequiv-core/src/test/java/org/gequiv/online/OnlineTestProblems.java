package org.gequiv.online;

import java.util.Map;

import org.gequiv.activation.Activation;
import org.gequiv.generator.GaussianEquivalentGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.model.TeacherInput;

/** Small problems shared by the online-learning tests. */
final class OnlineTestProblems {
    private OnlineTestProblems() {
    }

    /** i.i.d. standard Gaussian inputs x ~ N(0, I_N) (Ω = I, Φ = 0), with a one-dimensional latent. */
    static Generator isotropicGaussian(int n) {
        double[] omega = new double[n * n];
        for (int i = 0; i < n; i++) {
            omega[i * n + i] = 1.0;
        }
        return new GaussianEquivalentGenerator(new Moments(n, 1, new double[n], omega, new double[n], 0,
                Map.of("test", "isotropic Gaussian")), "isotropic");
    }

    static OnlineSpec spec(int k, int m, Activation g, TeacherInput input, double lr, double time,
                           TrainedLayers layers, int batch, int testSamples, int logPoints, long seed) {
        return spec(k, m, g, input, lr, time, layers, batch, testSamples, OnlineSpec.logSpacedTimes(time, logPoints),
                seed);
    }

    static OnlineSpec spec(int k, int m, Activation g, TeacherInput input, double lr, double time,
                           TrainedLayers layers, int batch, int testSamples, double[] logTimes, long seed) {
        return new OnlineSpec(k, m, g, g, input, lr, time, layers, batch, testSamples, logTimes, 1.0, seed);
    }
}
