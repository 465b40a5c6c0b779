package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gequiv check} on generators of fixed size, with supplied moments, and on weights saved by SGD. */
class CheckAnyGeneratorTest {

    @TempDir
    Path tmp;

    private static List<String> data(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().filter(l -> !l.startsWith("#")).toList();
    }

    /** The statistics of one size: every row at the generator's own N and D, values finite. */
    private static void assertOneSize(Path fields, int n, int d) throws IOException {
        List<String> rows = data(fields);
        assertEquals("N,D,statistic,value,floor,floor_spread,resolved", rows.get(0));
        assertTrue(rows.size() > 10, "statistics written");
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertEquals(n, Integer.parseInt(f[0]), row);
            assertEquals(d, Integer.parseInt(f[1]), row);
        }
        assertTrue(rows.stream().anyMatch(r -> r.contains(",w1_lambda_1,")));
    }

    @Test
    void onnxGeneratorAtItsOwnSizeWithEstimatedMoments() throws IOException {
        Path dir = tmp.resolve("onnx");
        CliRun r = CliRun.run("check", "--generator", "onnx:" + Path.of("..", "models", "mnist-decoder.onnx"),
                "--samples", "600", "--moment-samples", "1500", "--floor-replicates", "2", "--directions", "1",
                "--threads", "1", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertOneSize(dir.resolve("fields.csv"), 784, 32);
        String json = Files.readString(dir.resolve("run.json"));
        assertTrue(json.contains("estimated by Monte Carlo from 1500 samples"), "run.json names the moments' source");
        assertFalse(Files.exists(dir.resolve("rates.csv")), "one size: no rate fit");
    }

    @Test
    void dcganAtItsOwnSize() throws IOException {
        Path dir = tmp.resolve("dcgan");
        CliRun r = CliRun.run("check", "--generator", "dcgan", "--samples", "300", "--moment-samples", "600",
                "--floor-replicates", "2", "--directions", "1", "-M", "1", "--threads", "1", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertOneSize(dir.resolve("fields.csv"), 3072, 100);
    }

    @Test
    void momentsFileIsUsedAndRecorded() throws IOException {
        Path m = tmp.resolve("m.npz");
        assertEquals(0, CliRun.run("moments", "--generator", "single-layer", "-N", "24", "-D", "6", "--samples",
                "3000", "--no-checkpoint", "--threads", "1", "--out", m.toString()).exit());
        Path dir = tmp.resolve("with-moments");
        CliRun r = CliRun.run("check", "--generator", "single-layer", "-N", "24", "-D", "6", "--moments", m.toString(),
                "--samples", "2000", "--floor-replicates", "2", "--directions", "1", "--threads", "1",
                "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertOneSize(dir.resolve("fields.csv"), 24, 6);
        String json = Files.readString(dir.resolve("run.json"));
        assertTrue(json.contains("supplied, estimated from 3000 samples"), "not 'analytic'");
        assertTrue(json.contains(m.getFileName().toString()), "the moments file is named");
    }

    @Test
    void weightsSavedByOnlineAreMeasuredAtEveryRecordedTime() throws IOException {
        Path w = tmp.resolve("w.npz");
        CliRun online = CliRun.run("online", "-N", "40", "-D", "10", "--time", "2", "--print-times", "0,1,2",
                "--test-samples", "200", "--no-theory", "--seed", "3", "--save-weights", w.toString(),
                "--out", tmp.resolve("o").toString());
        assertEquals(0, online.exit(), online.err());
        assertTrue(Files.exists(w));
        Path dir = tmp.resolve("trained");
        CliRun r = CliRun.run("check", "--weights", w.toString(), "-N", "40", "-D", "10", "--seed", "3",
                "--samples", "2000", "--floor-replicates", "2", "--directions", "1", "--threads", "1",
                "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> rows = data(dir.resolve("fields.csv"));
        assertEquals("t,N,D,statistic,value,floor,floor_spread,resolved", rows.get(0));
        long perTime = rows.stream().skip(1).filter(l -> Double.parseDouble(l.split(",")[0]) == 0.0).count();
        assertTrue(perTime > 5, "statistics at t = 0");
        assertEquals(1 + 3 * perTime, rows.size(), "the same statistics at each of the 3 recorded times");
        assertTrue(r.out().contains("t = 2"), r.out());

        CliRun wrongSize = CliRun.run("check", "--weights", w.toString(), "-N", "50", "-D", "10", "--samples", "100",
                "--out", tmp.resolve("bad").toString());
        assertEquals(Main.EXIT_BAD_INPUT, wrongSize.exit());
        assertTrue(wrongSize.err().contains("--weights must have the generator's N = 50"), wrongSize.err());
    }
}
