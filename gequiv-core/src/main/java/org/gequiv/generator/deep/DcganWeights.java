package org.gequiv.generator.deep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.gequiv.random.RandomStreams;
import org.gequiv.validation.InvalidInputException;

/**
 * Weights of the DCGAN generator of docs/theory.md §7.1: L transposed-convolution kernels (no biases)
 * and L − 1 inference-mode batch norms, with the channel widths read from the kernels.
 *
 * <p>The layer pattern is that of §7.1 for any width and depth: layer 1 is ConvT(k4 s1 p0), taking
 * the latent 1 × 1 to 4 × 4; layers 2 … L − 1 are ConvT(k4 s2 p1), each doubling the size; layer L
 * is ConvT(k1 s1 p0) to the image channels. The image is therefore
 * {@code channels[L] × 4·2^(L−2) × 4·2^(L−2)}; the paper's network (and the default of
 * {@link #random}) is L = 5 with channels 100, 512, 256, 128, 64, 3, that is 3 × 32 × 32.
 *
 * <p>File format (an {@code .npz}, one float32 or float64 array per key, shapes as in PyTorch),
 * for the default widths:
 * <pre>
 *   conv1.weight (100, 512, 4, 4)   bn1.weight, bn1.bias, bn1.running_mean, bn1.running_var (512)
 *   conv2.weight (512, 256, 4, 4)   bn2.* (256)
 *   conv3.weight (256, 128, 4, 4)   bn3.* (128)
 *   conv4.weight (128,  64, 4, 4)   bn4.* (64)
 *   conv5.weight ( 64,   3, 1, 1)
 * </pre>
 * Other widths, image channels and depths are read from the shapes ({@code conv<l>.weight} has
 * shape (channels[l−1], channels[l], k, k); the number of layers is the number of consecutive
 * {@code conv<l>.weight} keys). The PyTorch DCGAN {@code state_dict} names ({@code main.0.weight},
 * {@code main.1.weight}, {@code main.1.running_mean}, …, {@code main.12.weight}) are accepted as
 * well, so {@code numpy.savez(f, **{k: v.numpy() for k, v in netG.state_dict().items()})} produces
 * a loadable file. Immutable.
 *
 * @param conv        the L kernels, each {@code cin·cout·k·k} row-major
 * @param gamma       batch-norm weights of layers 1 … L − 1
 * @param beta        batch-norm biases
 * @param runningMean batch-norm running means
 * @param runningVar  batch-norm running variances
 * @param channels    the L + 1 widths: latent dimension D, the hidden widths, the image channels
 */
public record DcganWeights(double[][] conv, double[][] gamma, double[][] beta, double[][] runningMean,
                           double[][] runningVar, int[] channels) {

    /** Latent dimension D of §7.1. */
    public static final int LATENT = 100;
    /** Channels after each layer of the default (§7.1, 3 × 32 × 32) network. */
    static final int[] CHANNELS = {LATENT, 512, 256, 128, 64, 3};
    /** Kernel sizes, strides and paddings of the five layers of the default network. */
    static final int[] KERNEL = {4, 4, 4, 4, 1};
    static final int[] STRIDE = {1, 2, 2, 2, 1};
    static final int[] PAD = {0, 1, 1, 1, 0};
    /** Batch-norm epsilon (PyTorch default). */
    public static final double BN_EPSILON = 1e-5;
    /** Deepest network accepted: 4·2^(L−2) pixels per side must stay a sane image size. */
    static final int MAX_LAYERS = 10;

    /** Weights of the default §7.1 widths (channels 100, 512, 256, 128, 64, 3). */
    public DcganWeights(double[][] conv, double[][] gamma, double[][] beta, double[][] runningMean,
                        double[][] runningVar) {
        this(conv, gamma, beta, runningMean, runningVar, CHANNELS.clone());
    }

    public DcganWeights {
        if (channels.length < 3 || channels.length > MAX_LAYERS + 1) {
            throw new IllegalArgumentException("channels must have 3 to " + (MAX_LAYERS + 1)
                    + " entries (2 to " + MAX_LAYERS + " layers), got " + channels.length);
        }
        for (int c : channels) {
            if (c < 1) {
                throw new IllegalArgumentException("channels must be >= 1, got " + java.util.Arrays.toString(channels));
            }
        }
        channels = channels.clone();
        int layers = channels.length - 1;
        if (conv.length != layers || gamma.length != layers - 1 || beta.length != layers - 1
                || runningMean.length != layers - 1 || runningVar.length != layers - 1) {
            throw new IllegalArgumentException("DCGAN weights must have " + layers + " kernels and " + (layers - 1)
                    + " batch norms, got " + conv.length + " and " + gamma.length);
        }
        for (int l = 0; l < layers; l++) {
            int k = kernel(l, layers);
            int expected = channels[l] * channels[l + 1] * k * k;
            if (conv[l].length != expected) {
                throw new IllegalArgumentException("conv" + (l + 1) + ".weight must have " + expected
                        + " entries, got " + conv[l].length);
            }
        }
        for (int l = 0; l < layers - 1; l++) {
            int c = channels[l + 1];
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

    /** The widths (a copy). */
    @Override
    public int[] channels() {
        return channels.clone();
    }

    /** Number of transposed convolutions L. */
    public int layers() {
        return channels.length - 1;
    }

    /** Latent dimension D = channels[0]. */
    public int latentDimension() {
        return channels[0];
    }

    /** Image shape {@code {C, H, W}} = {channels[L], 4·2^(L−2), 4·2^(L−2)}. */
    public int[] imageShape() {
        int h = 4 << (layers() - 2);
        return new int[] {channels[layers()], h, h};
    }

    /** Output dimension N = C·H·W. */
    public int outputDimension() {
        int[] s = imageShape();
        return s[0] * s[1] * s[2];
    }

    /** Whether these are the default §7.1 widths (3 × 32 × 32 from D = 100). */
    boolean isDefaultArchitecture() {
        return java.util.Arrays.equals(channels, CHANNELS);
    }

    /** Kernel size of layer {@code l} (0-based) of an {@code layers}-layer network. */
    static int kernel(int l, int layers) {
        return l == layers - 1 ? 1 : 4;
    }

    static int stride(int l, int layers) {
        return l == 0 || l == layers - 1 ? 1 : 2;
    }

    static int pad(int l, int layers) {
        return l == 0 || l == layers - 1 ? 0 : 1;
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
        return random(seed, CHANNELS);
    }

    /**
     * The same initialisation, drawn in the same order, for other widths ({@code channels} as the
     * record component: D, the hidden widths, the image channels).
     */
    public static DcganWeights random(long seed, int[] channels) {
        int layers = channels.length - 1;
        if (layers < 2) {
            throw new IllegalArgumentException("channels must have >= 3 entries, got " + channels.length);
        }
        RandomGenerator rng = RandomStreams.stream(seed, RandomStreams.GENERATOR_WEIGHTS);
        double[][] conv = new double[layers][];
        for (int l = 0; l < layers; l++) {
            int k = kernel(l, layers);
            conv[l] = new double[channels[l] * channels[l + 1] * k * k];
            RandomStreams.fillGaussian(rng, conv[l], conv[l].length, 0.02);
        }
        double[][] gamma = new double[layers - 1][];
        double[][] beta = new double[layers - 1][];
        double[][] mean = new double[layers - 1][];
        double[][] var = new double[layers - 1][];
        for (int l = 0; l < layers - 1; l++) {
            int c = channels[l + 1];
            gamma[l] = new double[c];
            for (int i = 0; i < c; i++) {
                gamma[l][i] = 1.0 + 0.02 * rng.nextGaussian();
            }
            beta[l] = new double[c];
            mean[l] = new double[c];
            var[l] = new double[c];
            java.util.Arrays.fill(var[l], 1.0);
        }
        return new DcganWeights(conv, gamma, beta, mean, var, channels);
    }

    /**
     * Weights from named arrays (see the class comment for the names); the widths and the number
     * of layers are read from the kernels' shapes. A missing key or a wrong shape is an
     * {@link InvalidInputException} naming it.
     *
     * @param arrays key → values
     * @param shapes key → shape
     */
    public static DcganWeights fromArrays(Map<String, double[]> arrays, Map<String, int[]> shapes) {
        boolean torch = !arrays.containsKey("conv1.weight") && arrays.containsKey("main.0.weight");
        int layers = 0;
        while (layers < MAX_LAYERS + 1 && arrays.containsKey(convKey(torch, layers))) {
            layers++;
        }
        if (layers < 2 || layers > MAX_LAYERS) {
            if (layers == 0) {
                require(arrays, shapes, convKey(torch, 0));
            }
            throw new InvalidInputException(null, "DCGAN weights must have 2 to " + MAX_LAYERS
                    + " kernels conv1.weight, conv2.weight, …, got " + layers);
        }
        int[] channels = new int[layers + 1];
        double[][] conv = new double[layers][];
        for (int l = 0; l < layers; l++) {
            String key = convKey(torch, l);
            int k = kernel(l, layers);
            int[] s = shapes.get(key);
            if (s == null || s.length != 4 || s[2] != k || s[3] != k || s[1] < 1
                    || (l == 0 ? s[0] < 1 : s[0] != channels[l])) {
                String in = l == 0 ? "D" : String.valueOf(channels[l]);
                throw new InvalidInputException(null, key + " must have shape [" + in + ", C, " + k + ", " + k + "]"
                        + (l == 0 ? "" : " (input channels = conv" + l + "'s output channels)") + ", got "
                        + (s == null ? "unknown" : java.util.Arrays.toString(s)));
            }
            if (l == 0) {
                channels[0] = s[0];
            }
            channels[l + 1] = s[1];
            conv[l] = require(arrays, shapes, key, s);
        }
        double[][][] bn = new double[4][layers - 1][];
        String[] fields = {"weight", "bias", "running_mean", "running_var"};
        for (int l = 0; l < layers - 1; l++) {
            for (int f = 0; f < 4; f++) {
                String key = (torch ? "main." + (3 * l + 1) : "bn" + (l + 1)) + "." + fields[f];
                bn[f][l] = require(arrays, shapes, key, channels[l + 1]);
            }
        }
        try {
            return new DcganWeights(conv, bn[0], bn[1], bn[2], bn[3], channels);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, null, e.getMessage(), e);
        }
    }

    private static String convKey(boolean torch, int l) {
        return torch ? "main." + 3 * l + ".weight" : "conv" + (l + 1) + ".weight";
    }

    private static double[] require(Map<String, double[]> arrays, Map<String, int[]> shapes, String key,
                                    int... shape) {
        double[] a = arrays.get(key);
        if (a == null) {
            throw new InvalidInputException(null, "DCGAN weights must contain '" + key + "', got keys "
                    + new java.util.TreeSet<>(arrays.keySet()));
        }
        int[] s = shapes.get(key);
        if (s == null || !java.util.Arrays.equals(s, shape)) {
            throw new InvalidInputException(null, key + " must have shape " + java.util.Arrays.toString(shape)
                    + ", got " + (s == null ? "unknown" : java.util.Arrays.toString(s)));
        }
        for (double v : a) {
            if (!Double.isFinite(v)) {
                throw new InvalidInputException(null, key + " must be finite, got " + v);
            }
        }
        return a;
    }

    /** The arrays under the documented names, with their shapes, for writing a weights file. */
    public Map<String, double[]> toArrays() {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int l = 0; l < conv.length; l++) {
            m.put("conv" + (l + 1) + ".weight", conv[l]);
        }
        for (int l = 0; l < gamma.length; l++) {
            m.put("bn" + (l + 1) + ".weight", gamma[l]);
            m.put("bn" + (l + 1) + ".bias", beta[l]);
            m.put("bn" + (l + 1) + ".running_mean", runningMean[l]);
            m.put("bn" + (l + 1) + ".running_var", runningVar[l]);
        }
        return m;
    }

    /** Shapes matching {@link #toArrays()} for the default §7.1 widths. */
    public static Map<String, int[]> shapes() {
        return shapes(CHANNELS);
    }

    /** Shapes matching {@link #toArrays()} for these weights' widths. */
    public Map<String, int[]> arrayShapes() {
        return shapes(channels);
    }

    private static Map<String, int[]> shapes(int[] channels) {
        int layers = channels.length - 1;
        Map<String, int[]> m = new LinkedHashMap<>();
        for (int l = 0; l < layers; l++) {
            int k = kernel(l, layers);
            m.put("conv" + (l + 1) + ".weight", new int[] {channels[l], channels[l + 1], k, k});
        }
        for (int l = 0; l < layers - 1; l++) {
            for (String f : new String[] {"weight", "bias", "running_mean", "running_var"}) {
                m.put("bn" + (l + 1) + "." + f, new int[] {channels[l + 1]});
            }
        }
        return m;
    }

    /**
     * SHA-256 of all values in layer order, so that provenance and checkpoints tell weights apart;
     * for widths other than the default the widths are hashed first (the default's digest is
     * unchanged from the fixed-architecture format).
     */
    public String digest() {
        if (isDefaultArchitecture()) {
            return WeightFiles.digest(toArrays());
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("channels", java.util.Arrays.stream(channels).asDoubleStream().toArray());
        m.putAll(toArrays());
        return WeightFiles.digest(m);
    }
}
