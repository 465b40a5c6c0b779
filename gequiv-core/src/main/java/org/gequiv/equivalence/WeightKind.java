package org.gequiv.equivalence;

import java.util.Locale;
import org.gequiv.validation.Identifiers;

/**
 * How the fixed student weights of a field diagnostic are drawn (docs/theory.md §2.5).
 *
 * <p>Both kinds give ‖w_k‖² ≈ N, so that Q_kk = w_k Ω w_kᵀ/N is of order one either way; they
 * differ only in how the weight is spread over the input coordinates.
 */
public enum WeightKind {
    /** Delocalised: w_ki i.i.d. N(0, 1), the setting in which the equivalence is expected to hold. */
    GAUSSIAN("gaussian"),
    /**
     * Localised: w_k has {@code support} non-zero entries ±√(N/support) on its own input
     * coordinates, so λ_k is a sum of a few non-Gaussian features and no central limit applies
     * (the counter-example of §2.5).
     */
    LOCALISED("localised");

    private final String id;

    WeightKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The kind called {@code id} (case-insensitive; "localized" is accepted). */
    public static WeightKind byId(String id) {
        String spelled = id == null ? null : id.trim().toLowerCase(Locale.ROOT).replace("localized", "localised");
        return Identifiers.byId(values(), c -> c.id, null, "weights", spelled);
    }

    @Override
    public String toString() {
        return id;
    }
}
