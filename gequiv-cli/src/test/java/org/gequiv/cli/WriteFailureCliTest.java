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

/**
 * Issue 13 item 4: a file that cannot be written ends the run with exit 4 and a message naming the
 * file and the cause in words, no stack trace, no temporary or partial file, and never tables
 * without their figures. The failures used work the same for root (which ignores permissions) and
 * other users: a folder where a file is expected, a regular file where a folder is expected.
 */
class WriteFailureCliTest {

    @TempDir
    Path tmp;

    private static void assertCleanIoFailure(CliRun r, String... expected) {
        assertEquals(Main.EXIT_IO, r.exit(), r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "'" + e + "' in: " + r.err());
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("java.nio") || r.err().contains("Exception"),
                "no trace or exception class: " + r.err());
    }

    private static List<String> temporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    @Test
    void samplesOutNamingAFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("grid.png"));
        CliRun r = CliRun.run("samples", "-N", "16", "-D", "4", "--rows", "1", "--cols", "1", "--out", dir.toString());
        assertCleanIoFailure(r, "--out: cannot write " + dir, "it is a folder");
        assertEquals(List.of(), temporaries(tmp));
    }

    @Test
    void saveInitUnderARegularFileIsRefusedBeforeTheRun() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        Path out = tmp.resolve("out");
        CliRun r = CliRun.run("online", "-N", "20", "-D", "10", "--time", "0.1", "--no-simulate", "--save-init",
                file.resolve("init.npz").toString(), "--out", out.toString());
        assertCleanIoFailure(r, "--save-init: cannot write to folder " + file + ": " + file
                + " is a file, not a folder");
        assertFalse(Files.exists(out), "checked before --out is created");
    }

    @Test
    void outThatIsARegularFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertCleanIoFailure(CliRun.run("online", "-N", "20", "-D", "10", "--time", "0.1", "--out", file.toString()),
                "--out: cannot write to folder " + file + ": " + file + " is a file, not a folder");
        assertCleanIoFailure(CliRun.run("moments", "--samples", "100", "-N", "20", "-D", "10", "--out",
                file.resolve("m.npz").toString()), "--out: cannot write to folder " + file);
        assertEquals("x", Files.readString(file));
    }

    @Test
    void ermLeavesNoTablesWithoutFigures() throws IOException {
        Path out = tmp.resolve("erm");
        Path blocked = Files.createDirectories(out.resolve("curve.png"));
        CliRun r = CliRun.run("erm", "--no-simulate", "--alpha", "0.5,1", "--lambda", "0.1", "-N", "40", "-D", "20",
                "--out", out.toString());
        assertCleanIoFailure(r, "cannot write " + blocked, "it is a folder");
        assertFalse(Files.exists(out.resolve("curve.csv")), "curve.csv without its figure");
        assertFalse(Files.exists(out.resolve("run.json")), "run.json without its figure");
        assertEquals(List.of(), temporaries(out));
    }

    @Test
    void checkLeavesNoTablesWithoutFigures() throws IOException {
        Path out = tmp.resolve("check");
        Path blocked = Files.createDirectories(out.resolve("check.svg"));
        CliRun r = CliRun.run("check", "--sizes", "16,32", "--samples", "400", "--floor-replicates", "2",
                "--directions", "0", "--threads", "1", "--out", out.toString());
        assertCleanIoFailure(r, "cannot write " + blocked, "it is a folder");
        assertFalse(Files.exists(out.resolve("fields.csv")));
        assertFalse(Files.exists(out.resolve("run.json")));
        assertEquals(List.of(), temporaries(out));
    }
}
