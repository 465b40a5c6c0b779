package org.gequiv.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.gequiv.generator.Generator;
import org.gequiv.io.CsvTable;
import org.gequiv.io.Json;
import org.gequiv.io.Provenance;
import org.gequiv.moments.ConvergenceRecord;
import org.gequiv.moments.MomentEstimate;
import org.gequiv.moments.MomentEstimationSpec;
import org.gequiv.moments.MomentEstimator;
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

    @Option(names = "--block-size", defaultValue = "1024",
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

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        if (!out.getFileName().toString().endsWith(".npz")) {
            throw new BadInputException("--out must end in .npz, got " + out);
        }
        if (samples < 2) {
            throw new BadInputException("--samples must be >= 2, got " + samples);
        }
        if (blockSize < 1) {
            throw new BadInputException("--block-size must be >= 1, got " + blockSize);
        }
        if (threads < 0 || checkpointEvery < 0) {
            throw new BadInputException("--threads and --checkpoint-every must be >= 0, got " + threads + " and "
                    + checkpointEvery);
        }
        Generator generator = generatorOptions.build(seed);
        Path parent = out.toAbsolutePath().getParent();
        OutputFolder.prepare(parent);
        Terminal.announceLinearAlgebra(err);
        String base = out.getFileName().toString();
        base = base.substring(0, base.length() - 4);
        Path checkpoint = noCheckpoint ? null : parent.resolve(base + ".npz.ckpt");
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        long every = checkpointEvery == 0 ? Math.max(blockSize, samples / 20) : checkpointEvery;
        MomentEstimationSpec spec = GeneratorOptions.option("--samples",
                () -> new MomentEstimationSpec(samples, (int) Math.min(blockSize, samples), seed, t, every, checkpoint));

        Provenance provenance = Provenance.start("gequiv moments");
        provenance.put("generator", generator.description());
        provenance.put("generatorId", generator.id());
        provenance.put("N", generator.inputDimension());
        provenance.put("D", generator.latentDimension());
        MomentEstimate estimate = GeneratorOptions.option("--generator", () -> new MomentEstimator(generator, spec)
                .estimate(r -> err.printf("moments: P = %d, rel. change Ω %.3g, Φ %.3g%s%n", r.samples(),
                        r.relChangeOmega(), r.relChangePhi(), Double.isNaN(r.relErrorOmega()) ? ""
                                : String.format(", rel. error vs analytic Ω %.3g, Φ %.3g", r.relErrorOmega(),
                                        r.relErrorPhi()))));
        provenance.put("estimate", estimate.provenance());
        provenance.finish();
        Map<String, Object> prov = provenance.entries();

        MomentsFile.write(out, estimate, prov);
        Json.write(parent.resolve(base + ".json"), prov);
        CsvTable log = new CsvTable(List.of("samples", "rel_change_omega", "rel_change_phi", "rel_error_omega",
                "rel_error_phi"));
        for (ConvergenceRecord r : estimate.log()) {
            log.addRow(r.samples(), r.relChangeOmega(), r.relChangePhi(), r.relErrorOmega(), r.relErrorPhi());
        }
        log.write(parent.resolve(base + ".convergence.csv"), prov);
        stdout.println("wrote " + out + ", " + parent.resolve(base + ".json") + ", "
                + parent.resolve(base + ".convergence.csv")
                + (estimate.resumedFrom() > 0 ? " (resumed from " + estimate.resumedFrom() + " samples)" : ""));
        if (checkpoint != null && Files.exists(checkpoint)) {
            stdout.println("checkpoint " + checkpoint + " kept: rerun with a larger --samples to extend the estimate");
        }
        return 0;
    }
}
