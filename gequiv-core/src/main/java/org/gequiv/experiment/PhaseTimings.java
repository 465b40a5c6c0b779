package org.gequiv.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the time of one run went: consecutive phases, each with its wall time and the CPU time of
 * the whole process (every thread: the BLAS threads, the pools, the JIT and the collector) over
 * the same interval, in seconds, as run.json's {@code "timings"} records them (README, run.json).
 * A phase ends when the next one is marked, so the phases tile the run without gaps:
 * {@code start} is the interval from the process's start (the JVM, the command line's parsing) to
 * {@link #begin()}, and {@code total} the process's age at the last mark.
 *
 * <p>Named durations inside a phase that are not phases of their own (the eigendecomposition inside
 * the spectral set-up) are {@link #detail details}, wall time only, and derived figures such as
 * the set-up outside the eigendecomposition are added by whoever defines them
 * ({@link OnlineExperiment}).
 *
 * <p>The process CPU is read from {@code /proc/self/stat} (user + system, in clock ticks of
 * 1/100 s, so it resolves 10 ms); where that file is not readable the {@code cpu} entries are
 * left out. The process's start comes from {@code /proc} too ({@link #processAgeSeconds}, 10 ms); when
 * it is unknown {@code start} and {@code total} are left out. A mark costs a file read, ~50 µs:
 * phases are whole stages of a run, not steps of a loop. Not thread-safe: one run's own, marked from
 * the thread that runs it.
 */
public final class PhaseTimings {

    /** Clock ticks per second of {@code /proc/self/stat} (USER_HZ, 100 on every Linux ABI). */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Path UPTIME = Path.of("/proc/uptime");

    private final Map<String, Object> phases = new LinkedHashMap<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    /** The process's age at {@link #begin} in seconds, or −1 when unknown. */
    private final double age;
    private final long begunNanos;
    private long lastNanos;
    private double lastCpu;

    private PhaseTimings(double age) {
        this.age = age;
        this.begunNanos = System.nanoTime();
        this.lastNanos = begunNanos;
        this.lastCpu = processCpuSeconds();
        if (age >= 0) {
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("wall", age);
            if (lastCpu >= 0) {
                start.put("cpu", lastCpu);
            }
            phases.put("start", start);
        }
    }

    /** Timings that start now; the interval since the process started is their {@code start} phase. */
    public static PhaseTimings begin() {
        return new PhaseTimings(processAgeSeconds());
    }

    /**
     * Ends the phase that ran since the previous mark (or since {@link #begin}) under {@code name};
     * a name marked again adds to its earlier times.
     *
     * @return the phase's wall time in seconds
     */
    public double end(String name) {
        long now = System.nanoTime();
        double cpu = processCpuSeconds();
        double wall = (now - lastNanos) / 1e9;
        @SuppressWarnings("unchecked")
        Map<String, Object> phase = (Map<String, Object>) phases.computeIfAbsent(name, n -> new LinkedHashMap<>());
        phase.merge("wall", wall, (a, b) -> (Double) a + (Double) b);
        if (cpu >= 0 && lastCpu >= 0) {
            phase.merge("cpu", cpu - lastCpu, (a, b) -> (Double) a + (Double) b);
        }
        lastNanos = now;
        lastCpu = cpu;
        return wall;
    }

    /** Records a named duration inside a phase (wall seconds), for example the eigendecomposition. */
    public void detail(String name, double seconds) {
        details.merge(name, seconds, (a, b) -> (Double) a + (Double) b);
    }

    /** The wall seconds of phase {@code name} so far, 0 when it was never marked. */
    public double wall(String name) {
        return phases.get(name) instanceof Map<?, ?> phase && phase.get("wall") instanceof Double d ? d : 0.0;
    }

    /** The wall seconds of detail {@code name}, 0 when it was never recorded. */
    public double detail(String name) {
        return details.get(name) instanceof Double d ? d : 0.0;
    }

    /**
     * The phases in the order they were first marked, then {@code total} (wall and CPU of the
     * process up to the last mark) and the details: a new map, for run.json.
     */
    public Map<String, Object> record() {
        Map<String, Object> d = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : phases.entrySet()) {
            Map<String, Object> phase = new LinkedHashMap<>();
            ((Map<?, ?>) e.getValue()).forEach((k, v) -> phase.put((String) k, rounded((Double) v)));
            d.put(e.getKey(), phase);
        }
        if (age >= 0) {
            Map<String, Object> total = new LinkedHashMap<>();
            total.put("wall", rounded(age + (lastNanos - begunNanos) / 1e9));
            if (lastCpu >= 0) {
                total.put("cpu", rounded(lastCpu));
            }
            d.put("total", total);
        }
        details.forEach((k, v) -> d.put(k, rounded((Double) v)));
        return d;
    }

    /** Seconds to the microsecond (differences of 10 ms CPU ticks otherwise print as 0.06999999999999). */
    private static double rounded(double seconds) {
        return Math.round(seconds * 1e6) / 1e6;
    }

    /**
     * The seconds since this process started, from the system's uptime ({@code /proc/uptime}) less
     * the process's start after boot (field 22 of {@code /proc/self/stat}), both in hundredths of a
     * second; −1 when either cannot be read. ({@link ProcessHandle.Info#startInstant} adds the boot
     * time, which Linux gives in whole seconds: up to a second off.) A launcher that {@code exec}s
     * the JVM keeps its process, so its own start is included.
     */
    static double processAgeSeconds() {
        try {
            String uptime = Files.readString(UPTIME);
            double sinceBoot = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            String[] fields = statFields();
            // field 22 (starttime) is fields[19]
            return Math.max(0.0, sinceBoot - Long.parseLong(fields[19]) / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The fields of {@code /proc/self/stat} from field 3 (the state) on. */
    private static String[] statFields() throws IOException {
        String stat = Files.readString(STAT);
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * User + system CPU seconds of this process so far, or −1 when {@code /proc/self/stat} cannot be
     * read. Fields 14 and 15 count from the first field after the command name's closing
     * parenthesis, which is searched from the end (the name itself may hold spaces and parentheses).
     */
    static double processCpuSeconds() {
        try {
            String[] fields = statFields();
            // after the name, field 3 (state) is fields[0]: utime (14) and stime (15) are [11] and [12]
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
