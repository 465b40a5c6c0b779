package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Closed forms, limits and definitions of the saddle-point equations (docs/theory.md §6.3–§6.5). */
class SaddlePointClosedFormTest {

    /** Converged to 1e-15/1e-13, so comparisons to closed forms are limited by round-off only. */
    private static final SaddlePointSolver TIGHT = new SaddlePointSolver(
            SaddlePointOptions.defaults().withTolerances(1e-15, 1e-13));
    /** Round-off of a few hundred damped iterations on numbers of order one. */
    private static final double ROUNDOFF = 1e-13;

    /**
     * A non-isotropic spectrum: ω uniform in [0.1, 3], t/ω exponential, γ = 0.6, and ρ 0.3 above
     * the explained variance ⟨t/ω⟩/γ (a teacher partly outside the features' reach).
     */
    static Spectra structured(int d, long seed) {
        Random r = new Random(seed);
        double[] omega = new double[d];
        double[] t = new double[d];
        double explained = 0;
        for (int i = 0; i < d; i++) {
            omega[i] = 0.1 + 2.9 * r.nextDouble();
            t[i] = -Math.log(1 - r.nextDouble()) * omega[i];
            explained += t[i] / omega[i];
        }
        double gamma = 0.6;
        return new Spectra(omega, t, explained / d / gamma + 0.3, gamma);
    }

    @Test
    void ridgeIsotropicAtAlphaTwoLambdaOneIsExact() {
        // V² + 2V − 1 = 0 gives V = √2 − 1, then m = 2 − √2 and ε_g = (√2 − 1)/2
        ErmPoint p = TIGHT.solve(ErmLoss.RIDGE, Spectra.isotropic(3), 2.0, 1.0, 0.0, null);
        assertEquals(Math.sqrt(2) - 1, p.v(), ROUNDOFF);
        assertEquals(2 - Math.sqrt(2), p.m(), ROUNDOFF);
        assertEquals((Math.sqrt(2) - 1) / 2, p.testError(), ROUNDOFF);
    }

    @Test
    void largeLambdaLimit() {
        // λ → ∞: V = ⟨ω⟩/λ, m = α⟨t⟩/(γλ), q = O(λ⁻²), ε_g → ρ; corrections are O(αω/λ) relative
        Spectra s = structured(50, 1);
        double lambda = 1e7;
        double alpha = 1.5;
        ErmPoint p = TIGHT.solve(ErmLoss.RIDGE, s, alpha, lambda, 0.0, null);
        double meanOmega = mean(s.omega());
        double meanT = mean(s.t());
        double tol = 1e-5; // ≫ αω/λ ≈ 5e-7
        assertEquals(meanOmega / lambda, p.v(), tol * meanOmega / lambda);
        assertEquals(alpha * meanT / (s.gamma() * lambda), p.m(), tol * alpha * meanT / (s.gamma() * lambda));
        assertEquals(s.rho(), p.testError(), 1e-5);
    }

    @Test
    void smallAlphaLimit() {
        // α → 0: the hats vanish, V = ⟨ω⟩/λ exactly, q and m vanish linearly in α, ε_g → ρ
        Spectra s = structured(40, 2);
        double lambda = 0.3;
        for (ErmLoss loss : ErmLoss.values()) {
            ErmPoint p = TIGHT.solve(loss, s, 1e-9, lambda, 0.0, null);
            assertTrue(p.converged(), loss + " converged");
            assertEquals(mean(s.omega()) / lambda, p.v(), 1e-7 * p.v(), loss + " V");
            assertTrue(Math.abs(p.m()) < 1e-7 && p.q() < 1e-7, loss + " q, m vanish");
        }
        assertEquals(s.rho(), TIGHT.solve(ErmLoss.RIDGE, s, 1e-9, lambda, 0.0, null).testError(), 1e-7);
    }

    @ParameterizedTest
    @EnumSource(ErmLoss.class)
    void fixedPointSatisfiesItsOwnEquations(ErmLoss loss) {
        Spectra s = structured(30, 3);
        SaddlePointOptions opts = SaddlePointOptions.defaults().withTolerances(1e-12, 1e-10);
        SaddlePointSolver solver = new SaddlePointSolver(opts);
        ErmPoint p = solver.solve(loss, s, 1.3, 0.05, 0.0, null);
        assertTrue(p.converged());
        Overlaps f = solver.update(loss, s, 1.3, 0.05, 0.0, p.overlaps());
        double r = Math.max(Math.abs(f.v() - p.v()), Math.max(Math.abs(f.q() - p.q()), Math.abs(f.m() - p.m())));
        // the reported residual is exactly this quantity, and the returned point is the one that met
        // the criterion |F(x) − x| ≤ abs + rel·|F(x)| component by component
        assertEquals(r, p.residual(), 1e-15);
        assertTrue(Math.abs(f.v() - p.v()) <= 1e-12 + 1e-10 * f.v(), "V residual");
        assertTrue(Math.abs(f.q() - p.q()) <= 1e-12 + 1e-10 * f.q(), "q residual");
        assertTrue(Math.abs(f.m() - p.m()) <= 1e-12 + 1e-10 * Math.abs(f.m()), "m residual");
    }

    @Test
    void generalConvexPathReproducesSquareClassificationClosedForm() {
        // the square loss through its prox and Gauss–Hermite quadrature vs the closed-form hats;
        // the integrands are smooth, so 200 nodes leave only round-off (bound 1e-9 relative)
        Spectra s = structured(30, 4);
        for (double noise : new double[] {0.0, 0.3}) {
            ErmPoint closed = TIGHT.solve(ErmLoss.SQUARE_CLASSIFICATION, s, 0.8, 0.1, noise, null);
            ErmPoint general = TIGHT.solve(SquareLoss.INSTANCE, s, 0.8, 0.1, noise, null);
            SaddlePointReferenceTest.assertRelative(closed.v(), general.v(), 1e-9, "V");
            SaddlePointReferenceTest.assertRelative(closed.q(), general.q(), 1e-9, "q");
            SaddlePointReferenceTest.assertRelative(closed.m(), general.m(), 1e-9, "m");
            // ¼ (code convention) against ½ of the plain square loss
            SaddlePointReferenceTest.assertRelative(2 * closed.trainLoss(), general.trainLoss(), 1e-9, "train");
        }
    }

    @Test
    void quadratureIsConvergedAtDefaultNodes() {
        // logistic and hinge: doubling the nodes moves V, q, m by less than 1e-7 relative
        Spectra s = structured(20, 5);
        for (ErmLoss loss : new ErmLoss[] {ErmLoss.LOGISTIC, ErmLoss.HINGE}) {
            ErmPoint a = TIGHT.solve(loss, s, 1.0, 0.05, 0.0, null);
            ErmPoint b = new SaddlePointSolver(TIGHT.options().withQuadratureNodes(400)).solve(loss, s, 1.0, 0.05, 0.0, null);
            SaddlePointReferenceTest.assertRelative(b.v(), a.v(), 1e-7, loss + " V");
            SaddlePointReferenceTest.assertRelative(b.q(), a.q(), 1e-7, loss + " q");
            SaddlePointReferenceTest.assertRelative(b.m(), a.m(), 1e-7, loss + " m");
        }
    }

    @Test
    void optimalRidgeLambdaIsBayesOptimalOnIsotropicData() {
        // isotropic data with Gaussian label noise Δ and teacher variance ρ: ridge is Bayes-optimal
        // at λ = Δ/ρ for every α; golden section works to 1e-6 in log λ
        Spectra s = Spectra.isotropic(1);
        for (double alpha : new double[] {0.7, 3.0}) {
            SaddlePointSolver.OptimalLambda opt = TIGHT.optimalRidgeLambda(s, alpha, 0.5, 1e-4, 1e2);
            assertFalse(opt.atBoundary());
            assertEquals(0.5, opt.lambda(), 1e-4);
        }
    }

    @Test
    void nonConvergedPointIsFlaggedWithItsResidual() {
        SaddlePointSolver few = new SaddlePointSolver(SaddlePointOptions.defaults().withMaxIterations(3));
        ErmPoint p = few.solve(ErmLoss.LOGISTIC, Spectra.isotropic(1), 0.5, 0.01, 0.0, null);
        assertFalse(p.converged());
        assertEquals(3, p.iterations());
        assertTrue(p.residual() > 1e-3 && Double.isFinite(p.residual()), "residual " + p.residual());
    }

    @Test
    void sweepWarmStartsAgreeWithColdStarts() {
        // convex ERM has one saddle point: warm starts change the path, not the answer (tolerance
        // 1e-9 relative, a hundred times the convergence criterion)
        Spectra s = structured(25, 6);
        ErmSpec spec = ErmSpec.theory(ErmLoss.LOGISTIC, new double[] {0.5, 1, 2}, new double[] {0.1, 0.01}, 0.0);
        SaddlePointSolver solver = new SaddlePointSolver(SaddlePointOptions.defaults().withTolerances(1e-14, 1e-12));
        List<ErmPoint> warm = solver.sweep(spec, s);
        int cold = 0;
        int warmIterations = 0;
        for (ErmPoint w : warm) {
            ErmPoint c = solver.solve(ErmLoss.LOGISTIC, s, w.alpha(), w.lambda(), 0.0, null);
            assertTrue(w.converged() && c.converged(), "converged at alpha " + w.alpha() + ", lambda " + w.lambda());
            SaddlePointReferenceTest.assertRelative(c.q(), w.q(), 1e-9, "q");
            SaddlePointReferenceTest.assertRelative(c.m(), w.m(), 1e-9, "m");
            cold += c.iterations();
            warmIterations += w.iterations();
        }
        assertTrue(warmIterations < cold, "warm starts save iterations: " + warmIterations + " vs " + cold);
    }

    @ParameterizedTest
    @EnumSource(ErmLoss.class)
    void andersonAccelerationFindsTheSameFixedPointInFewerIterations(ErmLoss loss) {
        // both iterations stop at 1e-14/1e-12, so they agree to ~1e-10 relative (the contraction
        // of the damped map near the fixed point stretches the stopping error by at most ~100)
        Spectra s = structured(40, 7);
        SaddlePointOptions base = SaddlePointOptions.defaults().withTolerances(1e-14, 1e-12);
        ErmPoint plain = new SaddlePointSolver(base.withAnderson(0)).solve(loss, s, 1.7, 0.02, 0.0, null);
        ErmPoint fast = new SaddlePointSolver(base.withAnderson(3)).solve(loss, s, 1.7, 0.02, 0.0, null);
        assertTrue(plain.converged() && fast.converged());
        SaddlePointReferenceTest.assertRelative(plain.v(), fast.v(), 1e-10, "V");
        SaddlePointReferenceTest.assertRelative(plain.q(), fast.q(), 1e-10, "q");
        SaddlePointReferenceTest.assertRelative(plain.m(), fast.m(), 1e-10, "m");
        assertTrue(fast.iterations() < plain.iterations(), fast.iterations() + " vs " + plain.iterations());
    }

    static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }
}
