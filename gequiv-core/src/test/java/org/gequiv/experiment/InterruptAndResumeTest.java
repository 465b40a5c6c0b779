package org.gequiv.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.gequiv.activation.StandardActivation;
import org.gequiv.erm.ErmLoss;
import org.gequiv.erm.ErmPoint;
import org.gequiv.erm.ErmProblem;
import org.gequiv.erm.ErmSimulation;
import org.gequiv.erm.ErmSpec;
import org.gequiv.erm.FeatureSpec;
import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.generator.CovarianceRule;
import org.gequiv.generator.DeepRandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.model.TeacherInput;
import org.gequiv.moments.MomentEstimate;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.moments.MomentEstimator;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.LearningProblem;
import org.gequiv.online.OdeOptions;
import org.gequiv.online.OdeObserver;
import org.gequiv.online.OdeTheory;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.OnlineSimulation;
import org.gequiv.online.OnlineSpec;
import org.gequiv.online.ProgressListener;
import org.gequiv.online.Recording;
import org.gequiv.online.SgdProtocol;
import org.gequiv.online.SgdState;
import org.gequiv.online.TrainedLayers;
import org.gequiv.parallel.StopRequest;
import org.gequiv.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping on request and resuming (issue 13, items 1 and 2) in the library: a stopped engine
 * returns a prefix of the uninterrupted result marked as interrupted; an SGD run resumed from any
 * of its checkpoints, and an experiment resumed from its checkpoint file, give the uninterrupted
 * curves bit for bit (tolerance 0: same operations in the same order on the same numbers).
 */
class InterruptAndResumeTest {

    @TempDir
    Path dir;

    private static final Generator GENERATOR =
            DeepRandomGenerator.singleLayer(10, 40, StandardActivation.SIGN, CovarianceRule.EXACT, 3);

    private static OnlineSpec spec(double lr, int batch) {
        return new OnlineSpec(new LearningProblem(2, 2, StandardActivation.ERF, StandardActivation.ERF,
                TeacherInput.LATENT, 1.0), new SgdProtocol(lr, TrainedLayers.BOTH, batch),
                new Recording(30, OnlineSpec.logSpacedTimes(30, 25), 300, 7));
    }

    private static void assertSameCurve(List<LearningCurve.Point> expected, List<LearningCurve.Point> actual) {
        assertEquals(expected.size(), actual.size(), "points");
        for (int i = 0; i < expected.size(); i++) {
            LearningCurve.Point a = expected.get(i);
            LearningCurve.Point b = actual.get(i);
            assertEquals(a.time(), b.time(), 0.0);
            assertEquals(a.generalisationError(), b.generalisationError(), 0.0, "eg at point " + i);
            assertArrayEquals(a.q(), b.q(), 0.0);
            assertArrayEquals(a.r(), b.r(), 0.0);
            assertArrayEquals(a.v(), b.v(), 0.0);
        }
    }

    /** Every checkpoint of a run, mini-batches across block boundaries included, resumes to the same curve. */
    @Test
    void sgdResumedFromEveryCheckpointIsBitIdentical() {
        for (int batch : new int[] {1, 3}) {
            OnlineProblem problem = OnlineProblem.initialise(spec(0.5, batch), GENERATOR);
            LearningCurve plain = new OnlineSimulation(false).run(problem, ProgressListener.NONE);
            List<SgdState> states = new ArrayList<>();
            // 97 samples between checkpoints: never a multiple of the block of 256 nor of the batch
            LearningCurve checkpointed = new OnlineSimulation(true).run(problem, ProgressListener.NONE, null,
                    new OnlineSimulation.Control(StopRequest.NEVER, null, 97, states::add));
            assertSameCurve(plain.points(), checkpointed.points());
            assertTrue(states.size() > 10, "checkpoints taken: " + states.size());
            for (int i = 0; i < states.size(); i += 3) {
                SgdState state = states.get(i);
                for (boolean ahead : new boolean[] {false, true}) {
                    LearningCurve resumed = new OnlineSimulation(ahead).run(problem, ProgressListener.NONE, null,
                            new OnlineSimulation.Control(StopRequest.NEVER, state, 0, null));
                    assertSameCurve(plain.points(), resumed.points());
                    assertTrue(resumed.termination().completed());
                }
            }
        }
    }

    @Test
    void aStoppedSimulationKeepsAPrefixAndCheckpointsWhereItStopped() {
        OnlineProblem problem = OnlineProblem.initialise(spec(0.5, 1), GENERATOR);
        LearningCurve plain = new OnlineSimulation(false).run(problem, ProgressListener.NONE);
        StopRequest stop = new StopRequest();
        int n = GENERATOR.inputDimension();
        long stopAfter = 5 * n;
        ProgressListener stopper = (done, total) -> {
            if (done >= stopAfter) {
                stop.request("test");
            }
        };
        List<SgdState> states = new ArrayList<>();
        LearningCurve stopped = new OnlineSimulation(true).run(problem, stopper, null,
                new OnlineSimulation.Control(stop, null, 1_000_000, states::add));
        LearningCurve.Termination end = stopped.termination();
        assertTrue(end.interrupted() && !end.completed(), end.toString());
        assertEquals(5.0, end.stoppedAt(), 0.0, "stopped after the step that saw the request");
        assertTrue(end.reason().contains("test"), end.reason());
        assertSameCurve(plain.points().subList(0, stopped.points().size()), stopped.points());
        assertTrue(stopped.points().get(stopped.points().size() - 1).time() <= 5.0);
        assertEquals(1, states.size(), "the only checkpoint is the one at the stop");
        assertEquals(stopAfter, states.get(0).samples());
        LearningCurve resumed = new OnlineSimulation(false).run(problem, ProgressListener.NONE, null,
                new OnlineSimulation.Control(StopRequest.NEVER, states.get(0), 0, null));
        assertSameCurve(plain.points(), resumed.points());
    }

    @Test
    void aStoppedIntegrationKeepsAPrefixWithEveryIntegrator() {
        OnlineProblem problem = OnlineProblem.initialise(spec(0.5, 1), GENERATOR);
        org.gequiv.online.OdeInitialState init = org.gequiv.online.OdeInitialState.fromProblem(problem,
                GENERATOR.analyticMoments().orElseThrow());
        for (OdeOptions options : new OdeOptions[] {OdeOptions.euler(0.01), OdeOptions.rk4(0.01),
            OdeOptions.defaults()}) {
            LearningCurve plain = OdeTheory.integrate(problem.spec(), init, options);
            StopRequest stop = new StopRequest();
            int[] seen = {0};
            OdeObserver stopAtFifth = (t, q, r, v) -> {
                if (++seen[0] == 5) {
                    stop.request("test");
                }
                return OdeObserver.Action.CONTINUE;
            };
            LearningCurve stopped = OdeTheory.integrate(problem.spec(), init, options, stopAtFifth, stop);
            assertTrue(stopped.termination().interrupted(), options + ": " + stopped.termination());
            // fixed steps stop right after the output time of the request; an adaptive step may
            // cover several output times, all recorded from its dense output
            int kept = stopped.points().size();
            if (options.method() == OdeOptions.Method.ADAPTIVE) {
                assertTrue(kept >= 5 && kept < plain.points().size(), "points up to the request: " + kept);
            } else {
                assertEquals(5, kept, "points up to the request: " + options);
            }
            assertEquals(stopped.points().get(kept - 1).time(), stopped.termination().stoppedAt(), 0.0);
            assertSameCurve(plain.points().subList(0, kept), stopped.points());

            // a request at the last output time leaves nothing to stop: the run is complete
            StopRequest late = new StopRequest();
            int last = plain.points().size();
            int[] count = {0};
            LearningCurve complete = OdeTheory.integrate(problem.spec(), init, options, (t, q, r, v) -> {
                if (++count[0] == last) {
                    late.request("late");
                }
                return OdeObserver.Action.CONTINUE;
            }, late);
            assertTrue(complete.termination().completed(), complete.termination().toString());
        }
    }

    @Test
    void anExperimentResumedFromItsCheckpointFileIsBitIdenticalAndOtherRunsAreRefused() throws Exception {
        OnlineExperimentSpec es = new OnlineExperimentSpec(spec(0.5, 1), true, true, OdeOptions.defaults(), 0, true);
        OnlineExperiment experiment = new OnlineExperiment(es);
        OnlineResult plain = experiment.run(GENERATOR, ProgressListener.NONE);
        assertEquals("completed", plain.provenance().get("status"));

        Path file = dir.resolve("online-checkpoint.json");
        StopRequest stop = new StopRequest();
        long stopAfter = 8L * GENERATOR.inputDimension();
        OnlineResult stopped = experiment.run(GENERATOR, (done, total) -> {
            if (done >= stopAfter) {
                stop.request("SIGTERM");
            }
        }, false, new OnlineExperiment.Control(stop, file, 2.0, false));
        assertTrue(stopped.interrupted());
        assertEquals("interrupted", stopped.provenance().get("status"));
        assertTrue(stopped.theory().termination().completed(), "the theory ran first and finished");
        assertTrue(Files.exists(file));

        OnlineResult resumed = experiment.run(GENERATOR, ProgressListener.NONE, false,
                new OnlineExperiment.Control(StopRequest.NEVER, file, 0, true));
        assertFalse(resumed.interrupted());
        assertSameCurve(plain.simulation().points(), resumed.simulation().points());
        assertSameCurve(plain.theory().points(), resumed.theory().points());
        assertNotNull(resumed.provenance().get("resumedFrom"));

        OnlineExperiment other = new OnlineExperiment(new OnlineExperimentSpec(spec(0.3, 1), true, true,
                OdeOptions.defaults(), 0, true));
        InvalidInputException refused = assertThrows(InvalidInputException.class, () -> other.run(GENERATOR,
                ProgressListener.NONE, false, new OnlineExperiment.Control(StopRequest.NEVER, file, 0, true)));
        assertEquals("resume", refused.field());
        assertTrue(refused.getMessage().contains("spec.learningRate: checkpoint 0.5, this run 0.3"),
                refused.getMessage());

        Files.writeString(file, "{\"format\": \"something else\"}");
        InvalidInputException damaged = assertThrows(InvalidInputException.class, () -> experiment.run(GENERATOR,
                ProgressListener.NONE, false, new OnlineExperiment.Control(StopRequest.NEVER, file, 0, true)));
        assertTrue(damaged.getMessage().contains("is not a gequiv online checkpoint"), damaged.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> experiment.run(GENERATOR,
                ProgressListener.NONE, false,
                new OnlineExperiment.Control(StopRequest.NEVER, dir.resolve("none.json"), 0, true)));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }

    /** A stop requested before the sweep: one saddle point, one fit; every other point is marked as missing. */
    @Test
    void aStoppedErmRunKeepsThePointsAndRepeatsItHas() {
        ErmSpec erm = new ErmSpec(ErmLoss.RIDGE, new double[] {0.5, 1, 2}, new double[] {0.1, 1}, 0.0, 2, 200, 5);
        ErmExperimentSpec es = new ErmExperimentSpec(erm, FeatureSpec.input(), ErmExperimentSpec.Covariances.ANALYTIC,
                1000, SaddlePointOptions.defaults(), true, 0);
        ErmResult plain = new ErmExperiment(es).run(GENERATOR);
        assertEquals("completed", plain.provenance().get("status"));
        StopRequest stop = new StopRequest();
        stop.request("test");
        ErmResult theoryStopped = new ErmExperiment(es).run(GENERATOR, org.gequiv.progress.Progress.NONE, stop);
        assertTrue(theoryStopped.interrupted());
        assertEquals(1, theoryStopped.theory().size(), "the point being solved is kept, then the sweep stops");
        assertEquals(plain.theory().get(0), theoryStopped.theory().get(0));
        assertNull(theoryStopped.simulation(), "the simulation does not start after a stop");

        ErmProblem problem = ErmProblem.create(InputCentring.centredWhenMeanKnown(GENERATOR), FeatureSpec.input(),
                erm.seed(), org.gequiv.linalg.LinearAlgebra.get());
        List<ErmPoint> full = new ErmSimulation().run(erm, problem);
        List<ErmPoint> one = new ErmSimulation().run(erm, problem, org.gequiv.progress.Progress.NONE, stop);
        assertEquals(erm.size(), one.size(), "every point is listed");
        assertEquals(1, one.get(0).repeats());
        ErmSpec single = new ErmSpec(ErmLoss.RIDGE, new double[] {0.5, 1, 2}, new double[] {0.1, 1}, 0.0, 1, 200, 5);
        assertEquals(new ErmSimulation().run(single, problem).get(0).testError(), one.get(0).testError(), 0.0,
                "the first repeat of the first point, as a one-repeat run gives it");
        for (int k = 1; k < one.size(); k++) {
            assertEquals(0, one.get(k).repeats());
            assertTrue(Double.isNaN(one.get(k).testError()) && !one.get(k).converged());
        }
        assertEquals(2, full.get(5).repeats());
    }

    @Test
    void aStateThatDoesNotFitTheProblemIsRefused() {
        OnlineProblem problem = OnlineProblem.initialise(spec(0.5, 1), GENERATOR);
        SgdState wrong = new SgdState(10, new double[3], new double[2], List.of());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new OnlineSimulation(false)
                .run(problem, ProgressListener.NONE, null, new OnlineSimulation.Control(StopRequest.NEVER, wrong, 0,
                        null)));
        assertEquals("resume", e.field());
    }

    @Test
    void aStoppedMomentEstimateHoldsItsBlocksAndResumesBitwise() {
        MomentEstimationSpec spec = new MomentEstimationSpec(6_000, 250, 4, 2, 1_000, dir.resolve("m.ckpt"));
        MomentEstimate fresh = new MomentEstimator(GENERATOR, spec.withCheckpoint(null)).estimate();
        StopRequest stop = new StopRequest();
        MomentEstimate stopped = new MomentEstimator(GENERATOR, spec).estimate(r -> stop.request("test"), stop);
        assertTrue(stopped.interrupted());
        long held = stopped.moments().samples();
        assertTrue(held > 1_000 && held < 6_000 && held % 250 == 0, "whole blocks after the first record: " + held);
        MomentEstimate resumed = new MomentEstimator(GENERATOR, spec).estimate();
        assertEquals(held, resumed.resumedFrom());
        assertFalse(resumed.interrupted());
        assertArrayEquals(fresh.moments().omega(), resumed.moments().omega(), 0.0);
        assertArrayEquals(fresh.moments().phi(), resumed.moments().phi(), 0.0);
        assertArrayEquals(fresh.moments().mean(), resumed.moments().mean(), 0.0);
        assertNull(fresh.provenance().get("interrupted"));
    }
}
