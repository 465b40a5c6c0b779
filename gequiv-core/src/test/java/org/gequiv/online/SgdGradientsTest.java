package org.gequiv.online;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.random.RandomGenerator;

import org.gequiv.activation.StandardActivation;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

class SgdGradientsTest {

    private static TwoLayerNetwork student(StandardActivation g) {
        RandomGenerator rng = RandomStreams.stream(5, "grad-test");
        double[] w = new double[3 * 20];
        double[] v = new double[3];
        RandomStreams.fillGaussian(rng, w, w.length);
        RandomStreams.fillGaussian(rng, v, v.length);
        return new TwoLayerNetwork(3, 20, w, v, g);
    }

    private static double loss(TwoLayerNetwork s, double[] x, double y) {
        double[] f = new double[s.hidden()];
        s.preActivations(x, 0, f);
        double d = s.output(f) - y;
        return 0.5 * d * d;
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        for (StandardActivation g : new StandardActivation[] {StandardActivation.ERF, StandardActivation.TANH,
            StandardActivation.LINEAR}) {
            TwoLayerNetwork s = student(g);
            double[] x = new double[20];
            RandomStreams.fillGaussian(RandomStreams.stream(6, "x"), x, 20);
            double y = 0.7;
            double[] gw = new double[60];
            double[] gv = new double[3];
            SgdGradients.gradient(s, x, 0, y, gw, gv);
            double h = 1e-6;
            for (int i = 0; i < 60; i += 7) {
                double old = s.firstLayer()[i];
                s.firstLayer()[i] = old + h;
                double up = loss(s, x, y);
                s.firstLayer()[i] = old - h;
                double down = loss(s, x, y);
                s.firstLayer()[i] = old;
                // O(h²) truncation plus O(1e-16/h) round-off on an O(1) loss
                assertEquals((up - down) / (2 * h), gw[i], 1e-8, g + " w[" + i + "]");
            }
            for (int j = 0; j < 3; j++) {
                double old = s.secondLayer()[j];
                s.secondLayer()[j] = old + h;
                double up = loss(s, x, y);
                s.secondLayer()[j] = old - h;
                double down = loss(s, x, y);
                s.secondLayer()[j] = old;
                assertEquals((up - down) / (2 * h), gv[j], 1e-8, g + " v[" + j + "]");
            }
        }
    }

    @Test
    void sgdStepIsLearningRateTimesGradientWithSecondLayerRateOverN() {
        TwoLayerNetwork s = student(StandardActivation.ERF);
        double[] x = new double[20];
        RandomStreams.fillGaussian(RandomStreams.stream(7, "x"), x, 20);
        double y = -0.3;
        double[] gw = new double[60];
        double[] gv = new double[3];
        SgdGradients.gradient(s, x, 0, y, gw, gv);
        TwoLayerNetwork before = s.copy();
        double lr = 0.35;
        OnlineSpec spec = OnlineTestProblems.spec(3, 1, StandardActivation.ERF, TeacherInput.INPUT, lr, 1, TrainedLayers.BOTH,
                1, 10, 2, 0);
        SgdStepper stepper = new SgdStepper(s, spec, 20);
        stepper.beginBatch();
        stepper.accumulate(x, 0, y);
        stepper.applyBatch(1);
        for (int i = 0; i < 60; i++) {
            assertEquals(before.firstLayer()[i] - lr * gw[i], s.firstLayer()[i], 1e-15);
        }
        for (int j = 0; j < 3; j++) {
            assertEquals(before.secondLayer()[j] - lr / 20 * gv[j], s.secondLayer()[j], 1e-15);
        }
    }

    @Test
    void miniBatchStepUsesTheMeanGradient() {
        TwoLayerNetwork s = student(StandardActivation.TANH);
        double[] x = new double[40];
        RandomStreams.fillGaussian(RandomStreams.stream(8, "x"), x, 40);
        double[] gw1 = new double[60];
        double[] gv1 = new double[3];
        double[] gw2 = new double[60];
        double[] gv2 = new double[3];
        SgdGradients.gradient(s, x, 0, 0.2, gw1, gv1);
        SgdGradients.gradient(s, x, 20, -0.4, gw2, gv2);
        TwoLayerNetwork before = s.copy();
        OnlineSpec spec = OnlineTestProblems.spec(3, 1, StandardActivation.TANH, TeacherInput.INPUT, 0.5, 1,
                TrainedLayers.FIRST, 2, 10, 2, 0);
        SgdStepper stepper = new SgdStepper(s, spec, 20);
        stepper.beginBatch();
        stepper.accumulate(x, 0, 0.2);
        stepper.accumulate(x, 20, -0.4);
        stepper.applyBatch(2);
        for (int i = 0; i < 60; i++) {
            assertEquals(before.firstLayer()[i] - 0.5 * 0.5 * (gw1[i] + gw2[i]), s.firstLayer()[i], 1e-15);
        }
        for (int j = 0; j < 3; j++) {
            assertEquals(before.secondLayer()[j], s.secondLayer()[j], 0.0, "second layer frozen with --train first");
        }
    }
}
