package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.report.ErmSection;
import org.gequiv.report.ExperimentPoint;
import org.gequiv.report.PointStore;
import org.gequiv.report.ReportContext;
import org.gequiv.report.ReportScale;
import org.gequiv.report.ReportSection;
import org.gequiv.report.ReportTable;
import org.gequiv.report.SectionBody;
import org.gequiv.report.SharedResults;
import org.gequiv.sweep.SectionPoints;
import org.gequiv.sweep.SweepFolder;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report interrupted after some points resumes from them: the rerun computes only the others,
 * and the page and tables equal those of an uninterrupted run.
 */
class PaperResumeTest {

    /** Points finished before the interruption. */
    private static final int FINISHED = 2;

    /** A section that counts the points it runs and otherwise is {@code inner}. */
    static final class Counted implements ReportSection {
        final ReportSection inner;
        int ran;

        Counted(ReportSection inner) {
            this.inner = inner;
        }

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public String title() {
            return inner.title();
        }

        @Override
        public String claim() {
            return inner.claim();
        }

        @Override
        public List<ExperimentPoint> points() {
            return inner.points();
        }

        @Override
        public ReportTable run(ExperimentPoint point) throws Exception {
            return run(point, SharedResults.NONE);
        }

        @Override
        public ReportTable run(ExperimentPoint point, SharedResults shared) throws Exception {
            ran++;
            return inner.run(point, shared);
        }

        @Override
        public SectionBody summarise(ReportTable results) {
            return inner.summarise(results);
        }
    }

    /** The sweep-folder store, killed (an exception out of the report) at the write after {@code writes}. */
    static final class KilledAfter implements PointStore {
        final PointStore inner;
        int writes;
        final int limit;

        KilledAfter(PointStore inner, int limit) {
            this.inner = inner;
            this.limit = limit;
        }

        @Override
        public Stored read(ReportSection section, int index, ExperimentPoint point) {
            return inner.read(section, index, point);
        }

        @Override
        public void write(ReportSection section, int index, ExperimentPoint point, Stored result) throws IOException {
            if (writes == limit) {
                throw new IOException("killed");
            }
            writes++;
            inner.write(section, index, point, result);
        }
    }

    private static ReportSection erm() {
        ReportContext context = new ReportContext(LinearAlgebra.get(), OnlineExperiment.SimulationScope.NONE, 2,
                PaperCommandTest.MODELS, PaperCommand::generator);
        return new ErmSection(ReportScale.TINY, context);
    }

    static int report(ReportSection s, Path dir, PointStore store) throws IOException {
        return PaperCommand.report(List.of(s), ReportScale.TINY, dir, store, new PrintWriter(new StringWriter(), true),
                new PrintWriter(new StringWriter(), true), PaperCommandTest.MODELS);
    }

    @Test
    void anInterruptedSectionResumesFromItsFinishedPoints(@TempDir Path tmp) throws IOException {
        Path whole = tmp.resolve("whole");
        Counted once = new Counted(erm());
        assertEquals(0, report(once, whole, new SectionPoints(whole.resolve("sections"), "r", true)));
        int points = once.points().size();
        assertEquals(points, once.ran);
        assertTrue(points > FINISHED);

        Path resumed = tmp.resolve("resumed");
        SectionPoints store = new SectionPoints(resumed.resolve("sections"), "r", true);
        Counted first = new Counted(erm());
        IOException killed = assertThrows(IOException.class, () -> report(first, resumed,
                new KilledAfter(store, FINISHED)));
        assertEquals("killed", killed.getMessage());
        assertEquals(FINISHED + 1, first.ran, "the point after the finished ones ran but was not kept");
        try (var markers = Files.walk(store.folder(first))) {
            assertEquals(FINISHED, markers.filter(f -> f.getFileName().toString().equals(SweepFolder.MARKER)).count());
        }

        Counted second = new Counted(erm());
        assertEquals(0, report(second, resumed, store));
        assertEquals(points - FINISHED, second.ran, "only the unfinished points run");

        for (String table : List.of("erm-results.csv", "erm-table.csv", "erm-summary.csv")) {
            assertEquals(Files.readString(whole.resolve("tables").resolve(table)),
                    Files.readString(resumed.resolve("tables").resolve(table)), table);
        }
        Element a = Jsoup.parse(whole.resolve("index.html").toFile(), "UTF-8").getElementById("erm");
        Element b = Jsoup.parse(resumed.resolve("index.html").toFile(), "UTF-8").getElementById("erm");
        assertTrue(a.select("p.reused").isEmpty(), "every point ran");
        assertTrue(b.select("p.reused").text().startsWith(FINISHED + " of " + points + " points reused"),
                b.select("p.reused").text());
        b.select("p.reused").remove();
        assertEquals(a.outerHtml(), b.outerHtml(), "the section's page is the same but for its reused points' note");

        Counted third = new Counted(erm());
        report(third, resumed, new SectionPoints(resumed.resolve("sections"), "another build", true));
        assertEquals(points, third.ran, "points of another build run again");
    }
}
