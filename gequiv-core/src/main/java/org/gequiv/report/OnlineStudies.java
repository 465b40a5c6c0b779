package org.gequiv.report;

import java.util.LinkedHashMap;
import java.util.Map;

import org.gequiv.activation.StandardActivation;
import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.experiment.OnlineExperimentSpec;
import org.gequiv.experiment.OnlineResult;
import org.gequiv.generator.Generator;
import org.gequiv.model.TeacherInput;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.LearningProblem;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.ProgressListener;
import org.gequiv.online.SgdProtocol;
import org.gequiv.online.TrainedLayers;

/**
 * The online-learning problem every online section studies (the defaults of {@code gequiv online},
 * docs/theory.md §1.4): a K = 2 erf student learning an M = 2 erf teacher on the latent, both
 * layers trained by one-pass SGD with η = {@link SgdProtocol#DEFAULT_LEARNING_RATE}, ε_g on a fixed
 * test set at log-spaced times; and the cells of its curves. Stateless.
 */
final class OnlineStudies {

    /** Relative theory–simulation gaps are averaged over the recorded times t ≥ this. */
    static final double GAP_FROM_TIME = 1.0;

    private OnlineStudies() {
    }

    static OnlineSpec spec(double maxTime, int logPoints, int testSamples, long seed) {
        return new OnlineSpec(new LearningProblem(2, 2, StandardActivation.ERF, StandardActivation.ERF,
                TeacherInput.LATENT, LearningProblem.DEFAULT_TEACHER_SECOND_LAYER),
                new SgdProtocol(SgdProtocol.DEFAULT_LEARNING_RATE, TrainedLayers.BOTH, 1),
                new org.gequiv.online.Recording(maxTime, OnlineSpec.logSpacedTimes(maxTime, logPoints), testSamples,
                        seed));
    }

    static OnlineResult run(OnlineSpec spec, boolean theory, boolean simulate, int twinSeeds, Generator generator,
                            ReportContext context) {
        OnlineExperimentSpec s = new OnlineExperimentSpec(spec, theory, simulate, OdeOptions.defaults(), twinSeeds,
                true);
        OnlineResult r = new OnlineExperiment(s, context.linearAlgebra(), context.scope())
                .run(generator, ProgressListener.NONE);
        if (!r.completed()) {
            LearningCurve bad = r.theory() != null && !r.theory().termination().completed() ? r.theory()
                    : r.simulation();
            throw new IllegalStateException((bad == r.theory() ? "theory" : "simulation") + " stopped at t = "
                    + bad.termination().stoppedAt() + ": " + bad.termination().reason());
        }
        return r;
    }

    /** ε_g and the order parameters of one point, as columns {@code eg_s}, {@code Q_k_l_s}, {@code R_k_m_s}. */
    static Map<String, Object> cells(String suffix, LearningCurve curve, int index) {
        Map<String, Object> m = new LinkedHashMap<>();
        LearningCurve.Point p = curve.points().get(index);
        m.put("eg_" + suffix, p.generalisationError());
        int k = curve.studentHidden();
        int mm = curve.teacherHidden();
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                m.put("Q_" + i + "_" + j + "_" + suffix, p.q(i * k + j));
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < mm; j++) {
                m.put("R_" + i + "_" + j + "_" + suffix, p.r(i * mm + j));
            }
        }
        return m;
    }

    /** The relative gap (simulation − theory) / theory. */
    static double relativeGap(double simulation, double theory) {
        return (simulation - theory) / theory;
    }
}
