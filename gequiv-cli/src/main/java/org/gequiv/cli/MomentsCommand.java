package org.gequiv.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gequiv.generator.Generator;
import org.gequiv.experiment.PhaseTimings;
import org.gequiv.experiment.MomentsExperiment;
import org.gequiv.experiment.ResultTables;
import org.gequiv.io.CsvTable;
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
            description = "Sampling threads, each on a single-threaded native BLAS, so that N threads use N cores; "
                    + "0 means the number of cores. Results do not depend on it. "
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

    /** Set by a sweep for one of its points; null for a command of its own. */
    SweepPointContext point;

    /** Spec field → option of this command. */
    static final OptionMap NAMES = new OptionMap("samples", "--samples", "blockSize", "--block-size",
            "threads", "--threads", "checkpointInterval", "--checkpoint-every", "inputDimension", "--generator");

    /**
     * One log line: the relative changes only once there is a previous entry to compare with (the
     * first line has none), the error against analytic moments only where they exist.
     */
    static String logLine(org.gequiv.moments.ConvergenceRecord r) {
        StringBuilder sb = new StringBuilder("moments: P = ").append(r.samples());
        if (Double.isFinite(r.relChangeOmega())) {
            sb.append(String.format(java.util.Locale.ROOT, ", rel. change Ω %.3g, Φ %.3g", r.relChangeOmega(),
                    r.relChangePhi()));
        }
        if (Double.isFinite(r.relErrorOmega())) {
            sb.append(String.format(java.util.Locale.ROOT, ", rel. error vs analytic Ω %.3g, Φ %.3g",
                    r.relErrorOmega(), r.relErrorPhi()));
        }
        return sb.toString();
    }

    @Override
    public Integer call() throws Exception {
        // phase "start": the JVM and the parsing of the options, up to here
        PhaseTimings timings = PhaseTimings.begin();
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
        Generator generator = generatorOptions.build(seed, spec::memory, NAMES);
        if (point != null && point.validateOnly) {
            return 0;
        }
        OutputFolder.writableFile(out, "--out");
        // one run per checkpoint (or, without one, per output file): a second is refused with our PID
        OutputFolder.claimFile(checkpoint != null ? checkpoint : out, "--out");
        org.gequiv.parallel.StopRequest stop = SweepPointContext.stop(point);
        Terminal.announceLinearAlgebra(err);

        Provenance provenance = Provenance.start("gequiv moments");
        MomentsExperiment experiment = new MomentsExperiment(spec, LinearAlgebra.get());
        MomentsExperiment.Result result;
        // the native BLAS single-threaded under every sampling thread: several threads already use the
        // cores (a multi-threaded BLAS under each would oversubscribe, as in online and check), and under
        // one thread the DCGAN's float32 SGEMMs of 512 × 512 blocks gain nothing from a second BLAS
        // thread, which spins beside them (4096 samples, --threads 1, load 7: 84 CPU-s against 22.5)
        result = NAMES.apply(() -> {
            try {
                return Terminal.withSingleThreadedBlas(true,
                        () -> experiment.run(generator, r -> err.println(logLine(r)), stop));
            } catch (IncompatibleCheckpointException e) {
                // the checkpoint is an input file: one of another run is the user's to remove or keep
                throw new BadInputException(e.getMessage()
                        + " (remove it to start afresh, or run with --no-checkpoint)", e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        MomentEstimate estimate = result.estimate();
        result.provenance().forEach(provenance::put);
        provenance.finish();
        timings.end("run");
        Map<String, Object> prov = provenance.entries();

        MomentsFile.write(out, estimate, prov);
        timings.end("outputs");
        Map<String, Object> json = new LinkedHashMap<>(prov);
        json.put("timings", timings.record());
        Json.write(parent.resolve(base + ".json"), json);
        CsvTable convergence = ResultTables.convergence(estimate.log());
        convergence.write(parent.resolve(base + ".convergence.csv"), prov);
        if (point != null) {
            point.table = convergence;
        }
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
