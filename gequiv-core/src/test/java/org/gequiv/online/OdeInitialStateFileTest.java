package org.gequiv.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ρ of an {@code --init} file are eigenvalues of a covariance (docs/theory.md §5.1). */
class OdeInitialStateFileTest {

    @TempDir
    Path dir;

    /** A K = M = 1, N = 3 initial state with the given ρ. */
    static Path write(Path file, double[] rho) throws Exception {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("rho", NpyArray.vector(rho));
        m.put("q", new NpyArray(new int[] {1, 1, 3}, new double[] {1, 1, 1}));
        m.put("r", new NpyArray(new int[] {1, 1, 3}, new double[] {0.1, 0.2, 0.3}));
        m.put("tildet", new NpyArray(new int[] {1, 1, 3}, new double[] {1, 1, 1}));
        m.put("T", new NpyArray(new int[] {1, 1}, new double[] {1}));
        m.put("A", NpyArray.vector(new double[] {1}));
        m.put("v", NpyArray.vector(new double[] {0.5}));
        m.put("delta", NpyArray.scalar(0.5));
        NpzArchive.write(file, m, false);
        return file;
    }

    @Test
    void negativeOrNonFiniteRhoIsRefusedNamingFileKeyAndIndex() throws Exception {
        assertEquals(3, OdeInitialState.fromNpz(write(dir.resolve("good.npz"), new double[] {1, 0, 2})).size());

        Path negative = write(dir.resolve("negative.npz"), new double[] {1, -0.5, 2});
        var e = assertThrows(InvalidInputException.class, () -> OdeInitialState.fromNpz(negative));
        assertTrue(e.getMessage().startsWith(negative + ":rho must be positive semi-definite"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got eigenvalue -0.5 at index 1 of 3"), e.getMessage());
        assertEquals("init", e.field());
        assertEquals(negative + ":rho", e.source());

        Path nan = write(dir.resolve("nan.npz"), new double[] {1, 1, Double.NaN});
        var f = assertThrows(InvalidInputException.class, () -> OdeInitialState.fromNpz(nan));
        assertEquals(nan + ":rho must be finite, got NaN at index 2", f.getMessage());

        // round-off below 1e-8·max ρ passes, as for a decomposed Ω
        assertEquals(3, OdeInitialState.fromNpz(write(dir.resolve("roundoff.npz"), new double[] {1, -1e-12, 2})).size());
    }
}
