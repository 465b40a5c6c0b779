/**
 * Input and output: NumPy {@code .npy}/{@code .npz} arrays (used for the initial order-parameter
 * densities of theory.md §5.7 and for moments computed elsewhere), CSV tables with provenance
 * comment lines and JSON provenance (style.md, "Every result file has provenance"), atomic writes.
 */
package org.gequiv.io;
