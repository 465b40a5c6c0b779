package org.gequiv.report;

import java.nio.file.Path;

import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.validation.Checks;

/**
 * What the sections run with, chosen by the front end that owns the process.
 *
 * @param linearAlgebra the backend of the experiments
 * @param scope         what the online sampling engines run inside (for example a single-threaded
 *                      native BLAS beside the sampler thread)
 * @param threads       worker threads of the field diagnostics and moment estimates (results do not
 *                      depend on it)
 * @param models        the folder of the shipped generators ({@code models/}), for the deep-generator section
 */
public record ReportContext(LinearAlgebra linearAlgebra, OnlineExperiment.SimulationScope scope, int threads,
                            Path models) {
    public ReportContext {
        Checks.given("linearAlgebra", linearAlgebra);
        Checks.given("scope", scope);
        Checks.atLeast("threads", threads, 1);
        Checks.given("models", models);
    }
}
