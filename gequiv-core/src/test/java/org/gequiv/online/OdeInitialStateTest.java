package org.gequiv.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.random.RandomGenerator;

import org.gequiv.activation.HermiteCoefficients;
import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

class OdeInitialStateTest {

    static final int N = 60;
    static final int D = 20;
    static final int K = 2;
    static final int M = 3;

    /** Analytic moments of x = sign(Ac/√D) (docs/theory.md §2.3). */
    static Moments signMoments(int n, int d, long seed) {
        HermiteCoefficients h = StandardActivation.SIGN.hermite();
        double[] a = new double[n * d];
        RandomStreams.fillGaussian(RandomStreams.stream(seed, RandomStreams.GENERATOR_WEIGHTS), a, a.length);
        double[] omega = new double[n * n];
        LinearAlgebra.get().gemm(false, true, n, n, d, h.kappa1() * h.kappa1() / d, a, a, 0.0, omega);
        for (int i = 0; i < n; i++) {
            omega[i * n + i] += h.kappaStar() * h.kappaStar();
        }
        double[] phi = new double[n * d];
        for (int i = 0; i < phi.length; i++) {
            phi[i] = h.kappa1() / Math.sqrt(d) * a[i];
        }
        return new Moments(n, d, new double[n], omega, phi, 0, Map.of("test", "sign"));
    }

    static TwoLayerNetwork network(int hidden, int dim, String stream) {
        RandomGenerator rng = RandomStreams.stream(11, stream);
        double[] w = new double[hidden * dim];
        RandomStreams.fillGaussian(rng, w, w.length);
        double[] v = new double[hidden];
        RandomStreams.fillGaussian(rng, v, hidden);
        return new TwoLayerNetwork(hidden, dim, w, v, StandardActivation.ERF);
    }

    @Test
    void latentTeacherDensitiesReproduceTheOrderParametersByDefinition() {
        Moments mo = signMoments(N, D, 3);
        TwoLayerNetwork student = network(K, N, "student");
        TwoLayerNetwork teacher = network(M, D, "teacher");
        OdeInitialState s = OdeInitialState.fromWeights(TeacherInput.LATENT, teacher, student, mo);
        assertEquals((double) D / N, s.delta(), 0.0, "δ = D/N, derived");
        double[] w = student.firstLayer();
        double[] th = teacher.firstLayer();
        double[] om = mo.omega();
        double[] phi = mo.phi();
        // eigendecomposition and projections reproduce the definitions of §2.1/§3.1 up to rounding
        double tol = 1e-10;
        double[] q = s.orderQ();
        double[] r = s.orderR();
        double[] tt = s.orderTildeT();
        for (int k = 0; k < K; k++) {
            for (int l = 0; l < K; l++) {
                double direct = 0;
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < N; j++) {
                        direct += w[k * N + i] * om[i * N + j] * w[l * N + j];
                    }
                }
                assertEquals(direct / N, q[k * K + l], tol * Math.max(1, Math.abs(direct / N)), "Q");
            }
            for (int m = 0; m < M; m++) {
                double direct = 0;
                for (int i = 0; i < N; i++) {
                    for (int c = 0; c < D; c++) {
                        direct += w[k * N + i] * phi[i * D + c] * th[m * D + c];
                    }
                }
                assertEquals(direct / Math.sqrt((double) N * D), r[k * M + m], tol, "R = wΦθ/√(ND)");
            }
        }
        for (int n = 0; n < M; n++) {
            for (int m = 0; m < M; m++) {
                double tdirect = 0;
                for (int c = 0; c < D; c++) {
                    tdirect += th[n * D + c] * th[m * D + c];
                }
                assertEquals(tdirect / D, s.t()[n * M + m], tol, "T = θθᵀ/D");
                double ttdirect = 0;
                for (int i = 0; i < N; i++) {
                    double a = 0;
                    double b = 0;
                    for (int c = 0; c < D; c++) {
                        a += phi[i * D + c] * th[n * D + c];
                        b += phi[i * D + c] * th[m * D + c];
                    }
                    ttdirect += a * b;
                }
                assertEquals(ttdirect / N, tt[n * M + m], tol * Math.max(1, Math.abs(ttdirect / N)), "T̃ = θΦᵀΦθᵀ/N");
            }
        }
    }

    @Test
    void inputTeacherUsesOmegaForRAndT() {
        Moments mo = signMoments(N, D, 4);
        TwoLayerNetwork student = network(K, N, "student");
        TwoLayerNetwork teacher = network(M, N, "teacher");
        OdeInitialState s = OdeInitialState.fromWeights(TeacherInput.INPUT, teacher, student, mo);
        double[] w = student.firstLayer();
        double[] th = teacher.firstLayer();
        double[] om = mo.omega();
        double tol = 1e-10;
        for (int k = 0; k < K; k++) {
            for (int m = 0; m < M; m++) {
                double direct = 0;
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < N; j++) {
                        direct += w[k * N + i] * om[i * N + j] * th[m * N + j];
                    }
                }
                assertEquals(direct / N, s.orderR()[k * M + m], tol * Math.max(1, Math.abs(direct / N)), "R = wΩθ/N");
            }
        }
        double direct = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                direct += th[i] * om[i * N + j] * th[j];
            }
        }
        assertEquals(direct / N, s.t()[0], tol * Math.max(1, direct / N), "T = θΩθ/N");
    }

    /**
     * The initial state is the same bits as it was computed before issue 11 kept the eigenvectors
     * resident (the heap eigenvectors of {@link LinearAlgebra#symmetricEigen} and one heap GEMM
     * [W; B]·U), for moments whose Ω is checked here and for analytic ones that skip the check, with
     * the teacher on either side.
     */
    @Test
    void densitiesAreThoseOfTheHeapEigenvectorsBitForBit() {
        Moments unchecked = signMoments(N, D, 8);
        Moments analytic = org.gequiv.generator.DeepRandomGenerator.singleLayer(D, N, StandardActivation.RELU,
                org.gequiv.generator.CovarianceRule.EXACT, 8).analyticMoments().orElseThrow();
        assertTrue(analytic.omegaChecked() && !unchecked.omegaChecked(), "one moments record of each kind");
        for (Moments mo : new Moments[] {unchecked, analytic}) {
            for (TeacherInput side : TeacherInput.values()) {
                TwoLayerNetwork student = network(K, N, "student");
                TwoLayerNetwork teacher = network(M, side == TeacherInput.LATENT ? D : N, "teacher");
                OdeInitialState s = OdeInitialState.fromWeights(side, teacher, student, mo);
                LinearAlgebra la = LinearAlgebra.get();
                org.gequiv.linalg.SymmetricEigen eigen = la.symmetricEigen(N, mo.omega());
                double[] rows = new double[(K + M) * N];
                System.arraycopy(student.firstLayer(), 0, rows, 0, K * N);
                if (side == TeacherInput.LATENT) {
                    double[] thetaPhi = new double[M * N];
                    la.gemm(false, true, M, N, D, 1.0, teacher.firstLayer(), mo.phi(), 0.0, thetaPhi);
                    System.arraycopy(thetaPhi, 0, rows, K * N, M * N);
                } else {
                    System.arraycopy(teacher.firstLayer(), 0, rows, K * N, M * N);
                }
                double[] projected = new double[(K + M) * N];
                la.gemm(false, false, K + M, N, N, 1.0, rows, eigen.vectors(), 0.0, projected);
                String what = (mo.omegaChecked() ? "analytic" : "checked") + " moments, teacher on the " + side.id();
                assertBits(eigen.values(), s.rho(), what + ": ρ");
                for (int a = 0; a < K; a++) {
                    for (int tau = 0; tau < N; tau++) {
                        double wa = projected[a * N + tau];
                        for (int b = 0; b < K; b++) {
                            assertBits(wa * projected[b * N + tau], s.q()[(a * K + b) * N + tau], what + ": q");
                        }
                        for (int m = 0; m < M; m++) {
                            assertBits(wa * projected[(K + m) * N + tau], s.r()[(a * M + m) * N + tau], what + ": r");
                        }
                    }
                }
            }
        }
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertBits(expected[i], actual[i], what + " at " + i);
        }
    }

    private static void assertBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                what + ": " + expected + " against " + actual);
    }

    @Test
    void asymmetricOmegaIsRejectedNamingTheEntry() {
        Moments good = signMoments(N, D, 5);
        double[] om = good.omega().clone();
        om[3 * N + 7] += 1e-3;
        Moments bad = new Moments(N, D, good.mean(), om, good.phi(), 0, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OdeInitialState
                .fromWeights(TeacherInput.LATENT, network(M, D, "t"), network(K, N, "s"), bad));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        assertTrue(e.getMessage().contains("(i, j) = (7, 3)") || e.getMessage().contains("(i, j) = (3, 7)"),
                e.getMessage());
        assertTrue(e instanceof org.gequiv.validation.InvalidInputException, "bad input, not a bug: " + e);
    }

    @Test
    void negativeEigenvalueIsRejectedSayingWhich() {
        Moments good = signMoments(N, D, 6);
        double[] om = good.omega().clone();
        // subtract more than the noise floor κ*² from the diagonal: eigenvalues of the bulk turn negative
        for (int i = 0; i < N; i++) {
            om[i * N + i] -= 0.5;
        }
        Moments bad = new Moments(N, D, good.mean(), om, good.phi(), 0, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OdeInitialState
                .fromWeights(TeacherInput.LATENT, network(M, D, "t"), network(K, N, "s"), bad));
        assertTrue(e.getMessage().contains("positive semi-definite"), e.getMessage());
        assertTrue(e.getMessage().contains("got eigenvalue -"), e.getMessage());
        assertTrue(e instanceof org.gequiv.validation.InvalidInputException, "bad input, not a bug: " + e);
        // a round-off-sized negative eigenvalue (below 1e-8‖Ω‖ in size) is accepted
        double[] om2 = good.omega().clone();
        double kappaStar2 = Math.pow(StandardActivation.SIGN.hermite().kappaStar(), 2);
        for (int i = 0; i < N; i++) {
            om2[i * N + i] -= kappaStar2 + 1e-12;
        }
        Moments edge = new Moments(N, D, good.mean(), om2, good.phi(), 0, Map.of());
        OdeInitialState ok = OdeInitialState.fromWeights(TeacherInput.LATENT, network(M, D, "t"), network(K, N, "s"), edge);
        assertTrue(ok.rho()[0] < 0 && ok.rho()[0] > -1e-9, "smallest eigenvalue " + ok.rho()[0]);
    }
}
