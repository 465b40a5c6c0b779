package org.gequiv.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SeedAverageTest {

    /** Sums of a few small doubles: exact to rounding. */
    private static final double TOLERANCE = 1e-15;

    @Test
    void groupsOverEveryKeyAndAveragesOverSeeds() {
        ReportTable r = new ReportTable("r", List.of("rule", "t", "seed", "x"));
        r.addRow("a", 1, 0, 1.0).addRow("a", 1, 1, 2.0).addRow("a", 1, 2, 6.0)
                .addRow("a", 2, 0, 5.0).addRow("b", 1, 0, 7.0).addRow("b", 1, 1, Double.NaN);
        ReportTable s = SeedAverage.summarise(r, List.of("rule", "t"), List.of("x"), "s");
        assertEquals(List.of("rule", "t", "x_mean", "x_sem", "x_count"), s.columns());
        assertEquals(3, s.rowCount());
        assertEquals(3.0, s.number(0, "x_mean"), TOLERANCE);
        // sd of (1, 2, 6) = sqrt(7), SE = sqrt(7/3)
        assertEquals(Math.sqrt(7.0 / 3.0), s.number(0, "x_sem"), TOLERANCE);
        assertEquals(3, s.number(0, "x_count"));
        assertEquals(5.0, s.number(1, "x_mean"), TOLERANCE);
        assertTrue(Double.isNaN(s.number(1, "x_sem")), "one value has no standard error");
        // the NaN of seed 1 is not counted
        assertEquals("b", s.label(2, "rule"));
        assertEquals(7.0, s.number(2, "x_mean"), TOLERANCE);
        assertEquals(1, s.number(2, "x_count"));
    }
}
