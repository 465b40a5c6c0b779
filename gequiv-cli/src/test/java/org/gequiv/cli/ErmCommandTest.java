package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErmCommandTest {

    @TempDir
    Path tmp;

    static List<String> data(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void theoryAndSimulationOnGeneratorData() throws IOException {
        Path dir = tmp.resolve("run");
        CliRun r = CliRun.run("erm", "--loss", "ridge", "-N", "120", "-D", "60",
                "--features", "random", "-P", "100", "--alpha", "0.5,1,2", "--lambda", "0.1", "--repeats", "2",
                "--test-samples", "300", "--seed", "4", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> rows = data(dir.resolve("curve.csv"));
        assertEquals("alpha,lambda,test_error_theory,train_loss_theory,V,q,m,converged,iterations,residual,"
                + "test_error_sim,test_error_sim_sem,train_loss_sim,train_loss_sim_sem", rows.get(0));
        assertEquals(4, rows.size());
        for (String row : rows.subList(1, 4)) {
            String[] f = row.split(",");
            assertEquals(14, f.length, row);
            assertEquals("1", f[7], "converged: " + row);
        }
        String json = Files.readString(dir.resolve("run.json"));
        for (String key : new String[] {"\"loss\" : \"ridge\"", "\"features\" : \"random\"", "\"gitCommit\""}) {
            assertTrue(json.contains(key), key + " in run.json");
        }
        assertTrue(Files.size(dir.resolve("curve.png")) > 1000);
    }

    @Test
    void aSingleAlphaHasNoCurveToDraw() throws IOException {
        Path dir = tmp.resolve("one");
        CliRun r = CliRun.run("erm", "--no-simulate", "--alpha", "1", "--lambda", "0.1,1", "-N", "40", "-D", "20",
                "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(3, data(dir.resolve("curve.csv")).size(), "a row per λ");
        assertTrue(Files.exists(dir.resolve("run.json")));
        assertFalse(Files.exists(dir.resolve("curve.png")) || Files.exists(dir.resolve("curve.svg")), "figure of one α");
        assertEquals("wrote " + dir.resolve("curve.csv") + ", " + dir.resolve("run.json"), r.out().strip());
        assertTrue(ErmCommand.hasCurves(new double[] {0.5, 1}));
        assertFalse(ErmCommand.hasCurves(new double[] {1, 1}));
    }

    @Test
    void versusGaussianWritesTheComparisonTableAndFigure() throws IOException {
        Path dir = tmp.resolve("versus");
        CliRun r = CliRun.run("erm", "--loss", "ridge", "-N", "80", "-D", "40", "--alpha", "0.5,2", "--lambda", "0.1",
                "--repeats", "2", "--test-samples", "200", "--seed", "4", "--versus-gaussian", "3",
                "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> rows = data(dir.resolve("equivalence.csv"));
        assertEquals("alpha,lambda,test_error_generator,test_error_gaussian,difference,difference_sem,"
                + "train_loss_difference,train_loss_difference_sem,converged", rows.get(0));
        assertEquals(3, rows.size());
        for (String row : rows.subList(1, 3)) {
            double[] f = java.util.Arrays.stream(row.split(",")).mapToDouble(Double::parseDouble).toArray();
            // the mean of the per-seed differences is the difference of the means
            assertEquals(f[2] - f[3], f[4], 1e-12, row);
            assertTrue(f[5] > 0 && Double.isFinite(f[5]), "standard error over 3 seeds: " + row);
            assertEquals(1.0, f[8], 0.0, "converged: " + row);
        }
        assertTrue(Files.readString(dir.resolve("run.json")).contains("\"versusGaussian\""));
        assertTrue(Files.size(dir.resolve("equivalence.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("equivalence.svg")).contains("<svg"));
    }

    /**
     * docs/theory.md §5.12, "ERM (§6)": the saddle point on the eigenvalues and the teacher's Lanczos
     * rule agrees with the eigen path to the 1e-8 relative asked of ridge (every column of curve.csv),
     * and run.json records the method, its nodes and estimate; auto keeps Lanczos where its estimate
     * meets the tolerance, and on given spectra runs eigen and says why.
     */
    @Test
    void lanczosAgreesWithEigenAndRecordsItsNodesAndEstimate() throws IOException {
        String[] methods = {"eigen", "lanczos", "auto"};
        List<List<String>> tables = new java.util.ArrayList<>();
        for (String method : methods) {
            Path dir = tmp.resolve(method);
            CliRun r = CliRun.run("erm", "--no-simulate", "-N", "150", "-D", "30", "--alpha", "0.5,1,2", "--lambda",
                    "0.01,0.1", "--spectral-method", method, "--out", dir.toString());
            assertEquals(0, r.exit(), r.err());
            tables.add(data(dir.resolve("curve.csv")));
            String json = Files.readString(dir.resolve("run.json"));
            assertTrue(json.contains("\"requested\" : \"" + method + "\""), json);
            assertTrue(json.contains("\"method\" : \"" + (method.equals("eigen") ? "eigen" : "lanczos") + "\""), json);
            if (!method.equals("eigen")) {
                for (String key : new String[] {"\"blockSteps\"", "\"quadratureNodes\"", "\"plainNodes\" : 150",
                    "\"plainMeasure\" : \"eigenvalues\"", "\"errorEstimate\"", "\"reason\""}) {
                    assertTrue(json.contains(key), key + " in run.json");
                }
            }
        }
        for (int t = 1; t < 3; t++) {
            for (int row = 1; row < tables.get(0).size(); row++) {
                String[] e = tables.get(0).get(row).split(",");
                String[] l = tables.get(t).get(row).split(",");
                for (int c = 2; c < 7; c++) {
                    double x = Double.parseDouble(e[c]);
                    assertEquals(x, Double.parseDouble(l[c]), 1e-8 * Math.abs(x), methods[t] + " row " + row + " col " + c);
                }
            }
        }
        Path f = tmp.resolve("d1.npz");
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", NpyArray.vector(new double[] {1, 1}));
        m.put("t", NpyArray.vector(new double[] {1, 1}));
        m.put("rho", NpyArray.scalar(1));
        m.put("gamma", NpyArray.scalar(1));
        NpzArchive.write(f, m, false);
        Path dir = tmp.resolve("given");
        CliRun r = CliRun.run("erm", "--spectra", f.toString(), "--no-simulate", "--alpha", "2", "--lambda", "1",
                "--spectral-method", "auto", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        String json = Files.readString(dir.resolve("run.json"));
        assertTrue(json.contains("there is no Omega for the Lanczos quadrature"), json);
        assertTrue(json.contains("\"method\" : \"eigen\""), json);
    }

    /**
     * A --covariances file on the Lanczos path (its Ω decomposed to eigenvalues only): the points agree
     * with the eigen path to 1e-8 relative; an Ω that is not positive semi-definite is refused under
     * --covariances on both paths.
     */
    @Test
    void covariancesFileOnTheLanczosPathAgreesWithEigenAndItsRefusalsNameTheFile() throws IOException {
        int d = 30;
        int p = 6;
        java.util.random.RandomGenerator rng = org.gequiv.random.RandomStreams.stream(5, "cli-covariances");
        double[] g = new double[d * d];
        org.gequiv.random.RandomStreams.fillGaussian(rng, g, g.length);
        double[] omega = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += g[i * d + k] * g[j * d + k];
                }
                omega[i * d + j] = s / d + (i == j ? 0.5 : 0);
            }
        }
        double[] phi = new double[p * d];
        org.gequiv.random.RandomStreams.fillGaussian(rng, phi, phi.length);
        for (int i = 0; i < phi.length; i++) {
            phi[i] *= 0.1;
        }
        double[] psi = new double[p * p];
        for (int i = 0; i < p; i++) {
            psi[i * p + i] = 1;
        }
        double[] theta = new double[p];
        org.gequiv.random.RandomStreams.fillGaussian(rng, theta, p);
        Path f = tmp.resolve("cov.npz");
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", new NpyArray(new int[] {d, d}, omega));
        m.put("phi", new NpyArray(new int[] {p, d}, phi));
        m.put("psi", new NpyArray(new int[] {p, p}, psi));
        m.put("theta", NpyArray.vector(theta));
        NpzArchive.write(f, m, false);
        List<List<String>> tables = new java.util.ArrayList<>();
        for (String method : new String[] {"eigen", "lanczos"}) {
            Path dir = tmp.resolve("cov-" + method);
            CliRun r = CliRun.run("erm", "--covariances", f.toString(), "--no-simulate", "--alpha", "0.5,2",
                    "--lambda", "0.05", "--spectral-method", method, "--out", dir.toString());
            assertEquals(0, r.exit(), r.err());
            tables.add(data(dir.resolve("curve.csv")));
            assertTrue(Files.readString(dir.resolve("run.json")).contains("\"method\" : \"" + method + "\""));
        }
        for (int row = 1; row < tables.get(0).size(); row++) {
            String[] e = tables.get(0).get(row).split(",");
            String[] l = tables.get(1).get(row).split(",");
            for (int c = 2; c < 7; c++) {
                double x = Double.parseDouble(e[c]);
                assertEquals(x, Double.parseDouble(l[c]), 1e-8 * Math.abs(x), "row " + row + " col " + c);
            }
        }
        omega[0] = -5;
        NpzArchive.write(f, Map.of("omega", new NpyArray(new int[] {d, d}, omega), "phi",
                new NpyArray(new int[] {p, d}, phi), "psi", new NpyArray(new int[] {p, p}, psi), "theta",
                NpyArray.vector(theta)), false);
        for (String method : new String[] {"eigen", "lanczos"}) {
            CliRun r = CliRun.run("erm", "--covariances", f.toString(), "--no-simulate", "--alpha", "2",
                    "--spectral-method", method, "--out", tmp.resolve("bad-" + method).toString());
            assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
            assertTrue(r.err().contains("--covariances") && r.err().contains("positive semi-definite"), r.err());
        }
    }

    @Test
    void d1ThroughSpectraFileTheoryOnly() throws IOException {
        // reference-values.md §2, case D1: ridge α = 2, λ = 1 gives V = √2 − 1
        Path f = tmp.resolve("d1.npz");
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("omega", NpyArray.vector(new double[] {1, 1}));
        m.put("t", NpyArray.vector(new double[] {1, 1}));
        m.put("rho", NpyArray.scalar(1));
        m.put("gamma", NpyArray.scalar(1));
        NpzArchive.write(f, m, false);
        Path dir = tmp.resolve("d1");
        CliRun r = CliRun.run("erm", "--spectra", f.toString(), "--no-simulate",
                "--alpha", "2", "--lambda", "1", "--tolerance", "1e-15", "--relative-tolerance", "1e-13", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> rows = data(dir.resolve("curve.csv"));
        assertEquals(10, rows.get(0).split(",").length, "no simulation columns");
        assertEquals(Math.sqrt(2) - 1, Double.parseDouble(rows.get(1).split(",")[4]), 1e-12);
    }

    /**
     * reference-values.md §2, case D1, all eight rows through {@code --spectra} (ω = t = 1, ρ = γ = 1).
     * Tolerances as in the library test: 1e-9 relative in V, q, m for the square losses and 1.5e-10
     * absolute in their errors (the reference stopped at 1e-10; its ridge α = 2, λ = 1 test error is
     * 1.03e-10 from the exact (√2 − 1)/2), 1e-6 relative for logistic (reference tolerance 1e-7).
     */
    @ParameterizedTest(name = "D1 {0} alpha={1} lambda={2}")
    @CsvSource({
        "ridge, 0.5, 0.01, 50.96223724497852, 0.4811120158996276, 0.49037762755021475, 0.5003567607991981, 0.00018531223305731428",
        "ridge, 1, 0.01, 9.512492197661246, 0.8596877730431552, 0.9048750780233876, 0.04993761699638011, 0.00045187305072574613",
        "ridge, 2, 0.01, 0.9805788624849592, 0.9805770486202313, 0.9901942113751504, 0.0001886258699304033, 4.808581443845937e-05",
        "ridge, 2, 1, 0.4142135623823643, 0.3786796565247563, 0.5857864376176357, 0.2071067812894849, 0.10355339064338498",
        "square-class, 0.5, 0.01, 50.96223724488507, 0.642979429159595, 0.3912647379861999, 0.33774612560940914, 9.431326737468572e-05",
        "square-class, 2, 0.1, 0.8442887702834488, 0.7991387163335598, 0.7305200633360253, 0.19553270758333216, 0.04655415105787884",
        "logistic, 0.5, 0.01, 67.58826710294308, 5.67141274671336, 1.2575972379361184, 0.3229138320277716, 0.03771565278526678",
        "logistic, 2, 0.1, 3.9765460173349925, 4.14580349566487, 1.7203130710605938, 0.1796623915693102, 0.18214963950635438",
    })
    void d1TableThroughSpectra(String loss, String alpha, String lambda, double v, double q, double m, double test,
                               double train) throws IOException {
        Path f = tmp.resolve("d1.npz");
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("omega", NpyArray.vector(new double[] {1}));
        arrays.put("t", NpyArray.vector(new double[] {1}));
        arrays.put("rho", NpyArray.scalar(1));
        arrays.put("gamma", NpyArray.scalar(1));
        NpzArchive.write(f, arrays, false);
        Path dir = tmp.resolve("d1-" + loss);
        CliRun r = CliRun.run("erm", "--spectra", f.toString(), "--no-simulate", "--loss",
                loss, "--alpha", alpha, "--lambda", lambda, "--tolerance", "1e-15", "--relative-tolerance", "1e-13",
                "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        String[] row = data(dir.resolve("curve.csv")).get(1).split(",");
        boolean logistic = loss.equals("logistic");
        double rel = logistic ? 1e-6 : 1e-9;
        assertEquals(v, Double.parseDouble(row[4]), rel * v, "V");
        assertEquals(q, Double.parseDouble(row[5]), rel * q, "q");
        assertEquals(m, Double.parseDouble(row[6]), rel * m, "m");
        assertEquals(test, Double.parseDouble(row[2]), logistic ? rel * test : 1.5e-10, "test error");
        assertEquals(train, Double.parseDouble(row[3]), logistic ? rel * train : 1.5e-10, "train loss");
    }

    @Test
    void nonConvergedPointsAreFlaggedAndExitThree() throws IOException {
        Path dir = tmp.resolve("nc");
        CliRun r = CliRun.run("erm", "--loss", "logistic", "-N", "50", "-D", "20",
                "--no-simulate", "--alpha", "1", "--lambda", "0.01", "--max-iterations", "2", "--out", dir.toString());
        assertEquals(Main.EXIT_STOPPED_EARLY, r.exit(), r.err());
        assertTrue(r.err().contains("did not converge"), r.err());
        assertEquals("0", data(dir.resolve("curve.csv")).get(1).split(",")[7]);
    }

    @Test
    void rangesParse() {
        assertArrayEquals(new double[] {0.5, 1, 1.5, 2}, ErmCommand.parseList("--alpha", "0.5:2:4"), 1e-15);
        assertArrayEquals(new double[] {0.1, 3}, ErmCommand.parseList("--alpha", "0.1, 3"), 0);
        assertEquals(0.8, ErmCommand.parseList("--alpha", "0.2:3:15")[3], 0.0);
    }

    @ParameterizedTest(name = "{0} -> mentions {1}")
    @CsvSource(delimiter = '|', value = {
        "--loss square | --loss: loss must be one of",
        "--alpha 0.5:2 | --alpha must be a list",
        "--lambda 0 | lambda must be > 0 for ridge at alpha <= 1",
        "--lambda -1 | lambda must be finite and >= 0",
        "--spectra x.npz | add --no-simulate",
        "--features pixels | features must be one of",
        "--versus-gaussian -1 | --versus-gaussian must be >= 0",
        "--spectral-method qr | --spectral-method: spectral method must be one of",
        "--lanczos-steps -1 | --lanczos-steps must be >= 0",
        "--lanczos-tolerance 0 | --lanczos-tolerance must be finite and > 0",
        "--lanczos-tolerance NaN | --lanczos-tolerance must be finite and > 0",
        "--spectra x.npz --no-simulate --spectral-method lanczos | --spectral-method lanczos needs Omega (from a generator",
        "--plain-measure deflated | --plain-measure is not an option of erm",
    })
    void badInputIsRejected(String args, String message) {
        String[] extra = args.split(" ");
        String[] all = new String[extra.length + 5];
        all[0] = "erm";
        System.arraycopy(extra, 0, all, 1, extra.length);
        all[extra.length + 1] = "--out";
        all[extra.length + 2] = tmp.resolve("bad").toString();
        all[extra.length + 3] = "-N";
        all[extra.length + 4] = "30";
        CliRun r = CliRun.run(all);
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }
}
