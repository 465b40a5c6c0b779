/**
 * Monte-Carlo estimation of the moments of any generator (docs/theory.md §2.1, §2.2 and §7.2): the
 * latent and input means, Ω = Cov(x) and Φ = Cov(x, c), accumulated in blocks through the native
 * SYRK/GEMM with Chan's pairwise combination of block-centred statistics — for float32 samples
 * (the float32 DCGAN) the block products in float32 SSYRK/SGEMM added into float64 sums, with the
 * rounding bound of §7.2 — in parallel and reproducibly for a seed whatever the thread count, with
 * checkpoint/resume and a convergence log.
 */
package org.gequiv.moments;
