package org.gequiv.paper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.io.AtomicFiles;
import org.gequiv.io.Json;
import org.gequiv.report.FigureData;
import org.gequiv.report.Numbers;
import org.gequiv.report.ReportRunner;
import org.gequiv.report.ReportTable;
import org.gequiv.report.SampleGrid;
import org.gequiv.report.SectionBody;

/**
 * Writes the report as one self-contained page, {@code DIR/index.html}: styles inline, every
 * figure inline as SVG (also {@code DIR/figures/<name>.png} and {@code .svg}), every shown table
 * also as {@code DIR/tables/<name>.csv} (the page's cells are the CSV numbers rounded by
 * {@link Numbers#display}), no script and nothing fetched from the network. A failed section is
 * shown with its message; a section some of whose points failed ("partial") is shown from the
 * other points, with the failed ones listed (their parameters and messages are in its body). Layout of the files: {@code figures/}, {@code tables/}, {@code report.json}
 * (the provenance).
 */
public final class PaperPage {

    /** Draws a grid of samples. */
    @FunctionalInterface
    public interface GridPainter {
        java.awt.image.BufferedImage draw(SampleGrid grid) throws Exception;
    }

    /** How to regenerate a section: a command line for it. */
    @FunctionalInterface
    public interface Commands {
        String regenerate(String sectionId);
    }

    private static final String STYLE = """
            body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1320px;margin:0 auto;
            padding:1.5em;color:#222;line-height:1.45}
            h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc;padding-bottom:.2em}
            .claim{font-style:italic}
            .verdicts{background:#eef6ee;border-left:4px solid #2ca02c;padding:.6em 1em .6em 2em;margin:1em 0}
            .failed .failure{background:#fbeaea;border-left:4px solid #d62728;padding:.6em 1em;font-family:monospace;
            white-space:pre-wrap}
            .status-failed{color:#d62728;font-weight:bold}.status-ok{color:#2ca02c;font-weight:bold}
            .status-partial{color:#d68b00;font-weight:bold}
            figure{margin:1em 0}figure svg{max-width:100%;height:auto;display:block}figure.samples{display:inline-block;margin-right:2em}
            figure.samples img{image-rendering:pixelated}
            figcaption{font-size:.9em;color:#444}
            .table-box{overflow-x:auto;margin:1em 0}table{border-collapse:collapse;font-size:.85em}
            caption{text-align:left;font-weight:bold;padding:.3em 0}
            th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right}th{background:#f4f4f4}
            td.label{text-align:left}.note{font-size:.9em;color:#444}code{font-size:.9em}
            nav ol{columns:2}
            """;

    private PaperPage() {
    }

    /**
     * Writes the page and its files.
     *
     * @param outcomes   the sections in page order
     * @param provenance the run's provenance (version, commit, machine, times)
     * @param title      the page's heading
     * @param intro      a sentence under the heading
     */
    public static Path write(Path dir, String title, String intro, List<ReportRunner.Outcome> outcomes,
                             Map<String, Object> provenance, Commands commands, GridPainter grids)
            throws IOException {
        Path figures = dir.resolve("figures");
        Path tables = dir.resolve("tables");
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        int headerAt = html.length();
        int number = 1;
        List<Map<String, Object>> sectionRecords = new ArrayList<>();
        for (ReportRunner.Outcome o : outcomes) {
            String id = o.section().id();
            int sectionStart = html.length();
            String status = o.failed() ? "failed" : o.failures().isEmpty() ? "ok" : "partial";
            html.append("<section id=\"").append(esc(id)).append("\" class=\"report-section ")
                    .append(status).append("\">\n<h2>").append(number).append(". ")
                    .append(esc(o.section().title())).append("</h2>\n<p class=\"claim\">Claim: ")
                    .append(esc(o.section().claim())).append("</p>\n");
            String reuse = reuse(o);
            if (reuse != null) {
                html.append("<p class=\"note reused\">").append(esc(reuse)).append("</p>\n");
            }
            String failure = o.failure();
            if (!o.failed() && !o.failures().isEmpty()) {
                html.append("<p class=\"status-partial\">").append(o.failures().size()).append(" of ")
                        .append(o.section().points().size()).append(" points failed; the section shows the others.</p>\n");
            }
            if (!o.failed()) {
                StringBuilder part = new StringBuilder();
                try {
                    body(part, o, figures, tables, grids);
                    html.append(part);
                } catch (IOException | RuntimeException e) {
                    // a section whose figures or tables cannot be written is shown as failed, the rest still is
                    failure = "writing the section failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
            if (failure != null) {
                html.append("<p class=\"status-failed\">This section failed; the other sections are unaffected.</p>\n")
                        .append("<p class=\"failure\">").append(esc(failure)).append("</p>\n");
            }
            html.append("<p class=\"note\">Regenerate: <code>").append(esc(commands.regenerate(id)))
                    .append("</code></p>\n</section>\n");
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("id", id);
            rec.put("status", failure != null ? "failed" : status);
            if (failure != null) {
                rec.put("failure", failure);
                if (!o.failed()) {
                    String was = "report-section " + status;
                    int classAt = html.indexOf(was, sectionStart);
                    html.replace(classAt, classAt + was.length(), "report-section failed");
                }
            }
            rec.put("points", o.section().points().size());
            if (!o.failures().isEmpty()) {
                List<Map<String, Object>> failedPoints = new ArrayList<>();
                for (ReportRunner.PointFailure f : o.failures()) {
                    Map<String, Object> fp = new LinkedHashMap<>();
                    fp.put("parameters", f.point().parameters());
                    fp.put("message", f.message());
                    failedPoints.add(fp);
                }
                rec.put("failedPoints", failedPoints);
            }
            rec.put("wallSeconds", o.seconds());
            rec.put("pointsReused", o.reused());
            rec.put("reusedPointsWallSeconds", o.reusedSeconds());
            rec.put("command", commands.regenerate(id));
            sectionRecords.add(rec);
            number++;
        }
        html.insert(headerAt, header(title, intro, outcomes, sectionRecords));
        Map<String, Object> prov = new LinkedHashMap<>(provenance);
        prov.put("sections", sectionRecords);
        provenance(html, prov, outcomes, commands);
        html.append("</body>\n</html>\n");
        Json.write(dir.resolve("report.json"), prov);
        Path index = dir.resolve("index.html");
        AtomicFiles.writeString(index, html.toString());
        return index;
    }

    private static String header(String title, String intro, List<ReportRunner.Outcome> outcomes,
                                 List<Map<String, Object>> records) {
        StringBuilder html = new StringBuilder();
        html.append("<header>\n<h1>").append(esc(title)).append("</h1>\n<p>").append(esc(intro)).append("</p>\n");
        long failed = records.stream().filter(r -> "failed".equals(r.get("status"))).count();
        long partial = records.stream().filter(r -> "partial".equals(r.get("status"))).count();
        html.append("<p id=\"summary\">").append(outcomes.size() - failed - partial).append(" of ")
                .append(outcomes.size()).append(" sections succeeded")
                .append(partial > 0 ? ", " + partial + " with failed points" : "")
                .append(failed > 0 ? ", " + failed + " failed" : "").append(".</p>\n");
        html.append("<nav><ol>\n");
        for (int k = 0; k < outcomes.size(); k++) {
            ReportRunner.Outcome o = outcomes.get(k);
            Object status = records.get(k).get("status");
            html.append("<li><a href=\"#").append(esc(o.section().id())).append("\">").append(esc(o.section().title()))
                    .append("</a>").append("failed".equals(status) ? " <span class=\"status-failed\">(failed)</span>"
                            : "partial".equals(status) ? " <span class=\"status-partial\">(" + o.failures().size()
                            + " of " + o.section().points().size() + " points failed)</span>" : "")
                    .append("</li>\n");
        }
        html.append("<li><a href=\"#provenance\">Provenance</a></li>\n</ol></nav>\n</header>\n");
        return html.toString();
    }

    private static void body(StringBuilder html, ReportRunner.Outcome o, Path figures, Path tables,
                             GridPainter grids) throws IOException {
        o.results().write(tables.resolve(o.results().name() + ".csv"), null);
        SectionBody body = o.body();
        for (FigureData f : body.figures()) {
            String svg = PaperFigures.save(f, figures);
            html.append("<figure id=\"figure-").append(esc(f.name())).append("\">\n").append(inline(svg))
                    .append("\n<figcaption>").append(esc(f.caption())).append(" <a href=\"figures/")
                    .append(esc(f.name())).append(".png\">PNG</a> · <a href=\"figures/").append(esc(f.name()))
                    .append(".svg\">SVG</a></figcaption>\n</figure>\n");
        }
        for (SampleGrid g : o.section().sampleGrids()) {
            java.awt.image.BufferedImage image;
            try {
                image = grids.draw(g);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot draw " + g.name() + ": " + e.getMessage(), e);
            }
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", png);
            AtomicFiles.write(figures.resolve(g.name() + ".png"), out -> png.writeTo(out));
            html.append("<figure id=\"grid-").append(esc(g.name())).append("\" class=\"samples\">\n<img alt=\"")
                    .append(esc(g.caption())).append("\" width=\"").append(image.getWidth()).append("\" height=\"")
                    .append(image.getHeight()).append("\" src=\"data:image/png;base64,")
                    .append(java.util.Base64.getEncoder().encodeToString(png.toByteArray()))
                    .append("\">\n<figcaption>").append(esc(g.caption())).append(" <a href=\"figures/")
                    .append(esc(g.name())).append(".png\">PNG</a></figcaption>\n</figure>\n");
        }
        html.append("<ul class=\"verdicts\">\n");
        for (String v : body.verdicts()) {
            html.append("<li class=\"verdict\">").append(esc(v)).append("</li>\n");
        }
        html.append("</ul>\n");
        for (ReportTable t : body.tables()) {
            t.write(tables.resolve(t.name() + ".csv"), null);
            table(html, t);
        }
        for (String note : body.notes()) {
            html.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }
        for (ReportTable t : body.files()) {
            t.write(tables.resolve(t.name() + ".csv"), null);
        }
        html.append("<p class=\"note\">More data: ");
        List<String> links = new ArrayList<>();
        for (ReportTable t : body.files()) {
            links.add(link("tables/" + t.name() + ".csv"));
        }
        links.add(link("tables/" + o.results().name() + ".csv") + " (every point's rows)");
        html.append(String.join(", ", links)).append(".</p>\n");
    }

    /**
     * Where the section's reused points come from, for example "All 2 of 2 points reused from a
     * previous run (1.7 s when they ran); read back from sections/erm/ (--fresh runs them again).";
     * null when every point ran now.
     */
    static String reuse(ReportRunner.Outcome o) {
        int total = o.section().points().size();
        if (o.reused() == 0) {
            return null;
        }
        String when = Numbers.significant(o.reusedSeconds(), 2) + " s when they ran";
        String from = "read back from sections/" + o.section().id() + "/";
        if (o.reused() == total) {
            return "All " + total + " of " + total + " points reused from a previous run (" + when + "); " + from
                    + " (--fresh runs them again).";
        }
        int now = total - o.reused();
        return o.reused() + " of " + total + " points reused from a previous run (" + when + "), " + from + "; the other "
                + now + (now == 1 ? " point" : " points") + " ran now.";
    }

    private static void provenance(StringBuilder html, Map<String, Object> prov, List<ReportRunner.Outcome> outcomes,
                                   Commands commands) {
        html.append("<section id=\"provenance\" class=\"report-section ok\">\n<h2>").append(outcomes.size() + 1)
                .append(". Provenance</h2>\n<table id=\"provenance-run\">\n<tbody>\n");
        for (String key : List.of("version", "gitCommit", "command", "java", "os", "arch", "cores", "cpu",
                "linearAlgebra", "startTime", "endTime", "wallSeconds")) {
            if (prov.containsKey(key)) {
                Object v = prov.get(key);
                html.append("<tr><th>").append(esc(key)).append("</th><td class=\"label\">")
                        .append(esc(v instanceof Double d ? Numbers.display(d) : String.valueOf(v)))
                        .append("</td></tr>\n");
            }
        }
        html.append("</tbody>\n</table>\n<table id=\"provenance-sections\">\n<thead><tr><th>section</th><th>status</th>"
                + "<th>points</th><th>failed points</th><th>wall time (s)</th><th>points reused</th>"
                + "<th>command that regenerates it</th></tr>"
                + "</thead>\n<tbody>\n");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> records = (List<Map<String, Object>>) prov.get("sections");
        for (int k = 0; k < outcomes.size(); k++) {
            ReportRunner.Outcome o = outcomes.get(k);
            String status = String.valueOf(records.get(k).get("status"));
            html.append("<tr><td class=\"label\"><a href=\"#").append(esc(o.section().id())).append("\">")
                    .append(esc(o.section().id())).append("</a></td><td class=\"label status-").append(esc(status))
                    .append("\">").append(esc(status)).append("</td><td>")
                    .append(o.section().points().size()).append("</td><td>").append(o.failures().size())
                    .append("</td><td>").append(Numbers.significant(o.seconds(), 3))
                    .append("</td><td class=\"label\">").append(o.reused() == 0 ? "none" : o.reused()
                            + (o.reused() == o.section().points().size() ? " (all, " : " (")
                            + Numbers.significant(o.reusedSeconds(), 3) + " s when they ran)")
                    .append("</td><td class=\"label\"><code>").append(esc(commands.regenerate(o.section().id())))
                    .append("</code></td></tr>\n");
        }
        html.append("</tbody>\n</table>\n<p class=\"note\">Full record: ").append(link("report.json"))
                .append(". Timings are wall times on this machine and vary with its load; a reused point counts the time it took when it ran. Every section's points are in its sweep folder, sections/&lt;id&gt;/.</p>\n</section>\n");
    }

    private static void table(StringBuilder html, ReportTable t) {
        // a table wider than the page scrolls in its own box instead of running past the page's edge
        html.append("<div class=\"table-box\">\n<table id=\"table-").append(esc(t.name())).append("\" data-csv=\"tables/").append(esc(t.name()))
                .append(".csv\">\n<caption>").append(esc(t.name())).append(" (").append(link("tables/" + t.name()
                        + ".csv")).append(")</caption>\n<thead><tr>");
        for (String c : t.columns()) {
            html.append("<th>").append(esc(c)).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < t.rowCount(); r++) {
            html.append("<tr>");
            for (String c : t.columns()) {
                Object cell = t.cell(r, c);
                if (cell instanceof Double d) {
                    html.append("<td>").append(Numbers.display(d)).append("</td>");
                } else {
                    html.append("<td class=\"label\">").append(esc(String.valueOf(cell))).append("</td>");
                }
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n</div>\n");
    }

    /** The SVG document as an element for the page: without its XML declaration and document type. */
    static String inline(String svg) {
        String s = svg.replaceFirst("^\\s*<\\?xml[^>]*\\?>\\s*", "").replaceFirst("<!DOCTYPE[^>]*>\\s*", "");
        return s.trim();
    }

    private static String link(String href) {
        return "<a href=\"" + esc(href) + "\">" + esc(href) + "</a>";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
