package org.gequiv.erm;

/**
 * One point of a full-batch learning curve, from either engine (docs/theory.md §6): the saddle point
 * ({@link SaddlePointSolver}) or the simulation ({@link ErmSimulation}).
 *
 * <p>Which engine a point comes from is told by the list that holds it ({@code ErmResult.theory()} or
 * {@code simulation()}), not by the point: {@code repeats = 0} marks a theory point and also a
 * simulation point interrupted before its first repeat (NaN numbers, {@code converged = false}).
 *
 * <p>Theory points have zero standard errors, {@code repeats = 0}, the hats, and the iteration's
 * convergence record; a point that did not converge has {@code converged = false} and its residual,
 * and its numbers must not be used as a prediction. Simulation points carry means over
 * {@code repeats} independent data sets with their standard errors, q and m measured on the test
 * set (V and the hats are NaN), {@code converged} true when every ERM solve converged,
 * {@code iterations} the largest solver iteration count and {@code residual} the largest final
 * optimality residual.
 *
 * @param alpha         α = n/d
 * @param lambda        λ
 * @param testError     ε_g (conventions of {@link ErmLoss})
 * @param testErrorSem  its standard error (0 for theory)
 * @param trainLoss     ε_t, mean training loss without penalty (conventions of {@link ErmLoss})
 * @param trainLossSem  its standard error (0 for theory)
 * @param v             V
 * @param q             q
 * @param m             m
 * @param vHat          V̂
 * @param qHat          q̂
 * @param mHat          m̂
 * @param converged     whether the solver met its criterion
 * @param iterations    iterations used
 * @param residual      theory: max |F(x) − x| over (V, q, m) at the returned point; simulation: the
 *                      largest final ERM optimality residual
 * @param repeats       number of simulated data sets, 0 for theory and for a simulation point that no
 *                      repeat reached
 */
public record ErmPoint(double alpha, double lambda, double testError, double testErrorSem, double trainLoss,
                       double trainLossSem, double v, double q, double m, double vHat, double qHat, double mHat,
                       boolean converged, int iterations, double residual, int repeats) {

    /** (V, q, m) as overlaps, for warm starts; only for theory points with V, q &gt; 0. */
    public Overlaps overlaps() {
        return new Overlaps(v, q, m);
    }
}
