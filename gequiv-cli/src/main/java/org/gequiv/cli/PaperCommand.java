package org.gequiv.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.generator.Precision;
import org.gequiv.io.Provenance;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.paper.PaperPage;
import org.gequiv.plot.SampleGrids;
import org.gequiv.report.PaperSections;
import org.gequiv.report.PointStore;
import org.gequiv.report.ReportContext;
import org.gequiv.report.ReportRunner;
import org.gequiv.report.ReportScale;
import org.gequiv.report.ReportSection;
import org.gequiv.sweep.SectionPoints;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gequiv paper}: the paper's claims reproduced in one self-contained HTML report. */
@Command(name = "paper", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the report's studies — Gaussian equivalence of fields, online SGD on the deep random "
                + "generator, finite-size scaling, full-batch ERM, equivalence of learning curves — and write "
                + "DIR/index.html, one self-contained page (inline SVG figures and styles, no script), with every "
                + "figure as PNG and SVG in DIR/figures, every table as CSV in DIR/tables and the provenance in "
                + "DIR/report.json.",
                "Each section's finished points are kept in DIR/sections/<id>, one sweep folder per section (the "
                        + "layout of 'gequiv sweep'), so an interrupted report resumes from the points that had "
                        + "finished, and so are the deep generators' Monte-Carlo moments (DIR/sections/deep-generators/"
                        + "moments); points and moments of another build run again. A point that fails is shown in "
                        + "its section with its parameters and message, and a section whose points all fail is shown "
                        + "as failed; the rest is still written (exit code 3)."})
final class PaperCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    static final class Scale {
        @Option(names = "--quick", description = "Small sizes and few seeds, minutes on 2 cores (the default).")
        boolean quick;

        @Option(names = "--full", description = "The paper's sizes and at least 10 seeds per curve; hours.")
        boolean full;

        @Option(names = "--tiny", hidden = true, description = "Seconds; only shows that the pipeline works.")
        boolean tiny;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Scale scale;

    @Option(names = "--section", split = ",", paramLabel = "ID,...",
            description = "Run only these sections (ids as in the report: gaussian-fields, online-deep-random, "
                    + "deep-generators, finite-size, erm, equivalence).")
    List<String> only;

    @Option(names = "--fresh", description = "Run every point again and estimate the moments again, ignoring (and "
            + "overwriting) the finished points and moments in DIR/sections.")
    boolean fresh;

    @Option(names = "--models", defaultValue = "models", paramLabel = "DIR",
            description = "Folder of the shipped generators. Default: ${DEFAULT-VALUE}.")
    Path models;

    @Option(names = "--out", defaultValue = "out/paper", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        ReportScale s = scale == null || scale.quick ? ReportScale.QUICK : scale.full ? ReportScale.FULL
                : ReportScale.TINY;
        ReportContext context = new ReportContext(LinearAlgebra.get(), OnlineExperiment.SimulationScope.NONE,
                Runtime.getRuntime().availableProcessors(), models, PaperCommand::generator);
        List<ReportSection> sections = PaperSections.all(s, context);
        if (only != null) {
            List<String> ids = sections.stream().map(ReportSection::id).toList();
            for (String id : only) {
                if (!ids.contains(id)) {
                    throw new BadInputException("--section must name sections of the report (" + String.join(", ", ids)
                            + "), got '" + id + "'");
                }
            }
            sections = sections.stream().filter(x -> only.contains(x.id())).toList();
        }
        List<ReportSection> chosen = sections;
        Path dir = OutputFolder.prepare(out);
        Terminal.announceLinearAlgebra(err);
        // one process runs one section at a time; its sampler thread and workers already use the cores
        return Terminal.withSingleThreadedBlas(true, () -> report(chosen, s, dir, !fresh, err, stdout, models));
    }

    /** A deep generator of the report by name, its file relative to {@code models}. */
    static org.gequiv.generator.Generator generator(String name, Path models, long seed) {
        int colon = name.indexOf(':');
        String kind = colon < 0 ? name : name.substring(0, colon + 1) + models.resolve(name.substring(colon + 1));
        org.gequiv.generator.Generator g = DeepGenerators.build(kind, seed,
                Precision.byId(GeneratorOptions.DEFAULT_PRECISION));
        if (g == null) {
            throw new BadInputException("the report's generator " + name + " is not a deep generator");
        }
        return g;
    }

    /** The command that regenerates one section of a report of {@code scale}. */
    static String regenerate(ReportScale scale, String sectionId) {
        return "./gequiv paper --" + scale.id() + " --section " + sectionId + " --out out/paper-" + sectionId;
    }

    /** The folder of the sections' sweep folders in a report folder. */
    static final String SECTIONS = "sections";

    /** The build a report's points are computed by: the commit (with -dirty for local changes) and the version. */
    static String revision() {
        return System.getProperty("gequiv.commit", "unknown") + " " + Provenance.version();
    }

    /**
     * Runs {@code sections} and writes the page into {@code dir}; 0 when every point of every
     * section ran, 3 when a point or a section failed (the page is written either way).
     *
     * @param reuse whether the finished points in {@code dir/sections} are read back
     */
    static int report(List<ReportSection> sections, ReportScale scale, Path dir, boolean reuse, PrintWriter err,
                      PrintWriter stdout, Path models) throws IOException {
        return report(sections, scale, dir, new SectionPoints(dir.resolve(SECTIONS), revision(), reuse), err, stdout,
                models);
    }

    /** As {@link #report(List, ReportScale, Path, boolean, PrintWriter, PrintWriter, Path)}, with the points kept in {@code store}. */
    static int report(List<ReportSection> sections, ReportScale scale, Path dir, PointStore store, PrintWriter err,
                      PrintWriter stdout, Path models) throws IOException {
        Provenance provenance = Provenance.start("gequiv paper --" + scale.id());
        provenance.put("scale", scale.id());
        provenance.put("cpu", cpuModel());
        boolean interactive = Terminal.stderrIsTerminal();
        List<ReportRunner.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            ReportSection section = sections.get(i);
            String label = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, sections.size(), section.id());
            // a signal ends the report at once; every finished point (and section 3's moments) is on disk already
            Interruption.onSignalSay(() -> "stopped in section " + label + "; its finished points and those of the "
                    + "sections before are kept in " + dir.resolve(SECTIONS) + " (no " + dir.resolve("index.html")
                    + " yet): run the same command again to resume");
            ReportRunner.Outcome o = ReportRunner.run(section, store, interactive ? (sec, done, total) -> {
                        err.print("\r" + label + ": " + done + "/" + total + " points");
                        err.flush();
                    } : ReportRunner.Listener.NONE);
            if (interactive) {
                err.print("\r" + " ".repeat(label.length() + 30) + "\r");
            }
            int total = o.section().points().size();
            err.println(label + ": " + (o.failed() ? "FAILED: " + o.failure()
                    : String.format(Locale.ROOT, "done in %.1f s%s%s", o.seconds(),
                    o.reused() > 0 ? " (" + o.reused() + " of " + total + " points reused)" : "",
                    o.failures().isEmpty() ? "" : "; " + o.failures().size() + " of " + total + " points FAILED, the "
                            + "first: " + o.failures().get(0).message())));
            err.flush();
            outcomes.add(o);
        }
        provenance.finish();
        Map<String, Object> prov = provenance.entries();
        Path index = PaperPage.write(dir, "gequiv: the Gaussian equivalence of generative models, reproduced",
                "Goldt, Loureiro, Reeves, Krzakala, Mézard & Zdeborová (PMLR 145, 2022), checked by gequiv "
                        + Provenance.version() + " at the '" + scale.id() + "' scale: every number below is measured "
                        + "by this run, as mean ± standard error over seeds.",
                outcomes, prov, id -> regenerate(scale, id), grid -> {
                    org.gequiv.generator.Generator g = generator(grid.generator(), models, grid.seed());
                    int[] shape = SampleGrids.shape(g);
                    return SampleGrids.draw(SampleGrids.sample(g, grid.rows() * grid.cols(), grid.seed()),
                            g.inputDimension(), shape, grid.rows(), grid.cols(), 2, grid.lo(), grid.hi());
                });
        stdout.println("wrote " + index);
        return outcomes.stream().anyMatch(ReportRunner.Outcome::incomplete) ? Main.EXIT_STOPPED_EARLY : 0;
    }

    private static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return System.getProperty("os.arch");
        }
        try (Stream<String> lines = Files.lines(info)) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
