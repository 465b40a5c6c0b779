package org.gequiv.online;

import java.io.IOException;
import java.nio.file.Path;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.generator.Precision;
import org.gequiv.generator.deep.DcganGenerator;
import org.gequiv.generator.deep.RealNvpGenerator;
import org.gequiv.generator.deep.WeightFiles;
import org.gequiv.model.TeacherInput;
import org.gequiv.moments.GeneratorWithMoments;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.moments.MomentEstimator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The ODE theory against one-pass SGD on the two pre-trained generators shipped in models/ (issue
 * 16): the DCGAN (D = 100, N = 1024) and the real NVP (D = N = 1024) trained on Fashion-MNIST,
 * centred with Monte-Carlo moments, K = M = 2, erf, η = 0.2, both layers, five seeds.
 *
 * <p>Criterion as in {@link TheoryVersusSimulationTest}: at every log time |mean over seeds of
 * ε_sim/ε_theory − 1| ≤ 3 standard errors + an allowance. The allowance is wider here,
 * {@link #ALLOWANCE}, because two finite-size effects add to the Gaussian-equivalence bias of
 * about 3 % at these N: the theory uses estimated moments (relative error of Ω's spectral
 * functionals ~ √(N/P) ≈ 0.1 at P = {@value #MOMENT_SAMPLES}, entering ε_g damped by the
 * learning dynamics), and the ε_g of a single seed is measured on {@value #TEST_SAMPLES} test samples
 * (relative standard error ~ √(2/P_test) ≈ 2 %, already inside the spread).
 */
@Tag("slow")
class ShippedGeneratorsTheoryVersusSimulationTest {

    static final Path MODELS = Path.of("..", "models");
    static final int MOMENT_SAMPLES = 100_000;
    static final int TEST_SAMPLES = 5_000;
    static final double TIME = 10;
    static final double ALLOWANCE = 0.06;

    static Generator centred(Generator g) {
        Moments m = new MomentEstimator(g, MomentEstimationSpec.of(MOMENT_SAMPLES, 16, 2)).estimate().moments();
        return GeneratorWithMoments.centred(g, m);
    }

    /**
     * Compares and checks; the per-time numbers and wall times also go to
     * {@code target/shipped-generators-<name>.txt} (for the note: tests do not print).
     */
    static void check(Generator g, String name) throws IOException {
        long start = System.nanoTime();
        Generator centred = centred(g);
        double momentSeconds = (System.nanoTime() - start) / 1e9;
        long[] seeds = TheoryVersusSimulationTest.seeds(5);
        TheoryVersusSimulation.Summary s = TheoryVersusSimulation.compare(centred, TeacherInput.LATENT, 0.2, TIME,
                8, TEST_SAMPLES, seeds);
        StringBuilder report = new StringBuilder(String.format(java.util.Locale.ROOT,
                "%s: %s; moments %d samples in %.0f s; SGD and theory, seeds %s, in %.0f s%n"
                + "t  mean(eps_sim/eps_th - 1)  sd over seeds  tolerance%n", name, g.description(), MOMENT_SAMPLES,
                momentSeconds, java.util.Arrays.toString(seeds), s.seconds()));
        String failure = null;
        for (int i = 0; i < s.times().length; i++) {
            double tol = 3 * s.spread()[i] / Math.sqrt(5) + ALLOWANCE;
            double d = s.meanRelativeDifference()[i];
            String line = String.format(java.util.Locale.ROOT, "t = %.3f: mean ε_sim/ε_theory − 1 = %+.4f, spread %.4f, "
                    + "tolerance %.4f", s.times()[i], d, s.spread()[i], tol);
            report.append(line).append('\n');
            if (failure == null && !(Math.abs(d) <= tol)) {
                failure = line;
            }
        }
        java.nio.file.Files.writeString(Path.of("target", "shipped-generators-" + name + ".txt"), report);
        if (failure != null) {
            throw new AssertionError(failure);
        }
    }

    @Test
    void fashionDcgan() throws IOException {
        check(new DcganGenerator(WeightFiles.readDcgan(MODELS.resolve("fashion-dcgan.npz")), "shipped"), "dcgan");
    }

    @Test
    void fashionRealNvp() throws IOException {
        // float32 networks (issue 11): within 5.5e-7 of the float64 flow per sample (RealNvpGeneratorTest),
        // far below the finite-size spread this test resolves, and fast enough for 2·10⁵ samples
        check(new RealNvpGenerator(WeightFiles.readRealNvp(MODELS.resolve("fashion-nvp.npz")), "shipped",
                Precision.FLOAT32), "real-nvp");
    }
}
