/**
 * How long computations report their progress without printing: {@link org.gequiv.progress.Progress}
 * receives the phases of a run (set-up, theory, simulation, each size or point) and the units done
 * within each; the library only calls it, a front end renders it (the command line draws a bar
 * when its stderr is a terminal). This package depends on nothing else in gequiv.
 */
package org.gequiv.progress;
