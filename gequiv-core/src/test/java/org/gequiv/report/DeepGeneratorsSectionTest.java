package org.gequiv.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Section 3's figure from synthetic results: the Gaussian twin's simulation is drawn, as open
 * markers with its standard errors, from the same seed-averaged summary that is written as CSV and
 * shown in the section's table, and a generator whose twin could not be built has no twin series,
 * with the caption and the verdict saying so.
 */
class DeepGeneratorsSectionTest {

    private static final double[] TIMES = {0, 0.1, 0.5};

    /** Synthetic rows of every point: the simulation ±1 %, the twin ±0.2 % of the theory, by seed parity. */
    private static ReportTable results(DeepGeneratorsSection section, String refusal) {
        List<ExperimentPoint> points = section.points();
        List<ReportTable> rows = new ArrayList<>();
        boolean twin = refusal.equals(DeepGeneratorsSection.NO_REFUSAL);
        for (ExperimentPoint p : points) {
            double sign = p.seed() % 2 == 0 ? 1 : -1;
            ReportTable t = new ReportTable("rows", List.of("t", "N", "D", "eg_sim", "eg_theory", "gap",
                    "eg_gaussian", "gap_gaussian", "twin_refusal"));
            for (double time : TIMES) {
                double theory = 0.4 - 0.05 * time;
                double gap = 0.01 * sign * (1 + time);
                double twinGap = twin ? 0.002 * sign * (2 - time) : Double.NaN;
                t.addRow(time, 784, 32, theory * (1 + gap), theory, gap, theory * (1 + twinGap), twinGap, refusal);
            }
            rows.add(t);
        }
        return ReportRunner.combine("results", points, rows);
    }

    private static ReportTable named(List<ReportTable> tables, String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                "no table " + name + " in " + tables.stream().map(ReportTable::name).toList()));
    }

    @Test
    void theTwinsSimulationIsDrawnAsOpenMarkersFromTheSummaryThatIsWrittenAndShown() {
        DeepGeneratorsSection section = new DeepGeneratorsSection(ReportScale.TINY, null);
        SectionBody body = section.summarise(results(section, DeepGeneratorsSection.NO_REFUSAL));
        ReportTable summary = named(body.files(), section.id() + "-summary");
        FigureData figure = body.figures().get(0);
        FigureData.Panel panel = figure.panels().get(0);
        assertEquals(List.of(DeepGeneratorsSection.SIMULATION, DeepGeneratorsSection.THEORY,
                DeepGeneratorsSection.TWIN), panel.series().stream().map(FigureData.Series::label).toList());
        FigureData.Series generator = panel.series().get(0);
        FigureData.Series twin = panel.series().get(2);
        assertEquals(FigureData.Style.MARKERS, generator.style());
        assertEquals(FigureData.Style.OPEN_MARKERS, twin.style());
        assertTrue(twin.colour() != generator.colour() && twin.colour() != panel.series().get(1).colour());
        // the drawn numbers are the summary's columns themselves
        assertArrayEquals(summary.numbers("t"), twin.x());
        assertArrayEquals(summary.numbers("eg_gaussian_mean"), twin.y());
        assertArrayEquals(summary.numbers("eg_gaussian_sem"), twin.error());
        assertArrayEquals(summary.numbers("eg_sim_mean"), generator.y());
        for (double e : twin.error()) {
            // two seeds at ±0.2 % (2 − t) of ε_g: the standard error is that deviation, not zero
            assertTrue(e > 0 && Double.isFinite(e), "twin error " + e);
        }
        // the shown table carries the twin's points too (the page test compares it with its CSV)
        ReportTable shown = named(body.tables(), section.id() + "-table");
        for (int i = 0; i < shown.rowCount(); i++) {
            int row = indexOf(summary.numbers("t"), shown.number(i, "t"));
            assertEquals(summary.number(row, "eg_gaussian_mean"), shown.number(i, "eg_gaussian_mean"), 0);
            assertEquals(summary.number(row, "eg_gaussian_sem"), shown.number(i, "eg_gaussian_sem"), 0);
        }
        assertTrue(figure.caption().contains("open markers (" + DeepGeneratorsSection.TWIN + ")"), figure.caption());
        assertTrue(figure.caption().contains("Filled markers (" + DeepGeneratorsSection.SIMULATION + ")"),
                figure.caption());
        assertTrue(!figure.caption().contains("No Gaussian twin"), figure.caption());
    }

    @Test
    void aGeneratorWithoutATwinHasNoTwinSeriesAndItsCaptionAndVerdictSayWhy() {
        DeepGeneratorsSection section = new DeepGeneratorsSection(ReportScale.TINY, null);
        String refusal = "Omega - Phi Phi^T must be positive semi-definite, got smallest eigenvalue -0.1";
        SectionBody body = section.summarise(results(section, refusal));
        FigureData figure = body.figures().get(0);
        assertEquals(List.of(DeepGeneratorsSection.SIMULATION, DeepGeneratorsSection.THEORY),
                figure.panels().get(0).series().stream().map(FigureData.Series::label).toList());
        String generator = section.points().get(0).label("generator");
        assertTrue(figure.caption().endsWith("No Gaussian twin for " + generator + " (its verdict says why)."),
                figure.caption());
        assertTrue(body.verdicts().get(0).contains(refusal), body.verdicts().get(0));
    }

    private static int indexOf(double[] values, double v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        throw new AssertionError(v + " not among the summary's times");
    }
}
