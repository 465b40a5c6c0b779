/**
 * Figures of results (XChart, PNG and SVG): learning curves with theory as lines and simulation as
 * markers.
 */
package org.gequiv.plot;
