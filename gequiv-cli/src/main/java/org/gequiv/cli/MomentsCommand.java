package org.gequiv.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gequiv.generator.Generator;
import org.gequiv.experiment.MomentsExperiment;
import org.gequiv.experiment.ResultTables;
import org.gequiv.io.Json;
import org.gequiv.io.Provenance;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.moments.IncompatibleCheckpointException;
import org.gequiv.moments.MomentEstimate;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.moments.MomentsFile;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gequiv moments}: Monte-Carlo estimate of a generator's moments (docs/theory.md §7.2). */
@Command(name = "moments", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate mean_x, mean_c, Ω = Cov(x) and Φ = Cov(x, c) of a generator from samples "
                + "(docs/theory.md §7.2), resuming from FILE.npz.ckpt when a compatible checkpoint is there.",
                "Writes FILE.npz (mean_x, mean_c, omega, phi, samples, provenance), FILE.json (provenance) and "
                        + "FILE.convergence.csv (relative change between checkpoints, error against analytic "
                        + "moments where they exist)."})
final class MomentsCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Mixin
    GeneratorOptions generatorOptions = new GeneratorOptions();

    @Option(names = "--samples", required = true, paramLabel = "P", description = "Number of samples P.")
    long samples;

    @Option(names = "--block-size", defaultValue = "" + MomentEstimationSpec.DEFAULT_BLOCK_SIZE,
            description = "Samples per block (one SYRK each); part of the result's identity. Default: ${DEFAULT-VALUE}.")
    int blockSize;

    @Option(names = "--threads", defaultValue = "0",
            description = "Sampling threads; 0 means the number of cores. Results do not depend on it. "
                    + "Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "S",
            description = "Samples between checkpoints and log lines; 0 means P/20 (at least one block). "
                    + "Default: ${DEFAULT-VALUE}.")
    long checkpointEvery;

    @Option(names = "--no-checkpoint", description = "Do not write or resume FILE.npz.ckpt.")
    boolean noCheckpoint;

    @Option(names = "--seed", defaultValue = "0", description = "Master seed (generator weights and samples). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "out/moments.npz", paramLabel = "FILE.npz", description = "Output file. Default: ${DEFAULT-VALUE}.")
    Path out;

    /** Spec field → option of this command. */
    static final OptionMap NAMES = new OptionMap("samples", "--samples", "blockSize", "--block-size",
            "threads", "--threads", "checkpointInterval", "--checkpoint-every", "inputDimension", "--generator");

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        if (!out.getFileName().toString().endsWith(".npz")) {
            throw new BadInputException("--out must end in .npz, got " + out);
        }
        if (threads < 0) {
            throw new BadInputException("--threads must be >= 0 (0: the number of cores), got " + threads);
        }
        if (checkpointEvery < 0) {
            throw new BadInputException("--checkpoint-every must be >= 0 (0: P/20), got " + checkpointEvery);
        }
        String base = out.getFileName().toString();
        base = base.substring(0, base.length() - 4);
        Path parent = out.toAbsolutePath().getParent();
        Path checkpoint = noCheckpoint ? null : parent.resolve(base + ".npz.ckpt");
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        long every = checkpointEvery == 0 ? Math.max(blockSize, samples / 20) : checkpointEvery;
        MomentEstimationSpec spec = NAMES.apply(() -> new MomentEstimationSpec(samples,
                (int) Math.min(blockSize, samples), seed, t, every, checkpoint));
        Generator generator = generatorOptions.build(seed);
        OutputFolder.writable(parent);
        // one run per checkpoint (or, without one, per output file): a second is refused with our PID
        OutputFolder.claimFile(checkpoint != null ? checkpoint : out, "--out");
        org.gequiv.parallel.StopRequest stop = Interruption.cooperate();
        Terminal.announceLinearAlgebra(err);

        Provenance provenance = Provenance.start("gequiv moments");
        MomentsExperiment experiment = new MomentsExperiment(spec, LinearAlgebra.get());
        MomentsExperiment.Result result;
        try {
            result = NAMES.apply(() -> experiment.run(generator, r -> err.printf(
                    "moments: P = %d, rel. change Ω %.3g, Φ %.3g%s%n", r.samples(), r.relChangeOmega(),
                    r.relChangePhi(), Double.isNaN(r.relErrorOmega()) ? ""
                            : String.format(", rel. error vs analytic Ω %.3g, Φ %.3g", r.relErrorOmega(),
                                    r.relErrorPhi())), stop));
        } catch (IncompatibleCheckpointException e) {
            // the checkpoint is an input file: one of another run is the user's to remove or keep
            throw new BadInputException("checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
        MomentEstimate estimate = result.estimate();
        result.provenance().forEach(provenance::put);
        provenance.finish();
        Map<String, Object> prov = provenance.entries();

        MomentsFile.write(out, estimate, prov);
        Json.write(parent.resolve(base + ".json"), prov);
        ResultTables.convergence(estimate.log()).write(parent.resolve(base + ".convergence.csv"), prov);
        stdout.println("wrote " + out + ", " + parent.resolve(base + ".json") + ", "
                + parent.resolve(base + ".convergence.csv")
                + (estimate.resumedFrom() > 0 ? " (resumed from " + estimate.resumedFrom() + " samples)" : ""));
        if (estimate.interrupted()) {
            err.println("gequiv: interrupted by " + estimate.provenance().get("interrupted") + "; the estimate of "
                    + "those samples was written" + (checkpoint != null ? ", and rerunning the same command continues "
                    + "from " + checkpoint : ""));
            return Interruption.exitCode();
        }
        if (checkpoint != null && Files.exists(checkpoint)) {
            stdout.println("checkpoint " + checkpoint + " kept: rerun with a larger --samples to extend the estimate");
        }
        return 0;
    }
}
