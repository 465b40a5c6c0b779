/**
 * Input and output: NumPy {@code .npy}/{@code .npz} arrays (used for the initial order-parameter
 * densities of theory.md §5.7 and for moments computed elsewhere), CSV tables and JSON provenance.
 */
package org.gequiv.io;
