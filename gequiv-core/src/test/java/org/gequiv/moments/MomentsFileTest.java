package org.gequiv.moments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gequiv.generator.Moments;
import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MomentsFileTest {

    @TempDir
    Path dir;

    private MomentEstimate estimate() {
        LinearGaussianGenerator g = new LinearGaussianGenerator(7, 3, 0.3, 0.5, 2);
        return new MomentEstimator(g, new MomentEstimationSpec(3_000, 500, 1, 1, 1_000, null)).estimate();
    }

    @Test
    void roundTripKeepsEveryValueAndTheProvenance() throws IOException {
        MomentEstimate est = estimate();
        Path f = dir.resolve("m.npz");
        MomentsFile.write(f, est, Map.of("command", "test"));
        NpzArchive npz = NpzArchive.read(f);
        assertEquals(java.util.Set.of("mean_x", "mean_c", "omega", "phi", "samples", "provenance"), npz.keys());
        assertArrayEquals(est.latentMean(), npz.require("mean_c", 3).data(), 0.0);
        Moments back = MomentsFile.read(f, 7, 3);
        assertArrayEquals(est.moments().omega(), back.omega(), 0.0);
        assertArrayEquals(est.moments().phi(), back.phi(), 0.0);
        assertArrayEquals(est.moments().mean(), back.mean(), 0.0);
        assertEquals(3_000, back.samples());
        String prov = (String) back.source().get("provenance");
        assertTrue(prov.contains("\"command\":\"test\"") && prov.contains("\"generator\":\"linear-gaussian\""), prov);
        assertEquals(7, MomentsFile.read(f).inputDimension());
    }

    @Test
    void refusesMismatchedDimensions() throws IOException {
        Path f = dir.resolve("m.npz");
        MomentsFile.write(f, estimate(), Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> MomentsFile.read(f, 3072, 100));
        assertTrue(e.getMessage().endsWith("has N = 7, D = 3, but the generator has N = 3072, D = 100"), e.getMessage());
    }

    @Test
    void refusesTruncatedFileAndNaN() throws IOException {
        Path f = dir.resolve("m.npz");
        MomentsFile.write(f, estimate(), Map.of());
        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(IOException.class, () -> MomentsFile.read(cut, 7, 3));

        double[] omega = new double[49];
        omega[10] = Double.NaN;
        Path nan = write("nan.npz", omega, new double[21]);
        var e = assertThrows(InvalidInputException.class, () -> MomentsFile.read(nan, 7, 3));
        assertEquals(nan + ":omega must be finite, got NaN at entry (1, 3) of 7 × 7", e.getMessage());
        assertEquals(MomentsFile.FIELD, e.field());
        assertEquals(nan + ":omega", e.source());

        double[] phi = new double[21];
        phi[5] = Double.POSITIVE_INFINITY;
        Path inf = write("inf.npz", new double[49], phi);
        var g = assertThrows(InvalidInputException.class, () -> MomentsFile.read(inf));
        assertEquals(inf + ":phi must be finite, got Infinity at entry (1, 2) of 7 × 3", g.getMessage());
    }

    @Test
    void refusesAnOmegaThatIsNoCovariance() throws IOException {
        double[] omega = estimate().moments().omega();
        double[] asymmetric = omega.clone();
        asymmetric[5 * 7 + 2] += 0.1;
        Path a = write("asymmetric.npz", asymmetric, new double[21]);
        var e = assertThrows(InvalidInputException.class, () -> MomentsFile.read(a, 7, 3));
        assertTrue(e.getMessage().startsWith(a + ":omega must be symmetric"), e.getMessage());
        assertTrue(e.getMessage().contains("at (i, j) = (5, 2)"), e.getMessage());

        // Ω − I: Ω of this generator has eigenvalues 0.25 (noise) and above, so Ω − I has some near −0.75
        double[] shifted = omega.clone();
        for (int i = 0; i < 7; i++) {
            shifted[i * 7 + i] -= 1.0;
        }
        Path s = write("indefinite.npz", shifted, new double[21]);
        var f = assertThrows(InvalidInputException.class, () -> MomentsFile.read(s));
        assertTrue(f.getMessage().startsWith(s + ":omega must be positive semi-definite"), f.getMessage());
        double smallest = org.gequiv.linalg.LinearAlgebra.get().symmetricEigen(7, shifted).values()[0];
        assertTrue(f.getMessage().contains("got eigenvalue " + smallest + " at index 0 of 7"), f.getMessage());
    }

    private Path write(String name, double[] omega, double[] phi) throws IOException {
        Path f = dir.resolve(name);
        NpzArchive.write(f, Map.of("mean_x", NpyArray.vector(new double[7]), "omega", new NpyArray(new int[] {7, 7}, omega),
                "phi", new NpyArray(new int[] {7, 3}, phi)), false);
        return f;
    }
}
