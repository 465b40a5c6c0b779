package org.gequiv.moments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gequiv.generator.Moments;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Test;

class GeneratorWithMomentsTest {

    @Test
    void centredGeneratorSubtractsTheMeanAndReportsZeroMean() {
        LinearGaussianGenerator g = new LinearGaussianGenerator(6, 2, 3.0, 0.5, 1);
        Moments m = g.analyticMoments().orElseThrow();
        GeneratorWithMoments c = GeneratorWithMoments.centred(g, m);
        double[] lat1 = new double[4 * 2];
        double[] x1 = new double[4 * 6];
        double[] lat2 = new double[4 * 2];
        double[] x2 = new double[4 * 6];
        g.sample(RandomStreams.stream(1, "s"), 4, lat1, x1);
        c.sample(RandomStreams.stream(1, "s"), 4, lat2, x2);
        assertArrayEquals(lat1, lat2, 0.0);
        for (int i = 0; i < x1.length; i++) {
            assertEquals(x1[i] - 3.0, x2[i], 1e-15);
        }
        Moments cm = c.analyticMoments().orElseThrow();
        assertArrayEquals(new double[6], cm.mean(), 0.0);
        assertArrayEquals(m.omega(), cm.omega(), 0.0);
        assertTrue(c.isCentred());
        assertEquals(true, c.description().get("centred"));
    }

    @Test
    void refusesMomentsOfOtherDimensions() {
        LinearGaussianGenerator g = new LinearGaussianGenerator(6, 2, 0, 1, 1);
        Moments other = new LinearGaussianGenerator(5, 2, 0, 1, 1).analyticMoments().orElseThrow();
        var e = assertThrows(IllegalArgumentException.class, () -> new GeneratorWithMoments(g, other));
        assertEquals("moments must have the generator's dimensions N = 6, D = 2, got N = 5, D = 2", e.getMessage());
    }
}
