/**
 * Deep generators x = G(c) whose moments are only known by sampling (docs/theory.md §1.1 and §7.1): the
 * DCGAN generator (transposed convolutions, inference-mode batch norm, ReLU, tanh) and a real NVP
 * flow of affine couplings, both batched through the native GEMM (col2im / im2col) in float64 or float32 (the DCGAN's float32
 * pass in cache-sized blocks on weights kept in the BLAS's memory, with batch norm, ReLU and tanh
 * applied in its col2im gather), and a
 * generator that replays paired (c, x) samples from .npy files.
 */
package org.gequiv.generator.deep;
