package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationCacheTest {

    @TempDir
    Path dir;

    private CalibrationCache cache() {
        String before = System.getProperty(CalibrationCache.PROPERTY);
        System.setProperty(CalibrationCache.PROPERTY, dir.toString());
        try {
            return CalibrationCache.fromSystemProperty();
        } finally {
            if (before == null) {
                System.clearProperty(CalibrationCache.PROPERTY);
            } else {
                System.setProperty(CalibrationCache.PROPERTY, before);
            }
        }
    }

    @Test
    void savedStatisticsComeBackExactlyUnderTheirKeyOnly() throws Exception {
        CalibrationCache cache = cache();
        double[][] mean = {{1.0, -0.0, Math.ulp(1.0)}, {Double.MIN_VALUE}};
        double[][] var = {{2.0, 3.0, 1e-300}, {0.5}};
        assertNull(cache.load("k"));
        cache.save("k", mean, var);
        double[][][] back = cache.load("k");
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(mean[l], back[0][l], 0.0);
            assertArrayEquals(var[l], back[1][l], 0.0);
        }
        assertNull(cache.load("other key"));
        // a damaged (truncated) file reads as absent
        try (var files = Files.list(dir.resolve("dcgan-bn"))) {
            Path f = files.filter(p -> p.toString().endsWith(".bin")).findFirst().orElseThrow();
            byte[] bytes = Files.readAllBytes(f);
            Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        }
        assertNull(cache.load("k"));
    }

    @Test
    void noPropertyNoCache() {
        String before = System.getProperty(CalibrationCache.PROPERTY);
        System.clearProperty(CalibrationCache.PROPERTY);
        try {
            assertNull(CalibrationCache.fromSystemProperty());
        } finally {
            if (before != null) {
                System.setProperty(CalibrationCache.PROPERTY, before);
            }
        }
    }
}
