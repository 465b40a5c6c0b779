package org.gequiv.erm;

import java.util.List;

/**
 * The saddle points of a sweep on the Lanczos quadrature of the spectra ({@link TeacherQuadrature},
 * docs/theory.md §5.12, "ERM (§6)"), with how they were obtained.
 *
 * @param points          the points, in the sweep's order (as {@link SaddlePointSolver#sweep(ErmSpec, Spectra)})
 * @param blockSteps      m' of the teacher rule of the last point (the largest the sweep reached)
 * @param ruleNodes       Gauss nodes of that rule
 * @param plainNodes      nodes of the plain measure: the d eigenvalues of Ω
 * @param errorEstimate   the largest estimate over the points: the relative change of ε_g, ε_t, V, q, m
 *                        between the saddle points of the rules of m and m' steps (0 when every rule
 *                        was exact, infinite when a saddle point did not converge)
 * @param exact           whether every point was solved on the rule of an exhausted Krylov space
 */
public record QuadratureSweep(List<ErmPoint> points, int blockSteps, int ruleNodes, int plainNodes,
                              double errorEstimate, boolean exact) {

    public QuadratureSweep {
        points = List.copyOf(points);
    }
}
