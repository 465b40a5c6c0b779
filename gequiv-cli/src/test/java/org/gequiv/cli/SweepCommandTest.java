package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.gequiv.sweep.LocalExecutor;
import org.gequiv.sweep.Sweep;
import org.gequiv.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gequiv sweep}: determinism over workers and order, resumption, failures, bad input, the summary. */
class SweepCommandTest {

    @TempDir
    Path tmp;

    /** A small ERM sweep with simulation, so that every point's numbers depend on its seed. */
    static final String ERM = """
            command = "erm"
            [options]
            N = 60
            D = 30
            alpha = "0.5,2"
            repeats = 2
            test-samples = 200
            [grid]
            lambda = [0.01, 0.1]
            seeds = 3
            """;

    private Path spec(String name, String text) throws IOException {
        Path p = tmp.resolve(name + ".toml");
        Files.writeString(p, text);
        return p;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    @Test
    void resultsAreByteIdenticalForOneAndTwoWorkersAndAShuffledOrder() throws Exception {
        Path spec = spec("erm", ERM);
        CliRun one = CliRun.run("sweep", spec.toString(), "--out", tmp.resolve("w1").toString(), "--workers", "1");
        CliRun two = CliRun.run("sweep", spec.toString(), "--out", tmp.resolve("w2").toString(), "--workers", "2");
        assertEquals(0, one.exit(), one.err());
        assertEquals(0, two.exit(), two.err());
        SweepSpec parsed = SweepSpec.parse(ERM, "erm.toml");
        CommandPoints runner = CommandPoints.of("erm");
        Sweep.validate(parsed, runner);
        Path shuffled = tmp.resolve("shuffled");
        Sweep.Report r = Sweep.run(parsed, shuffled, new LocalExecutor(2, runner, 12345L), false, () -> false,
                new Sweep.Listener() { }, Map.of());
        assertEquals(6, r.succeeded());
        String reference = read(tmp.resolve("w1/results.csv"));
        assertEquals(reference, read(tmp.resolve("w2/results.csv")));
        assertEquals(reference, read(shuffled.resolve("results.csv")));
        assertEquals(read(tmp.resolve("w1/summary.csv")), read(tmp.resolve("w2/summary.csv")));
        assertEquals(read(tmp.resolve("w1/summary.csv")), read(shuffled.resolve("summary.csv")));
        // 6 points × 2 α each, a header, and seeds that really change the numbers
        List<String> lines = reference.lines().toList();
        assertEquals(13, lines.size());
        assertTrue(lines.get(0).startsWith("point,seed,alpha,lambda,test_error_theory,"), lines.get(0));
        assertFalse(lines.get(1).substring(lines.get(1).indexOf(",0.5,")).equals(
                lines.get(3).substring(lines.get(3).indexOf(",0.5,"))), "seeds 0 and 1 gave the same row");
        for (String f : List.of("sweep.json", "summary.csv", "summary.png", "summary.svg", "failures.csv")) {
            assertTrue(Files.isRegularFile(tmp.resolve("w1").resolve(f)), f);
        }
        try (Stream<Path> points = Files.list(tmp.resolve("w1/points"))) {
            List<Path> dirs = points.sorted().toList();
            assertEquals(6, dirs.size());
            for (Path d : dirs) {
                for (String f : List.of("curve.csv", "run.json", "curve.png", "done.json", "rows.csv")) {
                    assertTrue(Files.isRegularFile(d.resolve(f)), d + "/" + f);
                }
            }
        }
    }

    @Test
    void summaryIsTheMeanAndStandardErrorOverSeedsOfResults() throws Exception {
        Path spec = spec("erm", ERM);
        Path out = tmp.resolve("out");
        assertEquals(0, CliRun.run("sweep", spec.toString(), "--out", out.toString()).exit());
        List<String> results = read(out.resolve("results.csv")).lines().toList();
        List<String> header = Arrays.asList(results.get(0).split(","));
        int lambda = header.indexOf("lambda");
        int alpha = header.indexOf("alpha");
        int sim = header.indexOf("test_error_sim");
        List<Double> values = new ArrayList<>();
        for (String row : results.subList(1, results.size())) {
            String[] c = row.split(",");
            if (c[lambda].equals("0.1") && c[alpha].equals("2")) {
                values.add(Double.parseDouble(c[sim]));
            }
        }
        assertEquals(3, values.size());
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / 3;
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sem = Math.sqrt(ss / 2 / 3);
        List<String> summary = read(out.resolve("summary.csv")).lines().toList();
        List<String> sh = Arrays.asList(summary.get(0).split(","));
        assertEquals(List.of("points", "alpha", "lambda", "test_error_theory_mean"), sh.subList(0, 4));
        boolean found = false;
        for (String row : summary.subList(1, summary.size())) {
            String[] c = row.split(",");
            if (c[sh.indexOf("lambda")].equals("0.1") && c[sh.indexOf("alpha")].equals("2")) {
                found = true;
                assertEquals("3", c[sh.indexOf("points")]);
                assertEquals("3", c[sh.indexOf("test_error_sim_count")]);
                // the same sums in the same order: equal to the last bits but for the 17-digit print
                assertEquals(mean, Double.parseDouble(c[sh.indexOf("test_error_sim_mean")]), 1e-15 * Math.abs(mean));
                assertEquals(sem, Double.parseDouble(c[sh.indexOf("test_error_sim_sem")]), 1e-12 * sem);
            }
        }
        assertTrue(found);
        assertEquals(1 + 4, summary.size(), "2 λ × 2 α groups");
    }

    @Test
    void rerunSkipsFinishedPointsAndRunsAnUnfinishedOneAgain() throws Exception {
        Path spec = spec("erm", ERM);
        Path out = tmp.resolve("out");
        assertEquals(0, CliRun.run("sweep", spec.toString(), "--out", out.toString()).exit());
        String reference = read(out.resolve("results.csv"));
        CliRun again = CliRun.run("sweep", spec.toString(), "--out", out.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("6 of 6 points already done"), again.err());
        assertTrue(again.out().contains("0 finished now"), again.out());
        Path point;
        try (Stream<Path> s = Files.list(out.resolve("points"))) {
            point = s.sorted().toList().get(3);
        }
        Files.delete(point.resolve("done.json"));
        Files.writeString(point.resolve("curve.csv"), "partial");
        CliRun third = CliRun.run("sweep", spec.toString(), "--out", out.toString());
        assertEquals(0, third.exit(), third.err());
        assertTrue(third.err().contains("5 of 6 points already done"), third.err());
        assertTrue(third.out().contains("1 finished now"), third.out());
        assertEquals(reference, read(out.resolve("results.csv")));
    }

    @Test
    void anotherSpecInTheSameFolderIsRefusedUnlessForced() throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(0, CliRun.run("sweep", spec("a", ERM).toString(), "--out", out.toString()).exit());
        Path other = spec("b", ERM.replace("seeds = 3", "seeds = 2"));
        CliRun refused = CliRun.run("sweep", other.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_BAD_INPUT, refused.exit());
        assertTrue(refused.err().contains("holds a sweep of another spec") && refused.err().contains("--force"),
                refused.err());
        // comments and 1.0 for 1 do not make another spec
        Path same = spec("c", "# the same study\n" + ERM.replace("N = 60", "N = 60.0"));
        CliRun sameRun = CliRun.run("sweep", same.toString(), "--out", out.toString());
        assertEquals(0, sameRun.exit(), sameRun.err());
        CliRun forced = CliRun.run("sweep", other.toString(), "--out", out.toString(), "--force");
        assertEquals(0, forced.exit(), forced.err());
        assertEquals(1 + 2 * 2 * 2, read(out.resolve("results.csv")).lines().count());
    }

    @Test
    void aFailingPointGoesToFailuresAndTheSweepContinues() throws Exception {
        // one saddle-point iteration cannot converge: the command's exit 3, a failure of that point only
        Path spec = spec("fail", """
                command = "erm"
                [options]
                N = 60
                D = 30
                alpha = "1"
                no-simulate = true
                [grid]
                max-iterations = [1, 500]
                """);
        Path out = tmp.resolve("out");
        CliRun r = CliRun.run("sweep", spec.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_STOPPED_EARLY, r.exit(), r.err());
        List<String> failures = read(out.resolve("failures.csv")).lines().toList();
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(1).startsWith("0001-") && failures.get(1).contains(",1,stopped,")
                && failures.get(1).contains("did not converge"), failures.get(1));
        List<String> results = read(out.resolve("results.csv")).lines().toList();
        assertEquals(2, results.size());
        assertTrue(results.get(1).startsWith("0002-"), results.get(1));
        assertTrue(r.err().contains("1 point(s) failed"), r.err());
    }

    @Test
    void badInputIsRefusedBeforeAnyPointRunsNamingKeyLinePointAndOption() throws Exception {
        Path out = tmp.resolve("out");
        assertRefused(spec("key", "command = \"erm\"\n[options]\nN = 60\n[grid]\nalhpa = [1, 2]\n"), out,
                "grid key 'alhpa' (line 5): 'gequiv erm' has no option --alhpa");
        assertRefused(spec("opt", "command = \"online\"\n[options]\nlearning-rate = 0.1\n[grid]\nseeds = 2\n"), out,
                "option 'learning-rate' (line 3): 'gequiv online' has no option --learning-rate");
        assertRefused(spec("toml", "command = \"erm\"\n[grid]\nlambda = [1, 2\nseed = [1]\n"), out,
                "malformed TOML at line ");
        assertRefused(spec("cmd", "command = \"ermm\"\n[grid]\nseeds = 2\n"), out,
                "command must be one of check, erm, moments, online, got 'ermm'");
        assertRefused(spec("empty", "command = \"erm\"\n[options]\nN = 60\n[grid]\n"), out,
                "the sweep must have at least one point, got an empty grid and no [[points]]");
        assertRefused(spec("emptylist", "command = \"erm\"\n[grid]\nlambda = []\n"), out,
                "grid.lambda (line 3) must be a non-empty list, got []");
        assertRefused(spec("outkey", "command = \"erm\"\n[options]\nout = \"x\"\n[grid]\nseeds = 2\n"), out,
                "option 'out' (line 3): the sweep writes each point's files");
        // point 3 of 3 has the bad value: no point runs, the message names the point and the option
        assertRefused(spec("value", "command = \"erm\"\n[options]\nN = 60\nD = 30\nno-simulate = true\n[grid]\n"
                + "lambda = [0.1, 0.2, -1]\n"), out, "point 0003-");
        CliRun r = CliRun.run("sweep", tmp.resolve("value.toml").toString(), "--out", out.toString());
        assertTrue(r.err().contains("(lambda=-1): --lambda must be finite and >= 0, got -1.0"), r.err());
        assertRefused(spec("type", "command = \"erm\"\n[options]\nN = 60\n[grid]\nrepeats = [1.5]\n"), out,
                "'--repeats'");
        assertFalse(Files.exists(out), "a refused spec must not create the output folder");
    }

    @Test
    void sparkWithoutTheSparkModuleIsBadInputBeforeTheFolderIsMade() throws Exception {
        Path out = tmp.resolve("out");
        CliRun r = CliRun.run("sweep", spec("erm", ERM).toString(), "--out", out.toString(), "--spark", "local[2]");
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("--spark needs the gequiv-spark module"), r.err());
        assertFalse(Files.exists(out));
    }

    private static void assertRefused(Path spec, Path out, String expected) {
        CliRun r = CliRun.run("sweep", spec.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace for bad input: " + r.err());
    }

    @Test
    void onlineSweepWritesCurveRowsAndTheFigure() throws Exception {
        Path spec = spec("online", """
                command = "online"
                [options]
                N = 100
                D = 50
                time = 2
                log-points = 5
                test-samples = 500
                integrator = "rk4"
                dt = 0.05
                [grid]
                lr = [0.5, 1.0]
                seeds = 2
                [[points]]
                lr = 2
                seed = 7
                """);
        Path out = tmp.resolve("out");
        CliRun r = CliRun.run("sweep", spec.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> results = read(out.resolve("results.csv")).lines().toList();
        assertTrue(results.get(0).startsWith("point,lr,seed,t,t_sim,eg_sim,"), results.get(0));
        // 5 points × 5 recorded times (t = 0 and 4 log-spaced ones)
        assertEquals(1 + 5 * 5, results.size());
        String last = results.get(results.size() - 1);
        assertTrue(last.startsWith("0005-") && last.contains(",2,7,"), last);
        List<String> summary = read(out.resolve("summary.csv")).lines().toList();
        assertTrue(summary.get(0).startsWith("lr,points,t,t_sim_mean,"), summary.get(0));
        assertEquals(1 + 3 * 5, summary.size());
        assertTrue(Files.size(out.resolve("summary.png")) > 1000);
    }

    @Test
    void checkSweepWithoutPointFiguresKeepsTheTextColumnsAsKeys() throws Exception {
        Path spec = spec("check", """
                command = "check"
                point-figures = false
                [options]
                sizes = [40, 80]
                samples = 2000
                directions = 0
                floor-replicates = 4
                [grid]
                seeds = 2
                """);
        Path out = tmp.resolve("out");
        CliRun r = CliRun.run("sweep", spec.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> results = read(out.resolve("results.csv")).lines().toList();
        assertEquals("point,seed,N,D,statistic,value,floor,floor_spread,resolved", results.get(0));
        List<String> summary = read(out.resolve("summary.csv")).lines().toList();
        assertTrue(summary.get(0).startsWith("points,N,D,statistic,value_mean,value_sem,value_count,"),
                summary.get(0));
        assertEquals(results.size() - 1, 2 * (summary.size() - 1), "two seeds per group");
        try (Stream<Path> s = Files.list(out.resolve("points"))) {
            for (Path d : s.toList()) {
                assertTrue(Files.isRegularFile(d.resolve("fields.csv")));
                assertFalse(Files.exists(d.resolve("check.png")), "point-figures = false draws no figure");
            }
        }
        assertFalse(Files.exists(out.resolve("summary.png")), "check sweeps have no summary figure");
    }
}
