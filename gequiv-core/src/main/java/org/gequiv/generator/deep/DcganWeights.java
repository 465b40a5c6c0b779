package org.gequiv.generator.deep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.gequiv.random.RandomStreams;

/**
 * Weights of the DCGAN generator of docs/theory.md §7.1: five transposed-convolution kernels (no
 * biases) and four inference-mode batch norms.
 *
 * <p>File format (an {@code .npz}, one float32 or float64 array per key, shapes as in PyTorch):
 * <pre>
 *   conv1.weight (100, 512, 4, 4)   bn1.weight, bn1.bias, bn1.running_mean, bn1.running_var (512)
 *   conv2.weight (512, 256, 4, 4)   bn2.* (256)
 *   conv3.weight (256, 128, 4, 4)   bn3.* (128)
 *   conv4.weight (128,  64, 4, 4)   bn4.* (64)
 *   conv5.weight ( 64,   3, 1, 1)
 * </pre>
 * The PyTorch DCGAN {@code state_dict} names ({@code main.0.weight}, {@code main.1.weight},
 * {@code main.1.running_mean}, …, {@code main.12.weight}) are accepted as well, so
 * {@code numpy.savez(f, **{k: v.numpy() for k, v in netG.state_dict().items()})} produces a
 * loadable file. Immutable.
 *
 * @param conv        the five kernels, each {@code cin·cout·k·k} row-major
 * @param gamma       batch-norm weights of layers 1–4
 * @param beta        batch-norm biases
 * @param runningMean batch-norm running means
 * @param runningVar  batch-norm running variances
 */
public record DcganWeights(double[][] conv, double[][] gamma, double[][] beta, double[][] runningMean,
                           double[][] runningVar) {

    /** Latent dimension D of §7.1. */
    public static final int LATENT = 100;
    /** Channels after each layer. */
    static final int[] CHANNELS = {LATENT, 512, 256, 128, 64, 3};
    /** Kernel sizes, strides and paddings of the five layers. */
    static final int[] KERNEL = {4, 4, 4, 4, 1};
    static final int[] STRIDE = {1, 2, 2, 2, 1};
    static final int[] PAD = {0, 1, 1, 1, 0};
    /** Batch-norm epsilon (PyTorch default). */
    public static final double BN_EPSILON = 1e-5;

    public DcganWeights {
        if (conv.length != 5 || gamma.length != 4 || beta.length != 4 || runningMean.length != 4
                || runningVar.length != 4) {
            throw new IllegalArgumentException("DCGAN weights must have 5 kernels and 4 batch norms");
        }
        for (int l = 0; l < 5; l++) {
            int expected = CHANNELS[l] * CHANNELS[l + 1] * KERNEL[l] * KERNEL[l];
            if (conv[l].length != expected) {
                throw new IllegalArgumentException("conv" + (l + 1) + ".weight must have " + expected
                        + " entries, got " + conv[l].length);
            }
        }
        for (int l = 0; l < 4; l++) {
            int c = CHANNELS[l + 1];
            check("bn" + (l + 1) + ".weight", gamma[l], c);
            check("bn" + (l + 1) + ".bias", beta[l], c);
            check("bn" + (l + 1) + ".running_mean", runningMean[l], c);
            check("bn" + (l + 1) + ".running_var", runningVar[l], c);
            for (double v : runningVar[l]) {
                if (!(v >= 0)) {
                    throw new IllegalArgumentException("bn" + (l + 1) + ".running_var must be >= 0, got " + v);
                }
            }
        }
    }

    private static void check(String name, double[] a, int len) {
        if (a.length != len) {
            throw new IllegalArgumentException(name + " must have " + len + " entries, got " + a.length);
        }
        for (double v : a) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " must be finite, got " + v);
            }
        }
    }

    /**
     * The usual DCGAN initialisation (PyTorch example's {@code weights_init}): kernels N(0, 0.02²),
     * batch-norm weights N(1, 0.02²), biases 0, running mean 0 and variance 1; drawn from
     * {@code RandomStreams.stream(seed, GENERATOR_WEIGHTS)} in layer order. These running
     * statistics are not calibrated: {@link DcganGenerator#random} calibrates them with
     * {@link DcganGenerator#calibrateBatchNorm}, without which the outputs are ~10⁻³ in size.
     */
    public static DcganWeights random(long seed) {
        RandomGenerator rng = RandomStreams.stream(seed, RandomStreams.GENERATOR_WEIGHTS);
        double[][] conv = new double[5][];
        for (int l = 0; l < 5; l++) {
            conv[l] = new double[CHANNELS[l] * CHANNELS[l + 1] * KERNEL[l] * KERNEL[l]];
            RandomStreams.fillGaussian(rng, conv[l], conv[l].length, 0.02);
        }
        double[][] gamma = new double[4][];
        double[][] beta = new double[4][];
        double[][] mean = new double[4][];
        double[][] var = new double[4][];
        for (int l = 0; l < 4; l++) {
            int c = CHANNELS[l + 1];
            gamma[l] = new double[c];
            for (int i = 0; i < c; i++) {
                gamma[l][i] = 1.0 + 0.02 * rng.nextGaussian();
            }
            beta[l] = new double[c];
            mean[l] = new double[c];
            var[l] = new double[c];
            java.util.Arrays.fill(var[l], 1.0);
        }
        return new DcganWeights(conv, gamma, beta, mean, var);
    }

    /**
     * Weights from named arrays (see the class comment for the names); a missing key or a wrong
     * shape is an {@link IllegalArgumentException} naming it.
     *
     * @param arrays key → (shape, values)
     */
    public static DcganWeights fromArrays(Map<String, double[]> arrays, Map<String, int[]> shapes) {
        boolean torch = !arrays.containsKey("conv1.weight") && arrays.containsKey("main.0.weight");
        double[][] conv = new double[5][];
        for (int l = 0; l < 5; l++) {
            String key = torch ? "main." + 3 * l + ".weight" : "conv" + (l + 1) + ".weight";
            conv[l] = require(arrays, shapes, key, CHANNELS[l], CHANNELS[l + 1], KERNEL[l], KERNEL[l]);
        }
        double[][][] bn = new double[4][4][];
        String[] fields = {"weight", "bias", "running_mean", "running_var"};
        for (int l = 0; l < 4; l++) {
            for (int f = 0; f < 4; f++) {
                String key = (torch ? "main." + (3 * l + 1) : "bn" + (l + 1)) + "." + fields[f];
                bn[f][l] = require(arrays, shapes, key, CHANNELS[l + 1]);
            }
        }
        return new DcganWeights(conv, bn[0], bn[1], bn[2], bn[3]);
    }

    private static double[] require(Map<String, double[]> arrays, Map<String, int[]> shapes, String key,
                                    int... shape) {
        double[] a = arrays.get(key);
        if (a == null) {
            throw new IllegalArgumentException("DCGAN weights must contain '" + key + "', got keys "
                    + new java.util.TreeSet<>(arrays.keySet()));
        }
        int[] s = shapes.get(key);
        if (s == null || !java.util.Arrays.equals(s, shape)) {
            throw new IllegalArgumentException(key + " must have shape " + java.util.Arrays.toString(shape)
                    + ", got " + (s == null ? "unknown" : java.util.Arrays.toString(s)));
        }
        for (double v : a) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(key + " must be finite, got " + v);
            }
        }
        return a;
    }

    /** The arrays under the documented names, with their shapes, for writing a weights file. */
    public Map<String, double[]> toArrays() {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int l = 0; l < 5; l++) {
            m.put("conv" + (l + 1) + ".weight", conv[l]);
        }
        for (int l = 0; l < 4; l++) {
            m.put("bn" + (l + 1) + ".weight", gamma[l]);
            m.put("bn" + (l + 1) + ".bias", beta[l]);
            m.put("bn" + (l + 1) + ".running_mean", runningMean[l]);
            m.put("bn" + (l + 1) + ".running_var", runningVar[l]);
        }
        return m;
    }

    /** Shapes matching {@link #toArrays()}. */
    public static Map<String, int[]> shapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (int l = 0; l < 5; l++) {
            m.put("conv" + (l + 1) + ".weight", new int[] {CHANNELS[l], CHANNELS[l + 1], KERNEL[l], KERNEL[l]});
        }
        for (int l = 0; l < 4; l++) {
            for (String f : new String[] {"weight", "bias", "running_mean", "running_var"}) {
                m.put("bn" + (l + 1) + "." + f, new int[] {CHANNELS[l + 1]});
            }
        }
        return m;
    }

    /** SHA-256 of all values in layer order, so that provenance and checkpoints tell weights apart. */
    public String digest() {
        return WeightFiles.digest(toArrays());
    }
}
