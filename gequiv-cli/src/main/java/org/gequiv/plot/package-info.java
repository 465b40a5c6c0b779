/**
 * Figures of results (XChart, PNG and SVG): learning curves with theory as lines and simulation as
 * markers; the seed-averaged figure of a sweep ({@link org.gequiv.plot.SweepPlot}).
 */
package org.gequiv.plot;
