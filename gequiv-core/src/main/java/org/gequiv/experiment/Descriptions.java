package org.gequiv.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

import org.gequiv.erm.ErmSpec;
import org.gequiv.online.OnlineSpec;

/** The ordered provenance descriptions of the specs, written once for every experiment. */
final class Descriptions {

    private Descriptions() {
    }

    static Map<String, Object> online(OnlineSpec spec) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("K", spec.studentHidden());
        d.put("M", spec.teacherHidden());
        d.put("studentActivation", spec.studentActivation().id());
        d.put("teacherActivation", spec.teacherActivation().id());
        d.put("teacher", spec.teacherInput().id());
        d.put("teacherSecondLayer", spec.teacherSecondLayer());
        d.put("learningRate", spec.learningRate());
        d.put("secondLayerLearningRate", "lr / N");
        d.put("time", spec.maxTime());
        d.put("train", spec.trainedLayers().id());
        d.put("batchSize", spec.batchSize());
        d.put("testSamples", spec.testSamples());
        d.put("logPoints", spec.logTimes().length);
        d.put("seed", spec.seed());
        d.put("initialisation", "teacher and student first layers N(0,1); student v(0) N(0,1)");
        return d;
    }

    static Map<String, Object> erm(ErmSpec spec) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("loss", spec.loss().id());
        d.put("alphas", spec.alphas());
        d.put("lambdas", spec.lambdas());
        d.put("labelNoise", spec.labelNoise());
        d.put("repeats", spec.repeats());
        d.put("testSamples", spec.testSamples());
        d.put("seed", spec.seed());
        d.put("objective", "sum_mu loss(y, w.v/sqrt(d)) + (lambda/2)|w|^2, alpha = n/d");
        d.put("errors", spec.loss().isClassification()
                ? "test: classification error arccos(m/sqrt(rho q))/pi against the noiseless teacher"
                : "test: rho + q - 2m (mean squared, no 1/2) against the noiseless teacher");
        return d;
    }
}
