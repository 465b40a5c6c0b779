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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.erm.SaddlePointOptions;
import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.report.ErmSection;
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

    /** A section whose points all fail. */
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
            throw new IllegalStateException(FAILURE);
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
        // the ERM section with one point (ridge, seed 1, main size) whose saddle point may take one iteration only
        SaddlePointOptions d = SaddlePointOptions.defaults();
        SaddlePointOptions oneIteration = new SaddlePointOptions(d.damping(), d.absoluteTolerance(),
                d.relativeTolerance(), 1, d.quadratureNodes(), d.start(), d.andersonDepth());
        int erm = sections.indexOf(sections.stream().filter(x -> x.id().equals("erm")).findFirst().orElseThrow());
        sections.set(erm, new ErmSection(ReportScale.TINY, context,
                p -> p.label("loss").equals("ridge") && p.seed() == 1 && p.integer("N") == 40
                        && p.label("generator").equals("single-layer") ? oneIteration : d));
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
        assertTrue(failed.select(".failure").text().contains("all 2 points failed; the first: IllegalStateException: "
                + FAILURE), failed.text());
        assertTrue(failed.select("li.verdict").isEmpty());
        assertTrue(err.contains("failing: FAILED"), err);
        long ok = page.select("section.report-section.ok").stream().filter(s -> !s.id().equals("provenance")).count();
        assertEquals(sections.size() - 2, ok, "all but the failed section and the ERM section with a failed point");
        Element row = page.getElementById("provenance-sections").select("tr:contains(failing)").first();
        assertTrue(row.text().contains("failed"), row.text());
    }

    @Test
    void aFailedPointIsShownInItsSectionWhichKeepsTheOtherPoints() throws IOException {
        Element erm = page.getElementById("erm");
        assertTrue(erm.hasClass("partial"), erm.className());
        int points = sections.stream().filter(x -> x.id().equals("erm")).findFirst().orElseThrow().points().size();
        assertEquals("1 of " + points + " points failed; the section shows the others.",
                erm.select("p.status-partial").text());
        Elements verdicts = erm.select("li.verdict");
        assertTrue(verdicts.get(0).text().startsWith("1 of " + points + " points failed and are left out"),
                verdicts.get(0).text());
        assertTrue(verdicts.size() >= 3, "the ridge and logistic verdicts follow, from the other points");
        String caption = erm.select("figure#figure-erm figcaption").text();
        assertTrue(caption.contains("Failed: loss = ridge, lambda = 0.001, generator = single-layer, N = 40, D = 20, "
                + "P = 40, seed = 1 "
                + "(IllegalStateException: the saddle point did not converge at α = 0.5"), caption);
        assertTrue(caption.contains("after 1 iterations"), caption);
        Element failures = erm.getElementById("table-erm-failures");
        assertEquals(List.of("loss", "lambda", "generator", "N", "D", "P", "seed", "message"),
                failures.select("thead th").eachText());
        assertEquals(1, failures.select("tbody tr").size());
        List<String> cells = failures.select("tbody tr").first().select("td").eachText();
        assertEquals(List.of("ridge", "0.001", "single-layer", "40", "20", "40", "1"), cells.subList(0, 7));
        assertTrue(cells.get(7).contains("did not converge"), cells.get(7));
        // the other points are kept: at the main size one ridge seed and both logistic seeds
        List<String> results = Files.readAllLines(dir.resolve("tables/erm-results.csv")).stream()
                .filter(l -> !l.startsWith("#")).toList();
        List<String> header = List.of(results.get(0).split(","));
        List<String[]> main = results.stream().skip(1).map(l -> l.split(",")).filter(c -> c[header.indexOf("N")]
                .equals("40") && c[header.indexOf("generator")].equals("single-layer")).toList();
        long ridgeSeed1 = main.stream().filter(c -> c[header.indexOf("loss")].equals("ridge")
                && c[header.indexOf("seed")].equals("1")).count();
        long ridgeSeed0 = main.stream().filter(c -> c[header.indexOf("loss")].equals("ridge")
                && c[header.indexOf("seed")].equals("0")).count();
        long logistic = main.stream().filter(c -> c[header.indexOf("loss")].equals("logistic")).count();
        assertEquals(0, ridgeSeed1);
        assertEquals(4, ridgeSeed0, "four α");
        assertEquals(2 * 4, logistic, "two seeds of four α");
        Element table = erm.getElementById("table-erm-table");
        int seeds = table.select("thead th").eachText().indexOf("seeds");
        for (Element tr : table.select("tbody tr")) {
            List<String> row = tr.select("td").eachText();
            assertEquals(row.get(0).equals("ridge") ? "1" : "2", row.get(seeds), row.toString());
        }
        assertTrue(err.contains("erm: done in") && err.contains("1 of " + points + " points FAILED"), err);
        String record = Files.readString(dir.resolve("report.json"));
        assertTrue(record.contains("\"status\" : \"partial\""), record);
    }

    @Test
    void everySucceededSectionHasAVerdictAFigureAndATable() {
        for (ReportSection s : sections) {
            if (s instanceof Failing) {
                continue;
            }
            Element e = page.getElementById(s.id());
            assertTrue(e.hasClass(s.id().equals("erm") ? "partial" : "ok"), s.id());
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
                String[] csv = org.gequiv.io.LabelledCsvTable.fields(lines.get(r + 1)).toArray(String[]::new);
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
    void theDeepGeneratorsFigureAndTableShowTheGaussianTwinsSimulation() throws IOException {
        Element deep = page.getElementById("deep-generators");
        String caption = deep.select("figure#figure-deep-generators figcaption").text();
        assertTrue(caption.contains("open markers (Gaussian twin (simulation))"), caption);
        assertFalse(caption.contains("No Gaussian twin"), "the tiny moments admit a twin: " + caption);
        // the twin's points on the page, as in the CSV (compared cell by cell by the test above)
        Element table = deep.getElementById("table-deep-generators-table");
        List<String> header = table.select("thead th").eachText();
        int mean = header.indexOf("eg_gaussian_mean");
        int sem = header.indexOf("eg_gaussian_sem");
        assertTrue(mean >= 0 && sem >= 0, header.toString());
        for (Element tr : table.select("tbody tr")) {
            List<String> row = tr.select("td").eachText();
            assertTrue(Double.isFinite(Numbers.parse(row.get(mean))) && Numbers.parse(row.get(sem)) > 0, row.toString());
        }
        String csv = Files.readString(dir.resolve("tables/deep-generators-summary.csv"));
        assertTrue(csv.contains("eg_gaussian_mean"), "the drawn twin series is in the summary CSV");
    }

    @Test
    void theVerdictsQuoteTheNumbersOfTheCsvFiles() throws IOException {
        // section 3: the time-averaged gap and the twin's, from the table deep-generators-time-averaged
        Map<String, String> avg = csvRows("deep-generators-time-averaged").get(0);
        String deep = page.select("#deep-generators li.verdict").first().text();
        assertTrue(deep.contains("Averaged over t ≥ " + Numbers.display(Double.parseDouble(avg.get("from_t")))
                + " the gap is " + percent(avg, "gap_mean", "gap_sem")), deep + " vs " + avg);
        assertTrue(deep.contains("(Gaussian twin " + percent(avg, "gap_gaussian_mean", "gap_gaussian_sem") + ")")
                || deep.contains("the Gaussian twin's gap is " + percent(avg, "gap_gaussian_mean", "gap_gaussian_sem")),
                deep + " vs " + avg);
        // section 4: the generator's gap at the smallest and the largest N, from the table finite-size-table
        List<Map<String, String>> sizes = csvRows("finite-size-table");
        Map<String, String> first = sizes.get(0);
        Map<String, String> last = sizes.get(sizes.size() - 1);
        String finite = page.select("#finite-size li.verdict").first().text();
        assertTrue(finite.startsWith("Generator: generator gap " + percent(first, "gap_generator_mean",
                "gap_generator_sem") + " at N = " + first.get("N") + ", " + percent(last, "gap_generator_mean",
                "gap_generator_sem") + " at N = " + last.get("N") + ";"), finite + " vs " + sizes);
    }

    /** The rows of {@code tables/<name>.csv} as column → field. */
    private static List<Map<String, String>> csvRows(String name) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("tables/" + name + ".csv")).stream()
                .filter(l -> !l.startsWith("#")).toList();
        List<String> header = org.gequiv.io.LabelledCsvTable.fields(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = org.gequiv.io.LabelledCsvTable.fields(line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), f.get(c));
            }
            rows.add(row);
        }
        return rows;
    }

    /** "−1.2 ± 6.4 %" from a fraction and its SE in a CSV row, as the verdicts write it. */
    private static String percent(Map<String, String> row, String mean, String se) {
        return Numbers.withError(100 * Double.parseDouble(row.get(mean)), 100 * Double.parseDouble(row.get(se))) + " %";
    }

    @Test
    void aRerunReadsTheFinishedSectionsFromTheCache() throws IOException {
        StringWriter e = new StringWriter();
        List<ReportSection> two = List.of(sections.get(0), sections.get(1));
        Path again = dir.resolve("again");
        Files.createDirectories(again);
        Path from = dir.resolve(PaperCommand.SECTIONS).resolve(two.get(0).id());
        Path to = again.resolve(PaperCommand.SECTIONS).resolve(two.get(0).id());
        Files.createDirectories(to.getParent());
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
        PaperCommand.report(two, ReportScale.TINY, again, true, new PrintWriter(e, true),
                new PrintWriter(new StringWriter(), true), MODELS);
        int points = two.get(0).points().size();
        assertTrue(e.toString().contains(two.get(0).id() + ": done in") && e.toString().contains("(" + points + " of "
                + points + " points reused)"), e.toString());
        Document page = Jsoup.parse(again.resolve("index.html").toFile(), "UTF-8");
        String note = page.select("#" + two.get(0).id() + " p.reused").text();
        assertTrue(note.startsWith("All " + points + " of " + points + " points reused from a previous run ("), note);
        assertTrue(note.contains("read back from sections/" + two.get(0).id() + "/"), note);
        assertTrue(Files.readString(again.resolve("report.json")).contains("\"reusedPointsWallSeconds\""));
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
