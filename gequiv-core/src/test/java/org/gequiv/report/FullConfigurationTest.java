package org.gequiv.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.linalg.LinearAlgebra;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every section's list of points at every scale, built without running anything: a mistake in a
 * --full configuration (a duplicated point, a curve with too few seeds) would otherwise show only
 * hours into {@code gequiv paper --full}.
 */
class FullConfigurationTest {

    /** A context whose generators must not be built: listing points builds nothing. */
    private static final ReportContext NOTHING_BUILT = new ReportContext(LinearAlgebra.get(),
            OnlineExperiment.SimulationScope.NONE, 1, Path.of("models"), (name, models, seed) -> {
                throw new AssertionError("listing the points built the generator " + name);
            });

    /** The parameter of section 1's points that counts independent generator instances (its seeds). */
    private static final String INSTANCES = "instances";

    @ParameterizedTest
    @EnumSource(ReportScale.class)
    void everySectionListsDistinctPoints(ReportScale scale) {
        Set<String> ids = new HashSet<>();
        for (ReportSection section : PaperSections.all(scale, NOTHING_BUILT)) {
            assertTrue(ids.add(section.id()), "section id " + section.id() + " twice");
            List<ExperimentPoint> points = section.points();
            assertFalse(points.isEmpty(), section.id() + " at " + scale.id() + " has no points");
            Set<Map<String, Object>> distinct = new HashSet<>();
            for (ExperimentPoint p : points) {
                assertTrue(distinct.add(p.parameters()), section.id() + " at " + scale.id() + " lists twice " + p);
            }
            assertEquals(points, section.points(), section.id() + ": the list of points is not fixed");
        }
        assertEquals(6, ids.size(), "sections 1-6 (the 7th, provenance, is written by the page)");
    }

    @ParameterizedTest
    @EnumSource(value = ReportScale.class, names = "FULL")
    void everyFullCurveHasAtLeastTenSeeds(ReportScale scale) {
        assertTrue(ReportScale.FULL_SEEDS >= 10, "the issue asks for at least 10 seeds per curve");
        for (ReportSection section : PaperSections.all(scale, NOTHING_BUILT)) {
            // a curve: the points that agree on every parameter but the seed
            Map<Map<String, Object>, Set<Long>> seeds = new LinkedHashMap<>();
            Map<Map<String, Object>, Integer> instances = new LinkedHashMap<>();
            for (ExperimentPoint p : section.points()) {
                Map<String, Object> curve = new LinkedHashMap<>(p.parameters());
                curve.remove(ExperimentPoint.SEED);
                seeds.computeIfAbsent(curve, k -> new TreeSet<>()).add(p.seed());
                instances.put(curve, p.parameters().containsKey(INSTANCES) ? p.integer(INSTANCES) : 1);
            }
            for (Map.Entry<Map<String, Object>, Set<Long>> c : seeds.entrySet()) {
                int count = c.getValue().size() * instances.get(c.getKey());
                assertTrue(count >= ReportScale.FULL_SEEDS, section.id() + " at --full: the curve " + c.getKey()
                        + " has " + count + " seeds, want at least " + ReportScale.FULL_SEEDS);
            }
        }
    }
}
