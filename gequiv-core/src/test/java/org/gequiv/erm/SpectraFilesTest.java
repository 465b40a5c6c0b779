package org.gequiv.erm;

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

    /** Ω (d = 4) and Ψ (p = 2) of a valid covariances file, with one of them replaced. */
    private Path covariances(String name, double[] omega, double[] psi) throws Exception {
        int d = 4;
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", new NpyArray(new int[] {d, d}, omega));
        m.put("phi", new NpyArray(new int[] {2, d}, new double[] {0.3, 0.1, 0, 0.2, -0.1, 0.4, 0.2, 0}));
        m.put("psi", new NpyArray(new int[] {2, 2}, psi));
        m.put("theta", NpyArray.vector(new double[] {1.2, -0.7}));
        Path f = dir.resolve(name);
        NpzArchive.write(f, m, false);
        return f;
    }

    @Test
    void covariancesThatAreNoCovariancesAreRefusedNamingFileKeyAndEntry() throws Exception {
        double[] omega = SpectraTest.compose(4, SpectraTest.randomOrthogonal(4, 3), new double[] {0.5, 2, 1, 3});
        double[] psi = {1, 0.2, 0.2, 1};
        SpectraFiles.readCovariances(covariances("good.npz", omega, psi));

        double[] asymmetric = omega.clone();
        asymmetric[1] += 0.05; // (0, 1): one triangle only, which the eigensolver alone would not see
        Path a = covariances("asymmetric.npz", asymmetric, psi);
        var e = assertThrows(InvalidInputException.class, () -> SpectraFiles.readCovariances(a));
        assertTrue(e.getMessage().startsWith(a + ":omega must be symmetric"), e.getMessage());
        assertTrue(e.getMessage().contains("at (i, j) = (1, 0)"), e.getMessage());
        assertEquals(SpectraFiles.COVARIANCES_FIELD, e.field());

        double[] indefinite = SpectraTest.compose(4, SpectraTest.randomOrthogonal(4, 3), new double[] {-0.5, 2, 1, 3});
        Path b = covariances("indefinite.npz", indefinite, psi);
        var f = assertThrows(InvalidInputException.class, () -> SpectraFiles.readCovariances(b));
        assertTrue(f.getMessage().startsWith(b + ":omega must be positive semi-definite"), f.getMessage());
        assertEquals(-0.5, eigenvalue(f), 1e-12);

        double[] nan = omega.clone();
        nan[2 * 4 + 3] = Double.NaN;
        Path c = covariances("nan.npz", nan, psi);
        var g = assertThrows(InvalidInputException.class, () -> SpectraFiles.readCovariances(c));
        assertEquals(c + ":omega must be finite, got NaN at entry (2, 3) of 4 × 4", g.getMessage());

        Path psiAsymmetric = covariances("psi-asymmetric.npz", omega, new double[] {1, 0.2, 0.3, 1});
        var h = assertThrows(InvalidInputException.class, () -> SpectraFiles.readCovariances(psiAsymmetric));
        assertTrue(h.getMessage().startsWith(psiAsymmetric + ":psi must be symmetric"), h.getMessage());
        assertTrue(h.getMessage().contains("at (i, j) = (1, 0)"), h.getMessage());

        // eigenvalues of [[1, 2], [2, 1]] are 3 and −1
        Path psiIndefinite = covariances("psi-indefinite.npz", omega, new double[] {1, 2, 2, 1});
        var k = assertThrows(InvalidInputException.class, () -> SpectraFiles.readCovariances(psiIndefinite));
        assertTrue(k.getMessage().startsWith(psiIndefinite + ":psi must be positive semi-definite"), k.getMessage());
        assertEquals(-1.0, eigenvalue(k), 1e-12);

        Path psiNan = covariances("psi-nan.npz", omega, new double[] {1, 0, 0, Double.NaN});
        var l = assertThrows(InvalidInputException.class, () -> SpectraFiles.readCovariances(psiNan));
        assertEquals(psiNan + ":psi must be finite, got NaN at entry (1, 1) of 2 × 2", l.getMessage());
    }

    @Test
    void spectraWithNegativeOrNonFiniteEigenvaluesAreRefusedNamingFileAndKey() throws Exception {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", NpyArray.vector(new double[] {1, -0.25, 3}));
        m.put("t", NpyArray.vector(new double[] {1, 0, 1}));
        m.put("rho", NpyArray.scalar(10.0));
        m.put("gamma", NpyArray.scalar(1.0));
        Path f = dir.resolve("negative.npz");
        NpzArchive.write(f, m, false);
        var e = assertThrows(InvalidInputException.class, () -> SpectraFiles.readSpectra(f));
        assertTrue(e.getMessage().startsWith(f + ":omega must be positive semi-definite"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got eigenvalue -0.25 at index 1 of 3"), e.getMessage());
        assertEquals(SpectraFiles.SPECTRA_FIELD, e.field());

        m.put("omega", NpyArray.vector(new double[] {1, Double.NaN, 3}));
        Path g = dir.resolve("nan.npz");
        NpzArchive.write(g, m, false);
        var h = assertThrows(InvalidInputException.class, () -> SpectraFiles.readSpectra(g));
        assertEquals(g + ":omega must be finite, got NaN at index 1", h.getMessage());

        // a refusal of the Spectra constructor names the file and the key too
        m.put("omega", NpyArray.vector(new double[] {1, 2, 3}));
        m.put("rho", NpyArray.scalar(-1.0));
        Path k = dir.resolve("rho.npz");
        NpzArchive.write(k, m, false);
        var l = assertThrows(InvalidInputException.class, () -> SpectraFiles.readSpectra(k));
        assertEquals(k + ":rho: rho must be finite and > 0, got -1.0", l.getMessage());
    }

    private static double eigenvalue(InvalidInputException e) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("got eigenvalue (\\S+)").matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        return Double.parseDouble(m.group(1));
    }
}
