package org.gequiv.report;

import java.nio.file.Path;

import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.generator.Generator;
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
 * @param generators    builds a generator of fixed size from its name as on the command line
 *                      ({@code dcgan}, {@code dcgan:FILE.npz}, {@code onnx:FILE.onnx}, …), files relative to
 *                      {@code models}; the front end supplies it, since some kinds live outside the core
 */
public record ReportContext(LinearAlgebra linearAlgebra, OnlineExperiment.SimulationScope scope, int threads,
                            Path models, GeneratorResolver generators) {

    /** Builds a named generator of fixed size. */
    @FunctionalInterface
    public interface GeneratorResolver {
        /**
         * @param name   the generator's name, for example {@code onnx:mnist-decoder.onnx}
         * @param models the folder its files are relative to
         * @param seed   seed of random weights (generators with stored weights ignore it)
         */
        Generator build(String name, Path models, long seed);
    }

    public ReportContext {
        Checks.given("linearAlgebra", linearAlgebra);
        Checks.given("scope", scope);
        Checks.atLeast("threads", threads, 1);
        Checks.given("models", models);
        Checks.given("generators", generators);
    }
}
