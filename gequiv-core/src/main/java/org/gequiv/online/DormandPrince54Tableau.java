package org.gequiv.online;

/**
 * The coefficients of the Dormand–Prince 5(4) pair and nothing else (Dormand and Prince 1980;
 * Hairer, Nørsett and Wanner, Solving ODEs I, Table II.5.2 and §II.6): the stage matrix a_sj, the
 * fifth-order weights b (FSAL: the last stage is evaluated at y_new), the differences e = b − b̂
 * of the embedded fourth-order solution, and the coefficients d of the fourth-order continuous
 * extension. The step control that uses them is {@link EmbeddedStepControl}; the fused driver is
 * {@link DensityDormandPrince}. The fields are compile-time constants so that the fused loops can
 * inline them.
 */
final class DormandPrince54Tableau {

    /** Order of the propagated solution (the step-size exponent is −1/ORDER). */
    static final int ORDER = 5;
    /** Number of stages, the FSAL stage included. */
    static final int STAGES = 7;

    static final double A21 = 1.0 / 5;
    static final double A31 = 3.0 / 40, A32 = 9.0 / 40;
    static final double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    static final double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    static final double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176,
            A65 = -5103.0 / 18656;
    /** Weights of y_new (b2 = 0, b7 = 0); also the last row of the stage matrix (FSAL). */
    static final double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784,
            B6 = 11.0 / 84;
    /** Embedded error: fifth-order minus fourth-order weights (e2 = 0). */
    static final double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200,
            E6 = 22.0 / 525, E7 = -1.0 / 40;
    /** Dense output: the coefficients of the fourth-order continuous extension (d2 = 0). */
    static final double D1 = -12715105075.0 / 11282082432.0, D3 = 87487479700.0 / 32700410799.0,
            D4 = -10690763975.0 / 1880347072.0, D5 = 701980252875.0 / 199316789632.0,
            D6 = -1453857185.0 / 822651844.0, D7 = 69997945.0 / 29380423.0;

    /** Row s − 1 holds a_sj of stage s + 1 (s = 1..5), then the weights b of y_new (row 6). */
    private static final double[][] A = {
        {},
        {A21},
        {A31, A32},
        {A41, A42, A43},
        {A51, A52, A53, A54},
        {A61, A62, A63, A64, A65},
        {B1, 0, B3, B4, B5, B6},
    };

    private DormandPrince54Tableau() {
    }

    /** The coefficients a_{s+1, j} of stage s + 1 on k_1..k_s (s = 1..6; s = 6 gives b). */
    static double[] stageRow(int s) {
        return A[s].clone();
    }
}
