package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckCommandTest {

    @TempDir
    Path tmp;

    private static List<String> data(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void smallSweepWritesFieldsRatesProvenanceAndFigure() throws IOException {
        Path dir = tmp.resolve("check");
        CliRun r = CliRun.run("check", "--sizes", "8,16,32", "--samples", "4000", "--directions", "2", "--floor-replicates", "4",
                "--seed", "5", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        // 2 moment errors + 4 per field (K + M = 4) + 2 per direction + 2 sliced averages = 24 statistics
        List<String> fields = data(dir.resolve("fields.csv"));
        assertEquals("N,D,statistic,value,floor,floor_spread,resolved", fields.get(0));
        assertEquals(1 + 3 * 24, fields.size());
        assertTrue(fields.get(1).startsWith("8,4,mean_error,"), fields.get(1));
        assertTrue(fields.stream().anyMatch(l -> l.startsWith("32,16,w1_lambda_1,")));
        List<String> rates = data(dir.resolve("rates.csv"));
        assertEquals("statistic,exponent,ci_low,ci_high,confidence,resolved_points,total_points,verdict", rates.get(0));
        assertEquals(1 + 24, rates.size());
        // the latent teacher fields are exactly Gaussian: never resolved, empty exponent
        assertTrue(rates.contains("w1_nu_1,,,,0.95000000000000000,0,3,not_resolved")
                || rates.stream().anyMatch(l -> l.startsWith("w1_nu_1,,,,") && l.endsWith(",not_resolved")),
                String.join("\n", rates));
        assertTrue(Files.readAllLines(dir.resolve("fields.csv")).get(0).startsWith("# tool: gequiv"));
        String json = Files.readString(dir.resolve("run.json"));
        for (String key : new String[] {"\"gitCommit\"", "\"wallSeconds\"", "\"samples\" : 4000", "\"weights\" : \"gaussian\"",
            "\"rates\"", "\"verdict\""}) {
            assertTrue(json.contains(key), key + " in run.json");
        }
        assertTrue(Files.size(dir.resolve("check.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("check.svg")).contains("<svg"));
        assertTrue(r.out().contains("w1_lambda_1"), r.out());
    }

    @Test
    void genSeedFixesOneGeneratorPerSizeForAllInstances() throws IOException {
        CheckCommand fresh = new CheckCommand();
        new picocli.CommandLine(fresh).parseArgs("--seed", "3");
        assertEquals(123L, fresh.generatorSeed(100, 123L), "without --gen-seed: the instance's own seed");
        CheckCommand fixed = new CheckCommand();
        new picocli.CommandLine(fixed).parseArgs("--seed", "3", "--gen-seed", "7");
        long expected = org.gequiv.random.RandomStreams.derivedSeed(7, org.gequiv.random.RandomStreams.GENERATOR_WEIGHTS,
                100);
        assertEquals(expected, fixed.generatorSeed(100, 123L));
        assertEquals(expected, fixed.generatorSeed(100, 456L), "the same for every instance");
        assertTrue(fixed.generatorSeed(200, 123L) != expected, "a generator per size");

        Path dir = tmp.resolve("gen-seed");
        CliRun r = CliRun.run("check", "--sizes", "8,16", "--samples", "2000", "--directions", "1", "--floor-replicates",
                "2", "--instances", "2", "--seed", "5", "--gen-seed", "7", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.readString(dir.resolve("run.json")).contains("one per size for all instances, seed derivedSeed(--gen-seed 7"));
    }

    @ParameterizedTest(name = "{0} {1} -> mentions {2}")
    @CsvSource({
        "--weights, spread, --weights",
        "--sizes, '0,10', --sizes",
        "--samples, 1, samples",
        "--delta, -1, --delta",
        "--support, 100, --support",
        "--generator, cat, --generator",
        "--instances, 0, --instances",
    })
    void badInputIsReportedWithExitCodeTwo(String option, String value, String mentioned) {
        Path dir = tmp.resolve("bad");
        String[] args = option.equals("--support")
                ? new String[] {"check", "--sizes", "16", "--weights", "localised", option, value, "--out", dir.toString()}
                : new String[] {"check", "--sizes", "16", option, value, "--out", dir.toString()};
        CliRun r = CliRun.run(args);
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains(mentioned), r.err());
    }
}
