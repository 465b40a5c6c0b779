package org.gequiv.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.gequiv.activation.StandardActivation;
import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.LearningProblem;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.ProgressListener;
import org.gequiv.online.Recording;
import org.gequiv.online.SgdProtocol;
import org.junit.jupiter.api.Test;

/**
 * The experiments report their phases and units through the library's progress interface (issue
 * 13 item 9): the library stays silent, and a front end sees every long phase begin and complete.
 */
class ProgressReportingTest {

    /** Records phases and, per phase, the last (done, total). */
    private static final class Recorder implements ProgressListener {
        final List<String> phases = new ArrayList<>();
        final List<long[]> last = new ArrayList<>();

        @Override
        public synchronized void phase(String name) {
            phases.add(name);
            last.add(null);
        }

        @Override
        public synchronized void progress(long done, long total) {
            assertTrue(done >= 1 && done <= total, done + " of " + total);
            last.set(last.size() - 1, new long[] {done, total});
        }

        /** The phase starting with {@code prefix} ran to completion (done = total). */
        void completed(String prefix) {
            for (int i = 0; i < phases.size(); i++) {
                if (phases.get(i).startsWith(prefix)) {
                    long[] l = last.get(i);
                    assertTrue(l != null && l[0] == l[1], prefix + ": " + (l == null ? "no units" : l[0] + "/" + l[1]));
                    return;
                }
            }
            throw new AssertionError("no phase " + prefix + " in " + phases);
        }
    }

    private static final Generator GENERATOR = DeepRandomGenerator.singleLayer(10, 40, StandardActivation.SIGN,
            CovarianceRule.EXACT, 3);

    @Test
    void onlineReportsSetUpTheoryAndSgd() {
        OnlineSpec online = new OnlineSpec(new LearningProblem(2, 2, StandardActivation.ERF, StandardActivation.ERF,
                TeacherInput.LATENT, 1.0), SgdProtocol.plain(0.2),
                new Recording(1, OnlineSpec.logSpacedTimes(1, 6), 200, 4));
        Recorder r = new Recorder();
        new OnlineExperiment(new OnlineExperimentSpec(online, true, true, OdeOptions.defaults(), 0, false,
                org.gequiv.spectral.SpectralMethod.EIGEN, org.gequiv.spectral.LanczosOptions.defaults()))
                .run(GENERATOR, r);
        assertTrue(r.phases.get(0).startsWith("theory set-up: eigendecomposition"), r.phases.toString());
        assertEquals(null, r.last.get(0), "the set-up has no units");
        r.completed("theory: integrating the ODEs");
        r.completed("SGD");
        assertEquals(3, r.phases.size(), r.phases.toString());

        Recorder lanczos = new Recorder();
        new OnlineExperiment(new OnlineExperimentSpec(online, true, false, OdeOptions.defaults(), 0, false,
                org.gequiv.spectral.SpectralMethod.LANCZOS, org.gequiv.spectral.LanczosOptions.defaults()))
                .run(GENERATOR, lanczos);
        assertTrue(lanczos.phases.get(0).startsWith("theory: block Lanczos"), lanczos.phases.toString());
        assertEquals(1, lanczos.phases.size(), lanczos.phases.toString());
    }

    @Test
    void ermReportsEverySaddlePointAndEveryFit() {
        ErmSpec erm = new ErmSpec(ErmLoss.RIDGE, new double[] {0.5, 1, 2}, new double[] {0.1}, 0, 2, 100, 1);
        Recorder r = new Recorder();
        new ErmExperiment(new ErmExperimentSpec(erm, FeatureSpec.input(), ErmExperimentSpec.Covariances.ANALYTIC,
                ErmExperimentSpec.DEFAULT_MONTE_CARLO_SAMPLES, SaddlePointOptions.defaults(), true, 0)).run(GENERATOR, r, org.gequiv.parallel.StopRequest.NEVER);
        r.completed("saddle point: 3 point(s)");
        r.completed("ERM simulation: 2 repeat(s) of 3 point(s)");
        assertEquals(6, r.last.get(r.phases.indexOf("ERM simulation: 2 repeat(s) of 3 point(s)"))[1]);
    }
}
