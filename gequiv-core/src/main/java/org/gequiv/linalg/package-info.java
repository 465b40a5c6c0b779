/**
 * Dense linear algebra facade: GEMM, SYRK, symmetric eigendecomposition, Cholesky and SPD solves on
 * flat row-major arrays, through native OpenBLAS/LAPACKE with an automatic pure-Java (EJML)
 * fallback. Used by every section of docs/theory.md that needs Ω's spectrum (§5.1, §6.2) or batched
 * sampling (§1.1, §2.2).
 */
package org.gequiv.linalg;
