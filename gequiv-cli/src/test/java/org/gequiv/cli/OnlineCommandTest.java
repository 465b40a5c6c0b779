package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnlineCommandTest {

    @TempDir
    Path tmp;

    @Test
    void smallRunWritesCurvePlotAndProvenance() throws IOException {
        Path dir = tmp.resolve("run");
        CliRun r = CliRun.run("online", "-N", "200", "-D", "40", "--time", "2", "--test-samples", "500", "--log-points", "10",
                "--seed", "3", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(dir.resolve("curve.csv"));
        List<String> data = lines.stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals("t,t_sim,eg_sim,Q_0_0_sim,Q_0_1_sim,Q_1_1_sim,R_0_0_sim,R_0_1_sim,R_1_0_sim,R_1_1_sim,v_0_sim,v_1_sim,"
                + "eg_theory,Q_0_0_theory,Q_0_1_theory,Q_1_1_theory,R_0_0_theory,R_0_1_theory,R_1_0_theory,R_1_1_theory,"
                + "v_0_theory,v_1_theory", data.get(0));
        assertEquals(11, data.size(), "header and 10 rows");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("# spec: ")), "provenance comment lines");
        String json = Files.readString(dir.resolve("run.json"));
        for (String key : new String[] {"\"version\"", "\"gitCommit\"", "\"java\"", "\"os\"", "\"wallSeconds\"",
            "\"seed\" : 3", "\"learningRate\" : 0.2", "\"generator\" : \"single-layer\""}) {
            assertTrue(json.contains(key), key + " in run.json");
        }
        assertTrue(Files.size(dir.resolve("curve.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("curve.svg")).contains("<svg"));
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    /**
     * run.json's timings (README, run.json): every phase of the run with a wall time ≥ 0 and a CPU
     * time ≥ 0, the phases tiling the process up to the outputs (their sum is the total), the
     * eigendecomposition inside the spectral set-up and the set-up outside it their difference; and
     * the curve, whose evaluations overlap SGD on a pool with two threads, is the same with one.
     */
    @Test
    void runJsonRecordsThePhasesAndTheCurveIsTheSameOnOneThread() throws IOException {
        String[] common = {"online", "-N", "120", "-D", "30", "--time", "3", "--test-samples", "600", "--log-points",
            "25", "--seed", "5", "--spectral-method", "eigen"};
        List<List<String>> curves = new java.util.ArrayList<>();
        for (String threads : new String[] {"2", "1"}) {
            Path dir = tmp.resolve("timed" + threads);
            String[] args = java.util.Arrays.copyOf(common, common.length + 4);
            args[common.length] = "--threads";
            args[common.length + 1] = threads;
            args[common.length + 2] = "--out";
            args[common.length + 3] = dir.toString();
            CliRun r = CliRun.run(args);
            assertEquals(0, r.exit(), r.err());
            curves.add(Files.readAllLines(dir.resolve("curve.csv")).stream().filter(l -> !l.startsWith("#")).toList());
            com.fasterxml.jackson.databind.JsonNode t = org.gequiv.io.Json.mapper()
                    .readTree(dir.resolve("run.json").toFile()).get("timings");
            assertTrue(t != null && t.isObject(), "timings in run.json");
            double sum = 0;
            for (String phase : new String[] {"start", "generator", "moments", "problem", "spectral", "theory",
                "simulation", "outputs"}) {
                assertTrue(t.has(phase), phase + " in " + t);
                double wall = t.get(phase).get("wall").asDouble();
                assertTrue(wall >= 0 && wall < 600, phase + " wall " + wall);
                assertTrue(t.get(phase).get("cpu").asDouble() >= 0, phase + " cpu");
                sum += wall;
            }
            double total = t.get("total").get("wall").asDouble();
            assertEquals(total, sum, 1e-4, "the phases tile the run: " + t);
            assertTrue(t.get("total").get("cpu").asDouble() > 0, "process CPU");
            double eigen = t.get("eigendecomposition").asDouble();
            double spectral = t.get("spectral").get("wall").asDouble();
            assertTrue(eigen > 0 && eigen <= spectral + 1e-5, "eigendecomposition " + eigen + " within spectral " + spectral);
            double setup = t.get("generator").get("wall").asDouble() + t.get("moments").get("wall").asDouble()
                    + t.get("problem").get("wall").asDouble() + spectral - eigen;
            assertEquals(setup, t.get("setupExceptEigendecomposition").asDouble(), 1e-4);
        }
        assertEquals(curves.get(0), curves.get(1), "the same curve on one thread and on two");
    }

    @ParameterizedTest(name = "{0} {1} -> mentions {2}")
    @CsvSource({
        "-N, 0, -N",
        "-D, -3, -D",
        "-K, 0, -K",
        "-M, 0, -M",
        "--lr, -1, --lr",
        "--lr, NaN, --lr",
        "--lr, Infinity, --lr",
        "--time, 0, --time",
        "--generator, cat, --generator",
        "--activation, softplus, --activation",
        "--gen-activation, softplus, --gen-activation",
        "--teacher-activation, x, --teacher-activation",
        "--teacher, both, --teacher",
        "--train, second, --train",
        "--depth, 0, --depth",
        "--test-samples, 0, --test-samples",
        "--integrator, leapfrog, --integrator",
        "--dt, 0, --dt",
        "--merge-eigenvalues, 0.01, --merge-eigenvalues",
        "--merge-eigenvalues, NaN, --merge-eigenvalues",
        "--print-times, '1,0.5', --print-times",
        "--init, /nonexistent/init.npz, --init",
        "--spectral-method, qr, --spectral-method",
        "--lanczos-steps, -1, --lanczos-steps",
        "--lanczos-tolerance, 0, --lanczos-tolerance",
        "--lanczos-tolerance, NaN, --lanczos-tolerance",
        "--plain-measure, exact, --plain-measure"
    })
    void badInputNamesTheParameterExitsNonZeroAndWritesNothing(String option, String value, String mentioned) {
        Path dir = tmp.resolve("bad");
        CliRun r = CliRun.run("online", option, value, "-N", option.equals("-N") ? value : "50", "--time", "0.5",
                "--out", dir.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains(mentioned), r.err());
        assertFalse(Files.exists(dir.resolve("curve.csv")), "no partial output");
    }

    /**
     * Lanczos and eigen on the same weights (docs/theory.md §5.12): ε_g, Q and R agree to the 1e-6
     * asked of the method (the estimate targets 2.5e-7, the adaptive integrator's own reproducibility
     * between two node sets is ~1e-8–1e-7 here), and run.json says which method ran with its nodes and
     * error estimate.
     */
    @Test
    void lanczosAgreesWithEigenAndRecordsItsNodesAndEstimate() throws IOException {
        double[][] curves = new double[2][];
        String[] methods = {"lanczos", "eigen"};
        for (int i = 0; i < 2; i++) {
            Path dir = tmp.resolve(methods[i]);
            CliRun r = CliRun.run("online", "-N", "300", "-D", "30", "--gen-activation", "tanh", "--time", "5",
                    "--log-points", "8", "--no-simulate", "--spectral-method", methods[i], "--out", dir.toString());
            assertEquals(0, r.exit(), r.err());
            List<String> data = Files.readAllLines(dir.resolve("curve.csv")).stream()
                    .filter(l -> !l.startsWith("#")).toList();
            curves[i] = data.stream().skip(1).flatMap(l -> Stream.of(l.split(",")).skip(1))
                    .mapToDouble(Double::parseDouble).toArray();
            String json = Files.readString(dir.resolve("run.json"));
            assertTrue(json.contains("\"method\" : \"" + methods[i] + "\""), json);
            if (i == 0) {
                for (String key : new String[] {"\"quadratureNodes\"", "\"plainNodes\"", "\"errorEstimate\"",
                    "\"blockSteps\""}) {
                    assertTrue(json.contains(key), key + " in run.json");
                }
            }
        }
        assertEquals(curves[1].length, curves[0].length);
        for (int c = 0; c < curves[0].length; c++) {
            assertEquals(curves[1][c], curves[0][c], 1e-6 * Math.max(Math.abs(curves[1][c]), 1e-2), "entry " + c);
        }
    }

    @Test
    void lanczosIsRefusedWhereItDoesNotApplyAndAutoSaysItRunsEigen() throws IOException {
        Path init = Path.of("..", "gequiv-core", "src", "test", "resources", "org", "gequiv", "online", "toy4.npz");
        CliRun fromInit = CliRun.run("online", "--init", init.toString(), "--spectral-method", "lanczos",
                "--out", tmp.resolve("a").toString());
        assertEquals(Main.EXIT_BAD_INPUT, fromInit.exit(), fromInit.err());
        assertTrue(fromInit.err().contains("--spectral-method"), fromInit.err());
        CliRun save = CliRun.run("online", "-N", "60", "-D", "20", "--time", "0.5", "--no-simulate",
                "--spectral-method", "lanczos", "--save-init", tmp.resolve("s.npz").toString(),
                "--out", tmp.resolve("b").toString());
        assertEquals(Main.EXIT_BAD_INPUT, save.exit(), save.err());
        assertTrue(save.err().contains("--save-init"), save.err());
        Path dir = tmp.resolve("c");
        CliRun auto = CliRun.run("online", "-N", "60", "-D", "20", "--time", "0.5", "--no-simulate",
                "--save-init", tmp.resolve("s.npz").toString(), "--out", dir.toString());
        assertEquals(0, auto.exit(), auto.err());
        assertTrue(auto.err().contains("--spectral-method eigen"), auto.err());
        assertTrue(Files.readString(dir.resolve("run.json")).contains("\"method\" : \"eigen\""));
    }

    /** reference-values.md §1, case toy4, through the command line; 6 printed digits. */
    @Test
    void toy4ReferenceThroughInitWithEuler() throws IOException {
        Path init = Path.of("..", "gequiv-core", "src", "test", "resources", "org", "gequiv", "online", "toy4.npz");
        Path dir = tmp.resolve("toy4");
        CliRun r = CliRun.run("online", "--init", init.toString(), "--lr", "0.5", "--integrator", "euler", "--dt", "0.01",
                "--print-times", "0,0.2,0.78,3.6,18.42,97.64", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> data = Files.readAllLines(dir.resolve("curve.csv")).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals("t,eg_theory,Q_0_0_theory,Q_0_1_theory,Q_1_1_theory,R_0_0_theory,R_0_1_theory,R_1_0_theory,"
                + "R_1_1_theory,v_0_theory,v_1_theory", data.get(0));
        double[][] reference = {
            {0, 0.275388, 0.30125, -0.0825, 0.64125, 0.155563, 0.251023, 0.388909, -0.16617, 0.5, 0.4},
            {0.2, 0.27427, 0.313481, -0.0737467, 0.64604, 0.159095, 0.253619, 0.391585, -0.163427, 0.510174, 0.399342},
            {0.78, 0.271431, 0.347584, -0.0500344, 0.658841, 0.169141, 0.260805, 0.399002, -0.156031, 0.537563, 0.397323},
            {3.6, 0.263056, 0.484866, 0.0351048, 0.702982, 0.212789, 0.288623, 0.428799, -0.129534, 0.633037, 0.385014},
            {18.42, 0.251547, 0.836574, 0.212292, 0.795218, 0.348172, 0.344768, 0.506892, -0.0810567, 0.712368, 0.328408},
            {97.64, 0.241592, 1.49488, 0.661081, 1.08302, 0.553296, 0.435829, 0.649055, 0.0326575, 0.564813, 0.315197}
        };
        for (int row = 0; row < reference.length; row++) {
            String[] cells = data.get(row + 1).split(",");
            for (int c = 0; c < reference[row].length; c++) {
                double got = Double.parseDouble(cells[c]);
                // six significant digits printed: half a unit in the sixth digit is < 1e-5 relative
                assertEquals(reference[row][c], got, 1e-5 * Math.max(Math.abs(reference[row][c]), 1e-3),
                        "row t = " + reference[row][0] + ", column " + c);
            }
        }
    }

    @Test
    void nothingToComputeIsBadInput() {
        CliRun r = CliRun.run("online", "--no-theory", "--no-simulate", "-N", "50", "--out", tmp.resolve("x").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("--no-theory"), r.err());
    }

    /** An integrator option the chosen integrator would ignore is refused, naming both options. */
    @ParameterizedTest
    @CsvSource({
        "adaptive, --dt, 0.001, '--dt is the step of --integrator euler or rk4'",
        "euler, --rtol, 1e-8, '--rtol/--atol are the tolerances of --integrator adaptive; euler takes fixed steps'",
        "rk4, --atol, 1e-8, '--rtol/--atol are the tolerances of --integrator adaptive; rk4 takes fixed steps'"
    })
    void anIntegratorOptionTheIntegratorIgnoresIsRefused(String integrator, String option, String value,
                                                        String expected) {
        Path dir = tmp.resolve("ignored-" + integrator);
        CliRun r = CliRun.run("online", "-N", "50", "--integrator", integrator, option, value, "--out", dir.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("gequiv: error: " + expected), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(dir), "a refused run writes nothing");
    }

    @Test
    void malformedInitFileIsBadInput() throws IOException {
        Path bad = tmp.resolve("bad.npz");
        Files.writeString(bad, "not a zip archive");
        CliRun r = CliRun.run("online", "--init", bad.toString(), "--out", tmp.resolve("y").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("--init") && r.err().contains("bad.npz"), r.err());
    }

    @Test
    void deepGeneratorAndTeacherOnInputRunTheoryAndSimulation() throws IOException {
        Path dir = tmp.resolve("deep");
        CliRun r = CliRun.run("online", "--generator", "deep-random", "--depth", "2", "-N", "150", "-D", "30", "--teacher", "input",
                "--time", "1", "--test-samples", "300", "--log-points", "5", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        String csv = Files.readString(dir.resolve("curve.csv"));
        assertTrue(csv.contains("eg_theory") && csv.contains("eg_sim"));
        assertTrue(Files.readString(dir.resolve("run.json")).contains("\"integrator\" : \"adaptive\""));
    }

    @Test
    void versusGaussianWritesMeanCurvesAndTheirDifference() throws IOException {
        Path dir = tmp.resolve("versus");
        CliRun r = CliRun.run("online", "-N", "120", "-D", "30", "--time", "1", "--test-samples", "400", "--log-points", "6",
                "--no-theory", "--versus-gaussian", "3", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> data = Files.readAllLines(dir.resolve("equivalence.csv")).stream()
                .filter(l -> !l.startsWith("#")).toList();
        assertEquals("t,eg_generator,eg_gaussian,difference,difference_sem", data.get(0));
        assertEquals(7, data.size());
        for (String row : data.subList(1, data.size())) {
            String[] c = row.split(",");
            // the difference column is the difference of the two mean columns, by definition
            assertEquals(Double.parseDouble(c[1]) - Double.parseDouble(c[2]), Double.parseDouble(c[3]), 1e-12);
            assertTrue(Double.parseDouble(c[4]) >= 0);
        }
        assertTrue(Files.size(dir.resolve("equivalence.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("run.json")).contains("\"versusGaussian\""));
    }

    @Test
    void unwritableOutputFolderIsRefusedBeforeAnyWork() throws IOException {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        CliRun r = CliRun.run("online", "-N", "50", "--time", "0.5", "--out", file.resolve("sub").toString());
        // a folder that cannot be created is an I/O failure (issue 13 item 4), found before any work
        assertEquals(Main.EXIT_IO, r.exit());
        assertTrue(r.err().contains("--out: cannot write to folder " + file.resolve("sub")), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void divergingRunSaysWhereAndKeepsTheCurve() throws IOException {
        Path dir = tmp.resolve("div");
        CliRun r = CliRun.run("online", "-N", "100", "-D", "20", "--activation", "linear", "--lr", "50", "--time", "50",
                "--test-samples", "200", "--out", dir.toString());
        assertEquals(Main.EXIT_STOPPED_EARLY, r.exit(), r.err());
        assertTrue(r.err().contains("diverged at t = "), r.err());
        List<String> data = Files.readAllLines(dir.resolve("curve.csv")).stream().filter(l -> !l.startsWith("#")).toList();
        assertTrue(data.size() > 2, "rows before the divergence are kept");
        assertTrue(data.get(data.size() - 1).contains(",,"), "rows after it are empty");
        assertTrue(Files.readString(dir.resolve("run.json")).contains("\"completed\" : false"));
    }
}
