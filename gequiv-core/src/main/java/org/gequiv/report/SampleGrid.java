package org.gequiv.report;

/**
 * A grid of samples of a section's generator shown beside its figures (drawn by the front end).
 *
 * @param name      file name without extension
 * @param caption   text under the grid
 * @param generator the generator's name for {@link ReportContext#generators()}
 * @param rows      rows of the grid
 * @param cols      columns
 * @param lo        value drawn black
 * @param hi        value drawn white
 * @param seed      seed of the latent vectors
 */
public record SampleGrid(String name, String caption, String generator, int rows, int cols, double lo, double hi,
                         long seed) {
    public SampleGrid {
        if (rows < 1 || cols < 1 || !(hi > lo)) {
            throw new IllegalArgumentException("rows and cols must be >= 1 and hi > lo, got " + rows + ", " + cols
                    + ", [" + lo + ", " + hi + "]");
        }
    }
}
