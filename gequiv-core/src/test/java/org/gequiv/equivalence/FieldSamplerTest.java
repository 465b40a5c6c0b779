package org.gequiv.equivalence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.random.RandomGenerator;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.model.TeacherInput;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

class FieldSamplerTest {

    /** One GEMM against a plain loop over N ≤ 60 terms: rounding only. */
    private static final double ROUNDING = 1e-12;

    private static Generator signGenerator(int n, int d) {
        return DeepRandomGenerator.singleLayer(d, n, StandardActivation.SIGN, CovarianceRule.EXACT, 9);
    }

    @Test
    void fieldsAreProjectionsOfTheGeneratorSamples() {
        int n = 60;
        int d = 30;
        Generator g = signGenerator(n, d);
        for (TeacherInput input : TeacherInput.values()) {
            FieldWeights w = new WeightSpec(WeightKind.GAUSSIAN, 2, 2, input, 1).draw(n, d, 4);
            double[] centring = new double[n];
            for (int i = 0; i < n; i++) {
                centring[i] = 0.01 * i;
            }
            int batch = 16;
            int samples = 40;
            double[] fields = FieldSampler.sample(g, w, centring, samples, batch, 77, 1);
            // block 1 holds rows 16..31 and draws from stream (77, field-samples, 1)
            RandomGenerator rng = RandomStreams.stream(77, FieldSampler.STREAM, 1);
            double[] c = new double[batch * d];
            double[] x = new double[batch * n];
            g.sample(rng, batch, c, x);
            for (int p = 0; p < batch; p++) {
                for (int k = 0; k < 2; k++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += w.student()[k * n + i] * (x[p * n + i] - centring[i]);
                    }
                    assertEquals(s / Math.sqrt(n), fields[(batch + p) * 4 + k], ROUNDING);
                }
                for (int m = 0; m < 2; m++) {
                    double s = 0;
                    if (input == TeacherInput.LATENT) {
                        for (int j = 0; j < d; j++) {
                            s += w.teacher()[m * d + j] * c[p * d + j];
                        }
                        s /= Math.sqrt(d);
                    } else {
                        for (int i = 0; i < n; i++) {
                            s += w.teacher()[m * n + i] * (x[p * n + i] - centring[i]);
                        }
                        s /= Math.sqrt(n);
                    }
                    assertEquals(s, fields[(batch + p) * 4 + 2 + m], ROUNDING);
                }
            }
        }
    }

    @Test
    void samplesDoNotDependOnTheThreadCount() {
        int n = 50;
        int d = 20;
        Generator g = signGenerator(n, d);
        FieldWeights w = WeightSpec.of(WeightKind.GAUSSIAN).draw(n, d, 3);
        double[] centring = new double[n];
        // 1000 samples in blocks of 64: the last block is short
        double[] one = FieldSampler.sample(g, w, centring, 1000, 64, 5, 1);
        assertArrayEquals(one, FieldSampler.sample(g, w, centring, 1000, 64, 5, 2));
        assertArrayEquals(one, FieldSampler.sample(g, w, centring, 1000, 64, 5, 3));
        GaussianFieldLaw law = new GaussianFieldLaw(1, 1, new double[2], new double[] {1, 0.5, 0.5, 1});
        assertArrayEquals(FieldSampler.sampleGaussian(law, 999, 50, 5, 2, 1),
                FieldSampler.sampleGaussian(law, 999, 50, 5, 2, 4));
    }

    @Test
    void diagnosticsDoNotDependOnTheThreadCount() {
        int n = 40;
        int d = 20;
        Generator g = signGenerator(n, d);
        FieldWeights w = WeightSpec.of(WeightKind.GAUSSIAN).draw(n, d, 3);
        FieldDiagnosticsSpec spec = FieldDiagnosticsSpec.of(3000, 8);
        FieldReport a = FieldDiagnostics.diagnose(g, g.analyticMoments().orElseThrow(), w, spec.withThreads(1));
        FieldReport b = FieldDiagnostics.diagnose(g, g.analyticMoments().orElseThrow(), w, spec.withThreads(3));
        assertEquals(a.statistics(), b.statistics());
    }
}
