package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.io.Json;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.moments.MomentsFile;
import org.gequiv.report.DeepGeneratorsSection;
import org.gequiv.report.ReportContext;
import org.gequiv.report.ReportScale;
import org.gequiv.report.ReportSection;
import org.gequiv.report.SharedResults;
import org.gequiv.sweep.SectionPoints;
import org.gequiv.sweep.SweepFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Section 3's Monte-Carlo moments are kept with its points: a rerun of an interrupted report reads
 * them back instead of estimating them again (the report records which it read), with results
 * equal to the first run's to the last bit, and only under the points' rule — the same generator,
 * samples, seed, stream and build, not on a fresh run; an unreadable moments file is estimated
 * again, as a point with an unreadable table runs again.
 */
class PaperSharedMomentsTest {

    private static final String REVISION = "r";

    private static ReportSection deepGenerators() {
        ReportContext context = new ReportContext(LinearAlgebra.get(), OnlineExperiment.SimulationScope.NONE, 2,
                PaperCommandTest.MODELS, PaperCommand::generator);
        return new DeepGeneratorsSection(ReportScale.TINY, context);
    }

    /** The section's record in report.json. */
    private static JsonNode record(Path dir) throws IOException {
        return Json.mapper().readTree(dir.resolve("report.json").toFile()).path("sections").get(0);
    }

    private static List<String> sharedReused(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        record(dir).path("sharedResultsReused").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** The typed rows of point folder {@code point} (without its wall time). */
    private static JsonNode rows(Path point) throws IOException {
        return Json.mapper().readTree(point.resolve(SectionPoints.TABLE).toFile()).path("rows");
    }

    private static List<Path> pointFolders(Path sectionFolder) throws IOException {
        try (Stream<Path> s = Files.list(sectionFolder.resolve("points"))) {
            return s.sorted().toList();
        }
    }

    @Test
    void aResumedRunReadsTheMomentsBackAndGivesTheSameResults(@TempDir Path dir) throws IOException {
        SectionPoints store = new SectionPoints(dir.resolve("sections"), REVISION, true);
        PaperResumeTest.Counted first = new PaperResumeTest.Counted(deepGenerators());
        assertEquals(0, PaperResumeTest.report(first, dir, store));
        int points = first.points().size();
        assertEquals(points, first.ran);
        assertEquals(List.of(), sharedReused(dir), "the first run estimates the moments");
        Path folder = store.folder(first);
        Path moments;
        try (Stream<Path> s = Files.list(folder.resolve("moments"))) {
            moments = s.filter(f -> f.toString().endsWith(".npz")).findFirst().orElseThrow();
        }
        String name = "moments/" + moments.getFileName();
        JsonNode marker = Json.mapper().readTree(SectionPoints.sharedMarker(moments).toFile()).path("parameters");
        String generator = first.points().get(0).label("generator");
        assertEquals(generator, marker.path("generator").asText());
        assertEquals(REVISION, marker.path(SectionPoints.REVISION).asText());
        assertEquals(DeepGeneratorsSection.MOMENT_STREAM, marker.path("stream").asText());
        assertEquals((long) first.points().get(0).number("moment_samples"), MomentsFile.read(moments).samples());
        String results = Files.readString(dir.resolve("tables/deep-generators-results.csv"));

        // an interruption that lost the last point: its folder is gone, the moments are kept
        Path lost = pointFolders(folder).get(points - 1);
        JsonNode lostRows = rows(lost);
        deleteTree(lost);
        PaperResumeTest.Counted second = new PaperResumeTest.Counted(deepGenerators());
        assertEquals(0, PaperResumeTest.report(second, dir, store));
        assertEquals(1, second.ran, "only the lost point runs");
        assertEquals(List.of(name), sharedReused(dir), "the moments are read back, not estimated");
        assertEquals(lostRows, rows(lost), "the point's rows from the read-back moments equal the first run's");
        assertEquals(results, Files.readString(dir.resolve("tables/deep-generators-results.csv")));

        // a truncated moments file is not trusted: estimated again and rewritten whole; the report is written
        byte[] whole = Files.readAllBytes(moments);
        Files.write(moments, java.util.Arrays.copyOf(whole, whole.length / 2));
        deleteTree(lost);
        PaperResumeTest.Counted third = new PaperResumeTest.Counted(deepGenerators());
        assertEquals(0, PaperResumeTest.report(third, dir, store));
        assertEquals(1, third.ran);
        assertEquals(List.of(), sharedReused(dir), "an unreadable moments file is estimated again");
        assertEquals("ok", record(dir).path("status").asText());
        assertEquals(lostRows, rows(lost));
        assertEquals(results, Files.readString(dir.resolve("tables/deep-generators-results.csv")));
        assertEquals((long) first.points().get(0).number("moment_samples"), MomentsFile.read(moments).samples(),
                "the estimate is written again, readable");
    }

    @Test
    void aSharedResultIsReusedOnlyForTheSameParametersAndBuildAndNotWhenFresh(@TempDir Path dir)
            throws IOException {
        ReportSection section = new DeepGeneratorsSection(ReportScale.TINY, null);
        Path root = dir.resolve("sections");
        String name = "moments/g-100.npz";
        Map<String, Object> record = Map.of("generator", "g", "samples", 100, "seed", 0, "stream", "s");
        SharedResults kept = new SectionPoints(root, REVISION, true).shared(section);
        kept.write(name, record, f -> Files.writeString(f, "estimate"));
        SharedResults.Reader<String> reader = Files::readString;

        assertEquals("estimate", kept.read(name, record, reader));
        assertEquals("estimate", new SectionPoints(root, REVISION, true).shared(section).read(name,
                Map.of("stream", "s", "seed", 0.0, "samples", 100.0, "generator", "g"), reader),
                "the same parameters in another order and number type");
        assertNull(kept.read(name, Map.of("generator", "g", "samples", 200, "seed", 0, "stream", "s"), reader),
                "another sample count");
        assertNull(kept.read(name, Map.of("generator", "h", "samples", 100, "seed", 0, "stream", "s"), reader),
                "another generator");
        assertNull(kept.read(name, Map.of("generator", "g", "samples", 100, "seed", 1, "stream", "s"), reader),
                "another seed");
        assertNull(new SectionPoints(root, "another build", true).shared(section).read(name, record, reader),
                "another build");
        assertNull(new SectionPoints(root, REVISION, false).shared(section).read(name, record, reader), "--fresh");
        assertNull(kept.read(name, record, f -> {
            throw new IOException("truncated");
        }), "unreadable");

        Path file = new SectionPoints(root, REVISION, true).sharedFile(section, name);
        assertEquals(root.resolve(section.id()).resolve(name), file);
        Files.delete(SectionPoints.sharedMarker(file));
        assertNull(kept.read(name, record, reader), "a file without its marker is not finished");
        assertTrue(Files.isRegularFile(file));
        // the marker follows the points' rule: the same file name as a point's, beside the result
        assertTrue(SectionPoints.sharedMarker(file).getFileName().toString().endsWith(SweepFolder.MARKER));

        for (String bad : List.of("../escape.npz", "moments/../../x", "/abs.npz", ".hidden", "a//b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kept.read(bad, record,
                    reader), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
