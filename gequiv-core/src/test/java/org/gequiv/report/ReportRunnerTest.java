package org.gequiv.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ReportRunnerTest {

    /** A section of some seeds whose rows are t and x = seed + t; counts the points it ran. */
    static class Counting implements ReportSection {
        int ran;
        final int seeds;
        final Set<Integer> failing;

        Counting(int seeds, Set<Integer> failing) {
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
            if (failing.contains((int) p.seed())) {
                throw new IllegalStateException("did not converge at α = 2");
            }
            ReportTable t = new ReportTable("rows", List.of("t", "x", "note"));
            t.addRow(0, p.seed(), "ok").addRow(1, p.seed() + 1.0 / 3.0, "ok").addRow(2, Double.POSITIVE_INFINITY, "ok");
            return t;
        }

        @Override
        public SectionBody summarise(ReportTable results) {
            ReportTable s = SeedAverage.summarise(results, List.of("t"), List.of("x"), "s");
            FigureData f = new FigureData("f", "x against t.", List.of(new FigureData.Panel("x", "t", "x", false,
                    false, List.of(Summaries.markers("x", s, "t", "x", 0)))));
            return new SectionBody(List.of(s), List.of(f), List.of("mean at t = 1: " + s.number(1, "x_mean")),
                    List.of(), List.of());
        }
    }

    /** Points kept in memory by index; counts the writes. */
    static final class MemoryStore implements PointStore {
        final Map<Integer, Stored> kept = new HashMap<>();
        int writes;

        @Override
        public Stored read(ReportSection section, int index, ExperimentPoint point) {
            return kept.get(index);
        }

        @Override
        public void write(ReportSection section, int index, ExperimentPoint point, Stored result) {
            writes++;
            kept.put(index, result);
        }
    }

    @Test
    void prependsTheParametersOfEachPointToItsRows() throws IOException {
        ReportRunner.Outcome o = ReportRunner.run(new Counting(2, Set.of()), PointStore.NONE,
                ReportRunner.Listener.NONE);
        assertFalse(o.incomplete());
        ReportTable r = o.results();
        assertEquals(List.of("kind", "seed", "t", "x", "note"), r.columns());
        assertEquals(6, r.rowCount());
        assertEquals(1.0, r.number(4, "seed"));
        assertEquals(1 + 1.0 / 3.0, r.number(4, "x"));
    }

    @Test
    void aStoredPointIsReadBackInsteadOfRun() throws IOException {
        MemoryStore store = new MemoryStore();
        Counting first = new Counting(3, Set.of());
        ReportRunner.Outcome a = ReportRunner.run(first, store, ReportRunner.Listener.NONE);
        assertEquals(3, first.ran);
        assertEquals(3, store.writes, "each point is kept as it finishes");
        Counting second = new Counting(3, Set.of());
        ReportRunner.Outcome b = ReportRunner.run(second, store, ReportRunner.Listener.NONE);
        assertEquals(0, second.ran, "a stored point does not run");
        assertEquals(3, b.reused());
        assertEquals(0, a.reusedSeconds());
        double stored = store.kept.values().stream().mapToDouble(PointStore.Stored::seconds).sum();
        assertEquals(stored, b.reusedSeconds(), 1e-12, "the reused points' times when they ran");
        assertEquals(a.results().csv().render(null), b.results().csv().render(null));
        assertEquals(a.body().verdicts(), b.body().verdicts());
    }

    @Test
    void aFailingPointIsRecordedAndTheSectionIsSummarisedFromTheOthers() throws IOException {
        MemoryStore store = new MemoryStore();
        ReportRunner.Outcome o = ReportRunner.run(new Counting(4, Set.of(1)), store, ReportRunner.Listener.NONE);
        assertFalse(o.failed(), "the section is summarised");
        assertTrue(o.incomplete());
        assertEquals(1, o.failures().size());
        assertEquals(1, o.failures().get(0).point().seed());
        assertTrue(o.failures().get(0).message().contains("did not converge at α = 2"), o.failures().get(0).message());
        assertEquals(9, o.results().rowCount(), "three points of three rows");
        assertEquals(List.of(0.0, 2.0, 3.0), o.results().where("t", 0).csv().render(null).lines().skip(1)
                .map(l -> Double.parseDouble(l.split(",")[1])).toList());
        assertTrue(o.body().verdicts().get(0).startsWith("1 of 4 points failed"), o.body().verdicts().get(0));
        assertTrue(o.body().figures().get(0).caption().contains("Failed: kind = a, seed = 1 (IllegalStateException: "
                + "did not converge at α = 2)"), o.body().figures().get(0).caption());
        ReportTable failures = o.body().tables().get(o.body().tables().size() - 1);
        assertEquals("counting-failures", failures.name());
        assertEquals(List.of("kind", "seed", "message"), failures.columns());
        assertEquals(1.0, failures.number(0, "seed"));
        assertEquals(3, store.writes, "a failed point is not kept");

        Counting again = new Counting(4, Set.of());
        ReportRunner.Outcome second = ReportRunner.run(again, store, ReportRunner.Listener.NONE);
        assertEquals(1, again.ran, "only the failed point runs again");
        assertFalse(second.incomplete());
        assertEquals(12, second.results().rowCount());
    }

    @Test
    void aSectionWhosePointsAllFailIsFailed() throws IOException {
        ReportRunner.Outcome o = ReportRunner.run(new Counting(2, Set.of(0, 1)), PointStore.NONE,
                ReportRunner.Listener.NONE);
        assertTrue(o.failed());
        assertNull(o.body());
        assertEquals(2, o.failures().size());
        assertTrue(o.failure().startsWith("all 2 points failed; the first: IllegalStateException: did not converge"),
                o.failure());
    }

    @Test
    void aSectionWhoseSummaryFailsIsFailedWithTheMessageAndKeepsItsPoints() throws IOException {
        Counting broken = new Counting(3, Set.of(2)) {
            @Override
            public SectionBody summarise(ReportTable results) {
                throw new IllegalArgumentException("rate fit needs finite values, got NaN at N = 64");
            }
        };
        MemoryStore store = new MemoryStore();
        ReportRunner.Outcome o = ReportRunner.run(broken, store, ReportRunner.Listener.NONE);
        assertTrue(o.failed());
        assertNull(o.body());
        assertEquals("IllegalArgumentException: rate fit needs finite values, got NaN at N = 64 (after 1 of 3 points "
                + "failed; the first: IllegalStateException: did not converge at α = 2)", o.failure());
        assertEquals(2, store.writes, "the points that ran are kept for a rerun");
    }

    @Test
    void aStoreThatCannotWriteStopsTheReport() {
        PointStore broken = new PointStore() {
            @Override
            public Stored read(ReportSection section, int index, ExperimentPoint point) {
                return null;
            }

            @Override
            public void write(ReportSection section, int index, ExperimentPoint point, Stored result)
                    throws IOException {
                throw new IOException("disk full");
            }
        };
        IOException e = assertThrows(IOException.class, () -> ReportRunner.run(new Counting(2, Set.of()), broken,
                ReportRunner.Listener.NONE));
        assertEquals("disk full", e.getMessage());
    }
}
