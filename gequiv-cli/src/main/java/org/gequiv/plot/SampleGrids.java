package org.gequiv.plot;

import java.awt.image.BufferedImage;

import org.gequiv.generator.Generator;
import org.gequiv.generator.deep.ImageShaped;
import org.gequiv.moments.GeneratorWithMoments;
import org.gequiv.random.RandomStreams;

/**
 * Grids of samples x = G(c) of an image-shaped generator, drawn as one image: the grid of
 * {@code gequiv samples} and of the paper report, written once. Values in [lo, hi] map linearly
 * to black … white (clipped); one or three channels. Stateless.
 */
public final class SampleGrids {

    /** The stream the grid's latent vectors are drawn from, split from the seed. */
    public static final String STREAM = "samples-grid";

    /** Pixels between images. */
    private static final int GAP = 2;

    private SampleGrids() {
    }

    /**
     * The image shape (channels, height, width) of {@code g}: declared by the generator, or a square
     * single channel when N is a square.
     *
     * @throws IllegalArgumentException when the generator is not image-shaped
     */
    public static int[] shape(Generator g) {
        Generator base = g instanceof GeneratorWithMoments m ? m.delegate() : g;
        if (base instanceof ImageShaped s) {
            return s.imageShape();
        }
        int n = base.inputDimension();
        int side = (int) Math.round(Math.sqrt(n));
        if (side * side == n) {
            return new int[] {1, side, side};
        }
        throw new IllegalArgumentException(base.id() + " is not image-shaped (N = " + n
                + " is not a square and the generator declares no image shape)");
    }

    /** {@code count} samples of {@code g} from the grid's stream of {@code seed}, row-major (count × N). */
    public static double[] sample(Generator g, int count, long seed) {
        double[] latent = new double[count * g.latentDimension()];
        double[] x = new double[count * g.inputDimension()];
        g.sample(RandomStreams.stream(seed, STREAM), count, latent, x);
        return x;
    }

    /**
     * Draws {@code rows × cols} images of {@code shape} from {@code x} (count × n, not modified).
     *
     * @param scale pixels per image pixel, ≥ 1
     * @param lo    value drawn black
     * @param hi    value drawn white, &gt; lo
     */
    public static BufferedImage draw(double[] x, int n, int[] shape, int rows, int cols, int scale, double lo,
                                     double hi) {
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("images must have 1 or 3 channels to be drawn, got " + c);
        }
        int width = cols * w * scale + (cols + 1) * GAP;
        int height = rows * h * scale + (rows + 1) * GAP;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < rows * cols; k++) {
            int x0 = GAP + (k % cols) * (w * scale + GAP);
            int y0 = GAP + (k / cols) * (h * scale + GAP);
            for (int py = 0; py < h; py++) {
                for (int px = 0; px < w; px++) {
                    int[] rgb = new int[3];
                    for (int ch = 0; ch < 3; ch++) {
                        double v = x[k * n + (c == 1 ? 0 : ch) * h * w + py * w + px];
                        rgb[ch] = (int) Math.round(255 * Math.max(0, Math.min(1, (v - lo) / (hi - lo))));
                    }
                    int colour = rgb[0] << 16 | rgb[1] << 8 | rgb[2];
                    for (int sy = 0; sy < scale; sy++) {
                        for (int sx = 0; sx < scale; sx++) {
                            img.setRGB(x0 + px * scale + sx, y0 + py * scale + sy, colour);
                        }
                    }
                }
            }
        }
        return img;
    }
}
