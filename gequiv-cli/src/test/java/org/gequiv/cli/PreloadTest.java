package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: what a process preloads, and that preloading changes no file: a real process (which
 * preloads OpenBLAS and Jackson and warms the figure drawing up on background threads) writes the
 * figures and the table of an in-process run (which preloads nothing).
 */
class PreloadTest {

    @TempDir
    Path dir;

    @Test
    void helpVersionAndUnknownCommandsPreloadNothing() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"--version"},
                new String[] {"online", "--help"}, new String[] {"erm", "-h"}, new String[] {"nonsense"},
                new String[] {"samples", "-N", "10"})) {
            assertEquals(Set.of(), Preload.needs(args), String.join(" ", args));
        }
        assertEquals(Set.of(Preload.Need.LINEAR_ALGEBRA, Preload.Need.JSON),
                Preload.needs(new String[] {"online", "-N", "100"}));
        assertEquals(Set.of(Preload.Need.LINEAR_ALGEBRA, Preload.Need.JSON), Preload.needs(new String[] {"moments"}));
    }

    @Test
    void aPreloadingProcessWritesTheFilesOfAnInProcessRun() throws IOException, InterruptedException {
        String[] common = {"online", "-N", "60", "-D", "30", "--time", "2", "--test-samples", "200", "--log-points", "12",
            "--seed", "3", "--out"};
        Path inProcess = dir.resolve("in-process");
        Path process = dir.resolve("process");
        CliRun run = CliRun.run(with(common, inProcess.toString()));
        assertEquals(0, run.exit(), run.err());
        Subprocess real = Subprocess.start(dir, "real", with(common, process.toString()));
        assertEquals(0, real.waitFor(Duration.ofMinutes(2)), real.err());
        for (String file : List.of("curve.png", "curve.svg")) {
            assertArrayEquals(Files.readAllBytes(inProcess.resolve(file)), Files.readAllBytes(process.resolve(file)),
                    file);
        }
        assertEquals(data(inProcess.resolve("curve.csv")), data(process.resolve("curve.csv")));
    }

    private static String[] with(String[] args, String last) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }

    /** The table without its provenance lines (times, commit). */
    private static List<String> data(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().filter(l -> !l.startsWith("#")).toList();
    }
}
