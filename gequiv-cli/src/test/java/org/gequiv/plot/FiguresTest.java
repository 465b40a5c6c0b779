package org.gequiv.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.gequiv.online.LearningCurve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/**
 * Issue 11: the PNG and the SVG drawn concurrently from two copies of the panels are the files
 * drawn one after the other from one copy, a warm-up changes no later file, and a failure while
 * drawing reaches the caller with nothing written.
 */
class FiguresTest {

    @TempDir
    Path dir;

    private static List<XYChart> panels() {
        LearningCurve.Builder b = new LearningCurve.Builder(2, 1);
        for (int i = 0; i <= 30; i++) {
            double t = Math.pow(10, -2 + i / 10.0);
            b.add(t, 0.8 / (1 + t), new double[] {1 + t, 0.1, 0.1, 1 - 0.01 * i}, new double[] {0.5, 0.2 * i / 30},
                    new double[] {1, -1});
        }
        LearningCurve curve = b.build(LearningCurve.Termination.completedAt(10));
        List<LearningCurvePlot.Series> series = List.of(new LearningCurvePlot.Series("simulation", curve, true),
                new LearningCurvePlot.Series("theory", curve, false));
        return List.of(LearningCurvePlot.generalisationError("test, ε_g", series),
                LearningCurvePlot.orderParameters(LearningCurvePlot.orderParameterTitle(series), series));
    }

    private byte[] read(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }

    @Test
    void concurrentDrawingWritesTheFilesOfSequentialDrawing() throws IOException {
        Figures.save(panels(), dir.resolve("sequential"));
        Figures.save(FiguresTest::panels, dir.resolve("concurrent"));
        assertArrayEquals(read("sequential.png"), read("concurrent.png"));
        assertArrayEquals(read("sequential.svg"), read("concurrent.svg"));
    }

    @Test
    void aWarmUpChangesNoLaterFile() throws IOException {
        Figures.save(panels(), dir.resolve("before"));
        LearningCurvePlot.warmUp();
        Figures.save(FiguresTest::panels, dir.resolve("after"));
        assertArrayEquals(read("before.png"), read("after.png"));
        assertArrayEquals(read("before.svg"), read("after.svg"));
    }

    @Test
    void aFailureWhileBuildingThePanelsReachesTheCallerAndWritesNothing() {
        IllegalStateException failure = new IllegalStateException("no panels today");
        Supplier<List<XYChart>> failing = () -> {
            throw failure;
        };
        assertSame(failure, assertThrows(IllegalStateException.class, () -> Figures.save(failing, dir.resolve("x"))));
        assertFalse(Files.exists(dir.resolve("x.png")));
        assertFalse(Files.exists(dir.resolve("x.svg")));
        assertThrows(IllegalArgumentException.class, () -> Figures.save(List::of, dir.resolve("y")));
    }
}
