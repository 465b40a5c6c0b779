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
        org.gequiv.validation.Checks.atLeast("n", n, 1);
        org.gequiv.validation.Checks.atLeast("d", d, 1);
    }

    /** D = max(1, round(δN)) for each N: the proportional limit of docs/theory.md §1.1 (δ = D/N). */
    public static List<SweepSize> fixedRatio(int[] sizes, double delta) {
        org.gequiv.validation.Checks.positive("delta", delta);
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
