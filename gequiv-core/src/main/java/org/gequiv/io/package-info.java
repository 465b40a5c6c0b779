/**
 * Results on disk: CSV tables with provenance comment lines, JSON provenance (style.md, "Every
 * result file has provenance"), atomic writes that leave no partial or temporary file behind
 * ({@link org.gequiv.io.AtomicFiles}), a lock that makes a run the only writer of its output folder
 * ({@link org.gequiv.io.OutputLock}), and NumPy {@code .npy}/{@code .npz} arrays (the initial
 * order-parameter densities of docs/theory.md §5.7, moments and spectra computed elsewhere).
 */
package org.gequiv.io;
