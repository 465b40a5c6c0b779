package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.report.ExperimentPoint;
import org.gequiv.report.Numbers;
import org.gequiv.report.PaperSections;
import org.gequiv.report.ReportContext;
import org.gequiv.report.ReportScale;
import org.gequiv.report.ReportSection;
import org.gequiv.report.ReportTable;
import org.gequiv.report.SectionBody;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper report built on the tiny configuration (every section, seconds) plus a section that
 * fails, read back with a real HTML parser.
 */
class PaperCommandTest {

    /** A displayed number is the CSV number rounded to {@link Numbers#DISPLAY_DIGITS} digits: half a unit of the 4th. */
    private static final double DISPLAY_TOLERANCE = 5e-4;

    /** The shipped generators, seen from the module's folder. */
    static final Path MODELS = Path.of("..", "models");

    static final String FAILURE = "the saddle point did not converge at α = 1.5 (injected by the test)";

    /** A section whose second point fails. */
    static final class Failing implements ReportSection {
        @Override
        public String id() {
            return "failing";
        }

        @Override
        public String title() {
            return "A section that fails";
        }

        @Override
        public String claim() {
            return "None; it fails.";
        }

        @Override
        public List<ExperimentPoint> points() {
            return List.of(ExperimentPoint.of("seed", 0), ExperimentPoint.of("seed", 1));
        }

        @Override
        public ReportTable run(ExperimentPoint point) {
            if (point.seed() == 1) {
                throw new IllegalStateException(FAILURE);
            }
            return new ReportTable("rows", List.of("x")).addRow(1.0);
        }

        @Override
        public SectionBody summarise(ReportTable results) {
            throw new AssertionError("a failed section is not summarised");
        }
    }

    @TempDir
    static Path dir;
    static Document page;
    static int exit;
    static String err;
    static List<ReportSection> sections;

    @BeforeAll
    static void build() throws IOException {
        ReportContext context = new ReportContext(LinearAlgebra.get(), OnlineExperiment.SimulationScope.NONE, 2,
                MODELS, PaperCommand::generator);
        sections = new ArrayList<>(PaperSections.all(ReportScale.TINY, context));
        sections.add(1, new Failing());
        StringWriter e = new StringWriter();
        exit = PaperCommand.report(sections, ReportScale.TINY, dir, true, new PrintWriter(e, true),
                new PrintWriter(new StringWriter(), true), MODELS);
        err = e.toString();
        page = Jsoup.parse(dir.resolve("index.html").toFile(), "UTF-8");
    }

    @Test
    void aFailedSectionIsShownWithItsMessageAndTheOthersAreWritten() {
        assertEquals(Main.EXIT_STOPPED_EARLY, exit);
        Element failed = page.getElementById("failing");
        assertTrue(failed.hasClass("failed"));
        assertTrue(failed.select(".failure").text().contains(FAILURE), failed.text());
        assertTrue(failed.select("li.verdict").isEmpty());
        assertTrue(err.contains("FAILED"), err);
        long ok = page.select("section.report-section.ok").stream().filter(s -> !s.id().equals("provenance")).count();
        assertEquals(sections.size() - 1, ok);
        Element row = page.getElementById("provenance-sections").select("tr:contains(failing)").first();
        assertTrue(row.text().contains("failed"), row.text());
    }

    @Test
    void everySucceededSectionHasAVerdictAFigureAndATable() {
        for (ReportSection s : sections) {
            if (s instanceof Failing) {
                continue;
            }
            Element e = page.getElementById(s.id());
            assertTrue(e.hasClass("ok"), s.id());
            Elements verdicts = e.select("li.verdict");
            assertFalse(verdicts.isEmpty(), s.id());
            verdicts.forEach(v -> assertFalse(v.text().isBlank(), s.id()));
            assertFalse(e.select("figure svg").isEmpty(), s.id() + " has an inline SVG figure");
            assertFalse(e.select("table[data-csv]").isEmpty(), s.id() + " shows a table");
        }
    }

    @Test
    void everyReferencedFileExistsAndNothingComesFromTheNetwork() {
        assertTrue(page.select("script").isEmpty(), "no script");
        assertTrue(page.select("link, img[src^=http], iframe, object, embed").isEmpty(), "no external resource");
        int links = 0;
        for (Element a : page.select("[href], [src]")) {
            String ref = a.hasAttr("href") ? a.attr("href") : a.attr("src");
            if (ref.startsWith("data:image/png;base64,")) {
                continue;
            }
            if (ref.startsWith("#")) {
                assertTrue(page.getElementById(ref.substring(1)) != null, "anchor " + ref);
                continue;
            }
            assertFalse(ref.contains(":"), "a relative file, got " + ref);
            assertTrue(Files.isRegularFile(dir.resolve(ref)), "file " + ref);
            links++;
        }
        assertTrue(links > 0);
        for (Element f : page.select("figure.samples")) {
            assertTrue(Files.isRegularFile(dir.resolve("figures/" + f.id().substring("grid-".length()) + ".png")));
        }
        assertFalse(page.select("#deep-generators figure.samples img").isEmpty(), "the deep generators' samples");
        for (Element f : page.select("figure[id^=figure-]")) {
            String name = f.id().substring("figure-".length());
            assertTrue(Files.isRegularFile(dir.resolve("figures/" + name + ".png")), name);
            assertTrue(Files.isRegularFile(dir.resolve("figures/" + name + ".svg")), name);
        }
    }

    @Test
    void theNumbersOnThePageAreThoseOfTheCsvFiles() throws IOException {
        Elements tables = page.select("table[data-csv]");
        assertFalse(tables.isEmpty());
        int numbers = 0;
        for (Element table : tables) {
            List<String> lines = Files.readAllLines(dir.resolve(table.attr("data-csv"))).stream()
                    .filter(l -> !l.startsWith("#")).toList();
            List<String> header = List.of(lines.get(0).split(",", -1));
            assertEquals(header, table.select("thead th").eachText(), table.id());
            Elements rows = table.select("tbody tr");
            assertEquals(lines.size() - 1, rows.size(), table.id());
            for (int r = 0; r < rows.size(); r++) {
                String[] csv = lines.get(r + 1).split(",", -1);
                List<String> cells = rows.get(r).select("td").eachText();
                assertEquals(csv.length, cells.size(), table.id());
                for (int c = 0; c < csv.length; c++) {
                    String where = table.id() + " row " + r + " column " + header.get(c);
                    Double value = number(csv[c]);
                    if (value == null) {
                        assertEquals(csv[c], cells.get(c), where);
                        continue;
                    }
                    assertEquals(Numbers.display(value), cells.get(c), where);
                    double shown = Numbers.parse(cells.get(c));
                    if (Double.isNaN(value)) {
                        assertTrue(Double.isNaN(shown), where);
                    } else {
                        assertEquals(value, shown, DISPLAY_TOLERANCE * Math.abs(value), where);
                        numbers++;
                    }
                }
            }
        }
        assertTrue(numbers > 50, "the tables hold numbers, got " + numbers);
    }

    @Test
    void aRerunReadsTheFinishedSectionsFromTheCache() throws IOException {
        StringWriter e = new StringWriter();
        List<ReportSection> two = List.of(sections.get(0), sections.get(1));
        Path again = dir.resolve("again");
        Files.createDirectories(again);
        Files.copy(dir.resolve("cache/" + two.get(0).id() + ".json"),
                Files.createDirectories(again.resolve("cache")).resolve(two.get(0).id() + ".json"));
        PaperCommand.report(two, ReportScale.TINY, again, true, new PrintWriter(e, true),
                new PrintWriter(new StringWriter(), true), MODELS);
        assertTrue(e.toString().contains(two.get(0).id() + ": done in") && e.toString().contains("(cached)"),
                e.toString());
        assertEquals(Files.readString(dir.resolve("tables/" + two.get(0).id() + "-results.csv")),
                Files.readString(again.resolve("tables/" + two.get(0).id() + "-results.csv")));
    }

    @Test
    void anUnknownSectionIsBadInput(@TempDir Path out) {
        CliRun run = CliRun.run("paper", "--tiny", "--section", "nonsense", "--out", out.toString());
        assertEquals(Main.EXIT_BAD_INPUT, run.exit());
        assertTrue(run.err().contains("--section must name sections of the report"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    /** The CSV field as a number (NaN for an empty field), or null for a label. */
    private static Double number(String field) {
        if (field.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(field);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
