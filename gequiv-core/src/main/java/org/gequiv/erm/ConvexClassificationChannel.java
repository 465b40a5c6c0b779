package org.gequiv.erm;

import org.gequiv.activation.ErrorFunction;
import org.gequiv.activation.GaussHermite;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Hats of a general convex loss on sign labels y = sign(ν + √Δz) (docs/theory.md §6.4, general convex
 * loss), through the proximal operator:
 * <pre>
 *   f_y(ω) = (prox_{Vℓ(y,·)}(ω) − ω)/V,    ω = √q ξ,  ω⁎ = (m/√q) ξ,  V⁎ = ρ + Δ − m²/q
 *   Z_y = ½(1 + y erf(ω⁎/√(2V⁎))),         ∂Z_y/∂ω⁎ = y e^{−ω⁎²/(2V⁎)}/√(2πV⁎)
 *   V̂ = α E_ξ Σ_y Z_y (1 − ∂prox/∂ω)/V,  q̂ = α E_ξ Σ_y Z_y f_y²,  m̂ = (α/√γ) E_ξ Σ_y ∂Z_y f_y
 *   ε_t = E_ξ Σ_y Z_y ℓ(y, prox_y)
 * </pre>
 * (the form −∂_ω f of the GCM paper equals (1 − ∂prox/∂ω)/V). E_ξ is Gauss–Hermite quadrature for a
 * smooth proximal map, and composite Gauss–Legendre on ξ ∈ [−12, 12] split at the kinks otherwise
 * (Gauss–Hermite converges slowly across a kink). Not thread-safe.
 */
final class ConvexClassificationChannel implements Channel {

    /** Half-width of the ξ domain for the piecewise rule: the Gaussian mass beyond 12 is ~1e-33. */
    private static final double XI_RANGE = 12.0;
    /** Gauss–Legendre order on each sub-interval of the piecewise rule. */
    private static final int LEGENDRE_ORDER = 16;

    private final ConvexLoss loss;
    private final double rho;
    private final double noise;
    private final double invSqrtGamma;
    private final GaussHermite hermite;
    private final double maxPieceLength;
    private final double[] legendreNodes;
    private final double[] legendreWeights;
    private final double[] acc = new double[4];
    // per-integration constants of the label channel
    private double erfScale;
    private double densityScale;
    private double densityNorm;

    ConvexClassificationChannel(ConvexLoss loss, double rho, double gamma, double noise, int nodes) {
        this.loss = loss;
        this.rho = rho;
        this.noise = noise;
        this.invSqrtGamma = 1.0 / Math.sqrt(gamma);
        this.hermite = GaussHermite.standardNormal(nodes);
        // pieces short enough that the whole range carries about `nodes` Legendre nodes
        this.maxPieceLength = 2.0 * XI_RANGE * LEGENDRE_ORDER / nodes;
        GaussIntegrator gl = new GaussIntegratorFactory().legendre(LEGENDRE_ORDER);
        legendreNodes = new double[LEGENDRE_ORDER];
        legendreWeights = new double[LEGENDRE_ORDER];
        for (int i = 0; i < LEGENDRE_ORDER; i++) {
            legendreNodes[i] = gl.getPoint(i);
            legendreWeights[i] = gl.getWeight(i);
        }
    }

    @Override
    public void hats(double alpha, double v, double q, double m, double[] out) {
        integrate(v, q, m);
        out[0] = alpha * acc[0];
        out[1] = alpha * acc[1];
        out[2] = alpha * invSqrtGamma * acc[2];
    }

    @Override
    public double testError(double v, double q, double m) {
        return Channel.classificationError(rho, q, m);
    }

    @Override
    public double trainLoss(double v, double q, double m) {
        integrate(v, q, m);
        return acc[3];
    }

    /** Fills acc with E Σ Z(1−slope)/V, E Σ Z f², E Σ ∂Z f, E Σ Z ℓ. */
    private void integrate(double v, double q, double m) {
        acc[0] = 0;
        acc[1] = 0;
        acc[2] = 0;
        acc[3] = 0;
        double sq = Math.sqrt(q);
        double a = m / sq;
        // V⁎ → 0 means the labels are a deterministic function of ω⁎; keep the erf finite
        double vStar = Math.max(rho + noise - m * m / q, 1e-300);
        erfScale = 1.0 / Math.sqrt(2.0 * vStar);
        densityScale = 1.0 / (2.0 * vStar);
        densityNorm = 1.0 / Math.sqrt(2.0 * Math.PI * vStar);
        double[] kinksPlus = loss.proxKinks(1.0, v);
        double[] kinksMinus = loss.proxKinks(-1.0, v);
        if (kinksPlus.length == 0 && kinksMinus.length == 0) {
            for (int i = 0, n = hermite.size(); i < n; i++) {
                addNode(hermite.node(i), hermite.weight(i), v, sq, a);
            }
        } else {
            integratePiecewise(v, sq, a, kinksPlus, kinksMinus);
        }
    }

    private void integratePiecewise(double v, double sq, double a, double[] kp, double[] km) {
        double[] breaks = new double[kp.length + km.length + 2];
        int nb = 0;
        breaks[nb++] = -XI_RANGE;
        breaks[nb++] = XI_RANGE;
        for (double k : kp) {
            double xi = k / sq;
            if (xi > -XI_RANGE && xi < XI_RANGE) {
                breaks[nb++] = xi;
            }
        }
        for (double k : km) {
            double xi = k / sq;
            if (xi > -XI_RANGE && xi < XI_RANGE) {
                breaks[nb++] = xi;
            }
        }
        java.util.Arrays.sort(breaks, 0, nb);
        double norm = 1.0 / Math.sqrt(2.0 * Math.PI);
        for (int b = 0; b + 1 < nb; b++) {
            double lo = breaks[b];
            double hi = breaks[b + 1];
            if (!(hi > lo)) {
                continue;
            }
            int pieces = (int) Math.ceil((hi - lo) / maxPieceLength);
            double h = (hi - lo) / pieces;
            for (int p = 0; p < pieces; p++) {
                double mid = lo + (p + 0.5) * h;
                for (int i = 0; i < LEGENDRE_ORDER; i++) {
                    double xi = mid + 0.5 * h * legendreNodes[i];
                    double w = 0.5 * h * legendreWeights[i] * norm * Math.exp(-0.5 * xi * xi);
                    addNode(xi, w, v, sq, a);
                }
            }
        }
    }

    private void addNode(double xi, double w, double v, double sq, double a) {
        double om = sq * xi;
        double os = a * xi;
        double e = ErrorFunction.erf(os * erfScale);
        double g = densityNorm * Math.exp(-os * os * densityScale);
        double invV = 1.0 / v;
        for (int s = 0; s < 2; s++) {
            double y = s == 0 ? 1.0 : -1.0;
            double z = 0.5 * (1.0 + y * e);
            double zp = loss.prox(y, om, v);
            double f = (zp - om) * invV;
            double slope = loss.proxSlope(y, zp, om, v);
            acc[0] += w * z * (1.0 - slope) * invV;
            acc[1] += w * z * f * f;
            acc[2] += w * y * g * f;
            acc[3] += w * z * loss.value(y, zp);
        }
    }
}
