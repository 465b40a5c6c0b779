/**
 * The {@code gequiv} command line (picocli): parses options, builds the specs of the library and
 * calls it; no science lives here. Commands: {@code online} (docs/theory.md §1.4 simulation and §5
 * ODEs), {@code erm} (§6), {@code check} (§2.1, §2.5), {@code moments} (§7.2) and
 * {@code samples}.
 */
package org.gequiv.cli;
