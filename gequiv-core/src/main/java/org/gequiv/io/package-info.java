/**
 * Input and output: results on disk as CSV tables with provenance comment lines, JSON provenance
 * (style.md, "Every result file has provenance") and atomic writes; NumPy {@code .npy}/{@code .npz}
 * arrays (used for the initial order-parameter densities of theory.md §5.7, for moments computed
 * elsewhere and for saddle-point spectra, §6.2).
 */
package org.gequiv.io;
