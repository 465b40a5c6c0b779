package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spectra and covariances from .npz files (issue 6, --spectra and --covariances). */
class SpectraFilesTest {

    @TempDir
    Path dir;

    @Test
    void d1ThroughASpectraFile() throws Exception {
        // reference-values.md §2, case D1, ridge α = 2, λ = 0.01, with a d = 5 spectrum whose t has
        // ⟨t⟩ = 1 but is not constant (allowed since all ω are equal)
        Path f = dir.resolve("d1.npz");
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", NpyArray.vector(new double[] {1, 1, 1, 1, 1}));
        m.put("t", NpyArray.vector(new double[] {0.2, 1.8, 1, 0.5, 1.5}));
        m.put("rho", NpyArray.scalar(1.0));
        m.put("gamma", NpyArray.scalar(1.0));
        NpzArchive.write(f, m, true);
        Spectra s = SpectraFiles.readSpectra(f);
        ErmPoint p = new SaddlePointSolver(SaddlePointOptions.defaults().withTolerances(1e-15, 1e-13))
                .solve(ErmLoss.RIDGE, s, 2, 0.01, 0.0, null);
        SaddlePointReferenceTest.assertRelative(0.9805788624849592, p.v(), 1e-9, "V");
        SaddlePointReferenceTest.assertRelative(0.9805770486202313, p.q(), 1e-9, "q");
        SaddlePointReferenceTest.assertRelative(0.9901942113751504, p.m(), 1e-9, "m");
        assertEquals(0.0001886258699304033, p.testError(), 1e-10);

        Path back = dir.resolve("back.npz");
        SpectraFiles.writeSpectra(back, s);
        assertEquals(s, SpectraFiles.readSpectra(back));
    }

    @Test
    void covariancesFileGivesTheSameSpectraAsTheArrays() throws Exception {
        int d = 4;
        double[] u = SpectraTest.randomOrthogonal(d, 3);
        double[] omega = SpectraTest.compose(d, u, new double[] {0.5, 2, 1, 3});
        double[] phi = {0.3, 0.1, 0, 0.2, -0.1, 0.4, 0.2, 0}; // p = 2 rows, d = 4 columns
        double[] psi = {1, 0, 0, 1};
        double[] theta = {1.2, -0.7};
        Path f = dir.resolve("cov.npz");
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", new NpyArray(new int[] {d, d}, omega));
        m.put("phi", new NpyArray(new int[] {2, d}, phi));
        m.put("psi", new NpyArray(new int[] {2, 2}, psi));
        m.put("theta", NpyArray.vector(theta));
        NpzArchive.write(f, m, false);
        assertEquals(Spectra.fromCovariances(d, 2, omega, phi, psi, theta), SpectraFiles.readCovariances(f));

        // Φ given in the generator's orientation (d × p) is named as such
        m.put("phi", new NpyArray(new int[] {d, 2}, phi));
        Path g = dir.resolve("transposed.npz");
        NpzArchive.write(g, m, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpectraFiles.readCovariances(g));
        assertTrue(e.getMessage().contains("key 'phi' must have shape (2, 4)"), e.getMessage());
    }

    @Test
    void mismatchedSpectraAreRejected() throws Exception {
        Path f = dir.resolve("bad.npz");
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", NpyArray.vector(new double[] {1, 2, 3}));
        m.put("t", NpyArray.vector(new double[] {1, 1}));
        m.put("rho", NpyArray.scalar(1.0));
        m.put("gamma", NpyArray.scalar(1.0));
        NpzArchive.write(f, m, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpectraFiles.readSpectra(f));
        assertTrue(e.getMessage().contains("key 't' must have shape (3,)"), e.getMessage());
    }
}
