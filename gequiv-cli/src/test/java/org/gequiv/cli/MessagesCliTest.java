package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gequiv.generator.Moments;
import org.gequiv.moments.MomentsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 7: every refusal names the option the user typed and says what is wrong in words;
 * a missing file says "not found".
 */
class MessagesCliTest {

    @TempDir
    Path tmp;

    private static void refused(CliRun r, String expected) {
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("gequiv: error: " + expected), "'" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void missingFilesSayNotFound() {
        Path none = tmp.resolve("none.npz");
        String out = tmp.resolve("o").toString();
        refused(CliRun.run("online", "--generator", "dcgan:" + none, "--out", out),
                "--generator dcgan:" + none + ": file not found: " + none);
        refused(CliRun.run("online", "--generator", "nvp:" + none, "--out", out),
                "--generator nvp:" + none + ": file not found: " + none);
        refused(CliRun.run("online", "--generator", "onnx:" + tmp.resolve("m.onnx"), "--out", out),
                "--generator onnx:" + tmp.resolve("m.onnx") + ": file not found: " + tmp.resolve("m.onnx"));
        refused(CliRun.run("online", "--generator", "samples:" + tmp.resolve("dir"), "--out", out),
                "--generator samples:" + tmp.resolve("dir") + ": folder not found: " + tmp.resolve("dir"));
        refused(CliRun.run("online", "--moments", none.toString(), "--out", out), "--moments: file not found: " + none);
        refused(CliRun.run("online", "--init", none.toString(), "--out", out), "--init: file not found: " + none);
        refused(CliRun.run("check", "--weights", none.toString(), "--out", out), "--weights: file not found: " + none);
        refused(CliRun.run("erm", "--covariances", none.toString(), "--no-simulate", "--out", out),
                "--covariances: file not found: " + none);
        assertFalse(Files.exists(tmp.resolve("o")), "refused runs create no --out folder");
    }

    @Test
    void unknownGeneratorListsEveryKind() {
        CliRun r = CliRun.run("online", "--generator", "foo", "--out", tmp.resolve("o").toString());
        refused(r, "--generator must be one of single-layer, deep-random, gaussian-single-layer, gaussian-deep-random, "
                + "dcgan, dcgan:WEIGHTS.npz, nvp, nvp:WEIGHTS.npz, onnx:MODEL.onnx, samples:DIR, got 'foo'");
    }

    @Test
    void samplesRangeMustBeFiniteAndAscending() {
        for (String range : new String[] {"1,0", "NaN,1", "0,Infinity", "1,1"}) {
            refused(CliRun.run("samples", "--range", range, "-N", "16", "-D", "4", "--out",
                    tmp.resolve("s.png").toString()), "--range must be finite numbers MIN,MAX with MIN < MAX, got '"
                    + range + "'");
        }
        refused(CliRun.run("samples", "--range", "0,1,2", "-N", "16", "-D", "4", "--out",
                tmp.resolve("s.png").toString()), "--range must be 'auto' or MIN,MAX, got '0,1,2'");
        assertFalse(Files.exists(tmp.resolve("s.png")));
    }

    @Test
    void optionsAreNamedAsTyped() {
        refused(CliRun.run("check", "--sizes", "16", "--floor-replicates", "1", "--out", tmp.resolve("c").toString()),
                "--floor-replicates must be >= 2, got 1");
        refused(CliRun.run("check", "--sizes", "16", "--samples", "1", "--out", tmp.resolve("c").toString()),
                "--samples must be >= 2, got 1");
        // a family generator's N is -N, also where the library calls it inputDimension
        refused(CliRun.run("moments", "--samples", "100", "-N", "60000", "-D", "10", "--out",
                tmp.resolve("m.npz").toString()), "-N is too large");
    }

    @Test
    void corruptMomentCheckpointIsNamedWithoutAnotherOption() throws IOException {
        Path out = tmp.resolve("m.npz");
        Files.writeString(tmp.resolve("m.npz.ckpt"), "garbage");
        CliRun r = CliRun.run("moments", "--samples", "600", "-N", "20", "-D", "10", "--out", out.toString());
        refused(r, "checkpoint " + tmp.resolve("m.npz.ckpt").toAbsolutePath() + " is truncated");
        assertTrue(r.err().contains("remove it to start afresh, or run with --no-checkpoint"), r.err());
        assertFalse(r.err().contains("--generator"), r.err());
    }

    @Test
    void nonPositiveOmegaOfErmMomentsIsReportedUnderMoments() throws IOException {
        Path good = tmp.resolve("good.npz");
        assertEquals(0, CliRun.run("moments", "--samples", "600", "-N", "20", "-D", "10", "--no-checkpoint", "--out",
                good.toString()).exit());
        Moments m = MomentsFile.read(good);
        double[] omega = m.omega();
        omega[0] = -5;
        Path bad = tmp.resolve("bad.npz");
        MomentsFile.write(bad, new Moments(20, 10, m.mean(), omega, m.phi(), m.samples(), m.source()), new double[10],
                java.util.Map.of());
        for (String command : new String[] {"erm", "online", "check"}) {
            CliRun r = CliRun.run(command, "--moments", bad.toString(), "-N", "20", "-D", "10", "--out",
                    tmp.resolve(command).toString());
            refused(r, "--moments: " + bad + ":omega must be positive semi-definite");
            assertFalse(r.err().contains("--theory-moments"), r.err());
        }
    }
}
