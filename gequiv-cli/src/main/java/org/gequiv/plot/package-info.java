/**
 * Figures of results (XChart, PNG and SVG; the SVG written by {@code SvgDocument}
 * from the drawing VectorGraphics2D records): learning curves with theory as lines and simulation
 * as markers; the seed-averaged figure of a sweep ({@link org.gequiv.plot.SweepPlot}).
 */
package org.gequiv.plot;
