package org.gequiv.erm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Proximal operators of the losses (docs/theory.md §6.4), checked by their definitions. */
class ProximalTest {

    /** Stationarity of the logistic prox in units of the loss slope (≤ 1): near machine precision. */
    private static final double STATIONARITY = 1e-12;

    @Test
    void logisticProxIsStationaryForLargeAndSmallV() {
        // includes V = 67.6 (D1 logistic, α = 0.5, where plain Newton from ω diverges) and V = 12.4
        // at yω ≈ −4.5, where undamped Newton cycles across the inflection of ℓ'
        LogisticLoss loss = LogisticLoss.INSTANCE;
        for (double v : new double[] {1e-3, 0.5, 3.0, 12.4, 67.6, 1e3}) {
            for (double omega = -60; omega <= 60; omega += 0.0137) {
                for (double y : new double[] {1, -1}) {
                    double z = loss.prox(y, omega, v);
                    double g = (z - omega) / v + loss.derivative(y, z);
                    // (z − ω)/V carries the solver's stopping precision on z, 1e-15(1 + |z|), amplified by 1/V
                    double tol = STATIONARITY + 2e-15 * (1 + Math.abs(z)) / v;
                    assertTrue(Math.abs(g) <= tol, "V=" + v + " y=" + y + " omega=" + omega + " g=" + g);
                    // the root lies in the documented bracket [ω, ω + V] (y = +1) / [ω − V, ω] (y = −1)
                    // (up to the rounding of z)
                    double slack = 1e-14 * (1 + Math.abs(omega));
                    assertTrue(y * (z - omega) >= -slack && y * (z - omega) <= v + slack, "bracket");
                }
            }
        }
    }

    @Test
    void logisticProxSlopeMatchesFiniteDifference() {
        LogisticLoss loss = LogisticLoss.INSTANCE;
        double h = 1e-6;
        for (double omega : new double[] {-3, -0.2, 0.4, 2.5}) {
            double z = loss.prox(1, omega, 4.0);
            double fd = (loss.prox(1, omega + h, 4.0) - loss.prox(1, omega - h, 4.0)) / (2 * h);
            // central difference error O(h²·prox''') plus round-off 1e-16/h: far below 1e-8
            assertEquals(fd, loss.proxSlope(1, z, omega, 4.0), 1e-8);
        }
    }

    @Test
    void hingeProxMinimisesTheMoreauObjective() {
        // brute-force check of the three-piece closed form on a fine grid of z (spacing 1e-4)
        HingeLoss loss = HingeLoss.INSTANCE;
        double v = 0.7;
        for (double omega = -3; omega <= 3; omega += 0.173) {
            for (double y : new double[] {1, -1}) {
                double z = loss.prox(y, omega, v);
                double best = Double.POSITIVE_INFINITY;
                double arg = 0;
                for (double c = -6; c <= 6; c += 1e-4) {
                    double f = (c - omega) * (c - omega) / (2 * v) + loss.value(y, c);
                    if (f < best) {
                        best = f;
                        arg = c;
                    }
                }
                assertEquals(arg, z, 2e-4);
            }
        }
    }

    @Test
    void squareProxIsTheClosedForm() {
        assertEquals((0.3 + 2 * 1.0) / 3.0, SquareLoss.INSTANCE.prox(1.0, 0.3, 2.0), 1e-15);
    }
}
