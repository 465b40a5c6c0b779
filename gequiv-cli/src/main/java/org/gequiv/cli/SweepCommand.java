package org.gequiv.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

import org.gequiv.io.Provenance;
import org.gequiv.sweep.LocalExecutor;
import org.gequiv.sweep.PointOutcome;
import org.gequiv.sweep.Sweep;
import org.gequiv.sweep.SweepExecutor;
import org.gequiv.sweep.SweepSpec;
import org.gequiv.sweep.SweepSpecException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gequiv sweep}: one command over a grid of options and seeds, resumable, locally or on Spark. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a study: one command (online, erm, check, moments) over the Cartesian product of the option "
                + "values in SPEC.toml's [grid] (and its [[points]]), each point with the command's own options and "
                + "files, on a pool of workers or on Spark. Rerunning skips the finished points.",
                "SPEC.toml: command = \"erm\"; [options] fixed options named as on the command line without dashes "
                        + "(N = 400, loss = \"logistic\"); [grid] lists (alpha = [0.5, 1.0], seed = [0, 1, 2] or "
                        + "seeds = 3); [[points]] explicit combinations.",
                "Writes DIR/sweep.json, DIR/points/<id>/ (each point's usual files), DIR/results.csv (every point's "
                        + "rows, its parameters first), DIR/summary.csv (mean, standard error and count over the "
                        + "seeds), DIR/summary.png / .svg (online and erm) and DIR/failures.csv.",
                "Exit codes: 0 every point finished; 2 bad input (nothing ran); 3 some points failed or the sweep "
                        + "was stopped (SIGINT/SIGTERM: the running points finish first; rerun to continue)."})
final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Parameters(index = "0", paramLabel = "SPEC.toml", description = "The sweep spec.")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: out/<name of SPEC>.")
    Path out;

    @Option(names = "--workers", paramLabel = "W",
            description = "Points run at once on this machine, each on one thread. Default: the number of cores.")
    Integer workers;

    @Option(names = "--force", description = "Run this spec in a folder that holds a sweep of another spec.")
    boolean force;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run the points as Spark tasks: local[N], spark://host:port, or 'submit' under spark-submit "
                    + "(its --master). Needs the gequiv-spark module (see README).")
    String spark;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        String text = Inputs.read("SPEC", specFile, () -> Files.readString(specFile));
        SweepSpec spec = SweepSpec.parse(text, specFile.toString());
        CommandPoints runner;
        try {
            runner = CommandPoints.of(spec.command(), spec.pointFigures());
        } catch (SweepSpecException e) {
            throw new SweepSpecException(specFile + ": " + e.getMessage(), e);
        }
        if (workers != null && workers < 1) {
            throw new BadInputException("--workers must be >= 1, got " + workers);
        }
        if (workers != null && spark != null) {
            throw new BadInputException("--workers must not go with --spark, got both (Spark's own cores decide)");
        }
        Terminal.announceLinearAlgebra(err);
        Sweep.validate(spec, runner);
        SweepExecutor.Provider sparkProvider = spark != null ? sparkProvider() : null;
        Path dir = out != null ? out : Path.of("out", baseName(specFile));
        dir = OutputFolder.prepare(dir);

        Provenance provenance = Provenance.start("gequiv sweep");
        provenance.put("specFile", specFile.toString());
        try (SweepExecutor executor = sparkProvider != null ? sparkExecutor(sparkProvider, spark, runner)
                : new LocalExecutor(workers != null ? workers : LocalExecutor.defaultWorkers(), runner, null);
             SweepSignals signals = SweepSignals.install()) {
            Progress progress = new Progress(err, Terminal.stderrIsTerminal());
            Sweep.Report report = Sweep.run(spec, dir, executor, force, signals::stopRequested, progress,
                    provenance.entries());
            progress.clear();
            List<String> names = new ArrayList<>();
            for (Path p : report.written()) {
                names.add(p.toString());
            }
            stdout.println("sweep: " + report.total() + " points, " + report.alreadyDone() + " already done, "
                    + report.succeeded() + " finished now, " + report.failures().size() + " failed ("
                    + executor.description() + ")");
            stdout.println("wrote " + String.join(", ", names));
            for (Map.Entry<String, PointOutcome> f : report.failures().entrySet()) {
                err.println("gequiv: sweep: point " + f.getKey() + " failed (" + f.getValue().kind() + "): "
                        + f.getValue().message());
            }
            if (report.stopped()) {
                err.println("gequiv: sweep stopped by " + (signals.received() != null ? signals.received() : "request")
                        + " after the running points; " + report.remaining() + " of " + report.total()
                        + " points are not finished: rerun the same command to continue");
                return Main.EXIT_STOPPED_EARLY;
            }
            if (!report.failures().isEmpty()) {
                err.println("gequiv: sweep: " + report.failures().size() + " point(s) failed, listed in "
                        + dir.resolve("failures.csv") + "; rerunning retries them");
                return Main.EXIT_STOPPED_EARLY;
            }
            return 0;
        }
    }

    private static String baseName(Path spec) {
        String name = spec.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** A Spark executor: the gequiv-spark module is here, but Spark itself may not be (spark-submit brings it). */
    private static SweepExecutor sparkExecutor(SweepExecutor.Provider provider, String master, CommandPoints runner) {
        try {
            return provider.create(master, runner);
        } catch (NoClassDefFoundError e) {
            throw new BadInputException("--spark needs Spark's jars on the class path, got none (missing " + e.getMessage()
                    + "); run the sweep with spark-submit (see the README, \"Studies\")", e);
        }
    }

    /** The Spark executors of the gequiv-spark module, found through ServiceLoader. */
    private static SweepExecutor.Provider sparkProvider() {
        for (SweepExecutor.Provider p : ServiceLoader.load(SweepExecutor.Provider.class)) {
            if (p.name().equals("spark")) {
                return p;
            }
        }
        throw new SweepSpecException("--spark needs the gequiv-spark module and Spark on the class path, got neither; "
                + "run the sweep with spark-submit and gequiv-spark/target/gequiv-spark.jar (see the README, "
                + "\"Studies\")");
    }

    /** Points done, failures and ETA on stderr, rewritten in place, only on a terminal. */
    private static final class Progress implements Sweep.Listener {
        private final PrintWriter err;
        private final boolean show;
        private final long start = System.nanoTime();
        private int width;

        Progress(PrintWriter err, boolean show) {
            this.err = err;
            this.show = show;
        }

        @Override
        public void started(int total, int alreadyDone) {
            if (alreadyDone > 0) {
                err.println("gequiv: sweep: " + alreadyDone + " of " + total + " points already done, skipped");
            }
        }

        @Override
        public void pointEnded(PointOutcome outcome, int done, int failed, int toRun) {
            if (!show) {
                return;
            }
            int ended = done + failed;
            double elapsed = (System.nanoTime() - start) / 1e9;
            long eta = Math.round(elapsed / ended * (toRun - ended));
            String line = "sweep: " + ended + "/" + toRun + " points, " + failed + " failed"
                    + (ended < toRun ? ", ETA " + (eta >= 60 ? eta / 60 + " min " + eta % 60 + " s" : eta + " s") : "");
            err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
            err.flush();
        }

        void clear() {
            if (show && width > 0) {
                err.print("\r" + " ".repeat(width) + "\r");
                err.flush();
            }
        }
    }
}
