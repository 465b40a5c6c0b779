/**
 * Results on disk: CSV tables with provenance comment lines, JSON provenance (style.md, "Every
 * result file has provenance"), atomic writes, and NumPy {@code .npy}/{@code .npz} arrays (the
 * initial order-parameter densities of docs/theory.md §5.7, moments and spectra computed elsewhere).
 */
package org.gequiv.io;
