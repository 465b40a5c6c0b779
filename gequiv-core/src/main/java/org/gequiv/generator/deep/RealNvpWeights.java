package org.gequiv.generator.deep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.gequiv.random.RandomStreams;

/**
 * Weights of a {@link RealNvpGenerator}. Coupling {@code k} (in the data → latent order) has a
 * network conv1 (n_in → F) – ReLU – conv2 (F → F) – ReLU – conv3 (F → 2 n_out), all 3 × 3 with
 * bias, and a per-channel scale a; its log-scale is s = a ⊙ tanh(first n_out outputs) and its shift
 * t the last n_out outputs. n_in = n_out = C for a checkerboard coupling on C channels, C/2 for a
 * channel coupling.
 *
 * <p>File format ({@code .npz}): {@code architecture} = [C, H, scales, hidden] and, for each
 * coupling k = 0, 1, …: {@code coupling<k>.conv<j>.weight} with PyTorch shape (out, in, 3, 3),
 * {@code coupling<k>.conv<j>.bias} (out) for j = 1, 2, 3, and {@code coupling<k>.scale} (n_out).
 * Immutable.
 *
 * @param architecture the shape of the flow
 * @param couplings    per coupling {w1, b1, w2, b2, w3, b3, scale}
 */
public record RealNvpWeights(RealNvpArchitecture architecture, double[][][] couplings) {

    static final String[] PARTS = {"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight",
        "conv3.bias", "scale"};

    public RealNvpWeights {
        if (couplings.length != architecture.couplings()) {
            throw new IllegalArgumentException("couplings must have " + architecture.couplings() + " entries, got "
                    + couplings.length);
        }
        for (int k = 0; k < couplings.length; k++) {
            int[][] shapes = shapes(architecture, k);
            if (couplings[k].length != PARTS.length) {
                throw new IllegalArgumentException("coupling" + k + " must have " + PARTS.length + " arrays, got "
                        + couplings[k].length);
            }
            for (int p = 0; p < PARTS.length; p++) {
                int len = 1;
                for (int s : shapes[p]) {
                    len *= s;
                }
                if (couplings[k][p].length != len) {
                    throw new IllegalArgumentException("coupling" + k + "." + PARTS[p] + " must have " + len
                            + " entries, got " + couplings[k][p].length);
                }
                for (double v : couplings[k][p]) {
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("coupling" + k + "." + PARTS[p] + " must be finite, got " + v);
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

    /** PyTorch shapes of the seven arrays of coupling {@code k}. */
    static int[][] shapes(RealNvpArchitecture a, int k) {
        int n = netChannels(a, k);
        int f = a.hidden();
        return new int[][] {{f, n, 3, 3}, {f}, {f, f, 3, 3}, {f}, {2 * n, f, 3, 3}, {2 * n}, {n}};
    }

    /**
     * Random initialisation from {@code RandomStreams.stream(seed, GENERATOR_WEIGHTS)}: conv1 and
     * conv2 He-normal N(0, 2/fan_in), conv3 N(0, 0.25/fan_in) so that the initial log-scales are
     * O(0.3) (a flow that is clearly nonlinear yet well conditioned), biases 0, scales a = 1.
     */
    public static RealNvpWeights random(RealNvpArchitecture arch, long seed) {
        RandomGenerator rng = RandomStreams.stream(seed, RandomStreams.GENERATOR_WEIGHTS);
        double[][][] cs = new double[arch.couplings()][][];
        for (int k = 0; k < cs.length; k++) {
            int[][] sh = shapes(arch, k);
            cs[k] = new double[PARTS.length][];
            for (int p = 0; p < PARTS.length; p++) {
                int len = 1;
                for (int s : sh[p]) {
                    len *= s;
                }
                cs[k][p] = new double[len];
                if (p == 0 || p == 2 || p == 4) {
                    int fanIn = sh[p][1] * 9;
                    double std = (p == 4 ? 0.5 : Math.sqrt(2.0)) / Math.sqrt(fanIn);
                    RandomStreams.fillGaussian(rng, cs[k][p], len, std);
                } else if (p == 6) {
                    java.util.Arrays.fill(cs[k][p], 1.0);
                }
            }
        }
        return new RealNvpWeights(arch, cs);
    }

    /** Weights from named arrays (see the class comment); missing keys or wrong shapes are named. */
    public static RealNvpWeights fromArrays(Map<String, double[]> arrays, Map<String, int[]> shapes) {
        double[] a = arrays.get("architecture");
        if (a == null || a.length != 4) {
            throw new IllegalArgumentException("real NVP weights must contain 'architecture' = [C, H, scales, hidden], got "
                    + (a == null ? "none" : a.length + " entries"));
        }
        RealNvpArchitecture arch = new RealNvpArchitecture((int) a[0], (int) a[1], (int) a[2], (int) a[3]);
        double[][][] cs = new double[arch.couplings()][PARTS.length][];
        for (int k = 0; k < cs.length; k++) {
            int[][] sh = shapes(arch, k);
            for (int p = 0; p < PARTS.length; p++) {
                String key = "coupling" + k + "." + PARTS[p];
                cs[k][p] = arrays.get(key);
                if (cs[k][p] == null) {
                    throw new IllegalArgumentException("real NVP weights must contain '" + key + "'");
                }
                int[] s = shapes.get(key);
                if (s == null || !java.util.Arrays.equals(s, sh[p])) {
                    throw new IllegalArgumentException(key + " must have shape " + java.util.Arrays.toString(sh[p])
                            + ", got " + (s == null ? "unknown" : java.util.Arrays.toString(s)));
                }
            }
        }
        return new RealNvpWeights(arch, cs);
    }

    /** The arrays under the documented names, for writing a weights file. */
    public Map<String, double[]> toArrays() {
        Map<String, double[]> m = new LinkedHashMap<>();
        RealNvpArchitecture a = architecture;
        m.put("architecture", new double[] {a.channels(), a.size(), a.scales(), a.hidden()});
        for (int k = 0; k < couplings.length; k++) {
            for (int p = 0; p < PARTS.length; p++) {
                m.put("coupling" + k + "." + PARTS[p], couplings[k][p]);
            }
        }
        return m;
    }

    /** Shapes matching {@link #toArrays()}. */
    public Map<String, int[]> shapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("architecture", new int[] {4});
        for (int k = 0; k < couplings.length; k++) {
            int[][] sh = shapes(architecture, k);
            for (int p = 0; p < PARTS.length; p++) {
                m.put("coupling" + k + "." + PARTS[p], sh[p]);
            }
        }
        return m;
    }

    /** SHA-256 of the architecture and all values. */
    public String digest() {
        return WeightFiles.digest(toArrays());
    }
}
