/**
 * Generators x = G(c) exported to ONNX (docs/theory.md §1.1 and §7.1), run through ONNX Runtime on the
 * CPU. An optional module, so that the core library stays small.
 */
package org.gequiv.onnx;
