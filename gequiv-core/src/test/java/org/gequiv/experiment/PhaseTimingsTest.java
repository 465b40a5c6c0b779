package org.gequiv.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * By definition: the phases of {@link PhaseTimings} are the intervals between marks, their sum is
 * the total, a phase of known busy work (CPU time of its thread) takes at least that long in wall and
 * process CPU time, and the start
 * is the age of the process (at least the JVM's own uptime, /proc's 10 ms ticks allowed).
 */
class PhaseTimingsTest {

    /** Two clock ticks of /proc (10 ms each) and the rounding of the record. */
    private static final double TICKS = 0.02;

    @Test
    void phasesTileTheRunAndMeasureBusyWork() {
        double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        PhaseTimings t = PhaseTimings.begin();
        spin(0.05);
        double first = t.end("busy");
        t.end("idle");
        spin(0.03);
        t.end("busy");
        t.detail("inner", 0.01);
        t.detail("inner", 0.02);
        Map<String, Object> r = t.record();

        assertTrue(first >= 0.05, "wall of 50 ms of work: " + first);
        Map<?, ?> busy = (Map<?, ?>) r.get("busy");
        Map<?, ?> idle = (Map<?, ?>) r.get("idle");
        Map<?, ?> start = (Map<?, ?>) r.get("start");
        Map<?, ?> total = (Map<?, ?>) r.get("total");
        assertTrue((Double) busy.get("wall") >= 0.08, "a name marked twice adds up: " + busy);
        assertTrue((Double) busy.get("cpu") >= 0.08 - TICKS, "busy CPU: " + busy);
        assertTrue((Double) idle.get("wall") >= 0 && (Double) idle.get("wall") < 0.05, "idle: " + idle);
        assertTrue((Double) start.get("wall") >= uptime - TICKS, "start " + start + " after a JVM uptime of " + uptime);
        double sum = (Double) start.get("wall") + (Double) busy.get("wall") + (Double) idle.get("wall");
        assertEquals((Double) total.get("wall"), sum, 1e-5, "the phases tile the run");
        assertTrue((Double) total.get("cpu") >= (Double) busy.get("cpu"), "total CPU");
        assertEquals(0.03, (Double) r.get("inner"), 1e-9, "details add up");
        assertEquals(0.03, t.detail("inner"), 1e-9);
        assertEquals(0.0, t.wall("never"), 0.0);
    }

    /** Keeps this thread busy for {@code seconds} of its own CPU time (so at least as much wall time). */
    private static void spin(double seconds) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + (long) (seconds * 1e9);
        double x = 1;
        while (threads.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x = Math.sqrt(x + 1);
            }
        }
        if (x == 0) {
            throw new AssertionError();
        }
    }
}
