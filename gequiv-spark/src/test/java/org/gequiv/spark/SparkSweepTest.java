package org.gequiv.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gequiv.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gequiv sweep --spark}: on {@code local[2]} and on a real standalone cluster (a Master and
 * a Worker in their own JVMs on 127.0.0.1, started from the Spark jars on the test class path),
 * results.csv and summary.csv are the local executor's byte for byte; an unreachable master is a
 * clear bad-input message, fast.
 */
class SparkSweepTest {

    /** ERM with simulation: numbers that depend on every point's seed. */
    static final String SPEC = """
            command = "erm"
            [options]
            N = 60
            D = 30
            alpha = "0.5,2"
            repeats = 2
            test-samples = 200
            [grid]
            lambda = [0.01, 0.1]
            seeds = 3
            """;

    @TempDir
    static Path tmp;
    static Path spec;

    record Run(int exit, String out, String err) {
    }

    static Run gequiv(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void localReference() throws IOException {
        System.setProperty("log4j2.configurationFile", "classpath:gequiv-spark-test-log4j2.properties");
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        spec = tmp.resolve("study.toml");
        Files.writeString(spec, SPEC);
        Run r = gequiv("sweep", spec.toString(), "--out", tmp.resolve("local").toString(), "--workers", "2");
        assertEquals(0, r.exit(), r.err());
    }

    @AfterAll
    static void clear() {
        System.clearProperty("spark.driver.host");
        System.clearProperty("spark.driver.bindAddress");
        System.clearProperty("log4j2.configurationFile");
    }

    private static void assertSameTables(Path out) throws IOException {
        for (String f : List.of("results.csv", "summary.csv")) {
            assertEquals(Files.readString(tmp.resolve("local").resolve(f)), Files.readString(out.resolve(f)), f);
        }
        // the point files came back from the executors
        try (var s = Files.list(out.resolve("points"))) {
            for (Path d : s.toList()) {
                assertTrue(Files.isRegularFile(d.resolve("curve.csv")) && Files.isRegularFile(d.resolve("curve.png")),
                        d.toString());
            }
        }
    }

    @Test
    void localTwoGivesTheLocalExecutorsTables() throws IOException {
        Path out = tmp.resolve("spark-local");
        Run r = gequiv("sweep", spec.toString(), "--out", out.toString(), "--spark", "local[2]");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("(spark local[2])"), r.out());
        assertSameTables(out);
    }

    @Test
    void unreachableMasterIsRefusedQuickly() {
        long start = System.nanoTime();
        Run r = gequiv("sweep", spec.toString(), "--out", tmp.resolve("nowhere").toString(), "--spark",
                "spark://127.0.0.1:1");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--spark spark://127.0.0.1:1 must be a reachable Spark master"), r.err());
        assertTrue(seconds < 30, "took " + seconds + " s");
    }

    /** A Spark daemon JVM whose merged output is read line by line. */
    static final class Daemon {
        final Process process;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuilder log = new StringBuilder();

        Daemon(Path sparkHome, String mainClass, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx512m", "-cp", sparkHome.resolve("jars") + File.separator + "*",
                    "-Dspark.master.rest.enabled=false", mainClass));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("SPARK_HOME", sparkHome.toString());
            pb.environment().put("SPARK_SCALA_VERSION", "2.13");
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            process = pb.start();
            CompletableFuture.runAsync(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        synchronized (log) {
                            log.append(l).append('\n');
                        }
                        lines.add(l);
                    }
                } catch (IOException e) {
                    lines.add("read failed: " + e);
                }
            });
        }

        /** Waits for a line matching {@code pattern}; returns its matcher. */
        Matcher await(Pattern pattern, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l != null) {
                    Matcher m = pattern.matcher(l);
                    if (m.find()) {
                        return m;
                    }
                }
            }
            synchronized (log) {
                throw new AssertionError("no line matching " + pattern + " within " + seconds + " s; log:\n" + log);
            }
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void standaloneClusterGivesTheLocalExecutorsTables() throws Exception {
        Path home = tmp.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = home.resolve("jars").resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        Daemon master = new Daemon(home, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "0",
                "--webui-port", "0");
        Daemon worker = null;
        try {
            Matcher at = master.await(Pattern.compile("Starting Spark master at (spark://127\\.0\\.0\\.1:\\d+)"), 60);
            String url = at.group(1);
            master.await(Pattern.compile("I have been elected leader"), 60);
            worker = new Daemon(home, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
                    "--webui-port", "0", "--cores", "2", "--memory", "1g", "--work-dir",
                    tmp.resolve("worker").toString(), url);
            worker.await(Pattern.compile("Successfully registered with master"), 60);
            Path out = tmp.resolve("spark-cluster");
            Run r = gequiv("sweep", spec.toString(), "--out", out.toString(), "--spark", url);
            assertEquals(0, r.exit(), r.err());
            assertSameTables(out);
        } finally {
            if (worker != null) {
                worker.stop();
            }
            master.stop();
        }
    }
}
