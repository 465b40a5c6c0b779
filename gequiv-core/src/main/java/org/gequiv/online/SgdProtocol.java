package org.gequiv.online;

import org.gequiv.validation.Checks;

/**
 * How the student is trained (docs/theory.md §1.4): one-pass SGD with learning rate η on the first
 * layer and η/N on the second, on both layers or the first only, with the mean gradient of
 * {@code batchSize} fresh samples per step (1 in the paper; time still counts samples/N).
 * Immutable.
 *
 * @param learningRate  η, finite and &gt; 0
 * @param trainedLayers both layers or the first only
 * @param batchSize     samples per step, ≥ 1
 */
public record SgdProtocol(double learningRate, TrainedLayers trainedLayers, int batchSize) {

    /** The default η of the command line and the examples. */
    public static final double DEFAULT_LEARNING_RATE = 0.2;

    public SgdProtocol {
        Checks.positive("learningRate", learningRate);
        Checks.given("trainedLayers", trainedLayers);
        Checks.atLeast("batchSize", batchSize, 1);
    }

    /** Plain online SGD: both layers, one sample per step. */
    public static SgdProtocol plain(double learningRate) {
        return new SgdProtocol(learningRate, TrainedLayers.BOTH, 1);
    }
}
