/**
 * The paper report's presentation: the self-contained HTML page and the report figures drawn with
 * XChart (PNG and SVG). The science — sections, points, seed averages, fits and verdicts — is in
 * the core's {@code org.gequiv.report}.
 */
package org.gequiv.paper;
