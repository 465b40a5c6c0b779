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
    void aCovarianceRuleWhoseOmegaIsNotPositiveSemiDefiniteIsAFindingNotAFailure() {
        DeepRandomOnlineSection section = new DeepRandomOnlineSection(ReportScale.TINY, null);
        List<ExperimentPoint> points = section.points();
        List<ReportTable> rows = new ArrayList<>();
        for (ExperimentPoint p : points) {
            // smallest eigenvalue −0.1 − 0.01·seed for the linearised rule, +0.01 for the exact one
            double seed = p.seed();
            if (p.label("covariance_rule").equals("linearised")) {
                rows.add(new ReportTable("rows", List.of("t", "status", "omega_min_eigenvalue",
                        "omega_max_eigenvalue", "omega_negative_eigenvalues")).addRow(Double.NaN,
                        DeepRandomOnlineSection.NOT_PSD, -0.1 - 0.01 * seed, 20, 3 + seed));
                continue;
            }
            ReportTable t = new ReportTable("rows", List.of("t", "status", "omega_min_eigenvalue",
                    "omega_max_eigenvalue", "omega_negative_eigenvalues", "eg_theory", "eg_sim", "Q_0_0_theory",
                    "Q_1_1_theory", "R_0_0_theory", "R_1_1_theory", "Q_0_0_sim", "Q_1_1_sim", "R_0_0_sim",
                    "R_1_1_sim"));
            // the simulation 2 % above the theory at every time and seed
            for (double time : new double[] {0, 1, 2}) {
                t.addRow(time, "ok", 0.01, 19, 0, 0.5, 0.51, 1, 1, 0, 0, 1, 1, 0, 0);
            }
            rows.add(t);
        }
        SectionBody body = section.summarise(ReportRunner.combine("r", points, rows));
        assertTrue(body.verdicts().get(0).startsWith("Exact rule: largest gap 2"), body.verdicts().get(0));
        String finding = body.verdicts().get(1);
        // two seeds: smallest eigenvalues −0.10 and −0.11, mean −0.105 ± 0.005; 3 and 4 negative ones
        assertTrue(finding.startsWith("Linearised rule (the published recursion): its Ω is not positive "
                + "semi-definite in 2 of 2 seeds at N = 60, D = 12, depth 4 — smallest eigenvalue −0.1050 ± 0.0050 "
                + "against a largest of 20"), finding);
        assertTrue(finding.contains("3.50 ± 0.50 of 60 eigenvalues negative beyond round-off"), finding);
        assertTrue(finding.contains("were not integrated"), finding);
        assertTrue(finding.contains("the exact rule's Ω has smallest eigenvalue 0.01"), finding);
        assertTrue(finding.contains("positive semi-definite in 2 of 2 seeds"), finding);
        assertEquals(2, body.verdicts().size(), "no failure and no other verdict: " + body.verdicts());
        ReportTable shown = body.tables().get(0);
        assertEquals(0.02, shown.number(shown.rowCount() - 1, "gap_exact_mean"), EXACT);
        assertTrue(Double.isNaN(shown.number(0, "eg_theory_linearised")));
        ReportTable omega = body.tables().get(1);
        ReportTable lin = omega.where("covariance_rule", "linearised");
        assertEquals(2.0, lin.number(0, "seeds_not_psd"));
        assertEquals(-0.105, lin.number(0, "min_eigenvalue_mean"), EXACT);
    }

    @Test
    void ermStatesAGapThatVanishesAtTheLargerSizeAsFiniteSize() {
        ErmSection section = new ErmSection(ReportScale.TINY, null);
        List<ExperimentPoint> points = section.points();
        List<ReportTable> rows = new ArrayList<>();
        for (ExperimentPoint p : points) {
            // relative gap −4 % ± 10 % of it over the two seeds at the main size N = 40, ±0.1 % elsewhere
            double sign = p.seed() % 2 == 0 ? 1 : -1;
            boolean main = p.integer("N") == 40 && p.label("generator").equals("single-layer");
            double gap = main ? -0.04 * (1 + 0.1 * sign) : 0.001 * sign;
            ReportTable t = new ReportTable("rows", List.of("alpha", "test_error_theory", "train_loss_theory",
                    "test_error_sim", "train_loss_sim", "test_error_gap", "train_loss_gap", "test_error_relative_gap"));
            for (double alpha : new double[] {0.5, 1, 1.5, 2}) {
                t.addRow(alpha, 2.0, 0.1, 2.0 * (1 + gap), 0.1, 2.0 * gap, 0, gap);
            }
            rows.add(t);
        }
        SectionBody body = section.summarise(ReportRunner.combine("r", points, rows));
        ReportTable sizes = body.tables().get(1);
        assertEquals("erm-finite-size", sizes.name());
        ReportTable ridge = sizes.where("loss", "ridge").where("generator", "single-layer");
        assertEquals(-0.04, ridge.number(0, "relative_gap_away_mean"), EXACT);
        assertEquals(0.004, ridge.number(0, "relative_gap_away_sem"), EXACT);
        assertEquals(0.0, ridge.number(1, "relative_gap_away_mean"), EXACT);
        String verdict = body.verdicts().stream().filter(v -> v.startsWith("ridge, finite size")).findFirst()
                .orElseThrow();
        assertTrue(verdict.contains("−4.00 ± 0.40 % (10 SE from zero) at N = P = 40"), verdict);
        assertTrue(verdict.contains("at N = P = 80") && verdict.contains("on the Gaussian twin at N = P = 40"), verdict);
        assertTrue(verdict.endsWith("The gap at N = P = 40 is consistent with a finite-size effect: beyond 2 SE "
                + "there, within 2 SE of zero in the same experiment at N = P = 80."), verdict);
    }
}
