package org.gequiv.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportRunnerTest {

    /** A section of two seeds whose rows are t and x = seed + t; counts the points it ran. */
    static final class Counting implements ReportSection {
        int ran;
        final int seeds;
        final boolean failing;

        Counting(int seeds, boolean failing) {
            this.seeds = seeds;
            this.failing = failing;
        }

        @Override
        public String id() {
            return "counting";
        }

        @Override
        public String title() {
            return "counting";
        }

        @Override
        public String claim() {
            return "none";
        }

        @Override
        public List<ExperimentPoint> points() {
            List<ExperimentPoint> p = new ArrayList<>();
            for (int s = 0; s < seeds; s++) {
                p.add(ExperimentPoint.of("kind", "a", "seed", s));
            }
            return p;
        }

        @Override
        public ReportTable run(ExperimentPoint p) {
            ran++;
            if (failing && p.seed() == 1) {
                throw new IllegalStateException("did not converge at α = 2");
            }
            ReportTable t = new ReportTable("rows", List.of("t", "x", "note"));
            t.addRow(0, p.seed(), "ok").addRow(1, p.seed() + 1.0 / 3.0, "ok").addRow(2, Double.POSITIVE_INFINITY, "ok");
            return t;
        }

        @Override
        public SectionBody summarise(ReportTable results) {
            ReportTable s = SeedAverage.summarise(results, List.of("t"), List.of("x"), "s");
            return new SectionBody(List.of(s), List.of(), List.of("mean at t = 1: " + s.number(1, "x_mean")),
                    List.of(), List.of());
        }
    }

    @Test
    void prependsTheParametersOfEachPointToItsRows() {
        ReportRunner.Outcome o = ReportRunner.run(new Counting(2, false), null, "r", ReportRunner.Listener.NONE);
        assertFalse(o.failed());
        ReportTable r = o.results();
        assertEquals(List.of("kind", "seed", "t", "x", "note"), r.columns());
        assertEquals(6, r.rowCount());
        assertEquals(1.0, r.number(4, "seed"));
        assertEquals(1 + 1.0 / 3.0, r.number(4, "x"));
    }

    @Test
    void aFinishedSectionIsReadBackFromItsCacheWithEveryDigit(@TempDir Path dir) {
        Counting first = new Counting(3, false);
        ReportRunner.Outcome a = ReportRunner.run(first, dir, "r", ReportRunner.Listener.NONE);
        assertEquals(3, first.ran);
        Counting second = new Counting(3, false);
        ReportRunner.Outcome b = ReportRunner.run(second, dir, "r", ReportRunner.Listener.NONE);
        assertEquals(0, second.ran, "a cached section runs no point");
        assertTrue(b.fromCache());
        assertEquals(a.results().csv().render(null), b.results().csv().render(null));
        assertEquals(a.body().verdicts(), b.body().verdicts());
        assertTrue(Double.isInfinite(b.results().number(2, "x")));
    }

    @Test
    void anotherListOfPointsOrRevisionIsNotTakenFromTheCache(@TempDir Path dir) {
        ReportRunner.run(new Counting(2, false), dir, "r", ReportRunner.Listener.NONE);
        Counting more = new Counting(3, false);
        ReportRunner.run(more, dir, "r", ReportRunner.Listener.NONE);
        assertEquals(3, more.ran);
        Counting rebuilt = new Counting(3, false);
        ReportRunner.run(rebuilt, dir, "other commit", ReportRunner.Listener.NONE);
        assertEquals(3, rebuilt.ran);
    }

    @Test
    void aFailingPointFailsTheSectionWithItsMessageAndIsNotCached(@TempDir Path dir) {
        ReportRunner.Outcome o = ReportRunner.run(new Counting(3, true), dir, "r", ReportRunner.Listener.NONE);
        assertTrue(o.failed());
        assertNull(o.body());
        assertTrue(o.failure().contains("did not converge at α = 2"), o.failure());
        Counting again = new Counting(3, false);
        ReportRunner.run(again, dir, "r", ReportRunner.Listener.NONE);
        assertEquals(3, again.ran, "a failed section is rerun");
    }
}
