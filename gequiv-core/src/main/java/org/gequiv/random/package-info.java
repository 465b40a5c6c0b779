/**
 * Seeded, named and indexed random streams split from one master seed, so that every run is
 * reproducible from its seed whatever the thread count (style.md, "Every stochastic entry point
 * takes an explicit seed").
 */
package org.gequiv.random;
