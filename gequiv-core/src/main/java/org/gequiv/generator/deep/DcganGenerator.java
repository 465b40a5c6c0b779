package org.gequiv.generator.deep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.gequiv.generator.Moments;
import org.gequiv.linalg.LinearAlgebra;

/**
 * The DCGAN generator of theory.md §7.1, x = G(c) with c ∈ R^100 and x ∈ R^{3·32·32}:
 *
 * <pre>
 *   ConvT(100→512, k4 s1 p0)–BN–ReLU → ConvT(512→256, k4 s2 p1)–BN–ReLU → ConvT(256→128, k4 s2 p1)–BN–ReLU
 *   → ConvT(128→64, k4 s2 p1)–BN–ReLU → ConvT(64→3, k1 s1 p0) → tanh
 * </pre>
 *
 * with no biases and batch norm in inference mode, y = γ (x − m)/√(v + ε) + β with the running
 * statistics (m, v) and ε = 10⁻⁵. The output is flattened in (channel, row, column) order, as
 * PyTorch's {@code view(batch, -1)}. No centring is applied (theory §1.1 centres with the
 * estimated mean downstream).
 *
 * <p>Batches are processed in chunks of {@value #CHUNK} samples; each transposed convolution is
 * one native GEMM plus a col2im scatter (see {@link TransposedConvolution}). Immutable and
 * thread-safe: every thread gets its own scratch (about 60 MB at the default chunk).
 */
public final class DcganGenerator implements LatentMap, ImageShaped {

    /** Samples per internal chunk: large enough for an efficient GEMM, small enough for cache and memory. */
    static final int CHUNK = 16;
    /** Output dimension N = 3·32·32. */
    public static final int OUTPUT = 3 * 32 * 32;

    private final DcganWeights weights;
    private final TransposedConvolution[] layers = new TransposedConvolution[5];
    private final double[][] bnScale = new double[4][];
    private final double[][] bnShift = new double[4][];
    private final Map<String, Object> description;
    private final ThreadLocal<Workspace> workspace;

    /** The generator with the given weights; {@code origin} (for example "random seed 3") goes to provenance. */
    public DcganGenerator(DcganWeights weights, String origin) {
        this.weights = weights;
        int h = 1;
        for (int l = 0; l < 5; l++) {
            layers[l] = new TransposedConvolution(DcganWeights.CHANNELS[l], DcganWeights.CHANNELS[l + 1],
                    DcganWeights.KERNEL[l], DcganWeights.STRIDE[l], DcganWeights.PAD[l], h, weights.conv()[l]);
            h = layers[l].hout;
        }
        if (h != 32) {
            throw new IllegalStateException("DCGAN output must be 32 × 32, got " + h);
        }
        for (int l = 0; l < 4; l++) {
            int c = DcganWeights.CHANNELS[l + 1];
            bnScale[l] = new double[c];
            bnShift[l] = new double[c];
            for (int i = 0; i < c; i++) {
                double s = weights.gamma()[l][i] / Math.sqrt(weights.runningVar()[l][i] + DcganWeights.BN_EPSILON);
                bnScale[l][i] = s;
                bnShift[l][i] = weights.beta()[l][i] - weights.runningMean()[l][i] * s;
            }
        }
        Map<String, Object> desc = new LinkedHashMap<>();
        desc.put("architecture", "dcgan-32 (theory.md §7.1)");
        desc.put("weights", origin);
        desc.put("weightsSha256", weights.digest());
        this.description = Map.copyOf(desc);
        this.workspace = ThreadLocal.withInitial(() -> new Workspace(layers));
    }

    /** DCGAN with the usual random initialisation from {@code seed} ({@link DcganWeights#random}). */
    public static DcganGenerator random(long seed) {
        return new DcganGenerator(DcganWeights.random(seed), "random (DCGAN init), seed " + seed);
    }

    public DcganWeights weights() {
        return weights;
    }

    @Override
    public int latentDimension() {
        return DcganWeights.LATENT;
    }

    @Override
    public int inputDimension() {
        return OUTPUT;
    }

    @Override
    public void map(int batch, double[] latent, double[] inputs) {
        if (latent.length < batch * DcganWeights.LATENT || inputs.length < batch * OUTPUT) {
            throw new IllegalArgumentException("buffers must hold batch × D and batch × N = " + batch + " × "
                    + DcganWeights.LATENT + " and " + batch + " × " + OUTPUT + ", got " + latent.length + " and "
                    + inputs.length);
        }
        LinearAlgebra la = LinearAlgebra.get();
        Workspace w = workspace.get();
        for (int start = 0; start < batch; start += CHUNK) {
            int b = Math.min(CHUNK, batch - start);
            double[] in = w.act[0];
            for (int s = 0; s < b; s++) {
                int row = (start + s) * DcganWeights.LATENT;
                for (int i = 0; i < DcganWeights.LATENT; i++) {
                    in[i * b + s] = latent[row + i];
                }
            }
            for (int l = 0; l < 5; l++) {
                TransposedConvolution t = layers[l];
                double[] out = w.act[l + 1];
                t.apply(la, b, in, w.cols[l], out);
                int plane = b * t.hout * t.hout;
                if (l < 4) {
                    double[] sc = bnScale[l];
                    double[] sh = bnShift[l];
                    for (int c = 0; c < t.cout; c++) {
                        double scale = sc[c];
                        double shift = sh[c];
                        int off = c * plane;
                        for (int i = off; i < off + plane; i++) {
                            double v = out[i] * scale + shift;
                            out[i] = v > 0 ? v : 0.0;
                        }
                    }
                } else {
                    for (int i = 0; i < t.cout * plane; i++) {
                        out[i] = Math.tanh(out[i]);
                    }
                }
                in = out;
            }
            // in now holds 3 × b × 32 × 32; rows of the result are (channel, y, x)
            int pix = 32 * 32;
            for (int s = 0; s < b; s++) {
                int row = (start + s) * OUTPUT;
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(in, (c * b + s) * pix, inputs, row + c * pix, pix);
                }
            }
        }
    }

    @Override
    public int[] imageShape() {
        return new int[] {3, 32, 32};
    }

    @Override
    public Optional<Moments> analyticMoments() {
        return Optional.empty();
    }

    @Override
    public String id() {
        return "dcgan";
    }

    @Override
    public Map<String, Object> description() {
        return description;
    }

    /**
     * Per-thread buffers, one exactly sized array per layer: the native GEMM copies whole Java
     * arrays across JNI, so oversized shared buffers would multiply the memory traffic.
     */
    private static final class Workspace {
        final double[][] act = new double[6][];
        final double[][] cols = new double[5][];

        Workspace(TransposedConvolution[] layers) {
            act[0] = new double[DcganWeights.LATENT * CHUNK];
            for (int l = 0; l < 5; l++) {
                TransposedConvolution t = layers[l];
                act[l + 1] = new double[t.cout * CHUNK * t.hout * t.hout];
                cols[l] = new double[(int) t.columnSize(CHUNK)];
            }
        }
    }
}
