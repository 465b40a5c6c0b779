package org.gequiv.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.gequiv.activation.StandardActivation;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.Recording;
import org.gequiv.random.Repeats;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records copy their arrays; the network SGD mutates is a class whose arrays are documented views. */
class ValuesAreValuesTest {

    @TempDir
    Path tmp;

    @Test
    void curvePointsAndRecordingsCopyTheirArrays() {
        double[] q = {1, 2, 3, 4};
        LearningCurve.Point p = new LearningCurve.Point(0.5, 0.1, q, new double[] {5, 6}, new double[] {7, 8});
        q[0] = -1;
        assertEquals(1.0, p.q()[0], 0.0, "the constructor copied");
        p.q()[1] = -1;
        assertEquals(2.0, p.q(1), 0.0, "the accessor copies");
        double[] times = {0, 0.5, 1};
        Recording r = new Recording(1, times, 10, 0);
        times[1] = 0.7;
        assertEquals(0.5, r.logTimes()[1], 0.0);
    }

    @Test
    void networkArraysAreLiveViews() {
        double[] w = {1, 2, 3, 4};
        TwoLayerNetwork net = new TwoLayerNetwork(2, 2, w, new double[] {1, 1}, StandardActivation.LINEAR);
        assertSame(w, net.firstLayer(), "the storage, not a copy");
        net.firstLayer()[0] = 9;
        double[] fields = new double[2];
        net.preActivations(new double[] {1, 0}, 0, fields);
        assertEquals(9 / Math.sqrt(2), fields[0], 1e-15);
        TwoLayerNetwork copy = net.copy();
        copy.firstLayer()[0] = 0;
        assertEquals(9.0, net.firstLayer()[0], 0.0, "a copy is independent");
        assertThrows(InvalidInputException.class,
                () -> new TwoLayerNetwork(2, 2, new double[3], new double[2], StandardActivation.LINEAR));
    }

    @Test
    void weightTrajectoryRoundTripsThroughItsFile() throws IOException {
        double[] w = new double[2 * 2 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.25 - 1;
        }
        WeightTrajectory t = new WeightTrajectory(new double[] {0, 1}, 2, 3, 2, w, new double[] {1, 2, 3, 4},
                TeacherInput.LATENT, 1, new double[] {0.5, -0.5}, new double[] {1});
        w[0] = 100;
        assertEquals(-1.0, t.firstLayer(0)[0], 0.0, "copied in");
        Path f = tmp.resolve("w.npz");
        t.writeNpz(f);
        WeightTrajectory back = WeightTrajectory.readNpz(f);
        assertArrayEquals(t.firstLayers(), back.firstLayers(), 0.0);
        assertArrayEquals(t.secondLayers(), back.secondLayers(), 0.0);
        assertArrayEquals(t.teacher(), back.teacher(), 0.0);
        assertEquals(TeacherInput.LATENT, back.teacherInput());
        assertEquals(3, back.inputDimension());
        assertEquals(2, back.latentDimension());
    }

    /** Mean and standard error over repeats, against hand values: {1, 2, 3, 6}: mean 3, sd √(14/3). */
    @Test
    void repeatStatisticsByDefinition() {
        double[] x = {1, 2, 3, 6};
        assertEquals(3.0, Repeats.mean(x), 0.0);
        assertEquals(Math.sqrt(14.0 / 3 / 4), Repeats.standardError(x), 1e-15);
        assertTrue(Double.isNaN(Repeats.standardError(new double[] {2})));
    }
}
