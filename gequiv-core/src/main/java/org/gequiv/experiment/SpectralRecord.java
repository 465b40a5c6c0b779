package org.gequiv.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

import org.gequiv.spectral.LanczosOptions;
import org.gequiv.spectral.PlainMeasure;
import org.gequiv.spectral.SpectralChoice;
import org.gequiv.spectral.SpectralCurve;

/**
 * The run.json record of a theory's spectral method (docs/theory.md §5.12), written once for the
 * online theory and the saddle point of ERM: under {@code theory.spectral} the requested and the used
 * method, the reason of the choice and any fallback, and for a Lanczos run its steps, nodes, error
 * estimate and time.
 */
final class SpectralRecord {

    private SpectralRecord() {
    }

    /** The choice's reason, and under {@code fallback} the same when auto gave Lanczos up for eigen. */
    static void choice(Map<String, Object> spectral, SpectralChoice choice) {
        spectral.put("reason", choice.reason());
        if (choice.fellBack()) {
            spectral.put("fallback", choice.reason());
        }
    }

    /** The Lanczos record of an online theory curve. */
    static void lanczos(Map<String, Object> spectral, SpectralCurve curve, LanczosOptions options, long nanos) {
        lanczos(spectral, curve.blockSteps(), curve.quadratureNodes(), curve.plainMeasure(), curve.plainNodes(),
                curve.plainChoice(), curve.exact(), curve.quadratureError(), curve.stochasticError(), options, nanos);
    }

    /**
     * The Lanczos record under {@code spectral.lanczos}: block steps, whether adaptive, the tolerance,
     * quadrature and plain nodes, the plain measure and why (empty: not recorded), whether exact, the
     * estimate and its two parts, the seconds of the whole Lanczos path.
     */
    static void lanczos(Map<String, Object> spectral, int blockSteps, int quadratureNodes, PlainMeasure.Method plain,
                        int plainNodes, String plainChoice, boolean exact, double quadratureError,
                        double stochasticError, LanczosOptions options, long nanos) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("blockSteps", blockSteps);
        l.put("adaptive", options.blockSteps() == 0);
        l.put("tolerance", options.tolerance());
        l.put("quadratureNodes", quadratureNodes);
        l.put("plainMeasure", plain.id());
        l.put("plainNodes", plainNodes);
        if (!plainChoice.isEmpty()) {
            l.put("plainChoice", plainChoice);
        }
        l.put("exact", exact);
        l.put("quadratureError", quadratureError);
        l.put("stochasticError", stochasticError);
        l.put("errorEstimate", quadratureError + stochasticError);
        l.put("seconds", nanos / 1e9);
        spectral.put("lanczos", l);
    }
}
