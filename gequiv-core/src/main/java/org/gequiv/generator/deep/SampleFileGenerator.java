package org.gequiv.generator.deep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;

/**
 * Paired samples (c, x) produced elsewhere (docs/theory.md §1.1), read from {@code DIR/c.npy}
 * (P × D) and {@code DIR/x.npy} (P × N), float32 or float64, C order, memory-mapped.
 *
 * <p>{@link #sample} draws rows uniformly with replacement from the given random stream, so that
 * online learning can consume any number of samples reproducibly; {@link #read} gives the rows in
 * order, which the moment estimator uses to compute the exact sample moments of the files. Rows
 * with a NaN or infinite entry are refused with their index. Thread-safe.
 */
public final class SampleFileGenerator implements Generator, FiniteSamples {

    /** File names inside the directory. */
    public static final String LATENT_FILE = "c.npy";
    public static final String INPUT_FILE = "x.npy";

    private final Path dir;
    private final MappedNpy latent;
    private final MappedNpy inputs;
    private final Map<String, Object> description;

    public SampleFileGenerator(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("samples directory must exist, got " + dir);
        }
        for (String name : new String[] {LATENT_FILE, INPUT_FILE}) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new IllegalArgumentException("samples directory must contain " + name + ", got none in " + dir);
            }
        }
        this.dir = dir;
        this.latent = new MappedNpy(dir.resolve(LATENT_FILE));
        this.inputs = new MappedNpy(dir.resolve(INPUT_FILE));
        if (latent.rows != inputs.rows) {
            throw new IllegalArgumentException("c.npy and x.npy must have the same number of rows, got "
                    + latent.rows + " and " + inputs.rows + " in " + dir);
        }
        if (latent.rows < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got 0 rows in " + dir);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("directory", dir.toAbsolutePath().normalize().toString());
        d.put("rows", latent.rows);
        d.put("N", inputs.cols);
        d.put("D", latent.cols);
        d.put("c.npyBytes", Files.size(dir.resolve(LATENT_FILE)));
        d.put("x.npyBytes", Files.size(dir.resolve(INPUT_FILE)));
        d.put("x.npyModified", Files.getLastModifiedTime(dir.resolve(INPUT_FILE)).toString());
        this.description = Map.copyOf(d);
    }

    @Override
    public int latentDimension() {
        return latent.cols;
    }

    @Override
    public int inputDimension() {
        return inputs.cols;
    }

    @Override
    public long size() {
        return latent.rows;
    }

    @Override
    public void sample(RandomGenerator rng, int batch, double[] c, double[] x) {
        for (int i = 0; i < batch; i++) {
            copyRow(rng.nextLong(latent.rows), i, c, x);
        }
    }

    @Override
    public void read(long first, int count, double[] c, double[] x) {
        if (first < 0 || count < 0 || first + count > latent.rows) {
            throw new IllegalArgumentException("rows must lie in [0, " + latent.rows + "), got " + first + " + " + count);
        }
        for (int i = 0; i < count; i++) {
            copyRow(first + i, i, c, x);
        }
    }

    private void copyRow(long r, int slot, double[] c, double[] x) {
        int d = latent.cols;
        int n = inputs.cols;
        latent.row(r, c, slot * d);
        inputs.row(r, x, slot * n);
        check(c, slot * d, d, r, LATENT_FILE);
        check(x, slot * n, n, r, INPUT_FILE);
    }

    private void check(double[] a, int off, int len, long row, String name) {
        for (int j = 0; j < len; j++) {
            if (!Double.isFinite(a[off + j])) {
                throw new IllegalArgumentException(dir.resolve(name) + " row " + row + " must be finite, got "
                        + a[off + j] + " in column " + j);
            }
        }
    }

    @Override
    public Optional<Moments> analyticMoments() {
        return Optional.empty();
    }

    @Override
    public String id() {
        return "samples";
    }

    @Override
    public Map<String, Object> description() {
        return description;
    }
}
