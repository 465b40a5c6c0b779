package org.gequiv.activation;

/**
 * asin(x) in Java, bit for bit the number {@link StrictMath#asin} returns: the same algorithm, Sun's
 * fdlibm 5.3 {@code e_asin.c}, which Java 17's StrictMath calls in C through JNI (and which Java 21
 * ported to Java as {@code FdLibm.Asin}). Java's double arithmetic is IEEE 754 binary64 with
 * round-to-nearest in every operation (strict since Java 17) and {@link Math#sqrt} is correctly
 * rounded, as the C code's arithmetic and sqrt are where fdlibm is compiled without contracting
 * products into fused multiply-adds; ArcsineTest compares the two on every branch and its
 * boundaries. Method:
 * <pre>
 *   |x| &lt; 2⁻²⁷           asin x = x
 *   |x| &lt; 0.5            asin x = x + x·R(x²),   R = P/Q rational of degree (6, 4)
 *   0.5 ≤ |x| &lt; 0.975    asin x = π/4 − (2 s·R(t) − (pio2_lo − 2c) − (π/4 − 2w)),   t = (1 − |x|)/2,
 *                        s = √t, w = s with its low 32 bits cleared, c = (t − w²)/(s + w)
 *   0.975 ≤ |x| &lt; 1      asin x = π/2 − (2(s + s·R(t)) − pio2_lo)
 *   |x| = 1              ±π/2;   |x| &gt; 1 or NaN: NaN
 * </pre>
 * with the sign of x; fdlibm's error is below 1 ulp. Why not StrictMath: the JNI call costs more than
 * the arithmetic, and the analytic Ω of a sign or erf generator takes one arcsine per entry of its
 * upper triangle (4.7·10⁶ at N = 3072, issue 11). Stateless and thread-safe; allocates nothing.
 */
public final class Arcsine {

    private Arcsine() {
    }

    private static final double PIO2_HI = 1.57079632679489655800e+00;
    private static final double PIO2_LO = 6.12323399573676603587e-17;
    private static final double PIO4_HI = 7.85398163397448278999e-01;
    // R(t) = P(t)/Q(t), asin x = x + x·R(x²) on [0, 0.5]
    private static final double PS0 = 1.66666666666666657415e-01;
    private static final double PS1 = -3.25565818622400915405e-01;
    private static final double PS2 = 2.01212532134862925881e-01;
    private static final double PS3 = -4.00555345006794114027e-02;
    private static final double PS4 = 7.91534994289814532176e-04;
    private static final double PS5 = 3.47933107596021167570e-05;
    private static final double QS1 = -2.40339491173441421878e+00;
    private static final double QS2 = 2.02094576023350569471e+00;
    private static final double QS3 = -6.88283971605453293030e-01;
    private static final double QS4 = 7.70381505559019352791e-02;

    /** asin(x), the bits of {@link StrictMath#asin}. */
    public static double asin(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int hx = (int) (bits >>> 32);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x3ff00000) {
            if (((ix - 0x3ff00000) | (int) bits) == 0) {
                // asin(±1) = ±π/2
                return x * PIO2_HI + x * PIO2_LO;
            }
            // |x| > 1 or NaN
            return (x - x) / (x - x);
        }
        if (ix < 0x3fe00000) {
            if (ix < 0x3e400000) {
                // |x| < 2⁻²⁷: x itself (fdlibm returns x once huge + x > 1, which always holds)
                return x;
            }
            double t = x * x;
            double p = t * (PS0 + t * (PS1 + t * (PS2 + t * (PS3 + t * (PS4 + t * PS5)))));
            double q = 1.0 + t * (QS1 + t * (QS2 + t * (QS3 + t * QS4)));
            double w = p / q;
            return x + x * w;
        }
        double w = 1.0 - Math.abs(x);
        double t = w * 0.5;
        double p = t * (PS0 + t * (PS1 + t * (PS2 + t * (PS3 + t * (PS4 + t * PS5)))));
        double q = 1.0 + t * (QS1 + t * (QS2 + t * (QS3 + t * QS4)));
        double s = Math.sqrt(t);
        if (ix >= 0x3FEF3333) {
            w = p / q;
            t = PIO2_HI - (2.0 * (s + s * w) - PIO2_LO);
        } else {
            w = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xffffffff00000000L);
            double c = (t - w * w) / (s + w);
            double r = p / q;
            p = 2.0 * s * r - (PIO2_LO - 2.0 * c);
            q = PIO4_HI - 2.0 * w;
            t = PIO4_HI - (p - q);
        }
        return hx > 0 ? t : -t;
    }
}
