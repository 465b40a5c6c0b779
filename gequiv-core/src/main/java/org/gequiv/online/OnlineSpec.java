package org.gequiv.online;

import org.gequiv.activation.Activation;
import org.gequiv.model.TeacherInput;

/**
 * One online-learning experiment (docs/theory.md §1.2–§1.4), shared by the SGD simulation and the
 * ODE theory (§5) so that both describe the same problem. Three independent parts: the learning
 * problem (K, M, activations, teacher input, A), the SGD protocol (η, trained layers, batch size)
 * and what is recorded (times, test set, seed); each is validated by its own constructor. The
 * accessors of the parts' fields are repeated here for the engines. Immutable.
 *
 * @param problem   teacher, student and activations
 * @param protocol  how SGD trains the student
 * @param recording times, test set and master seed
 */
public record OnlineSpec(LearningProblem problem, SgdProtocol protocol, Recording recording) {

    public OnlineSpec {
        org.gequiv.validation.Checks.given("problem", problem);
        org.gequiv.validation.Checks.given("protocol", protocol);
        org.gequiv.validation.Checks.given("recording", recording);
    }

    /**
     * The spec from its fields, in the order of the three parts' documentation.
     *
     * @param studentHidden       K ≥ 1
     * @param teacherHidden       M ≥ 1
     * @param studentActivation   g of the student
     * @param teacherActivation   g of the teacher
     * @param teacherInput        teacher on the latent c or on the input x
     * @param learningRate        η &gt; 0 (first layer η, second layer η/N per step)
     * @param maxTime             final time t = steps/N &gt; 0
     * @param trainedLayers       both layers or the first only
     * @param batchSize           samples per SGD step (1 in the paper); the step is the mean gradient
     * @param testSamples         size of the fixed test set
     * @param logTimes            ascending times in [0, maxTime] at which the curve is recorded
     * @param teacherSecondLayer  value of every teacher second-layer weight A_m
     * @param seed                master seed; streams are split by {@link org.gequiv.random.RandomStreams}
     */
    public OnlineSpec(int studentHidden, int teacherHidden, Activation studentActivation,
                      Activation teacherActivation, TeacherInput teacherInput, double learningRate,
                      double maxTime, TrainedLayers trainedLayers, int batchSize, int testSamples,
                      double[] logTimes, double teacherSecondLayer, long seed) {
        this(new LearningProblem(studentHidden, teacherHidden, studentActivation, teacherActivation, teacherInput,
                        teacherSecondLayer),
                new SgdProtocol(learningRate, trainedLayers, batchSize),
                new Recording(maxTime, logTimes, testSamples, seed));
    }

    /** The same experiment with another master seed (teacher, student and data all change). */
    public OnlineSpec withSeed(long seed) {
        return new OnlineSpec(problem, protocol, recording.withSeed(seed));
    }

    /** K. */
    public int studentHidden() {
        return problem.studentHidden();
    }

    /** M. */
    public int teacherHidden() {
        return problem.teacherHidden();
    }

    public Activation studentActivation() {
        return problem.studentActivation();
    }

    public Activation teacherActivation() {
        return problem.teacherActivation();
    }

    public TeacherInput teacherInput() {
        return problem.teacherInput();
    }

    /** A_m. */
    public double teacherSecondLayer() {
        return problem.teacherSecondLayer();
    }

    /** η. */
    public double learningRate() {
        return protocol.learningRate();
    }

    public TrainedLayers trainedLayers() {
        return protocol.trainedLayers();
    }

    public int batchSize() {
        return protocol.batchSize();
    }

    public double maxTime() {
        return recording.maxTime();
    }

    /** The recorded times, a copy. */
    public double[] logTimes() {
        return recording.logTimes();
    }

    public int testSamples() {
        return recording.testSamples();
    }

    public long seed() {
        return recording.seed();
    }

    /**
     * The default output grid: t = 0, then {@code points − 1} times log-spaced from
     * min(0.1, maxTime/10) to maxTime (the authors' logging, docs/theory.md §5.6).
     */
    public static double[] logSpacedTimes(double maxTime, int points) {
        org.gequiv.validation.Checks.atLeast("logPoints", points, 2);
        org.gequiv.validation.Checks.positive("maxTime", maxTime);
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
