/**
 * Deep generators x = G(c) whose moments are only known by sampling (docs/theory.md §1.1 and §7.1): the
 * DCGAN generator (transposed convolutions, inference-mode batch norm, ReLU, tanh) and a real NVP
 * flow of affine couplings, both through the native GEMM (col2im / im2col) in float32 (SGEMM on
 * chunks of samples) or float64 (DGEMM, the reference), and a generator that replays paired (c, x)
 * samples from .npy files.
 */
package org.gequiv.generator.deep;
