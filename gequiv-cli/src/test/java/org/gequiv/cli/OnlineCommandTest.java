package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void smallRunWritesCurvePlotAndProvenance() throws IOException {
        Path dir = tmp.resolve("run");
        Result r = run("online", "-N", "200", "-D", "40", "--time", "2", "--test-samples", "500", "--log-points", "10",
                "--seed", "3", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(dir.resolve("curve.csv"));
        List<String> data = lines.stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals("t,t_sim,eg_sim,Q_0_0_sim,Q_0_1_sim,Q_1_1_sim,R_0_0_sim,R_0_1_sim,R_1_0_sim,R_1_1_sim,v_0_sim,v_1_sim",
                data.get(0));
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
        "--test-samples, 0, --test-samples"
    })
    void badInputNamesTheParameterExitsNonZeroAndWritesNothing(String option, String value, String mentioned) {
        Path dir = tmp.resolve("bad");
        Result r = run("online", option, value, "-N", option.equals("-N") ? value : "50", "--time", "0.5",
                "--out", dir.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains(mentioned), r.err());
        assertFalse(Files.exists(dir.resolve("curve.csv")), "no partial output");
    }

    @Test
    void unwritableOutputFolderIsRefusedBeforeAnyWork() throws IOException {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        Result r = run("online", "-N", "50", "--time", "0.5", "--out", file.resolve("sub").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("--out"), r.err());
    }

    @Test
    void divergingRunSaysWhereAndKeepsTheCurve() throws IOException {
        Path dir = tmp.resolve("div");
        Result r = run("online", "-N", "100", "-D", "20", "--activation", "linear", "--lr", "50", "--time", "50",
                "--test-samples", "200", "--out", dir.toString());
        assertEquals(Main.EXIT_STOPPED_EARLY, r.exit(), r.err());
        assertTrue(r.err().contains("diverged at t = "), r.err());
        List<String> data = Files.readAllLines(dir.resolve("curve.csv")).stream().filter(l -> !l.startsWith("#")).toList();
        assertTrue(data.size() > 2, "rows before the divergence are kept");
        assertTrue(data.get(data.size() - 1).contains(",,"), "rows after it are empty");
        assertTrue(Files.readString(dir.resolve("run.json")).contains("\"completed\" : false"));
    }
}
