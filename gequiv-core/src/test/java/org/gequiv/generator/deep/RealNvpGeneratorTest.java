package org.gequiv.generator.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.gequiv.generator.Precision;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

class RealNvpGeneratorTest {

    /** Acceptance tolerance; each coupling inverts in closed form, so only rounding (~1e-14) remains. */
    private static final double INVERSION_TOLERANCE = 1e-8;
    /**
     * Central differences with step 1e-5 have truncation error ~h²·|g'''| ≈ 1e-10 per Jacobian
     * entry and rounding ~ε/h ≈ 1e-11; log|det| of a well-conditioned 48 × 48 matrix moves by about
     * N·1e-10, so 1e-6 is a safe bound that still catches any missing or wrong term (each is O(0.1)).
     */
    private static final double LOG_DET_TOLERANCE = 1e-6;
    /** α of the logit pre-processing of Dinh et al. (2017), as in the shipped flow. */
    private static final double LOGIT_ALPHA = 0.05;

    @Test
    void cifarShapedFlowInvertsToAcceptanceTolerance() {
        RealNvpGenerator g = RealNvpGenerator.random(RealNvpArchitecture.CIFAR, 2);
        int n = g.inputDimension();
        assertEquals(3072, n);
        assertEquals(3072, g.latentDimension());
        double[] c = new double[2 * n];
        double[] x = new double[2 * n];
        double[] back = new double[2 * n];
        double[] logDetG = new double[2];
        double[] logDetF = new double[2];
        RandomStreams.fillGaussian(RandomStreams.stream(1, "z"), c, 2 * n);
        g.map(2, c, x, logDetG);
        g.inverse(2, x, back, logDetF);
        double maxDiff = 0;
        double moved = 0;
        for (int i = 0; i < 2 * n; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(back[i] - c[i]));
            moved = Math.max(moved, Math.abs(x[i] - c[i]));
        }
        assertTrue(maxDiff < INVERSION_TOLERANCE, "max |f(g(c)) − c| = " + maxDiff);
        // not vacuous: the flow really transforms its input
        assertTrue(moved > 0.5, "max |g(c) − c| = " + moved);
        for (int s = 0; s < 2; s++) {
            assertEquals(-logDetG[s], logDetF[s], 1e-9);
            assertTrue(Math.abs(logDetG[s]) > 1.0, "log det = " + logDetG[s]);
        }
    }

    @Test
    void logDeterminantMatchesFiniteDifferenceJacobian() {
        for (RealNvpArchitecture arch : new RealNvpArchitecture[] {new RealNvpArchitecture(1, 4, 2, 4),
            new RealNvpArchitecture(3, 4, 2, 5), new RealNvpArchitecture(2, 4, 1, 3),
            new RealNvpArchitecture(1, 4, 2, 4, 2, 0.0), new RealNvpArchitecture(2, 4, 2, 3, 1, LOGIT_ALPHA),
            // dense last levels: all four mask kinds (2 channels there), and the checkerboard kinds only (1 channel)
            new RealNvpArchitecture(1, 4, 2, 4, 1, 0.0, 5, 7), new RealNvpArchitecture(1, 4, 1, 3, 1, LOGIT_ALPHA, 3, 6)}) {
            RealNvpGenerator g = RealNvpGenerator.random(arch, 11);
            int n = g.inputDimension();
            double[] c = new double[n];
            RandomStreams.fillGaussian(RandomStreams.stream(3, "z"), c, n);
            double[] x = new double[n];
            double[] ld = new double[1];
            g.map(1, c, x, ld);
            double h = 1e-5;
            double[] jac = new double[n * n];
            double[] plus = new double[n];
            double[] minus = new double[n];
            for (int j = 0; j < n; j++) {
                double[] cp = c.clone();
                cp[j] += h;
                g.map(1, cp, plus);
                cp[j] -= 2 * h;
                g.map(1, cp, minus);
                for (int i = 0; i < n; i++) {
                    jac[i * n + j] = (plus[i] - minus[i]) / (2 * h);
                }
            }
            double fd = logAbsDet(n, jac);
            assertEquals(fd, ld[0], LOG_DET_TOLERANCE, arch.toString());
            // terms of either sign may cancel; 0.05 is still 5·10⁴ times the tolerance
            assertTrue(Math.abs(ld[0]) > 0.05, "log det must be nontrivial, got " + ld[0] + " for " + arch);
        }
    }

    /**
     * Residual coupling networks and the logit output transform (the shipped Fashion-MNIST flow's
     * architecture, at a small size). Without the transform the inverse recovers the latent to the
     * acceptance tolerance. With it, pixels lie in the transform's open range and g(f(x)) = x: the
     * round trip is checked in pixel space because a random flow pushes some y far into the
     * sigmoid's tails, where x → y amplifies rounding by 1/(σ(1 − σ)) (up to ~1e7 here) while
     * y → x contracts it. The log-determinants of g and f are opposite in both cases.
     */
    @Test
    void residualFlowWithLogitOutputInvertsAndStaysInPixelRange() {
        for (double alpha : new double[] {0.0, LOGIT_ALPHA}) {
            RealNvpArchitecture arch = new RealNvpArchitecture(1, 8, 2, 6, 2, alpha);
            RealNvpGenerator g = RealNvpGenerator.random(arch, 4);
            int n = g.inputDimension();
            double[] c = new double[3 * n];
            double[] x = new double[3 * n];
            double[] back = new double[3 * n];
            double[] again = new double[3 * n];
            double[] ldG = new double[3];
            double[] ldF = new double[3];
            RandomStreams.fillGaussian(RandomStreams.stream(2, "z"), c, c.length);
            g.map(3, c, x, ldG);
            g.inverse(3, x, back, ldF);
            g.map(3, back, again, null);
            double latentDiff = 0;
            double pixelDiff = 0;
            for (int i = 0; i < c.length; i++) {
                latentDiff = Math.max(latentDiff, Math.abs(back[i] - c[i]));
                pixelDiff = Math.max(pixelDiff, Math.abs(again[i] - x[i]));
            }
            if (alpha == 0) {
                assertTrue(latentDiff < INVERSION_TOLERANCE, "max |f(g(c)) − c| = " + latentDiff);
            } else {
                double low = -alpha / (1 - 2 * alpha);
                double high = (1 - alpha) / (1 - 2 * alpha);
                for (double v : x) {
                    assertTrue(v > low && v < high, "pixel " + v + " outside (" + low + ", " + high + ")");
                }
                assertTrue(pixelDiff < INVERSION_TOLERANCE, "max |g(f(x)) − x| = " + pixelDiff);
            }
            for (int s = 0; s < 3; s++) {
                assertEquals(-ldG[s], ldF[s], 1e-6 * Math.max(1, Math.abs(ldG[s])), "alpha " + alpha);
            }
            RealNvpWeights w = g.weights();
            RealNvpWeights rt = RealNvpWeights.fromArrays(w.toArrays(), w.shapes());
            assertEquals(w.digest(), rt.digest());
            assertEquals(arch, rt.architecture());
            assertTrue(w.toArrays().containsKey("coupling9.block1.conv2.weight"));
        }
    }

    /**
     * A dense last level (the shipped Fashion-MNIST flow's, at a small size): g inverts, the
     * log-determinants are opposite, every entry of the last level is moved by it (each mask kind
     * frees a different half), and the weights survive their file format.
     */
    @Test
    void denseLastLevelInvertsMovesEveryEntryAndRoundTripsItsArrays() {
        RealNvpArchitecture arch = new RealNvpArchitecture(1, 8, 2, 4, 1, 0.0, 4, 9);
        RealNvpGenerator g = RealNvpGenerator.random(arch, 6);
        int n = g.inputDimension();
        double[] c = new double[2 * n];
        double[] x = new double[2 * n];
        double[] back = new double[2 * n];
        double[] ldG = new double[2];
        double[] ldF = new double[2];
        RandomStreams.fillGaussian(RandomStreams.stream(8, "z"), c, c.length);
        g.map(2, c, x, ldG);
        g.inverse(2, x, back, ldF);
        for (int i = 0; i < c.length; i++) {
            assertEquals(c[i], back[i], INVERSION_TOLERANCE);
        }
        for (int s = 0; s < 2; s++) {
            assertEquals(-ldG[s], ldF[s], 1e-9 * Math.max(1, Math.abs(ldG[s])));
        }
        // data → latent, the dense level comes last and acts on the prefix (the last level's input,
        // 2 channels of 4 × 4): against the same flow with identity dense couplings (zero networks)
        // it moves every prefix entry and nothing else
        RealNvpWeights w = g.weights();
        double[][][] identity = new double[arch.couplings()][][];
        for (int k = 0; k < identity.length; k++) {
            identity[k] = new double[w.couplings()[k].length][];
            for (int p = 0; p < identity[k].length; p++) {
                double[] a = w.couplings()[k][p].clone();
                if (k >= 6) {
                    java.util.Arrays.fill(a, 0.0);
                }
                identity[k][p] = a;
            }
        }
        RealNvpGenerator without = new RealNvpGenerator(new RealNvpWeights(arch, identity), "no dense level");
        double[] z = new double[n];
        double[] z0 = new double[n];
        g.inverse(1, c, z, null);
        without.inverse(1, c, z0, null);
        int last = 2 * 4 * 4;
        for (int i = 0; i < n; i++) {
            if (i < last) {
                assertTrue(Math.abs(z[i] - z0[i]) > 1e-6, "entry " + i + " not moved");
            } else {
                assertEquals(z0[i], z[i], 0.0, "factored-out entry " + i);
            }
        }
        RealNvpWeights rt = RealNvpWeights.fromArrays(w.toArrays(), w.shapes());
        assertEquals(w.digest(), rt.digest());
        assertEquals(arch, rt.architecture());
        assertEquals(9 * 16, w.shapes().get("coupling6.fc1.weight")[0] * w.shapes().get("coupling6.fc1.weight")[1]);
        assertEquals(8, w.toArrays().get("architecture").length);
    }

    /**
     * Issue 11's acceptance for the float32 path: on the same weights and latents every sample
     * agrees with the float64 reference to 1e-5 in relative Euclidean norm, ‖x₃₂ − x₆₄‖₂/‖x₆₄‖₂.
     * The networks round weights and activations to float32 (unit 2⁻²⁴ ≈ 6e-8) and their sums of
     * up to 9·16 = 144 random-sign terms grow that by ~√144 per layer; the state and the affine
     * update stay float64, so a coupling moves x by about |t|·(network error) ≈ 1e-6 and 20
     * couplings in sequence, each a contraction or a mild expansion, stay below 1e-5 (measured:
     * ≈ 1e-7–1e-6). Log-determinants, sums of ~N/2 log-scales, agree to the same relative bound.
     * On the shipped Fashion-MNIST flow (measured ≤ 5.5e-7) and on random flows of every coupling
     * kind (plain, residual, logit output, dense last level); the batch is a chunk and a partial
     * chunk. Not on deep random residual flows: with 3 scales and 2 blocks per network their
     * log-scales compound into a condition number of ~10³ (rounding only the latent to float32
     * moves the float64 output by up to 9e-5 relative), where the comparison would measure the
     * random flow's conditioning rather than the arithmetic.
     */
    private static final double FLOAT32_RELATIVE_TOLERANCE = 1e-5;
    /** A float32 pass that equals float64 to 1e-9 did not run in float32 (the check would be vacuous). */
    private static final double FLOAT32_MINIMUM_DIFFERENCE = 1e-9;

    @Test
    void float32AgreesWithFloat64OnTheSameWeightsAndLatents() throws IOException {
        RealNvpWeights shipped = WeightFiles.readRealNvp(Path.of("..", "models", "fashion-nvp.npz"));
        RealNvpWeights[] flows = {shipped, RealNvpWeights.random(new RealNvpArchitecture(3, 8, 2, 6), 5),
            RealNvpWeights.random(new RealNvpArchitecture(2, 16, 3, 8, 0, LOGIT_ALPHA), 6),
            RealNvpWeights.random(new RealNvpArchitecture(1, 8, 2, 6, 1, LOGIT_ALPHA), 8),
            RealNvpWeights.random(new RealNvpArchitecture(1, 8, 2, 4, 1, 0.0, 5, 7), 7)};
        for (RealNvpWeights w : flows) {
            RealNvpGenerator g64 = new RealNvpGenerator(w, "test");
            RealNvpGenerator g32 = new RealNvpGenerator(w, "test", Precision.FLOAT32);
            assertEquals(Precision.FLOAT32, g32.precision());
            assertEquals("float32", g32.description().get("precision"));
            int n = g64.inputDimension();
            int batch = RealNvpGenerator.CHUNK + 3;
            double[] c = new double[batch * n];
            RandomStreams.fillGaussian(RandomStreams.stream(11, "latent"), c, c.length);
            double[] x64 = new double[batch * n];
            double[] x32 = new double[batch * n];
            double[] ld64 = new double[batch];
            double[] ld32 = new double[batch];
            g64.map(batch, c, x64, ld64);
            g32.map(batch, c, x32, ld32);
            double worst = 0;
            for (int s = 0; s < batch; s++) {
                double diff = 0;
                double norm = 0;
                for (int i = s * n; i < (s + 1) * n; i++) {
                    diff += (x32[i] - x64[i]) * (x32[i] - x64[i]);
                    norm += x64[i] * x64[i];
                    assertEquals((float) x32[i], x32[i], 0.0, "float32 outputs widen exactly");
                }
                double rel = Math.sqrt(diff / norm);
                String where = w.architecture() + ", sample " + s;
                assertTrue(rel <= FLOAT32_RELATIVE_TOLERANCE, where + ": relative error " + rel);
                assertEquals(ld64[s], ld32[s], FLOAT32_RELATIVE_TOLERANCE * Math.abs(ld64[s]), where);
                worst = Math.max(worst, rel);
            }
            assertTrue(worst > FLOAT32_MINIMUM_DIFFERENCE, "float32 equals float64 to " + worst);
        }
    }

    /** log |det A| by LU with partial pivoting. */
    private static double logAbsDet(int n, double[] a) {
        double[] m = a.clone();
        double sum = 0;
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(m[i * n + k]) > Math.abs(m[p * n + k])) {
                    p = i;
                }
            }
            if (p != k) {
                for (int j = 0; j < n; j++) {
                    double t = m[k * n + j];
                    m[k * n + j] = m[p * n + j];
                    m[p * n + j] = t;
                }
            }
            double piv = m[k * n + k];
            sum += Math.log(Math.abs(piv));
            for (int i = k + 1; i < n; i++) {
                double f = m[i * n + k] / piv;
                for (int j = k; j < n; j++) {
                    m[i * n + j] -= f * m[k * n + j];
                }
            }
        }
        return sum;
    }

    @Test
    void weightsRoundTripAndBadShapesAreNamed() {
        RealNvpWeights w = RealNvpWeights.random(new RealNvpArchitecture(3, 8, 2, 4), 5);
        assertEquals(w.digest(), RealNvpWeights.fromArrays(w.toArrays(), w.shapes()).digest());
        Map<String, int[]> bad = new HashMap<>(w.shapes());
        bad.put("coupling3.conv1.weight", new int[] {4, 3, 3, 3});
        var e = assertThrows(IllegalArgumentException.class, () -> RealNvpWeights.fromArrays(w.toArrays(), bad));
        assertEquals("coupling3.conv1.weight must have shape [4, 6, 3, 3], got [4, 3, 3, 3]", e.getMessage());
        var arch = assertThrows(IllegalArgumentException.class, () -> new RealNvpArchitecture(3, 6, 3, 4));
        assertTrue(arch.getMessage().startsWith("size must be >= 2 and divisible by 2^(scales - 1) = 4"),
                arch.getMessage());
    }
}
