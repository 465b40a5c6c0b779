package org.gequiv.erm;

import org.gequiv.validation.Identifiers;

/**
 * The learning tasks of docs/theory.md §6.4, each a loss with its teacher channel and its error
 * conventions.
 *
 * <ul>
 *   <li>{@link #RIDGE}: square loss ½(y − z)², linear teacher y = ν (+ Gaussian noise of variance
 *       Δ). Test error ρ + q − 2m (mean squared, no ½, against the noiseless teacher); training loss
 *       the mean squared residual (no ½).</li>
 *   <li>{@link #SQUARE_CLASSIFICATION}: square loss on labels y = sign(ν) (+ probit noise).
 *       Test error arccos(m/√(ρq))/π; training loss ¼·mean squared residual (the reference's
 *       convention: the squared residual on the 0/1 label scale).</li>
 *   <li>{@link #LOGISTIC}: log(1 + e^{−yz}), sign labels; training loss the mean loss.</li>
 *   <li>{@link #HINGE}: max(0, 1 − yz), sign labels; training loss the mean loss.</li>
 * </ul>
 * The training loss never includes the penalty.
 */
public enum ErmLoss {
    RIDGE("ridge", false, SquareLoss.INSTANCE),
    SQUARE_CLASSIFICATION("square-class", true, SquareLoss.INSTANCE),
    LOGISTIC("logistic", true, LogisticLoss.INSTANCE),
    HINGE("hinge", true, HingeLoss.INSTANCE);

    private final String id;
    private final boolean classification;
    private final ConvexLoss loss;

    ErmLoss(String id, boolean classification, ConvexLoss loss) {
        this.id = id;
        this.classification = classification;
        this.loss = loss;
    }

    /** Name on the command line and in provenance. */
    public String id() {
        return id;
    }

    /** Whether labels are signs (classification) rather than the teacher field (regression). */
    public boolean isClassification() {
        return classification;
    }

    /** The convex loss ℓ(y, z) minimised by ERM. */
    public ConvexLoss convexLoss() {
        return loss;
    }

    /** Whether the loss is the square loss, whose ERM has a closed form. */
    public boolean isSquare() {
        return loss == SquareLoss.INSTANCE;
    }

    /** The names accepted by {@link #byId(String)}. */
    public static String knownIds() {
        return Identifiers.known(values(), c -> c.id);
    }

    /** The task called {@code id} (case-insensitive). */
    public static ErmLoss byId(String id) {
        return Identifiers.byId(values(), c -> c.id, null, "loss", id);
    }

    @Override
    public String toString() {
        return id;
    }
}
