package org.gequiv.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Verdicts computed from synthetic results tables whose answer is known. */
class SectionVerdictTest {

    /** The seed-to-seed scatter added to the synthetic gaps cancels exactly in the mean. */
    private static final double EXACT = 1e-12;

    @Test
    void finiteSizeFitsTheExponentOfAGapThatDecaysAsOneOverN() {
        SectionBody body = finiteSizeBody();
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
    void finiteSizeDrawsTheTwinsSimulationInTheStyleOfSectionThree() {
        FigureData figure = finiteSizeBody().figures().get(0);
        for (FigureData.Panel panel : figure.panels()) {
            List<FigureData.Series> twins = panel.series().stream().filter(x -> x.label().equals("Gaussian twin"))
                    .toList();
            assertEquals(1, twins.size(), panel.title());
            // section 3's twin style (DeepGeneratorsSectionTest), beside the generator's filled markers
            assertEquals(FigureData.Style.OPEN_MARKERS, twins.get(0).style(), panel.title());
            assertEquals(FigureData.Style.MARKERS, panel.series().stream().filter(x -> x.label().equals("generator"))
                    .findFirst().orElseThrow().style(), panel.title());
        }
        assertTrue(figure.caption().startsWith("Filled markers: the generator; open markers: its Gaussian twin"),
                figure.caption());
    }

    /** Section 4 summarised from synthetic rows: gap −2/N on the generator, ±0.1 % on the twin. */
    private static SectionBody finiteSizeBody() {
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
        return section.summarise(ReportRunner.combine("r", points, rows));
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

    @Test
    void equivalenceExplainsAnOnlineDifferenceThatVanishesWithNAsTheGeneratorsFiniteSizeGap() {
        EquivalenceSection section = new EquivalenceSection(ReportScale.TINY, null);
        List<ExperimentPoint> points = section.points();
        List<ReportTable> rows = new ArrayList<>();
        for (ExperimentPoint p : points) {
            double sign = p.seed() % 2 == 0 ? 1 : -1;
            int n = p.integer("N");
            if (p.label("study").equals("online")) {
                // generator gap −10 % at N = 40 and 0 at N = 80, ±1 % over the two seeds; twin ±0.1 %
                double gen = (n == 40 ? -0.1 : 0) + 0.01 * sign;
                double twin = 0.001 * sign;
                ReportTable t = new ReportTable("rows", List.of("t", "eg_theory", "eg_generator", "eg_gaussian",
                        "gap_generator", "gap_gaussian", "difference"));
                for (double time : new double[] {0, 0.5, 1, 2}) {
                    t.addRow(time, 0.5, 0.5 * (1 + gen), 0.5 * (1 + twin), gen, twin, 0.5 * (gen - twin));
                }
                rows.add(t);
            } else {
                // ridge: ±2 % relative difference over the two seeds at every α, mean zero
                ReportTable t = new ReportTable("rows", List.of("alpha", "test_error_generator", "test_error_gaussian",
                        "test_error_difference", "train_loss_difference", "test_error_relative_difference"));
                for (double alpha : new double[] {0.5, 1, 2}) {
                    t.addRow(alpha, 1.0 * (1 + 0.02 * sign), 1.0, 0.02 * sign, 0, 0.02 * sign);
                }
                rows.add(t);
            }
        }
        SectionBody body = section.summarise(ReportRunner.combine("r", points, rows));
        ReportTable online = body.tables().get(0);
        // per seed (gap_generator − gap_gaussian) = −0.1 + 0.009·sign at N = 40, 0.009·sign at N = 80
        assertEquals(-0.1, online.number(0, "relative_difference_mean"), EXACT);
        assertEquals(0.009, online.number(0, "relative_difference_sem"), EXACT);
        assertEquals(0.0, online.number(1, "relative_difference_mean"), EXACT);
        String verdict = body.verdicts().get(0);
        assertTrue(verdict.contains("is −10.00 ± 0.90 % at N = 40, 0.00 ± 0.90 % at N = 80;"), verdict);
        assertTrue(verdict.contains("within 2 SE of zero at 0/3 of 3/3 recorded times"), verdict);
        assertTrue(verdict.contains("(within 2 SE at 2 of 2 sizes)"), verdict);
        assertTrue(verdict.endsWith("the theory holds for the twin, so the difference is the generator's own "
                + "finite-size gap to the theory (section 4 measures it against N); it shrinks from N = 40 to N = 80, "
                + "to within 2 SE of zero, as a finite-size correction does."), verdict);
        String ridge = body.verdicts().get(1);
        assertTrue(ridge.contains("is 0.0 ± 2.0 % at N = P = 40, 0.0 ± 2.0 % at N = P = 80"), ridge);
        assertTrue(ridge.endsWith("; no difference is resolved at these sizes and seeds (within 2 SE of zero at "
                + "each)."), ridge);
        // the same rows but a difference that does not shrink: −10 % at both sizes
        ReportTable flat = new ReportTable("t", online.columns());
        for (int i = 0; i < online.rowCount(); i++) {
            Map<String, Object> row = online.row(i);
            row.put("relative_difference_mean", -0.1);
            flat.addRow(row);
        }
        assertEquals("; it does not shrink from N = 40 to N = 80 and is beyond 2 SE at both, so these sizes do not "
                + "show it to be a finite-size correction.", EquivalenceSection.trend(flat, "N = "));
    }

    /** Per-seed time-averaged gaps of section 3 for one generator, in per cent. */
    private static ReportTable deepPerSeed(double[] generator, double[] twin) {
        ReportTable t = new ReportTable("per-seed", List.of("generator", "seed", "gap", "gap_gaussian", "difference"));
        for (int s = 0; s < generator.length; s++) {
            t.addRow("g", s, generator[s] / 100, twin[s] / 100, (generator[s] - twin[s]) / 100);
        }
        return t;
    }

    private static ReportTable deepAveraged(ReportTable perSeed) {
        ReportTable a = SeedAverage.summarise(perSeed, List.of("generator"), List.of("gap", "gap_gaussian",
                "difference"), "a");
        ReportTable t = new ReportTable("averaged", List.of("generator", "from_t", "seeds", "gap_mean", "gap_sem",
                "gap_gaussian_mean", "gap_gaussian_sem", "difference_mean", "difference_sem"));
        return t.addRow("g", 1, perSeed.rowCount(), a.number(0, "gap_mean"), a.number(0, "gap_sem"),
                a.number(0, "gap_gaussian_mean"), a.number(0, "gap_gaussian_sem"), a.number(0, "difference_mean"),
                a.number(0, "difference_sem"));
    }

    @Test
    void deepGeneratorsPutAGapThatTheTwinSharesOnFiniteSizeAndSeeds() {
        ReportTable perSeed = deepPerSeed(new double[] {-4.5, -5.6, -3.0, -2.2}, new double[] {-4.0, -5.0, -3.5, -2.0});
        String v = DeepGeneratorsSection.verdict(deepAveraged(perSeed), 0, perSeed, null);
        // generator −3.825 ± 0.76 % (5 SE); twin −3.625 %; difference −0.20 ± 0.25 %
        assertTrue(v.startsWith("Averaged over t ≥ 1 the gap is −3.82 ± 0.76 %, beyond 2 SE of zero (5 SE)"), v);
        assertTrue(v.contains("generator − twin −0.20 ± 0.25 % (within 2 SE): the twin, which has exactly the moments"),
                v);
        assertTrue(v.contains("Per seed the gaps are −4.5, −5.6, −3, −2.2 % (seeds 0, 1, 2, 3); the largest |gap| is "
                + "seed 1's, and without it the mean is −3.23 ± 0.67 % (still beyond 2 SE)."), v);
    }

    @Test
    void deepGeneratorsSayWhenTheGapIsTheGeneratorsOwnOrTheTwinIsMissing() {
        ReportTable own = deepPerSeed(new double[] {-4.5, -5.6, -3.0, -2.2}, new double[] {0.5, -0.4, 0.3, -0.2});
        String v = DeepGeneratorsSection.verdict(deepAveraged(own), 0, own, null);
        assertTrue(v.contains("the twin agrees with the theory while the generator departs from its twin"), v);
        ReportTable agree = deepPerSeed(new double[] {-1.0, 0.5, 0.8, -0.6}, new double[] {-0.5, 0.2, 0.4, -0.1});
        String ok = DeepGeneratorsSection.verdict(deepAveraged(agree), 0, agree, null);
        assertTrue(ok.startsWith("Averaged over t ≥ 1 the gap is −0.07 ± 0.43 %, within 2 SE of zero: the theory "
                + "with the Monte-Carlo moments predicts the simulation (Gaussian twin 0.00 ± 0.20 %)."), ok);
        String refused = DeepGeneratorsSection.verdict(deepAveraged(own), 0, own, "Omega - Phi Phi^T must be "
                + "positive semi-definite");
        assertTrue(refused.contains("could not be built: Omega - Phi Phi^T must be positive semi-definite. Per seed"),
                refused);
    }
}
