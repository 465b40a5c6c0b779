package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gequiv.validation.MemoryEstimate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 3: sizes are checked before anything is allocated, within a second, as bad input
 * naming the option; item 6: a refused run leaves no --out folder.
 */
class SizeLimitsCliTest {

    /**
     * A refusal must come before any work: well within a second of the calling thread's CPU time from
     * the command's start (JIT-cold). CPU time rather than wall time, because on a loaded machine the
     * wall clock of the same refusal reached 1.2 s while its work was unchanged.
     */
    private static final long REFUSAL_MILLIS = 1000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @TempDir
    Path tmp;

    private CliRun refused(String expected, String... args) {
        long start = THREADS.getCurrentThreadCpuTime();
        CliRun r = CliRun.run(args);
        long millis = (THREADS.getCurrentThreadCpuTime() - start) / 1_000_000;
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        assertTrue(millis < REFUSAL_MILLIS, "refused after " + millis + " ms: " + r.err());
        return r;
    }

    @Test
    void hugeStudentIsRefusedForTheMemoryNamingKAndTheJavaOptions() {
        Path out = tmp.resolve("k");
        CliRun r = refused("-K is too large for the memory", "online", "-K", "100000", "--out", out.toString());
        assertTrue(r.err().contains("GEQUIV_JAVA_OPTS=-Xmx") && r.err().contains("TiB"), r.err());
        assertFalse(Files.exists(out), "a refused run creates no --out folder");
    }

    @Test
    void inputDimensionBeyondAJavaArrayIsRefused() {
        Path out = tmp.resolve("n");
        refused("-N is too large: generator weights: N × D doubles would be one array of 214748364700 elements",
                "online", "-N", "2147483647", "--out", out.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void largeInputDimensionIsRefusedBeforeTheEigendecomposition() {
        // N = 100 000: Ω alone is 10^10 doubles, one array longer than Java allows on the eigen path
        refused("-N is too large: Ω, its eigenvectors and a work copy", "online", "-N", "100000",
                "--spectral-method", "eigen", "--out", tmp.resolve("a").toString());
        // the default (auto, Lanczos on Ω from the kernel above N = 8192) holds Ω once in row blocks:
        // 80 GB, refused for the memory, naming that part
        CliRun lanczos = refused("-N is too large for the memory: the run needs about", "online", "-N", "100000",
                "--out", tmp.resolve("c").toString());
        assertTrue(lanczos.err().contains("Ω evaluated once from the kernel"), lanczos.err());
        // N = 30 000 fits an array but not the heap of a test JVM (3 N² doubles = 20 GiB)
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < (20L << 30),
                "a heap of 20 GiB or more would hold N = 30 000");
        refused("-N is too large for the memory: the run needs about", "online", "-N", "30000",
                "--spectral-method", "eigen", "--out", tmp.resolve("b").toString());
    }

    @Test
    void hugeTestSetIsRefused() {
        refused("--test-samples is too large: test set: testSamples × N doubles", "online", "--test-samples",
                "2000000000", "--out", tmp.resolve("t").toString());
        refused("--test-samples is too large", "erm", "--test-samples", "2000000000", "-N", "40", "-D", "20",
                "--out", tmp.resolve("e").toString());
    }

    @Test
    void timeBeyondWhatARunCanDoIsRefused() {
        Path out = tmp.resolve("time");
        refused("--time must be <= 1.099511627776E9 at N = 1000", "online", "--time", "1e300", "--out",
                out.toString());
        assertFalse(Files.exists(out));
        refused("--dt must be >= ", "online", "--time", "1e6", "-N", "20", "-D", "10", "--integrator", "euler",
                "--dt", "1e-7", "--no-simulate", "--out", out.toString());
    }

    @Test
    void momentSamplesThatOverflowTheBlockCountAreRefused() {
        Path out = tmp.resolve("m").resolve("m.npz");
        refused("--samples must be <= 2199023254528 (2^31 - 1 blocks of 1024), got 9223372036854775807",
                "moments", "--samples", "9223372036854775807", "-N", "20", "-D", "10", "--out", out.toString());
        assertFalse(Files.exists(out.getParent()));
    }

    @Test
    void checkSweepSizesAreCheckedAtEverySize() {
        refused("--sizes is too large", "check", "--sizes", "100,100000", "--out", tmp.resolve("c").toString());
        refused("--samples is too large", "check", "--sizes", "20", "--samples", "2000000000", "--out",
                tmp.resolve("c").toString());
    }

    @Test
    void estimateSaturatesInsteadOfOverflowing() {
        MemoryEstimate e = MemoryEstimate.builder().doubles("a", "a", 1, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE).doubles("b", "b", 3, 4).build();
        assertEquals(Long.MAX_VALUE, e.bytes());
        assertEquals("a", e.largest().field());
        assertEquals(96, MemoryEstimate.builder().doubles("b", "b", 3, 4).build().bytes());
        BadInputException refusal = assertThrows(BadInputException.class, () -> Resources.check(
                MemoryEstimate.builder().doubles("testSamples", "test set", 1, 1000, 1000).build(),
                new OptionMap("testSamples", "--test-samples"), 7_999_999));
        assertTrue(refusal.getMessage().startsWith("--test-samples is too large for the memory: the run needs about "
                + "7.6 MiB"), refusal.getMessage());
        Resources.check(MemoryEstimate.builder().doubles("testSamples", "test set", 1, 1000, 1000).build(),
                new OptionMap(), 8_000_000);
    }

    @Test
    void refusedRunsLeaveNoOutputFolder() {
        Path online = tmp.resolve("online");
        assertEquals(Main.EXIT_BAD_INPUT, CliRun.run("online", "--lr", "-1", "--out", online.toString()).exit());
        Path erm = tmp.resolve("erm");
        assertEquals(Main.EXIT_BAD_INPUT, CliRun.run("erm", "--lambda", "-1", "-N", "20", "--out", erm.toString())
                .exit());
        Path check = tmp.resolve("check");
        assertEquals(Main.EXIT_BAD_INPUT, CliRun.run("check", "--sizes", "16", "--samples", "1", "--out",
                check.toString()).exit());
        Path moments = tmp.resolve("moments");
        assertEquals(Main.EXIT_BAD_INPUT, CliRun.run("moments", "--samples", "1", "-N", "20", "--out",
                moments.resolve("m.npz").toString()).exit());
        Path samples = tmp.resolve("samples");
        assertEquals(Main.EXIT_BAD_INPUT, CliRun.run("samples", "--range", "1,0", "-N", "16", "-D", "4", "--out",
                samples.resolve("s.png").toString()).exit());
        for (Path p : new Path[] {online, erm, check, moments, samples}) {
            assertFalse(Files.exists(p), p + " was created by a refused run");
        }
    }
}
