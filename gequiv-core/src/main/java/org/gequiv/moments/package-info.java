/**
 * Monte-Carlo estimation of the moments of any generator (docs/theory.md §2.1, §2.2 and §7.2): the
 * latent and input means, Ω = Cov(x) and Φ = Cov(x, c), accumulated in blocks through the native
 * SYRK/GEMM with Chan's pairwise combination of block-centred statistics, in parallel and
 * reproducibly for a seed whatever the thread count, with checkpoint/resume and a convergence log.
 */
package org.gequiv.moments;
