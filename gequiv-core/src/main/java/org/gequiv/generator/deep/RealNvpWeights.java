package org.gequiv.generator.deep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.gequiv.random.RandomStreams;
import org.gequiv.validation.InvalidInputException;

/**
 * Weights of a {@link RealNvpGenerator}. Coupling {@code k} (in the data → latent order) has a
 * network from n_in to 2 n_out channels and a per-channel scale a; its log-scale is
 * s = a ⊙ tanh(first n_out outputs) and its shift t the last n_out outputs. n_in = n_out = C for a
 * checkerboard coupling on C channels, C/2 for a channel coupling. All convolutions are 3 × 3 with
 * padding 1 and bias. The network is either (blocks = 0) conv1 (n_in → F) – ReLU – conv2 (F → F) –
 * ReLU – conv3 (F → 2 n_out), or (blocks = B ≥ 1, {@link RealNvpArchitecture}) residual:
 * in (n_in → F), B blocks h ← h + block<b>.conv2(relu(block<b>.conv1(relu(h)))) (F → F), then
 * out (F → 2 n_out) applied to relu(h).
 *
 * <p>A coupling of a dense last level ({@link RealNvpArchitecture}) on n entries has an MLP
 * fc1 (n/2 → W), fc2 (W → W), fc3 (W → n; s-raw first, then t) and a scale a per free entry (n/2).
 *
 * <p>File format ({@code .npz}): {@code architecture} = [C, H, scales, hidden] (plain networks, no
 * output transform), [C, H, scales, hidden, blocks, logitAlpha] or [C, H, scales, hidden, blocks,
 * logitAlpha, denseCouplings, denseHidden], and for each coupling
 * k = 0, 1, …, with PyTorch shapes (out, in, 3, 3) for weights and (out) for biases:
 * {@code coupling<k>.conv<j>.weight/bias} for j = 1, 2, 3 (plain) or {@code coupling<k>.in.*},
 * {@code coupling<k>.block<b>.conv1.*}, {@code coupling<k>.block<b>.conv2.*}, {@code coupling<k>.out.*}
 * (residual), and {@code coupling<k>.scale} (n_out); a dense coupling has {@code coupling<k>.fc<j>.weight}
 * (out, in) and {@code .bias} for j = 1, 2, 3 and {@code coupling<k>.scale}. Immutable.
 *
 * @param architecture the shape of the flow
 * @param couplings    per coupling the arrays in the order of {@link #partNames}: plain {w1, b1, w2,
 *                     b2, w3, b3, scale}; residual {in.w, in.b, (block b: conv1.w, conv1.b, conv2.w,
 *                     conv2.b)…, out.w, out.b, scale}; dense {fc1.w, fc1.b, fc2.w, fc2.b, fc3.w, fc3.b,
 *                     scale}
 */
public record RealNvpWeights(RealNvpArchitecture architecture, double[][][] couplings) {

    static final String[] PARTS = {"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight",
        "conv3.bias", "scale"};
    static final String[] DENSE_PARTS = {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight",
        "fc3.bias", "scale"};

    public RealNvpWeights {
        if (couplings.length != architecture.couplings()) {
            throw new IllegalArgumentException("couplings must have " + architecture.couplings() + " entries, got "
                    + couplings.length);
        }
        for (int k = 0; k < couplings.length; k++) {
            String[] parts = partNames(architecture, k);
            int[][] shapes = shapes(architecture, k);
            if (couplings[k].length != parts.length) {
                throw new IllegalArgumentException("coupling" + k + " must have " + parts.length + " arrays, got "
                        + couplings[k].length);
            }
            for (int p = 0; p < parts.length; p++) {
                int len = 1;
                for (int s : shapes[p]) {
                    len *= s;
                }
                if (couplings[k][p].length != len) {
                    throw new IllegalArgumentException("coupling" + k + "." + parts[p] + " must have " + len
                            + " entries, got " + couplings[k][p].length);
                }
                for (double v : couplings[k][p]) {
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("coupling" + k + "." + parts[p] + " must be finite, got " + v);
                    }
                }
            }
        }
    }

    /** Channels n_in (= n_out) of the network of coupling {@code k}. */
    static int netChannels(RealNvpArchitecture a, int k) {
        int level = Math.min(k / 6, a.scales() - 1);
        int c = a.channels() << level;
        boolean channelCoupling = level < a.scales() - 1 && k % 6 >= 3;
        return channelCoupling ? 2 * c : c;
    }

    /** Whether coupling {@code k} belongs to a dense last level. */
    static boolean isDense(RealNvpArchitecture a, int k) {
        return a.dense() && k >= 6 * (a.scales() - 1);
    }

    /** Names (after {@code coupling<k>.}) of the arrays of coupling {@code k}, in storage order. */
    static String[] partNames(RealNvpArchitecture a, int k) {
        if (isDense(a, k)) {
            return DENSE_PARTS.clone();
        }
        if (!a.residual()) {
            return PARTS.clone();
        }
        String[] names = new String[5 + 4 * a.blocks()];
        int i = 0;
        names[i++] = "in.weight";
        names[i++] = "in.bias";
        for (int b = 0; b < a.blocks(); b++) {
            names[i++] = "block" + b + ".conv1.weight";
            names[i++] = "block" + b + ".conv1.bias";
            names[i++] = "block" + b + ".conv2.weight";
            names[i++] = "block" + b + ".conv2.bias";
        }
        names[i++] = "out.weight";
        names[i++] = "out.bias";
        names[i] = "scale";
        return names;
    }

    /** PyTorch shapes of the arrays of coupling {@code k}, in the order of {@link #partNames}. */
    static int[][] shapes(RealNvpArchitecture a, int k) {
        if (isDense(a, k)) {
            int m = a.lastChannels() * a.lastSize() * a.lastSize();
            int w = a.denseHidden();
            return new int[][] {{w, m / 2}, {w}, {w, w}, {w}, {m, w}, {m}, {m / 2}};
        }
        int n = netChannels(a, k);
        int f = a.hidden();
        if (!a.residual()) {
            return new int[][] {{f, n, 3, 3}, {f}, {f, f, 3, 3}, {f}, {2 * n, f, 3, 3}, {2 * n}, {n}};
        }
        int[][] sh = new int[5 + 4 * a.blocks()][];
        int i = 0;
        sh[i++] = new int[] {f, n, 3, 3};
        sh[i++] = new int[] {f};
        for (int b = 0; b < a.blocks(); b++) {
            sh[i++] = new int[] {f, f, 3, 3};
            sh[i++] = new int[] {f};
            sh[i++] = new int[] {f, f, 3, 3};
            sh[i++] = new int[] {f};
        }
        sh[i++] = new int[] {2 * n, f, 3, 3};
        sh[i++] = new int[] {2 * n};
        sh[i] = new int[] {n};
        return sh;
    }

    /**
     * Random initialisation from {@code RandomStreams.stream(seed, GENERATOR_WEIGHTS)}: conv1 and
     * conv2 He-normal N(0, 2/fan_in), conv3 N(0, 0.25/fan_in) so that the initial log-scales are
     * O(0.3) (a flow that is clearly nonlinear yet well conditioned), biases 0, scales a = 1. For
     * residual networks the same: every kernel but the last He-normal, the last (out)
     * N(0, 0.25/fan_in); drawn in the order of {@link #partNames}. Dense couplings likewise (fan_in
     * the number of inputs).
     */
    public static RealNvpWeights random(RealNvpArchitecture arch, long seed) {
        RandomGenerator rng = RandomStreams.stream(seed, RandomStreams.GENERATOR_WEIGHTS);
        double[][][] cs = new double[arch.couplings()][][];
        for (int k = 0; k < cs.length; k++) {
            int parts = partNames(arch, k).length;
            int[][] sh = shapes(arch, k);
            cs[k] = new double[parts][];
            for (int p = 0; p < parts; p++) {
                int len = 1;
                for (int s : sh[p]) {
                    len *= s;
                }
                cs[k][p] = new double[len];
                if (p == parts - 1) {
                    java.util.Arrays.fill(cs[k][p], 1.0);
                } else if (p % 2 == 0) {
                    int fanIn = sh[p][1] * (sh[p].length == 4 ? 9 : 1);
                    double std = (p == parts - 3 ? 0.5 : Math.sqrt(2.0)) / Math.sqrt(fanIn);
                    RandomStreams.fillGaussian(rng, cs[k][p], len, std);
                }
            }
        }
        return new RealNvpWeights(arch, cs);
    }

    /** Weights from named arrays (see the class comment); missing keys or wrong shapes are named. */
    public static RealNvpWeights fromArrays(Map<String, double[]> arrays, Map<String, int[]> shapes) {
        double[] a = arrays.get("architecture");
        if (a == null || (a.length != 4 && a.length != 6 && a.length != 8)) {
            throw new InvalidInputException(null, "real NVP weights must contain 'architecture' = [C, H, scales, hidden],"
                    + " [C, H, scales, hidden, blocks, logitAlpha] or [C, H, scales, hidden, blocks, logitAlpha,"
                    + " denseCouplings, denseHidden], got " + (a == null ? "none" : a.length + " entries"));
        }
        for (int i = 0; i < a.length; i++) {
            if (i == 5) {
                continue;
            }
            if (a[i] != Math.rint(a[i]) || Math.abs(a[i]) > 1 << 20) {
                throw new InvalidInputException(null, "architecture[" + i + "] must be an integer, got " + a[i]);
            }
        }
        RealNvpArchitecture arch;
        try {
            arch = a.length == 4 ? new RealNvpArchitecture((int) a[0], (int) a[1], (int) a[2], (int) a[3])
                    : a.length == 6 ? new RealNvpArchitecture((int) a[0], (int) a[1], (int) a[2], (int) a[3], (int) a[4], a[5])
                    : new RealNvpArchitecture((int) a[0], (int) a[1], (int) a[2], (int) a[3], (int) a[4], a[5],
                            (int) a[6], (int) a[7]);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, null, "architecture: " + e.getMessage(), e);
        }
        double[][][] cs = new double[arch.couplings()][][];
        for (int k = 0; k < cs.length; k++) {
            String[] parts = partNames(arch, k);
            cs[k] = new double[parts.length][];
            int[][] sh = shapes(arch, k);
            for (int p = 0; p < parts.length; p++) {
                String key = "coupling" + k + "." + parts[p];
                cs[k][p] = arrays.get(key);
                if (cs[k][p] == null) {
                    throw new InvalidInputException(null, "real NVP weights must contain '" + key + "'");
                }
                int[] s = shapes.get(key);
                if (s == null || !java.util.Arrays.equals(s, sh[p])) {
                    throw new InvalidInputException(null, key + " must have shape " + java.util.Arrays.toString(sh[p])
                            + ", got " + (s == null ? "unknown" : java.util.Arrays.toString(s)));
                }
            }
        }
        try {
            return new RealNvpWeights(arch, cs);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, null, e.getMessage(), e);
        }
    }

    /** The arrays under the documented names, for writing a weights file. */
    public Map<String, double[]> toArrays() {
        Map<String, double[]> m = new LinkedHashMap<>();
        RealNvpArchitecture a = architecture;
        m.put("architecture", a.isPlain() ? new double[] {a.channels(), a.size(), a.scales(), a.hidden()}
                : !a.dense() ? new double[] {a.channels(), a.size(), a.scales(), a.hidden(), a.blocks(), a.logitAlpha()}
                : new double[] {a.channels(), a.size(), a.scales(), a.hidden(), a.blocks(), a.logitAlpha(),
                    a.denseCouplings(), a.denseHidden()});
        for (int k = 0; k < couplings.length; k++) {
            String[] parts = partNames(a, k);
            for (int p = 0; p < parts.length; p++) {
                m.put("coupling" + k + "." + parts[p], couplings[k][p]);
            }
        }
        return m;
    }

    /** Shapes matching {@link #toArrays()}. */
    public Map<String, int[]> shapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("architecture", new int[] {architecture.isPlain() ? 4 : architecture.dense() ? 8 : 6});
        for (int k = 0; k < couplings.length; k++) {
            String[] parts = partNames(architecture, k);
            int[][] sh = shapes(architecture, k);
            for (int p = 0; p < parts.length; p++) {
                m.put("coupling" + k + "." + parts[p], sh[p]);
            }
        }
        return m;
    }

    /** SHA-256 of the architecture and all values. */
    public String digest() {
        return WeightFiles.digest(toArrays());
    }
}
