import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;

import javax.imageio.ImageIO;

/**
 * Rewrites a PNG screenshot with a palette of at most 256 colours (8 bits a pixel instead of 24),
 * which makes a page of text and line plots about a third of its size:
 * {@code java tools/PngPalette.java IN.png OUT.png}. A picture with at most 256 colours keeps them
 * exactly; otherwise the palette is the mean colour of the 256 most frequent cells of a 16-level
 * grid per channel (white, black, the text's greys and the plot colours dominate a page), and each
 * pixel takes its nearest palette colour. The JDK only (ImageIO); used by tools/paper-screenshot.sh.
 */
public final class PngPalette {

    private static final int SIZE = 256;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java tools/PngPalette.java IN.png OUT.png");
            System.exit(2);
        }
        BufferedImage in = ImageIO.read(new File(args[0]));
        if (in == null) {
            System.err.println("IN.png must be a PNG image, got " + args[0]);
            System.exit(2);
        }
        int w = in.getWidth();
        int h = in.getHeight();
        int[] rgb = in.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xFFFFFF;
        }
        int[] palette = exactColours(rgb);
        if (palette == null) {
            palette = popularCells(rgb);
        }
        byte[] r = new byte[palette.length];
        byte[] g = new byte[palette.length];
        byte[] b = new byte[palette.length];
        for (int i = 0; i < palette.length; i++) {
            r[i] = (byte) (palette[i] >> 16);
            g[i] = (byte) (palette[i] >> 8);
            b[i] = (byte) palette[i];
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, palette.length, r, g, b));
        byte[] pixels = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
        // a page repeats few colours: remember each colour's palette index once found
        java.util.HashMap<Integer, Byte> nearest = new java.util.HashMap<>();
        for (int i = 0; i < rgb.length; i++) {
            int[] p = palette;
            pixels[i] = nearest.computeIfAbsent(rgb[i], c -> (byte) nearestIndex(p, c));
        }
        if (!ImageIO.write(out, "png", new File(args[1]))) {
            System.err.println("no PNG writer in this JDK");
            System.exit(1);
        }
    }

    /** The distinct colours when there are at most {@link #SIZE}, else null. */
    private static int[] exactColours(int[] rgb) {
        int[] seen = new int[SIZE];
        int n = 0;
        for (int c : rgb) {
            boolean known = false;
            for (int k = 0; k < n && !known; k++) {
                known = seen[k] == c;
            }
            if (!known) {
                if (n == SIZE) {
                    return null;
                }
                seen[n++] = c;
            }
        }
        return Arrays.copyOf(seen, n);
    }

    /** Mean colours of the {@link #SIZE} most populated cells of the 16 × 16 × 16 grid. */
    private static int[] popularCells(int[] rgb) {
        long[] count = new long[4096];
        long[][] sum = new long[4096][3];
        for (int c : rgb) {
            int cell = ((c >> 20) & 0xF) << 8 | ((c >> 12) & 0xF) << 4 | ((c >> 4) & 0xF);
            count[cell]++;
            sum[cell][0] += (c >> 16) & 0xFF;
            sum[cell][1] += (c >> 8) & 0xFF;
            sum[cell][2] += c & 0xFF;
        }
        Integer[] cells = new Integer[4096];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = i;
        }
        Arrays.sort(cells, (a, b) -> Long.compare(count[b], count[a]));
        int n = 0;
        int[] palette = new int[SIZE];
        for (int k = 0; k < SIZE && count[cells[k]] > 0; k++) {
            int cell = cells[k];
            long m = count[cell];
            palette[n++] = (int) (sum[cell][0] / m) << 16 | (int) (sum[cell][1] / m) << 8 | (int) (sum[cell][2] / m);
        }
        return Arrays.copyOf(palette, n);
    }

    private static int nearestIndex(int[] palette, int c) {
        int best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int k = 0; k < palette.length; k++) {
            long dr = ((palette[k] >> 16) & 0xFF) - ((c >> 16) & 0xFF);
            long dg = ((palette[k] >> 8) & 0xFF) - ((c >> 8) & 0xFF);
            long db = (palette[k] & 0xFF) - (c & 0xFF);
            long d = dr * dr + dg * dg + db * db;
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }
}
