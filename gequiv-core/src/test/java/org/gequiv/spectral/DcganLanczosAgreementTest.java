package org.gequiv.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.activation.StandardActivation;
import org.gequiv.generator.Moments;
import org.gequiv.generator.Precision;
import org.gequiv.generator.deep.DcganGenerator;
import org.gequiv.model.TeacherInput;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.moments.MomentEstimator;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.TrainedLayers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's acceptance on DCGAN moments (docs/theory.md §5.12): the random DCGAN (N = 3 × 32 × 32
 * = 3072, D = 100, float32 as `gequiv online --generator dcgan` runs it) with Monte-Carlo moments,
 * the default online case (K = M = 2, erf, teacher on the latent, η = 0.2, t ≤ 100, 200 recorded
 * times, integrator at its default rtol 1e-8): the Lanczos theory with the default options (adaptive m,
 * plain measure auto: the deflated measure's estimate, 2.4e-6 on these moments and 5.2e-6 on
 * 2·10⁴ samples, misses the tolerance, so auto takes the eigenvalues) agrees with the eigendecomposition path to
 * {@link LanczosAgreementTest#AGREEMENT} in ε_g, Q and R at every recorded time, and its estimate
 * meets the default tolerance, so that {@code auto} keeps it. The agreement is between two methods
 * on the same Ω; 4000 samples (more than N, so the sample Ω is positive definite) keep the
 * estimation of the moments to about a minute. Slow tier: 112 s at load 10 (64 s of CPU).
 */
class DcganLanczosAgreementTest {

    static final int SAMPLES = 4000;

    @Test
    @Tag("slow")
    void lanczosMatchesTheEigenPathOnDcganMoments() {
        DcganGenerator dcgan = DcganGenerator.random(0, Precision.FLOAT32);
        Moments moments = new MomentEstimator(dcgan, new MomentEstimationSpec(SAMPLES, 1000, 0, 2, SAMPLES, null))
                .estimate().moments();
        assertEquals(DcganGenerator.OUTPUT, moments.inputDimension());
        OnlineSpec spec = new OnlineSpec(2, 2, StandardActivation.ERF, StandardActivation.ERF, TeacherInput.LATENT,
                0.2, 100, TrainedLayers.BOTH, 1, 100, OnlineSpec.logSpacedTimes(100, 200), 1.0, 0);
        OnlineProblem problem = OnlineProblem.initialise(spec, dcgan);
        OdeOptions ode = OdeOptions.defaults();
        LanczosOptions options = LanczosOptions.defaults();
        SpectralCurve eigen = SpectralTheory.integrate(SpectralMethod.EIGEN, problem, moments, null, ode);
        SpectralCurve lanczos = SpectralTheory.integrate(SpectralMethod.LANCZOS, problem, moments, options, ode);
        assertTrue(eigen.curve().termination().completed() && lanczos.curve().termination().completed());
        assertEquals(PlainMeasure.Method.EIGENVALUES, lanczos.plainMeasure(), lanczos.plainChoice());
        assertTrue(lanczos.plainChoice().contains("because the deflated measure's estimate"), lanczos.plainChoice());
        double error = SpectralTheory.relativeDifference(lanczos.curve(), eigen.curve());
        String summary = "m = " + lanczos.blockSteps() + ", nodes " + lanczos.quadratureNodes() + " + "
                + lanczos.plainNodes() + ", estimate " + lanczos.errorEstimate();
        assertTrue(error <= LanczosAgreementTest.AGREEMENT, "difference from eigen " + error + ", " + summary);
        assertTrue(SpectralTheory.accepted(lanczos, options), "auto would fall back: " + summary);
    }
}
