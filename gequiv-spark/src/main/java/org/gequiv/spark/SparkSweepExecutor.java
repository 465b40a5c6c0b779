package org.gequiv.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.gequiv.sweep.PointOutcome;
import org.gequiv.sweep.PointRunner;
import org.gequiv.sweep.SweepExecutor;
import org.gequiv.sweep.SweepPoint;
import org.gequiv.sweep.SweepSpecException;

/**
 * Runs a sweep's points as Spark tasks, one single-task job per point, at most as many in flight
 * as the cluster has cores ({@code defaultParallelism}), so that each outcome reaches the driver
 * (and is marked finished) as soon as its point ends and a stop request only waits for the
 * running points.
 *
 * <p>Masters: {@code local[N]} (the driver's JVM), {@code spark://host:port} (a standalone
 * cluster), or {@code submit}, the master spark-submit configured ({@code --master yarn},
 * {@code k8s://…}). The classes reach the executors as the gequiv-spark assembly jar when the
 * driver runs from it ({@code spark.jars}), otherwise through {@code spark.executor.extraClassPath}
 * set to the driver's class path (a cluster on the same machine, as in the tests).
 *
 * <p>Unreachable masters fail fast: a standalone master's port is tried first, so a refused
 * connection, or a host that does not answer within {@value #CONNECT_TIMEOUT_MS} ms, is reported
 * at once; Spark's own registration with something that accepts the connection but does not answer
 * as a master gives up after its 3 × 20 s. Once registered, a context that gets no executor within
 * {@value #EXECUTOR_SECONDS} s (system property {@code gequiv.spark.executorSeconds}) is stopped
 * with a message naming the master: an executor JVM can take tens of seconds to start on a busy
 * machine, so this wait is longer than the connection check. The Spark UI is off unless
 * configured. Not thread-safe.
 */
public final class SparkSweepExecutor implements SweepExecutor {

    /** How long a cluster may take to give the sweep its first executor, by default. */
    static final int EXECUTOR_SECONDS = 120;
    private static final int CONNECT_TIMEOUT_MS = 5000;

    private final JavaSparkContext context;
    private final String master;
    private final PointRunner runner;

    private SparkSweepExecutor(JavaSparkContext context, String master, PointRunner runner) {
        this.context = context;
        this.master = master;
        this.runner = runner;
    }

    /**
     * Starts a Spark context on {@code master} whose tasks run points with {@code runner}
     * (serialisable).
     *
     * @throws SweepSpecException when the master cannot be reached or gives no executor in time
     */
    public static SparkSweepExecutor start(String master, PointRunner runner) {
        String command = runner.command();
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:gequiv-spark-log4j2.properties");
        }
        SparkConf conf = new SparkConf();
        if (master.equals("submit")) {
            if (!conf.contains("spark.master")) {
                throw new SweepSpecException("--spark submit must run under spark-submit (which sets spark.master), "
                        + "got no spark.master; give a master instead: local[N] or spark://host:port");
            }
        } else if (master.startsWith("local")) {
            conf.setMaster(master);
        } else if (master.startsWith("spark://")) {
            probe(master);
            conf.setMaster(master);
        } else {
            throw new SweepSpecException("--spark must be local[N], spark://host:port or submit, got '" + master + "'");
        }
        conf.setAppName("gequiv sweep (" + command + ")");
        conf.setIfMissing("spark.ui.enabled", "false");
        String effective = conf.get("spark.master");
        if (!effective.startsWith("local") && !conf.contains("spark.jars")) {
            String jar = ownJar();
            if (jar != null) {
                conf.setJars(new String[] {jar});
            } else {
                conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            }
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        if (!effective.startsWith("local")) {
            int wait = Integer.getInteger("gequiv.spark.executorSeconds", EXECUTOR_SECONDS);
            long deadline = System.nanoTime() + wait * 1_000_000_000L;
            // the driver counts as one executor
            while (sc.sc().statusTracker().getExecutorInfos().length < 2) {
                if (System.nanoTime() > deadline || sc.sc().isStopped()) {
                    sc.stop();
                    throw new SweepSpecException("--spark " + master + " must be a Spark master with a free worker, got "
                            + "no executor within " + wait + " s (is the master running, and does it "
                            + "have a worker with free cores and memory?)");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    sc.stop();
                    throw new SweepSpecException("--spark " + master + ": interrupted while waiting for an executor");
                }
            }
        }
        return new SparkSweepExecutor(sc, effective, runner);
    }

    /** Fails at once when nothing listens on a standalone master's port. */
    private static void probe(String master) {
        URI uri;
        try {
            uri = new URI(master.split(",")[0]);
        } catch (URISyntaxException e) {
            throw new SweepSpecException("--spark must be spark://host:port, got '" + master + "'", e);
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new SweepSpecException("--spark must be spark://host:port, got '" + master + "'");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            throw new SweepSpecException("--spark " + master + " must be a reachable Spark master, got " + e.getMessage()
                    + " on " + uri.getHost() + ":" + uri.getPort(), e);
        }
    }

    /** The jar this class came from when it is an assembly jar, else null (classes in folders). */
    private static String ownJar() {
        try {
            File f = new File(SparkSweepExecutor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return f.isFile() && f.getName().endsWith(".jar") ? f.getAbsolutePath() : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    @Override
    public String description() {
        return "spark " + master;
    }

    /** Cores of the cluster, as Spark reports them. */
    int parallelism() {
        return Math.max(1, context.defaultParallelism());
    }

    @Override
    public void run(String pointCommand, List<SweepPoint> points, Path folder, BooleanSupplier stop,
                    Consumer<PointOutcome> done) throws InterruptedException {
        if (!pointCommand.equals(runner.command())) {
            throw new IllegalStateException("executor of " + runner.command() + " asked to run " + pointCommand);
        }
        Deque<SweepPoint> queue = new ArrayDeque<>(points);
        List<JavaFutureAction<List<PointOutcome>>> running = new ArrayList<>();
        List<SweepPoint> runningPoints = new ArrayList<>();
        PointTask task = new PointTask(runner);
        int window = parallelism();
        while (!queue.isEmpty() || !running.isEmpty()) {
            while (!queue.isEmpty() && running.size() < window && !stop.getAsBoolean()) {
                SweepPoint p = queue.poll();
                context.setJobDescription("point " + p.id());
                running.add(context.parallelize(List.of(p), 1).map(task).collectAsync());
                runningPoints.add(p);
            }
            if (stop.getAsBoolean()) {
                queue.clear();
            }
            boolean any = false;
            Iterator<JavaFutureAction<List<PointOutcome>>> it = running.iterator();
            Iterator<SweepPoint> ip = runningPoints.iterator();
            while (it.hasNext()) {
                JavaFutureAction<List<PointOutcome>> f = it.next();
                SweepPoint p = ip.next();
                if (f.isDone()) {
                    it.remove();
                    ip.remove();
                    any = true;
                    PointOutcome outcome;
                    try {
                        outcome = f.get().get(0);
                    } catch (java.util.concurrent.ExecutionException e) {
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        outcome = PointOutcome.failure(p.id(), "internal error", "Spark task failed: " + cause);
                    }
                    done.accept(outcome);
                }
            }
            if (!any) {
                Thread.sleep(2);
            }
        }
    }

    @Override
    public void close() {
        context.stop();
    }
}
