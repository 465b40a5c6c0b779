/**
 * Teacher and student two-layer networks (docs/theory.md §1.2, §1.3) and the order parameters
 * Q, R, T, T̃ they define with the generator's moments (§2.1, §3.1).
 */
package org.gequiv.model;
