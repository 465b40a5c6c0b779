package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.random.RandomGenerator;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.parallel.StopRequest;
import org.gequiv.progress.Progress;
import org.gequiv.random.RandomStreams;
import org.gequiv.spectral.LanczosOptions;
import org.gequiv.spectral.SpectralChoice;
import org.gequiv.spectral.SpectralMethod;
import org.gequiv.spectral.SpectralTheory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The saddle point on the Lanczos quadrature of the spectra (docs/theory.md §5.12, "ERM (§6)"): the
 * teacher's single-vector Gauss rule by definition (moments), agreement with the eigen path (the
 * reference) to the accuracy issue 14 asks — 1e-8 relative for ridge, 1e-6 for logistic — and the
 * a-posteriori estimate bounding the actual difference; and a spectrum on which Gauss convergence is
 * slow (λ = 0 at α &gt; 1 with ω down to 1e-6), where the estimate must miss the tolerance so that auto
 * falls back.
 */
class TeacherQuadratureTest {

    /** Ω = U diag(ω) Uᵀ with a random orthogonal U (seeded) and b = U √t. */
    private static CovariateModel withSpectrum(double[] omega, double[] t, double rho, double gamma, long seed) {
        int d = omega.length;
        RandomGenerator rng = RandomStreams.stream(seed, "test-orthogonal");
        double[] g = new double[d * d];
        RandomStreams.fillGaussian(rng, g, g.length);
        // orthonormal columns by modified Gram–Schmidt (U row-major, column c at u[i*d + c])
        double[] u = g.clone();
        for (int c = 0; c < d; c++) {
            for (int k = 0; k < c; k++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += u[i * d + c] * u[i * d + k];
                }
                for (int i = 0; i < d; i++) {
                    u[i * d + c] -= dot * u[i * d + k];
                }
            }
            double norm = 0;
            for (int i = 0; i < d; i++) {
                norm += u[i * d + c] * u[i * d + c];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                u[i * d + c] /= norm;
            }
        }
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += u[i * d + c] * omega[c] * u[j * d + c];
                }
                a[i * d + j] = s;
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                a[j * d + i] = a[i * d + j];
            }
        }
        double[] b = new double[d];
        for (int i = 0; i < d; i++) {
            for (int c = 0; c < d; c++) {
                b[i] += u[i * d + c] * Math.sqrt(t[c]);
            }
        }
        return new CovariateModel(d, a, b, rho, gamma, "test", "synthetic Ω");
    }

    /**
     * By definition (Golub–Meurant): the m-step rule of b has Σ_j t_j θ_j^k = bᵀΩ^k b for every k ≤ 2m − 1,
     * to round-off (1e-11 relative to ‖b‖²‖Ω‖^k: the Lanczos basis is orthonormal to ~1e-15 and the
     * moments are sums of 40 terms of that accuracy), and not for k = 2m. The first d nodes are the
     * eigenvalues of Ω with plain weight 1 and t = 0.
     */
    @Test
    void theTeacherRuleOfMStepsIntegratesPolynomialsOfDegreeUpToTwoMMinusOneExactly() {
        int d = 40;
        double[] omega = new double[d];
        double[] t = new double[d];
        for (int i = 0; i < d; i++) {
            omega[i] = 0.2 + 1.8 * i / (d - 1.0);
            t[i] = 0.01 * (1 + (i % 3));
        }
        CovariateModel model = withSpectrum(omega, t, 1.0, 1.0, 5);
        TeacherQuadrature q = model.quadrature();
        double[] exact = q.eigenvalues();
        for (int i = 0; i < d; i++) {
            assertEquals(omega[i], exact[i], 1e-13, "eigenvalue " + i);
        }
        // bᵀΩ^k b from the spectrum itself
        for (int m = 1; m <= 6; m++) {
            q.extend(m);
            Spectra s = q.spectra(m);
            double[] nodes = s.omega();
            double[] weights = s.weights();
            double[] tt = s.t();
            assertEquals(d + m, nodes.length);
            for (int i = 0; i < d; i++) {
                assertEquals(1.0, weights[i]);
                assertEquals(0.0, tt[i]);
            }
            for (int k = 0; k <= 2 * m; k++) {
                double expected = 0;
                for (int i = 0; i < d; i++) {
                    expected += t[i] * Math.pow(omega[i], k);
                }
                double rule = 0;
                for (int j = d; j < nodes.length; j++) {
                    assertEquals(0.0, weights[j], "Gauss nodes carry no plain weight");
                    rule += tt[j] * Math.pow(nodes[j], k);
                }
                double scale = Math.pow(2.0, k) * 0.8;
                if (k <= 2 * m - 1) {
                    assertEquals(expected, rule, 1e-11 * scale, "m = " + m + ", degree " + k);
                } else {
                    assertTrue(Math.abs(expected - rule) > 1e-8 * scale, "degree 2m = " + k + " is not exact");
                }
            }
        }
    }

    private static double[] relativeDifferences(List<ErmPoint> a, List<ErmPoint> b) {
        double[] out = new double[a.size()];
        for (int i = 0; i < a.size(); i++) {
            out[i] = SaddlePointSolver.relativeChange(a.get(i), b.get(i));
        }
        return out;
    }

    private static double max(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * Against the eigen path at small N, for input and random features of sign and tanh generators:
     * every point within 1e-8 relative (ridge, over α ∈ {0.25 … 3} and λ ∈ {1e-3 … 1}) or 1e-6
     * (logistic) in ε_g, ε_t, V, q, m, at the default tolerance, with every saddle point converged; and
     * the sweep's estimate at least the largest actual difference.
     */
    @ParameterizedTest(name = "{0} {1} N={2} {3} features")
    @CsvSource({
        "ridge, sign, 100, input, 1e-8",
        "ridge, sign, 200, input, 1e-8",
        "ridge, tanh, 150, input, 1e-8",
        "ridge, sign, 120, random, 1e-8",
        "ridge, sign, 60, latent, 1e-8",
        "square-class, sign, 100, input, 1e-8",
        "logistic, sign, 100, input, 1e-6",
        "logistic, tanh, 150, random, 1e-6"
    })
    void agreesWithTheEigenPathAndTheEstimateBoundsTheDifference(String loss, String activation, int n,
                                                                 String features, double agreement) {
        Generator g = DeepRandomGenerator.singleLayer(n / 5, n, StandardActivation.byId(activation),
                CovarianceRule.EXACT, 11);
        FeatureSpec fs = switch (features) {
            case "input" -> FeatureSpec.input();
            case "random" -> FeatureSpec.random(n + 20, StandardActivation.ERF);
            default -> FeatureSpec.latent();
        };
        ErmProblem problem = ErmProblem.create(g, fs, 3);
        boolean logistic = loss.equals("logistic");
        double[] alphas = logistic ? new double[] {0.5, 1, 2} : new double[] {0.25, 0.5, 1, 1.5, 2, 3};
        double[] lambdas = logistic ? new double[] {0.01, 0.1, 1} : new double[] {1e-3, 0.01, 0.1, 1};
        ErmSpec spec = new ErmSpec(ErmLoss.byId(loss), alphas, lambdas, 0.0, 1, 100, 3);
        SaddlePointSolver solver = new SaddlePointSolver();
        List<ErmPoint> eigen = solver.sweep(spec, problem.analyticSpectra());
        QuadratureSweep lanczos = solver.sweep(spec, problem.analyticCovariance().quadrature(),
                LanczosOptions.defaults(), Progress.NONE, StopRequest.NEVER);
        assertEquals(eigen.size(), lanczos.points().size());
        for (int i = 0; i < eigen.size(); i++) {
            assertTrue(eigen.get(i).converged() && lanczos.points().get(i).converged(), "point " + i + " converged");
        }
        double[] diff = relativeDifferences(lanczos.points(), eigen);
        double worst = max(diff);
        assertTrue(worst <= agreement, "largest relative difference " + worst + " > " + agreement);
        if (lanczos.exact()) {
            // an exhausted Krylov space: only the two solvers' stopping errors remain (rel. 1e-10)
            assertEquals(0.0, lanczos.errorEstimate());
        } else {
            assertTrue(worst <= lanczos.errorEstimate(), "estimate " + lanczos.errorEstimate()
                    + " below the actual difference " + worst);
            assertTrue(lanczos.errorEstimate() <= LanczosOptions.DEFAULT_TOLERANCE);
        }
        assertEquals(problem.featureDimension(), lanczos.plainNodes());
    }

    /**
     * λ = 0 at α = 2 (ridge) on ω log-spaced over [1e-6, 1]: the pole of t/(V̂ω) sits at 0, below an
     * eigenvalue 1e-6, and the Gauss rule converges slowly (κ = 1e6). The estimate must see it — above
     * the tolerance and at least the actual difference from the eigen path — so that auto falls back.
     */
    @Test
    void slowGaussConvergenceAtLambdaZeroIsSeenByTheEstimateAndAutoFallsBack() {
        int d = 300;
        double[] omega = new double[d];
        double[] t = new double[d];
        for (int i = 0; i < d; i++) {
            omega[i] = Math.pow(10, -6 + 6.0 * i / (d - 1));
            t[i] = 0.5 * omega[i] + 1e-3 * Math.sqrt(omega[i]);
        }
        double rho = 1.0;
        CovariateModel model = withSpectrum(omega, t, rho, 1.0, 9);
        ErmSpec spec = new ErmSpec(ErmLoss.RIDGE, new double[] {2.0, 3.0}, new double[] {0.0}, 0.0, 1, 100, 1);
        SaddlePointSolver solver = new SaddlePointSolver();
        List<ErmPoint> eigen = solver.sweep(spec, model.spectra());
        LanczosOptions options = LanczosOptions.defaults().withTolerance(1e-8);
        QuadratureSweep lanczos = solver.sweep(spec, model.quadrature(), options, Progress.NONE, StopRequest.NEVER);
        double worst = max(relativeDifferences(lanczos.points(), eigen));
        assertFalse(lanczos.exact());
        assertTrue(lanczos.errorEstimate() > options.tolerance(), "estimate " + lanczos.errorEstimate());
        assertTrue(worst <= lanczos.errorEstimate(), "estimate " + lanczos.errorEstimate() + " below " + worst);
        SpectralChoice choice = SpectralTheory.choose(SpectralMethod.AUTO, lanczos.errorEstimate(), 0.0, options, true);
        assertEquals(SpectralMethod.EIGEN, choice.method());
        assertTrue(choice.fellBack());
    }

    /**
     * The default ERM case at N = 1000 (sign generator, D = 100, input features, ridge at λ = 0.1 over
     * the default 12 α, and logistic at three α): within 1e-8 and 1e-6 of the eigen path, the estimate
     * bounding the difference.
     */
    @Test
    void agreesAtNEqualsAThousand() {
        Generator g = DeepRandomGenerator.singleLayer(100, 1000, StandardActivation.SIGN, CovarianceRule.EXACT, 0);
        ErmProblem problem = ErmProblem.create(g, FeatureSpec.input(), 0);
        double[] alphas = new double[12];
        for (int i = 0; i < 12; i++) {
            alphas[i] = 0.25 + 0.25 * i;
        }
        Spectra spectra = problem.analyticSpectra();
        CovariateModel model = problem.analyticCovariance();
        SaddlePointSolver solver = new SaddlePointSolver();
        Object[][] cases = {{ErmLoss.RIDGE, alphas, 1e-8}, {ErmLoss.LOGISTIC, new double[] {0.5, 1, 2}, 1e-6}};
        for (Object[] c : cases) {
            ErmSpec spec = new ErmSpec((ErmLoss) c[0], (double[]) c[1], new double[] {0.1}, 0.0, 1, 100, 0);
            List<ErmPoint> eigen = solver.sweep(spec, spectra);
            QuadratureSweep lanczos = solver.sweep(spec, model.quadrature(), LanczosOptions.defaults(), Progress.NONE,
                    StopRequest.NEVER);
            double worst = max(relativeDifferences(lanczos.points(), eigen));
            assertTrue(worst <= (double) c[2], c[0] + ": " + worst);
            assertTrue(worst <= lanczos.errorEstimate(), c[0] + ": estimate " + lanczos.errorEstimate() + " < " + worst);
        }
    }

    /**
     * By definition of the weighted averages ({@link Spectra}): the eigen spectra (ω_i, t_i) and the
     * same nodes split into a plain copy (w = 1, t = 0) and a teacher copy (w = 0, t_i) give the same
     * saddle point to round-off (1e-13 relative), and d counts the plain weights only. Bad weights are
     * refused under the field weights.
     */
    @Test
    void splittingTheNodesIntoPlainAndTeacherCopiesLeavesTheSaddlePoint() {
        double[] omega = {0.3, 0.7, 1.1, 2.5};
        double[] t = {0.05, 0.2, 0.1, 0.4};
        Spectra plain = new Spectra(omega, t, 1.0, 0.5);
        double[] nodes = new double[8];
        double[] tt = new double[8];
        double[] w = new double[8];
        for (int i = 0; i < 4; i++) {
            nodes[i] = omega[i];
            w[i] = 1;
            nodes[4 + i] = omega[i];
            tt[4 + i] = t[i];
        }
        Spectra split = new Spectra(nodes, tt, 1.0, 0.5, w);
        assertEquals(4, split.dimension());
        assertEquals(8, split.nodes());
        assertEquals(plain.explainedVariance(), split.explainedVariance(), 1e-15);
        SaddlePointSolver solver = new SaddlePointSolver();
        for (ErmLoss loss : new ErmLoss[] {ErmLoss.RIDGE, ErmLoss.LOGISTIC}) {
            ErmPoint a = solver.solve(loss, plain, 1.5, 0.1, 0.0, null);
            ErmPoint b = solver.solve(loss, split, 1.5, 0.1, 0.0, null);
            assertTrue(SaddlePointSolver.relativeChange(b, a) < 1e-13, loss + ": " + SaddlePointSolver.relativeChange(b, a));
        }
        assertEquals("weights", org.junit.jupiter.api.Assertions.assertThrows(
                org.gequiv.validation.InvalidInputException.class,
                () -> new Spectra(omega, t, 1.0, 0.5, new double[] {1, 1, -1, 1})).field());
        assertEquals("weights", org.junit.jupiter.api.Assertions.assertThrows(
                org.gequiv.validation.InvalidInputException.class,
                () -> new Spectra(omega, t, 1.0, 0.5, new double[] {1, 1})).field());
        assertEquals("weights", org.junit.jupiter.api.Assertions.assertThrows(
                org.gequiv.validation.InvalidInputException.class,
                () -> new Spectra(omega, t, 1.0, 0.5, new double[4])).field());
    }

    /** A teacher the features cannot see (b = 0): no Lanczos process, the teacher measure is zero and exact. */
    @Test
    void aZeroTeacherDirectionIsExactWithoutNodes() {
        int d = 5;
        double[] omega = new double[d * d];
        for (int i = 0; i < d; i++) {
            omega[i * d + i] = 1 + i;
        }
        TeacherQuadrature q = new CovariateModel(d, omega, new double[d], 1.0, 1.0, "test", null).quadrature();
        assertTrue(q.exhausted());
        assertEquals(0, q.steps());
        Spectra s = q.spectra(0);
        assertEquals(d, s.nodes());
        assertEquals(0.0, max(s.t()));
        assertEquals(LinearAlgebra.get().symmetricEigenvalues(d, omega)[4], s.omega()[4]);
    }
}
