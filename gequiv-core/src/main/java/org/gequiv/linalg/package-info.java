/**
 * Dense linear algebra facade: GEMM (also in float32, SGEMM, and with a {@link
 * org.gequiv.linalg.ResidentMatrix} operand copied to the BLAS once, in float32 also as a row block
 * of it times a column block of a larger matrix), SYRK, symmetric
 * eigendecomposition (also with the eigenvectors left resident, {@link org.gequiv.linalg.ResidentEigen}), Cholesky and SPD solves on flat row-major arrays, through native OpenBLAS/LAPACKE with an automatic pure-Java (EJML)
 * fallback; and {@link org.gequiv.linalg.Covariances}, the one check (finite, symmetric, positive
 * semi-definite) of every covariance that enters the library (§2.1, §6.2, §7.2). Used by every
 * section of docs/theory.md that needs Ω's spectrum (§5.1, §6.2) or batched sampling (§1.1, §2.2).
 */
package org.gequiv.linalg;
