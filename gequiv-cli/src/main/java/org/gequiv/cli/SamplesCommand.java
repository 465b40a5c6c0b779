package org.gequiv.cli;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import javax.imageio.ImageIO;

import org.gequiv.generator.Generator;
import org.gequiv.generator.deep.ImageShaped;
import org.gequiv.io.AtomicFiles;
import org.gequiv.moments.GeneratorWithMoments;
import org.gequiv.random.RandomStreams;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gequiv samples}: a PNG grid of samples of an image-shaped generator. */
@Command(name = "samples", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw a grid of samples x = G(c) of an image-shaped generator (DCGAN, real NVP, ONNX models "
                + "with image outputs, or any generator whose N is a square) as a PNG."})
final class SamplesCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Mixin
    GeneratorOptions generatorOptions = new GeneratorOptions();

    @Option(names = "--rows", defaultValue = "8", description = "Rows of the grid. Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--cols", defaultValue = "8", description = "Columns of the grid. Default: ${DEFAULT-VALUE}.")
    int cols;

    @Option(names = "--scale", defaultValue = "2", description = "Pixels per image pixel. Default: ${DEFAULT-VALUE}.")
    int scale;

    @Option(names = "--range", defaultValue = "auto", paramLabel = "auto|MIN,MAX",
            description = "Values mapped to black and white: 'auto' (the samples' minimum and maximum) or two "
                    + "numbers such as -1,1 for tanh outputs. Default: ${DEFAULT-VALUE}.")
    String range;

    @Option(names = "--seed", defaultValue = "0", description = "Master seed (generator weights and latents). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "out/samples.png", paramLabel = "FILE.png", description = "Output image. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = commandSpec.commandLine().getOut();
        if (rows < 1 || cols < 1 || scale < 1 || (long) rows * cols > 10_000) {
            throw new BadInputException("--rows, --cols and --scale must be >= 1 with at most 10000 images, got "
                    + rows + ", " + cols + ", " + scale);
        }
        if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new BadInputException("--out must end in .png, got " + out);
        }
        double[] fixedRange = parseRange();
        Generator built = generatorOptions.build(seed);
        OutputFolder.writableFile(out, "--out");
        // with --moments the samples are the centred inputs the experiments see (docs/theory.md §1.1)
        Generator generator = generatorOptions.moments != null
                ? org.gequiv.experiment.InputCentring.centredWhenMeanKnown(built) : built;
        int[] shape = imageShape(generator);
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        if (c != 1 && c != 3) {
            throw new BadInputException("--generator: images must have 1 or 3 channels to be drawn, got " + c);
        }
        int count = rows * cols;
        int n = generator.inputDimension();
        double[] latent = new double[count * generator.latentDimension()];
        double[] x = new double[count * n];
        generator.sample(RandomStreams.stream(seed, "samples-grid"), count, latent, x);
        double lo;
        double hi;
        if (fixedRange == null) {
            lo = Double.POSITIVE_INFINITY;
            hi = Double.NEGATIVE_INFINITY;
            for (double v : x) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (!(hi > lo)) {
                hi = lo + 1;
            }
        } else {
            lo = fixedRange[0];
            hi = fixedRange[1];
        }
        int gap = 2;
        int width = cols * w * scale + (cols + 1) * gap;
        int height = rows * h * scale + (rows + 1) * gap;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < count; k++) {
            int x0 = gap + (k % cols) * (w * scale + gap);
            int y0 = gap + (k / cols) * (h * scale + gap);
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
        AtomicFiles.write(out, o -> ImageIO.write(img, "png", o));
        stdout.println("wrote " + out + " (" + rows + " × " + cols + " samples of " + generator.id() + ", "
                + c + "×" + h + "×" + w + ", range [" + lo + ", " + hi + "])");
        return 0;
    }

    /** --range as {MIN, MAX} with finite MIN &lt; MAX, or null for auto. */
    private double[] parseRange() {
        if (range.trim().equalsIgnoreCase("auto")) {
            return null;
        }
        String[] parts = range.split(",");
        double lo;
        double hi;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            lo = Double.parseDouble(parts[0].trim());
            hi = Double.parseDouble(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("--range must be 'auto' or MIN,MAX, got '" + range + "'");
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo)) {
            throw new BadInputException("--range must be finite numbers MIN,MAX with MIN < MAX, got '" + range + "'");
        }
        return new double[] {lo, hi};
    }

    private static int[] imageShape(Generator g) {
        Generator base = g instanceof GeneratorWithMoments m ? m.delegate() : g;
        if (base instanceof ImageShaped s) {
            try {
                return s.imageShape();
            } catch (IllegalStateException e) {
                throw new BadInputException("--generator: " + e.getMessage(), e);
            }
        }
        int n = base.inputDimension();
        int side = (int) Math.round(Math.sqrt(n));
        if (side * side == n) {
            return new int[] {1, side, side};
        }
        throw new BadInputException("--generator: " + base.id() + " is not image-shaped (N = " + n
                + " is not a square and the generator declares no image shape)");
    }
}
