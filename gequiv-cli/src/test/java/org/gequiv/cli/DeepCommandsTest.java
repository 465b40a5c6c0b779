package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.gequiv.generator.Moments;
import org.gequiv.io.NpzArchive;
import org.gequiv.moments.MomentsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void momentsCommandWritesNpzLogAndProvenanceAndResumes() throws IOException {
        Path f = tmp.resolve("m.npz");
        CliRun r = CliRun.run("moments", "--generator", "single-layer", "-N", "20", "-D", "5",
                "--samples", "4000", "--block-size", "500", "--threads", "2", "--checkpoint-every", "1000",
                "--seed", "1", "--out", f.toString());
        assertEquals(0, r.exit(), r.err());
        NpzArchive npz = NpzArchive.read(f);
        assertEquals(java.util.Set.of("mean_x", "mean_c", "omega", "phi", "samples", "provenance"), npz.keys());
        assertEquals(4000, npz.scalar("samples"));
        List<String> log = Files.readAllLines(tmp.resolve("m.convergence.csv")).stream()
                .filter(l -> !l.startsWith("#")).toList();
        assertEquals("samples,rel_change_omega,rel_change_phi,rel_error_omega,rel_error_phi", log.get(0));
        assertEquals(5, log.size(), "header and one line per 1000 samples");
        assertTrue(Files.readString(tmp.resolve("m.json")).contains("\"command\" : \"gequiv moments\""));
        // the single-layer generator has analytic moments: the last logged error is Monte-Carlo sized
        double lastError = Double.parseDouble(log.get(4).split(",")[3]);
        assertTrue(lastError > 0 && lastError < 3 * Math.sqrt(20.0 / 4000), "rel. error " + lastError);

        // extending to more samples resumes from the kept checkpoint
        CliRun more = CliRun.run("moments", "--generator", "single-layer", "-N", "20",
                "-D", "5", "--samples", "6000", "--block-size", "500", "--checkpoint-every", "1000", "--seed", "1",
                "--out", f.toString());
        assertEquals(0, more.exit(), more.err());
        assertTrue(more.out().contains("resumed from 4000 samples"), more.out());
        Moments m = MomentsFile.read(f, 20, 5);
        assertEquals(6000, m.samples());

        // a different seed is refused, with the reason
        CliRun other = CliRun.run("moments", "--generator", "single-layer", "-N", "20",
                "-D", "5", "--samples", "8000", "--block-size", "500", "--seed", "2", "--out", f.toString());
        assertEquals(Main.EXIT_BAD_INPUT, other.exit());
        assertTrue(other.err().contains("refusing to resume"), other.err());
    }

    @Test
    void momentsFileWithOtherDimensionsIsRefused() throws IOException {
        Path f = tmp.resolve("m.npz");
        assertEquals(0, CliRun.run("moments", "--generator", "single-layer", "-N", "20", "-D", "5",
                "--samples", "1000", "--no-checkpoint", "--out", f.toString()).exit());
        CliRun r = CliRun.run("online", "--generator", "single-layer", "-N", "30", "-D", "5",
                "--moments", f.toString(), "--time", "0.1", "--out", tmp.resolve("o").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("has N = 20, D = 5, but the generator has N = 30, D = 5"), r.err());
    }

    @Test
    void momentsFileOfAnotherGeneratorIsRefusedAndGenSeedSelectsIt() throws IOException {
        Path f = tmp.resolve("m0.npz");
        assertEquals(0, CliRun.run("moments", "--generator", "single-layer", "-N", "20", "-D", "5", "--seed", "0",
                "--samples", "1000", "--no-checkpoint", "--out", f.toString()).exit());
        // --seed 3 alone also redraws the generator's weights: not the generator the file describes
        CliRun other = CliRun.run("online", "--generator", "single-layer", "-N", "20", "-D", "5", "--seed", "3",
                "--moments", f.toString(), "--time", "0.1", "--out", tmp.resolve("o1").toString());
        assertEquals(Main.EXIT_BAD_INPUT, other.exit());
        assertTrue(other.err().contains("was estimated for another generator"), other.err());
        // with the generator's own seed fixed, the teacher, student and data seed can vary
        CliRun same = CliRun.run("online", "--generator", "single-layer", "-N", "20", "-D", "5", "--seed", "3",
                "--gen-seed", "0", "--moments", f.toString(), "--time", "0.1", "--out", tmp.resolve("o2").toString());
        assertEquals(0, same.exit(), same.err());
    }

    @Test
    void samplesCommandDrawsDcganGrid() throws IOException {
        Path png = tmp.resolve("grid.png");
        CliRun r = CliRun.run("samples", "--generator", "dcgan", "--rows", "2", "--cols", "3",
                "--scale", "1", "--out", png.toString());
        assertEquals(0, r.exit(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(3 * 32 + 4 * 2, img.getWidth());
        assertEquals(2 * 32 + 3 * 2, img.getHeight());
    }

    /**
     * --precision chooses the DCGAN's arithmetic: float32 and float64 moments from the same seed
     * agree far below their Monte-Carlo error (samples differ by ~1e-6 relative); an unknown
     * precision is bad input naming the option, without a stack trace.
     */
    /**
     * --precision reaches the real NVP too (its provenance names it), and is refused as float32 for
     * the family generators, which sample in float64 only; float64 is accepted there.
     */
    @Test
    void precisionChoosesTheRealNvpArithmeticAndIsFloat64ForFamilyGenerators() throws IOException {
        for (String p : new String[] {"float32", "float64"}) {
            Path f = tmp.resolve("nvp-" + p + ".npz");
            CliRun r = CliRun.run("moments", "--generator", "nvp:../models/fashion-nvp.npz", "--samples", "16",
                    "--block-size", "16", "--precision", p, "--out", f.toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(Files.readString(tmp.resolve("nvp-" + p + ".json")).contains("\"precision\" : \"" + p + "\""),
                    Files.readString(tmp.resolve("nvp-" + p + ".json")));
        }
        CliRun refused = CliRun.run("moments", "--generator", "single-layer", "-N", "20", "-D", "5", "--samples", "100",
                "--precision", "float32", "--out", tmp.resolve("s.npz").toString());
        assertEquals(Main.EXIT_BAD_INPUT, refused.exit());
        assertTrue(refused.err().contains("--precision must be float64 for --generator single-layer"), refused.err());
        assertFalse(refused.err().contains("\tat "), refused.err());
        CliRun accepted = CliRun.run("moments", "--generator", "deep-random", "-N", "20", "-D", "5", "--samples", "100",
                "--precision", "float64", "--out", tmp.resolve("d.npz").toString());
        assertEquals(0, accepted.exit(), accepted.err());
    }

    @Test
    void precisionChoosesTheDcganArithmetic() throws IOException {
        Path f32 = tmp.resolve("m32.npz");
        Path f64 = tmp.resolve("m64.npz");
        CliRun a = CliRun.run("moments", "--generator", "dcgan", "--samples", "64", "--block-size", "32",
                "--precision", "float32", "--out", f32.toString());
        assertEquals(0, a.exit(), a.err());
        CliRun b = CliRun.run("moments", "--generator", "dcgan", "--samples", "64", "--block-size", "32",
                "--precision", "float64", "--out", f64.toString());
        assertEquals(0, b.exit(), b.err());
        double[] o32 = NpzArchive.read(f32).require("omega", 3072, 3072).data();
        double[] o64 = NpzArchive.read(f64).require("omega", 3072, 3072).data();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < o64.length; i++) {
            diff += (o32[i] - o64[i]) * (o32[i] - o64[i]);
            norm += o64[i] * o64[i];
        }
        // a 64-sample estimate has relative Monte-Carlo error ~1/8; float32 rounding ~1e-6
        assertTrue(Math.sqrt(diff / norm) < FLOAT32_MOMENTS_TOLERANCE, "relative difference " + Math.sqrt(diff / norm));
        CliRun bad = CliRun.run("samples", "--generator", "dcgan", "--precision", "float16",
                "--out", tmp.resolve("p.png").toString());
        assertEquals(Main.EXIT_BAD_INPUT, bad.exit());
        assertTrue(bad.err().contains("--precision") && bad.err().contains("float16"), bad.err());
        assertFalse(bad.err().contains("\tat "), bad.err());
    }

    /** Float32 rounding (~1e-6 relative per sample, twice for a second moment), with a margin of 10. */
    private static final double FLOAT32_MOMENTS_TOLERANCE = 2e-5;

    @Test
    void unknownOrBrokenDeepGeneratorsAreBadInput() throws IOException {
        CliRun missing = CliRun.run("samples", "--generator", "onnx:" + tmp.resolve("no.onnx"),
                "--out", tmp.resolve("g.png").toString());
        assertEquals(Main.EXIT_BAD_INPUT, missing.exit());
        // issue 13 item 7 (a3e6f01): a missing generator file says "not found" before ONNX Runtime is asked
        assertTrue(missing.err().contains("file not found: " + tmp.resolve("no.onnx")), missing.err());
        Files.createDirectories(tmp.resolve("s"));
        CliRun empty = CliRun.run("moments", "--generator", "samples:" + tmp.resolve("s"),
                "--samples", "10", "--out", tmp.resolve("m.npz").toString());
        assertEquals(Main.EXIT_BAD_INPUT, empty.exit());
        assertTrue(empty.err().contains("must contain c.npy"), empty.err());
        CliRun notImage = CliRun.run("samples", "--generator", "single-layer", "-N", "30",
                "--out", tmp.resolve("g.png").toString());
        assertEquals(Main.EXIT_BAD_INPUT, notImage.exit());
        assertTrue(notImage.err().contains("is not image-shaped"), notImage.err());
    }
}
