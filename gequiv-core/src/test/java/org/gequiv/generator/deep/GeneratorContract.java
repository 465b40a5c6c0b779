package org.gequiv.generator.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gequiv.generator.Generator;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Generator} promises (the interface's Javadoc), checked on each deep generator:
 * reproducible sampling for a stream, finite outputs, rows that do not depend on the batch they
 * were drawn in, and thread-safe concurrent sampling.
 */
abstract class GeneratorContract {

    /** The generator under test (small enough for a fast test). */
    abstract Generator generator() throws Exception;

    /**
     * How far, relative to the largest output, a row may move when the batch around it changes: the
     * BLAS may pick another kernel (and so another summation order) for another matrix width — seen
     * on AMD EPYC with OpenBLAS, where the float32 DCGAN's rows moved by 2 float32 ulps between
     * batches of 2 and 5. A few thousand units of roundoff of the arithmetic the generator computes
     * in: 1e-12 for float64 (≈ 4500 u), overridden for float32.
     */
    double batchTolerance() {
        return 1e-12;
    }

    private static double[][] draw(Generator g, long seed, int batch) {
        double[] c = new double[batch * g.latentDimension()];
        double[] x = new double[batch * g.inputDimension()];
        g.sample(RandomStreams.stream(seed, "contract"), batch, c, x);
        return new double[][] {c, x};
    }

    @Test
    void samplingIsReproducibleAndFinite() throws Exception {
        Generator g = generator();
        assertTrue(g.latentDimension() >= 1 && g.inputDimension() >= 1);
        double[][] a = draw(g, 5, 3);
        double[][] b = draw(g, 5, 3);
        assertArrayEquals(a[0], b[0], 0.0);
        assertArrayEquals(a[1], b[1], 0.0);
        for (double v : a[1]) {
            assertTrue(Double.isFinite(v));
        }
        assertTrue(!g.id().isBlank() && !g.description().isEmpty());
    }

    /**
     * The first rows of a larger batch equal a smaller batch drawn from the same stream (latents
     * exactly; inputs up to the BLAS's summation order, which may change with the batch:
     * {@link #batchTolerance()} relative to the largest input).
     */
    @Test
    void rowsDoNotDependOnTheBatch() throws Exception {
        Generator g = generator();
        double[][] small = draw(g, 9, 2);
        double[][] large = draw(g, 9, 5);
        assertArrayEquals(small[0], java.util.Arrays.copyOf(large[0], small[0].length), 0.0);
        double scale = 0;
        for (double v : small[1]) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(small[1], java.util.Arrays.copyOf(large[1], small[1].length), batchTolerance() * Math.max(scale, 1));
    }

    @Test
    void concurrentSamplingMatchesSequential() throws Exception {
        Generator g = generator();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<double[][]>> futures = new ArrayList<>();
            for (long s = 0; s < 6; s++) {
                long seed = s;
                futures.add(pool.submit(() -> draw(g, seed, 2)));
            }
            for (int s = 0; s < 6; s++) {
                double[][] sequential = draw(g, s, 2);
                assertArrayEquals(sequential[1], futures.get(s).get()[1], 0.0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(g.description(), generator().description(), "construction is deterministic");
    }
}
