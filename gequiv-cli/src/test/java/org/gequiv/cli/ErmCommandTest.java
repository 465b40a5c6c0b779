package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        OnlineCommandTest.Result r = OnlineCommandTest.run("erm", "--loss", "ridge", "-N", "120", "-D", "60",
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
        OnlineCommandTest.Result r = OnlineCommandTest.run("erm", "--spectra", f.toString(), "--no-simulate",
                "--alpha", "2", "--lambda", "1", "--tolerance", "1e-14", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> rows = data(dir.resolve("curve.csv"));
        assertEquals(10, rows.get(0).split(",").length, "no simulation columns");
        assertEquals(Math.sqrt(2) - 1, Double.parseDouble(rows.get(1).split(",")[4]), 1e-12);
    }

    @Test
    void nonConvergedPointsAreFlaggedAndExitThree() throws IOException {
        Path dir = tmp.resolve("nc");
        OnlineCommandTest.Result r = OnlineCommandTest.run("erm", "--loss", "logistic", "-N", "50", "-D", "20",
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
        OnlineCommandTest.Result r = OnlineCommandTest.run(all);
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }
}
