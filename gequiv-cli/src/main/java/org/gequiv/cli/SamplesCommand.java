package org.gequiv.cli;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import javax.imageio.ImageIO;

import org.gequiv.generator.Generator;
import org.gequiv.io.AtomicFiles;
import org.gequiv.plot.SampleGrids;

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
        int[] shape;
        try {
            shape = SampleGrids.shape(generator);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new BadInputException("--generator: " + e.getMessage(), e);
        }
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        if (c != 1 && c != 3) {
            throw new BadInputException("--generator: images must have 1 or 3 channels to be drawn, got " + c);
        }
        int count = rows * cols;
        int n = generator.inputDimension();
        double[] x = SampleGrids.sample(generator, count, seed);
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
        BufferedImage img = SampleGrids.draw(x, n, shape, rows, cols, scale, lo, hi);
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
}
