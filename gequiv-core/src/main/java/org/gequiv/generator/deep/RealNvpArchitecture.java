package org.gequiv.generator.deep;

/**
 * Shape of a {@link RealNvpGenerator}: images of {@code channels × size × size}, {@code scales}
 * levels of the multi-scale architecture of Dinh et al. (2017), {@code hidden} channels in the
 * convolutional networks that compute each coupling's scale and shift, the kind of those networks
 * and the output transform.
 *
 * <p>Each level but the last is three checkerboard couplings, a squeeze (C × H × H →
 * 4C × H/2 × H/2), three channel couplings and a factor-out of half the channels; the last level is
 * four checkerboard couplings. {@code size} must be divisible by 2^(scales − 1) with at least 2
 * pixels per side at the last level.
 *
 * <p>Coupling networks ({@link RealNvpWeights}): with {@code blocks} = 0 the plain three-layer
 * CNN conv–ReLU–conv–ReLU–conv; with {@code blocks} ≥ 1 a residual network as in Dinh et al.:
 * h₀ = in(x), h_{b+1} = h_b + conv2(relu(conv1(relu(h_b)))), output out(relu(h_B)).
 *
 * <p>Dense last level: with {@code denseCouplings} = L &gt; 0 the last level is L affine couplings on
 * its whole c × h × h input (n entries) whose scale/shift networks are MLPs of width
 * {@code denseHidden}, fixed → fc1 → ReLU → fc2 → ReLU → fc3 → (s-raw, t); coupling j fixes, by
 * kind j mod 4 (j mod 2 when c is odd), the checkerboard pixels with (row + column) mod 2 = kind
 * (kinds 0, 1) or the first or second half of the channels (kinds 2, 3). It replaces the four
 * checkerboard couplings there: the coarse structure of an image (the last level's input) needs a
 * network that sees all of it, which a few small convolutions do not.
 *
 * <p>Output transform: with {@code logitAlpha} = 0 none (the flow's output is the generator's);
 * with 0 &lt; α &lt; ½ the inverse of the logit pre-processing of Dinh et al. (2017, §4.1),
 * x = (sigmoid(y) − α)/(1 − 2α), so that a flow trained on y = logit(α + (1 − 2α)·u) of pixels
 * u ∈ [0, 1] generates pixels, bounded in [−α/(1 − 2α), (1 − α)/(1 − 2α)].
 *
 * @param channels   C ≥ 1
 * @param size       H = W ≥ 2
 * @param scales     levels ≥ 1
 * @param hidden     channels of the coupling networks ≥ 1
 * @param blocks     residual blocks per coupling network, 0 for the plain three-layer CNN
 * @param logitAlpha α of the logit output transform, 0 for none
 * @param denseCouplings couplings of a dense last level, 0 for the four checkerboard couplings
 * @param denseHidden    width of the dense couplings' MLPs (0 without them)
 */
public record RealNvpArchitecture(int channels, int size, int scales, int hidden, int blocks, double logitAlpha,
                                  int denseCouplings, int denseHidden) {

    /** 3 × 32 × 32 (CIFAR-10 shape of docs/theory.md §7.1), three levels, 32 hidden channels. */
    public static final RealNvpArchitecture CIFAR = new RealNvpArchitecture(3, 32, 3, 32);
    /** Most residual blocks accepted per coupling network, and most dense couplings. */
    static final int MAX_BLOCKS = 64;
    /** Widest dense coupling MLP accepted. */
    static final int MAX_DENSE_HIDDEN = 1 << 14;

    /** The plain three-layer coupling networks and no output transform. */
    public RealNvpArchitecture(int channels, int size, int scales, int hidden) {
        this(channels, size, scales, hidden, 0, 0.0);
    }

    /** Convolutional couplings throughout (no dense last level). */
    public RealNvpArchitecture(int channels, int size, int scales, int hidden, int blocks, double logitAlpha) {
        this(channels, size, scales, hidden, blocks, logitAlpha, 0, 0);
    }

    public RealNvpArchitecture {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (scales < 1 || scales > 30) {
            // 2^(scales − 1) must fit an int: larger values would wrap and pass the size check
            throw new IllegalArgumentException("scales must be in [1, 30], got " + scales);
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
        }
        if (size < 2 || size % (1 << (scales - 1)) != 0 || size >> (scales - 1) < 2) {
            throw new IllegalArgumentException("size must be >= 2 and divisible by 2^(scales - 1) = "
                    + (1 << (scales - 1)) + " with >= 2 pixels left at the last level, got " + size);
        }
        if (blocks < 0 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("blocks must be in [0, " + MAX_BLOCKS + "], got " + blocks);
        }
        if (!(logitAlpha >= 0 && logitAlpha < 0.5)) {
            throw new IllegalArgumentException("logitAlpha must be in [0, 0.5), got " + logitAlpha);
        }
        if (denseCouplings < 0 || denseCouplings > MAX_BLOCKS) {
            throw new IllegalArgumentException("denseCouplings must be in [0, " + MAX_BLOCKS + "], got " + denseCouplings);
        }
        if (denseCouplings == 0 ? denseHidden != 0 : denseHidden < 1 || denseHidden > MAX_DENSE_HIDDEN) {
            throw new IllegalArgumentException("denseHidden must be " + (denseCouplings == 0 ? "0 without dense couplings"
                    : "in [1, " + MAX_DENSE_HIDDEN + "]") + ", got " + denseHidden);
        }
        if (denseCouplings > 0 && (size >> (scales - 1)) % 2 != 0) {
            throw new IllegalArgumentException("a dense last level needs an even side there, got " + (size >> (scales - 1)));
        }
    }

    /** Channels c of the last level's input. */
    int lastChannels() {
        return scales == 1 ? channels : channels << (scales - 1);
    }

    /** Side h of the last level's input. */
    int lastSize() {
        return size >> (scales - 1);
    }

    /** Whether the last level is dense couplings. */
    public boolean dense() {
        return denseCouplings > 0;
    }

    /** N = D = C·H·W. */
    public int dimension() {
        return channels * size * size;
    }

    /** Number of affine coupling layers: 6 per level plus 4 (or the dense ones) at the last. */
    public int couplings() {
        return 6 * (scales - 1) + (dense() ? denseCouplings : 4);
    }

    /** Whether the coupling networks are residual ({@code blocks} ≥ 1). */
    public boolean residual() {
        return blocks > 0;
    }

    /** Whether the architecture is expressible in the original four-entry file format. */
    boolean isPlain() {
        return blocks == 0 && logitAlpha == 0 && !dense();
    }
}
