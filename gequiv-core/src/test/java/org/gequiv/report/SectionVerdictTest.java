package org.gequiv.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Verdicts computed from synthetic results tables whose answer is known. */
class SectionVerdictTest {

    /** The seed-to-seed scatter added to the synthetic gaps cancels exactly in the mean. */
    private static final double EXACT = 1e-12;

    @Test
    void finiteSizeFitsTheExponentOfAGapThatDecaysAsOneOverN() {
        FiniteSizeSection section = new FiniteSizeSection(ReportScale.TINY, null);
        List<ExperimentPoint> points = section.points();
        List<ReportTable> rows = new ArrayList<>();
        for (ExperimentPoint p : points) {
            int n = p.integer("N");
            // gap −2/N on the generator, ±0.1 % on the twin, scatter ±10 % of the gap over the two seeds
            double sign = p.seed() % 2 == 0 ? 1 : -1;
            ReportTable t = new ReportTable("rows", List.of("t", "eg_theory", "eg_generator", "eg_gaussian",
                    "gap_generator", "gap_gaussian", "difference"));
            for (double time : new double[] {0, 0.5, 1, 2}) {
                double gen = -2.0 / n * (1 + 0.1 * sign);
                double twin = 0.001 * sign;
                t.addRow(time, 0.5, 0.5 * (1 + gen), 0.5 * (1 + twin), gen, twin, 0.5 * (gen - twin));
            }
            rows.add(t);
        }
        ReportTable results = ReportRunner.combine("r", points, rows);
        SectionBody body = section.summarise(results);
        ReportTable table = body.tables().get(0);
        for (int i = 0; i < table.rowCount(); i++) {
            assertEquals(-2.0 / table.number(i, "N"), table.number(i, "gap_generator_mean"), EXACT);
            assertEquals(0.0, table.number(i, "gap_gaussian_mean"), EXACT);
        }
        String generator = body.verdicts().get(0);
        assertTrue(generator.contains("|gap| ∝ N^−1,") && generator.contains("(decays)"), generator);
        String twin = body.verdicts().get(1);
        assertTrue(twin.contains("3 of 3 sizes within 2 SE of zero"), twin);
    }

    @Test
    void aRefusedCovarianceRuleIsStatedInTheVerdictNotAFailure() {
        DeepRandomOnlineSection section = new DeepRandomOnlineSection(ReportScale.TINY, null);
        List<ExperimentPoint> points = section.points();
        List<ReportTable> rows = new ArrayList<>();
        for (ExperimentPoint p : points) {
            if (p.label("covariance_rule").equals("linearised")) {
                rows.add(new ReportTable("rows", List.of("t", "status")).addRow(Double.NaN,
                        "theory refused: omega must be positive semi-definite"));
                continue;
            }
            ReportTable t = new ReportTable("rows", List.of("t", "status", "eg_theory", "eg_sim", "Q_0_0_theory",
                    "Q_1_1_theory", "R_0_0_theory", "R_1_1_theory", "Q_0_0_sim", "Q_1_1_sim", "R_0_0_sim", "R_1_1_sim"));
            // the simulation 2 % above the theory at every time and seed
            for (double time : new double[] {0, 1, 2}) {
                t.addRow(time, "ok", 0.5, 0.51, 1, 1, 0, 0, 1, 1, 0, 0);
            }
            rows.add(t);
        }
        SectionBody body = section.summarise(ReportRunner.combine("r", points, rows));
        assertTrue(body.verdicts().get(0).startsWith("Exact rule: largest gap 2"), body.verdicts().get(0));
        assertTrue(body.verdicts().get(1).contains("no theory") && body.verdicts().get(1).contains("positive semi-definite"),
                body.verdicts().get(1));
        ReportTable shown = body.tables().get(0);
        assertEquals(0.02, shown.number(shown.rowCount() - 1, "gap_exact_mean"), EXACT);
        assertTrue(Double.isNaN(shown.number(0, "eg_theory_linearised")));
    }
}
