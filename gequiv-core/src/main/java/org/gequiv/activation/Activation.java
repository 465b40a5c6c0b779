package org.gequiv.activation;

/**
 * A scalar activation function g with its derivative and its Hermite coefficients under a standard
 * Gaussian argument (docs/theory.md §1.3, §2.3).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Activation {

    /** Name used on the command line and in provenance (for example {@code "erf"}). */
    String id();

    /** g(z). */
    double value(double z);

    /** g′(z); for functions with kinks the almost-everywhere derivative (zero for sign). */
    double derivative(double z);

    /** κ0, κ1, κ* of g for ξ ~ N(0, 1). */
    HermiteCoefficients hermite();

    /** Whether g(−z) = −g(z); odd activations have κ0 = κ2 = 0 (docs/theory.md §2.3 caveat). */
    boolean isOdd();

    /**
     * Applies g element-wise: {@code out[i] = g(in[i])} for {@code i < n}. {@code in} and
     * {@code out} may be the same array.
     */
    default void apply(double[] in, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = value(in[i]);
        }
    }
}
