/**
 * Results on disk: CSV tables with provenance comment lines, JSON provenance (style.md, "Every
 * result file has provenance"), atomic writes, and numpy .npy/.npz arrays.
 */
package org.gequiv.io;
