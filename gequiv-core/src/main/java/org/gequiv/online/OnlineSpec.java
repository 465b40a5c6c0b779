package org.gequiv.online;

import java.util.Arrays;

import org.gequiv.activation.Activation;
import org.gequiv.model.TeacherInput;

/**
 * One online-learning experiment (docs/theory.md §1.2–§1.4), shared by the SGD simulation and the ODE
 * theory (§5) so that both describe the same problem.
 *
 * @param studentHidden       K ≥ 1
 * @param teacherHidden       M ≥ 1
 * @param studentActivation   g of the student
 * @param teacherActivation   g of the teacher
 * @param teacherInput        teacher on the latent c (default) or on the input x
 * @param learningRate        η &gt; 0 (first layer η, second layer η/N per step)
 * @param maxTime             final time t = steps/N &gt; 0
 * @param trainedLayers       both layers or the first only
 * @param batchSize           samples per SGD step (1 in the paper); the step is the mean gradient
 * @param testSamples         size of the fixed test set (default 10 000)
 * @param logTimes            ascending times in [0, maxTime] at which the curve is recorded
 * @param teacherSecondLayer  value of every teacher second-layer weight A_m (default 1)
 * @param seed                master seed; streams are split by {@link org.gequiv.random.RandomStreams}
 */
public record OnlineSpec(int studentHidden, int teacherHidden, Activation studentActivation,
                         Activation teacherActivation, TeacherInput teacherInput, double learningRate,
                         double maxTime, TrainedLayers trainedLayers, int batchSize, int testSamples,
                         double[] logTimes, double teacherSecondLayer, long seed) {

    public OnlineSpec {
        if (studentHidden < 1) {
            throw new IllegalArgumentException("K must be >= 1, got " + studentHidden);
        }
        if (teacherHidden < 1) {
            throw new IllegalArgumentException("M must be >= 1, got " + teacherHidden);
        }
        if (studentActivation == null || teacherActivation == null || teacherInput == null || trainedLayers == null) {
            throw new IllegalArgumentException("activations, teacher input and trained layers must be given");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(maxTime > 0) || !Double.isFinite(maxTime)) {
            throw new IllegalArgumentException("time must be finite and > 0, got " + maxTime);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (testSamples < 1) {
            throw new IllegalArgumentException("test samples must be >= 1, got " + testSamples);
        }
        if (!Double.isFinite(teacherSecondLayer)) {
            throw new IllegalArgumentException("teacher second-layer weight must be finite, got " + teacherSecondLayer);
        }
        logTimes = logTimes.clone();
        if (logTimes.length == 0) {
            throw new IllegalArgumentException("log times must not be empty");
        }
        for (int i = 0; i < logTimes.length; i++) {
            double t = logTimes[i];
            if (!(t >= 0) || t > maxTime * (1 + 1e-12) || (i > 0 && !(t > logTimes[i - 1]))) {
                throw new IllegalArgumentException("log times must ascend strictly within [0, " + maxTime + "], got "
                        + Arrays.toString(logTimes));
            }
        }
    }

    @Override
    public double[] logTimes() {
        return logTimes.clone();
    }

    /**
     * The default output grid: t = 0, then {@code points − 1} times log-spaced from
     * min(0.1, maxTime/10) to maxTime (the authors' logging, docs/theory.md §5.6).
     */
    public static double[] logSpacedTimes(double maxTime, int points) {
        if (points < 2) {
            throw new IllegalArgumentException("log points must be >= 2, got " + points);
        }
        if (!(maxTime > 0)) {
            throw new IllegalArgumentException("time must be > 0, got " + maxTime);
        }
        double first = Math.min(0.1, maxTime / 10);
        double[] t = new double[points];
        double a = Math.log(first);
        double b = Math.log(maxTime);
        for (int i = 1; i < points; i++) {
            t[i] = points == 2 ? maxTime : Math.exp(a + (b - a) * (i - 1) / (points - 2));
        }
        t[1] = first;
        t[points - 1] = maxTime;
        return t;
    }
}
