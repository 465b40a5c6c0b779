package org.gequiv.generator.deep;

/**
 * A generator whose output x ∈ R^N is an image of {@code channels × height × width} pixels,
 * flattened in (channel, row, column) order, so that its samples can be drawn as a grid.
 */
public interface ImageShaped {

    /** {channels, height, width}, with product N. */
    int[] imageShape();
}
