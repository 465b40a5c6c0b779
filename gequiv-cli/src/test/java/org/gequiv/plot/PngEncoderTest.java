package org.gequiv.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** The figures' PNG writer (issue 11): the file decodes to exactly the pixels it was given. */
class PngEncoderTest {

    private static int[] rgb(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static void assertRoundTrip(BufferedImage image) throws Exception {
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(image)));
        assertEquals(image.getWidth(), read.getWidth());
        assertEquals(image.getHeight(), read.getHeight());
        assertArrayEquals(rgb(image), rgb(read));
    }

    @Test
    void randomPixelsDecodeToThemselves() throws Exception {
        // random colours make every difference to the left neighbour occur, wrapping below 0 included
        BufferedImage image = new BufferedImage(37, 11, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(7);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        assertRoundTrip(image);
        assertRoundTrip(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
    }

    @Test
    void aChartDecodesToThePaintedRaster() throws Exception {
        XYChart chart = new org.knowm.xchart.XYChartBuilder().width(300).height(200).title("t").build();
        chart.addSeries("s", new double[] {1, 2, 3}, new double[] {3, 1, 2});
        BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        chart.paint(image.createGraphics(), 300, 200);
        assertRoundTrip(image);
    }

    @Test
    void refusesOtherPixelLayouts() {
        assertThrows(IllegalArgumentException.class,
                () -> PngEncoder.encode(new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB)));
    }
}
