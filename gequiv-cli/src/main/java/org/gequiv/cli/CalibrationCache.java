package org.gequiv.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.gequiv.generator.deep.DcganGenerator;

/**
 * The random DCGAN's calibrated batch-norm statistics kept on disk between runs, under the folder
 * of the system property {@value #PROPERTY} (the launcher sets it to {@code .gequiv-cache} in the
 * checkout; without it nothing is kept). One small file per key, named by a SHA-256 of the
 * library's key and this machine's processor (the BLAS kernel is chosen from it); the file repeats
 * the whole key, so a hash collision or a damaged file reads as absent and the statistics are
 * computed again. Silent: a cache that cannot be read or written is simply not used.
 */
final class CalibrationCache implements DcganGenerator.CalibrationStore {

    static final String PROPERTY = "gequiv.cachedir";

    private final Path folder;

    private CalibrationCache(Path folder) {
        this.folder = folder;
    }

    /** The cache of this process, or null when {@value #PROPERTY} is not set. */
    static CalibrationCache fromSystemProperty() {
        String dir = System.getProperty(PROPERTY, "").trim();
        return dir.isEmpty() ? null : new CalibrationCache(Path.of(dir, "dcgan-bn"));
    }

    @Override
    public double[][][] load(String key) {
        String full = fullKey(key);
        Path file = folder.resolve(name(full));
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            byte[] stored = new byte[in.readInt()];
            in.readFully(stored);
            if (!full.equals(new String(stored, StandardCharsets.UTF_8))) {
                return null;
            }
            double[][][] stats = new double[2][][];
            for (int k = 0; k < 2; k++) {
                stats[k] = new double[in.readInt()][];
                for (int l = 0; l < stats[k].length; l++) {
                    stats[k][l] = new double[in.readInt()];
                    for (int i = 0; i < stats[k][l].length; i++) {
                        stats[k][l][i] = in.readDouble();
                    }
                }
            }
            return in.read() == -1 ? stats : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void save(String key, double[][] mean, double[][] var) {
        String full = fullKey(key);
        Path tmp = null;
        try {
            Files.createDirectories(folder);
            tmp = Files.createTempFile(folder, "bn", ".tmp");
            try (OutputStream raw = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw))) {
                byte[] k = full.getBytes(StandardCharsets.UTF_8);
                out.writeInt(k.length);
                out.write(k);
                for (double[][] stats : new double[][][] {mean, var}) {
                    out.writeInt(stats.length);
                    for (double[] layer : stats) {
                        out.writeInt(layer.length);
                        for (double v : layer) {
                            out.writeDouble(v);
                        }
                    }
                }
            }
            Files.move(tmp, folder.resolve(name(full)), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException | RuntimeException e) {
            // not kept: the next run calibrates again
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a stray temporary file in the cache folder
                }
            }
        }
    }

    private static String fullKey(String key) {
        return key + "; machine " + System.getProperty("os.arch") + " " + processor();
    }

    /**
     * The processor of /proc/cpuinfo (Linux): its model name and a hash of its instruction-set
     * flags, which decide OpenBLAS's kernel; "unknown" elsewhere.
     */
    private static String processor() {
        String model = null;
        String flags = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                if (model == null && line.startsWith("model name")) {
                    model = line.substring(colon + 1).trim();
                } else if (flags == null && line.startsWith("flags")) {
                    flags = Integer.toHexString(line.substring(colon + 1).trim().hashCode());
                }
                if (model != null && flags != null) {
                    return model + ", flags " + flags;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    private static String name(String full) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(full.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 16) + ".bin";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
