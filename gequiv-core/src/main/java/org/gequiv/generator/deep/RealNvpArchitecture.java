package org.gequiv.generator.deep;

/**
 * Shape of a {@link RealNvpGenerator}: images of {@code channels × size × size}, {@code scales}
 * levels of the multi-scale architecture of Dinh et al. (2017), and {@code hidden} channels in the
 * convolutional networks that compute each coupling's scale and shift.
 *
 * <p>Each level but the last is three checkerboard couplings, a squeeze (C × H × H →
 * 4C × H/2 × H/2), three channel couplings and a factor-out of half the channels; the last level is
 * four checkerboard couplings. {@code size} must be divisible by 2^(scales − 1) with at least 2
 * pixels per side at the last level.
 *
 * @param channels C ≥ 1
 * @param size     H = W ≥ 2
 * @param scales   levels ≥ 1
 * @param hidden   channels of the coupling networks ≥ 1
 */
public record RealNvpArchitecture(int channels, int size, int scales, int hidden) {

    /** 3 × 32 × 32 (CIFAR-10 shape of docs/theory.md §7.1), three levels, 32 hidden channels. */
    public static final RealNvpArchitecture CIFAR = new RealNvpArchitecture(3, 32, 3, 32);

    public RealNvpArchitecture {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (scales < 1) {
            throw new IllegalArgumentException("scales must be >= 1, got " + scales);
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
        }
        if (size < 2 || size % (1 << (scales - 1)) != 0 || size >> (scales - 1) < 2) {
            throw new IllegalArgumentException("size must be >= 2 and divisible by 2^(scales - 1) = "
                    + (1 << (scales - 1)) + " with >= 2 pixels left at the last level, got " + size);
        }
    }

    /** N = D = C·H·W. */
    public int dimension() {
        return channels * size * size;
    }

    /** Number of affine coupling layers: 6 per level plus 4 at the last. */
    public int couplings() {
        return 6 * (scales - 1) + 4;
    }
}
