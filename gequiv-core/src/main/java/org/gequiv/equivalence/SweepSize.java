package org.gequiv.equivalence;

import java.util.ArrayList;
import java.util.List;

/**
 * One size of a sweep: input dimension N and latent dimension D.
 *
 * @param n N ≥ 1
 * @param d D ≥ 1
 */
public record SweepSize(int n, int d) {

    public SweepSize {
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("sizes must be >= 1, got N = " + n + ", D = " + d);
        }
    }

    /** D = max(1, round(δN)) for each N: the proportional limit of docs/theory.md §1.1 (δ = D/N). */
    public static List<SweepSize> fixedRatio(int[] sizes, double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be positive and finite, got " + delta);
        }
        List<SweepSize> out = new ArrayList<>();
        for (int n : sizes) {
            out.add(new SweepSize(n, (int) Math.max(1, Math.round(delta * n))));
        }
        return out;
    }

    /** The same D at every N (δ → 0 as N grows). */
    public static List<SweepSize> fixedLatent(int[] sizes, int d) {
        List<SweepSize> out = new ArrayList<>();
        for (int n : sizes) {
            out.add(new SweepSize(n, d));
        }
        return out;
    }
}
