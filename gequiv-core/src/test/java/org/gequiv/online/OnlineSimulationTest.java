package org.gequiv.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.junit.jupiter.api.Test;

class OnlineSimulationTest {

    private static LearningCurve run(OnlineSpec spec, Generator g, boolean ahead) {
        return new OnlineSimulation(ahead).run(OnlineProblem.initialise(spec, g), ProgressListener.NONE);
    }

    @Test
    void sameSeedGivesTheIdenticalCurveWhateverTheThreading() {
        Generator g = DeepRandomGenerator.singleLayer(30, 200, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        OnlineSpec spec = OnlineTestProblems.spec(2, 2, StandardActivation.ERF, TeacherInput.LATENT, 0.2, 5,
                TrainedLayers.BOTH, 1, 500, 20, 9);
        LearningCurve a = run(spec, g, true);
        LearningCurve b = run(spec, g, false);
        LearningCurve c = run(spec, g, true);
        // three sampling threads: more workers than this machine's cores, blocks still consumed in order
        LearningCurve d = new OnlineSimulation(3, org.gequiv.linalg.LinearAlgebra.get())
                .run(OnlineProblem.initialise(spec, g), ProgressListener.NONE);
        assertEquals(a.points().size(), b.points().size());
        assertEquals(a.points().size(), d.points().size());
        for (int i = 0; i < a.points().size(); i++) {
            LearningCurve.Point pa = a.points().get(i);
            LearningCurve.Point pb = b.points().get(i);
            LearningCurve.Point pc = c.points().get(i);
            LearningCurve.Point pd = d.points().get(i);
            assertEquals(pa.generalisationError(), pb.generalisationError(), 0.0);
            assertEquals(pa.generalisationError(), pc.generalisationError(), 0.0);
            assertEquals(pa.generalisationError(), pd.generalisationError(), 0.0);
            assertArrayEquals(pa.q(), pd.q(), 0.0);
            assertArrayEquals(pa.q(), pb.q(), 0.0);
            assertArrayEquals(pa.r(), pb.r(), 0.0);
            assertArrayEquals(pa.v(), pb.v(), 0.0);
        }
        OnlineSpec other = OnlineTestProblems.spec(2, 2, StandardActivation.ERF, TeacherInput.LATENT, 0.2, 5,
                TrainedLayers.BOTH, 1, 500, 20, 10);
        assertNotEquals(a.points().get(5).generalisationError(), run(other, g, true).points().get(5).generalisationError());
    }

    @Test
    void oneRowPerRequestedTimeAtTheNearestSample() {
        Generator g = OnlineTestProblems.isotropicGaussian(50);
        OnlineSpec spec = new OnlineSpec(1, 1, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.INPUT, 0.1,
                2, TrainedLayers.BOTH, 1, 100, new double[] {0, 0.01, 0.011, 0.5, 2}, 1, 3);
        LearningCurve c = run(spec, g, false);
        assertTrue(c.termination().completed());
        assertEquals(5, c.points().size());
        // 0.01·50 = 0.5 and 0.011·50 = 0.55 both round to sample 1 (Math.round rounds half up)
        assertEquals(0.02, c.points().get(1).time(), 1e-15);
        assertEquals(0.02, c.points().get(2).time(), 1e-15);
        assertEquals(2.0, c.points().get(4).time(), 1e-15);
    }

    /**
     * Closed form: linear student and teacher (K = M = 1) on x ~ N(0, I_N), teacher on x, first layer
     * trained, fixed v. With u = v w − θ every step maps u to (I − η v² x xᵀ/N) u, so
     * E‖u‖² shrinks by exactly 1 − 2η'/N + η'²(N + 2)/N² per sample (η' = η v², Gaussian fourth
     * moments), and ε_g = ‖u‖²/(2N). Averaged over seeds the simulation must follow it.
     */
    @Test
    void linearNetworkFollowsItsClosedFormDecay() {
        int n = 400;
        Generator g = OnlineTestProblems.isotropicGaussian(n);
        double lr = 0.5;
        double time = 3;
        double[] times = {0, 1, 2, 3};
        int seeds = 6;
        double[] ratio = new double[times.length];
        for (int s = 0; s < seeds; s++) {
            OnlineSpec spec = new OnlineSpec(1, 1, StandardActivation.LINEAR, StandardActivation.LINEAR, TeacherInput.INPUT,
                    lr, time, TrainedLayers.FIRST, 1, 20000, times, 1, 100 + s);
            OnlineProblem p = OnlineProblem.initialise(spec, g);
            TwoLayerNetwork st = p.student();
            double v = st.secondLayer()[0];
            double u2 = 0;
            for (int i = 0; i < n; i++) {
                double u = v * st.firstLayer()[i] - p.teacher().firstLayer()[i];
                u2 += u * u;
            }
            double eta = lr * v * v;
            double perSample = 1 - 2 * eta / n + eta * eta * (n + 2) / ((double) n * n);
            LearningCurve c = new OnlineSimulation(false).run(p, ProgressListener.NONE);
            for (int i = 0; i < times.length; i++) {
                double expected = u2 / (2 * n) * Math.pow(perSample, Math.round(times[i] * n));
                ratio[i] += c.points().get(i).generalisationError() / expected / seeds;
            }
        }
        // per run: test-set noise √(2/20000) = 1 % and trajectory noise of a few % at N = 400;
        // the mean of 6 seeds must be within 3 %
        for (int i = 0; i < times.length; i++) {
            assertEquals(1.0, ratio[i], 0.03, "simulated / closed-form eg at t = " + times[i]);
        }
    }

    @Test
    void divergingRunStopsAndKeepsItsCurve() {
        // a linear student is unstable for η > 2 (see the closed form above); an erf student is not:
        // its first-layer updates saturate instead of overflowing
        Generator g = DeepRandomGenerator.singleLayer(20, 100, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        OnlineSpec spec = OnlineTestProblems.spec(2, 2, StandardActivation.LINEAR, TeacherInput.LATENT, 50, 100,
                TrainedLayers.BOTH, 1, 200, 60, 2);
        LearningCurve c = run(spec, g, true);
        assertFalse(c.termination().completed());
        assertTrue(c.termination().reason().contains("diverged at t = "), c.termination().reason());
        assertTrue(c.termination().stoppedAt() < 100);
        assertFalse(c.points().isEmpty(), "points before the divergence are kept");
        List<LearningCurve.Point> pts = c.points();
        assertTrue(pts.get(pts.size() - 1).time() <= c.termination().stoppedAt());
        for (LearningCurve.Point p : pts) {
            assertTrue(Double.isFinite(p.generalisationError()));
        }
    }

    /**
     * With an evaluation pool the test set of a recorded time is evaluated on a snapshot of the
     * weights while SGD goes on: the curve, where and why a diverging run ends, and the weights the
     * observer sees are those of the run that evaluates on the SGD thread and waits.
     */
    @Test
    void overlappedEvaluationGivesTheCurveTerminationAndWeightsOfTheSerialOne() {
        Generator g = DeepRandomGenerator.singleLayer(20, 100, StandardActivation.SIGN, CovarianceRule.EXACT, 1);
        for (double lr : new double[] {0.5, 50}) {
            OnlineSpec spec = OnlineTestProblems.spec(2, 2, StandardActivation.LINEAR, TeacherInput.LATENT, lr, 100,
                    TrainedLayers.BOTH, 1, 200, 60, 2);
            List<double[]> serialWeights = new java.util.ArrayList<>();
            List<double[]> pooledWeights = new java.util.ArrayList<>();
            LearningCurve serial = new OnlineSimulation(0, org.gequiv.linalg.LinearAlgebra.get())
                    .run(OnlineProblem.initialise(spec, g), ProgressListener.NONE,
                            (t, s) -> serialWeights.add(weights(t, s)));
            LearningCurve pooled = new OnlineSimulation(2, org.gequiv.linalg.LinearAlgebra.get())
                    .run(OnlineProblem.initialise(spec, g), ProgressListener.NONE,
                            (t, s) -> pooledWeights.add(weights(t, s)));
            assertEquals(lr < 2, serial.termination().completed(), "η = " + lr);
            assertEquals(serial.termination(), pooled.termination());
            assertEquals(serial.points().size(), pooled.points().size());
            for (int i = 0; i < serial.points().size(); i++) {
                LearningCurve.Point a = serial.points().get(i);
                LearningCurve.Point b = pooled.points().get(i);
                assertEquals(a.time(), b.time(), 0.0);
                assertEquals(a.generalisationError(), b.generalisationError(), 0.0);
                assertArrayEquals(a.q(), b.q(), 0.0);
                assertArrayEquals(a.r(), b.r(), 0.0);
                assertArrayEquals(a.v(), b.v(), 0.0);
            }
            assertEquals(serialWeights.size(), pooledWeights.size());
            for (int i = 0; i < serialWeights.size(); i++) {
                assertArrayEquals(serialWeights.get(i), pooledWeights.get(i), 0.0);
            }
        }
    }

    /** The time and the student's weights an observer saw, copied. */
    private static double[] weights(double t, TwoLayerNetwork s) {
        double[] w = new double[1 + s.firstLayer().length + s.secondLayer().length];
        w[0] = t;
        System.arraycopy(s.firstLayer(), 0, w, 1, s.firstLayer().length);
        System.arraycopy(s.secondLayer(), 0, w, 1 + s.firstLayer().length, s.secondLayer().length);
        return w;
    }
}
