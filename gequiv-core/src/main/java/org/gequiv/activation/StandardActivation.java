package org.gequiv.activation;

import org.gequiv.validation.Identifiers;

/**
 * The activations gequiv knows by name, with closed-form Hermite coefficients where one exists
 * (docs/theory.md §2.3 table; tanh by 400-node Gauss–Hermite quadrature).
 */
public enum StandardActivation implements Activation {

    /** g(z) = z. */
    LINEAR("linear", true) {
        @Override
        public double value(double z) {
            return z;
        }

        @Override
        public double derivative(double z) {
            return 1.0;
        }

        @Override
        HermiteCoefficients computeHermite() {
            return new HermiteCoefficients(0.0, 1.0, 0.0);
        }
    },

    /** g(z) = erf(z/√2), the "erfscaled" activation of the authors' code. */
    ERF("erf", true) {
        @Override
        public double value(double z) {
            return ErrorFunction.erf(z * INV_SQRT2);
        }

        @Override
        public double derivative(double z) {
            return SQRT_2_OVER_PI * Math.exp(-0.5 * z * z);
        }

        @Override
        HermiteCoefficients computeHermite() {
            // κ1 = E g'(ξ) = 1/√π; E g² = (2/π) arcsin(1/2) = 1/3
            return new HermiteCoefficients(0.0, 1.0 / Math.sqrt(Math.PI), Math.sqrt(1.0 / 3.0 - 1.0 / Math.PI));
        }
    },

    /** g(z) = max(z, 0). */
    RELU("relu", false) {
        @Override
        public double value(double z) {
            return z > 0 ? z : 0.0;
        }

        @Override
        public double derivative(double z) {
            return z > 0 ? 1.0 : 0.0;
        }

        @Override
        HermiteCoefficients computeHermite() {
            // E relu = 1/√(2π), E[ξ relu] = 1/2, E relu² = 1/2
            double k0 = 1.0 / Math.sqrt(2.0 * Math.PI);
            return new HermiteCoefficients(k0, 0.5, Math.sqrt((Math.PI - 2.0) / (4.0 * Math.PI)));
        }
    },

    /** g(z) = sign(z), with sign(0) = 0. */
    SIGN("sign", true) {
        @Override
        public double value(double z) {
            return Math.signum(z);
        }

        @Override
        public double derivative(double z) {
            return 0.0;
        }

        @Override
        HermiteCoefficients computeHermite() {
            return new HermiteCoefficients(0.0, SQRT_2_OVER_PI, Math.sqrt(1.0 - 2.0 / Math.PI));
        }
    },

    /** g(z) = tanh(z). */
    TANH("tanh", true) {
        @Override
        public double value(double z) {
            return Math.tanh(z);
        }

        @Override
        public double derivative(double z) {
            double t = Math.tanh(z);
            return 1.0 - t * t;
        }

        @Override
        HermiteCoefficients computeHermite() {
            HermiteCoefficients q = HermiteCoefficients.byQuadrature(this, 400);
            return new HermiteCoefficients(0.0, q.kappa1(), q.kappaStar());
        }
    };

    static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private final String id;
    private final boolean odd;
    private volatile HermiteCoefficients hermite;

    StandardActivation(String id, boolean odd) {
        this.id = id;
        this.odd = odd;
    }

    abstract HermiteCoefficients computeHermite();

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean isOdd() {
        return odd;
    }

    @Override
    public HermiteCoefficients hermite() {
        HermiteCoefficients h = hermite;
        if (h == null) {
            h = computeHermite();
            hermite = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return id;
    }

    /** The names accepted by {@link #byId(String)}. */
    public static String knownIds() {
        return Identifiers.known(values(), c -> c.id);
    }

    /**
     * The activation called {@code id} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known activations when {@code id} is unknown
     */
    public static StandardActivation byId(String id) {
        return Identifiers.byId(values(), c -> c.id, null, "activation", id);
    }
}
