package org.gequiv.online;

import java.util.List;

import org.gequiv.validation.Checks;
import org.gequiv.validation.InvalidInputException;

/**
 * Everything an SGD run (docs/theory.md §1.4) has done after a whole number of steps, from which it
 * continues bit-identically: the samples consumed, the student's weights, and the curve recorded
 * so far. Nothing else is needed: the teacher, the student's initial weights and the test set are
 * drawn again from their seeds, and training sample s is sample s mod {@link OnlineSimulation#BLOCK}
 * of block s / BLOCK, drawn from its own indexed stream ({@link org.gequiv.random.RandomStreams}),
 * so the position of the training stream is the sample count. An immutable value (arrays are
 * copied in and out).
 *
 * @param samples     samples consumed, ≥ 0 (time t = samples/N), at a step boundary
 * @param firstLayer  the student's first layer W, K × N row-major
 * @param secondLayer the student's second layer v, K
 * @param points      the points recorded so far, one per requested time in order
 */
public record SgdState(long samples, double[] firstLayer, double[] secondLayer, List<LearningCurve.Point> points) {

    public SgdState {
        if (samples < 0) {
            throw new InvalidInputException("samples", "samples must be >= 0, got " + samples);
        }
        firstLayer = Checks.given("firstLayer", firstLayer).clone();
        secondLayer = Checks.given("secondLayer", secondLayer).clone();
        points = List.copyOf(points);
    }

    @Override
    public double[] firstLayer() {
        return firstLayer.clone();
    }

    @Override
    public double[] secondLayer() {
        return secondLayer.clone();
    }
}
