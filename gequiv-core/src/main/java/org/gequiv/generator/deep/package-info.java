/**
 * Deep generators x = G(c) whose moments are only known by sampling (docs/theory.md §1.1 and §7.1): the
 * DCGAN generator (transposed convolutions, inference-mode batch norm, ReLU, tanh) and a real NVP
 * flow of affine couplings, both batched through the native GEMM (col2im / im2col) in float32 or
 * float64 (the reference): the DCGAN's float32 pass in cache-sized blocks on weights kept in the
 * BLAS's memory, with batch norm, ReLU and tanh applied in its col2im gather; the real NVP's float32
 * coupling networks by SGEMM on chunks of samples. A third generator replays paired (c, x) samples
 * from .npy files.
 */
package org.gequiv.generator.deep;
