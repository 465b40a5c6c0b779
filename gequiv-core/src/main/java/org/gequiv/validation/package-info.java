/**
 * What counts as bad input, in one place: {@link org.gequiv.validation.InvalidInputException}, the
 * exception that every spec constructor and every input reader of the library throws for a value or
 * a file the user supplied, {@link org.gequiv.validation.Checks}, the shared checks that raise it, and
 * {@link org.gequiv.validation.MemoryEstimate}, what a run will hold in memory, which the experiment
 * specs estimate from their sizes so that a front end can refuse a run too large before allocating.
 * Front ends report it as bad input (exit code 2) and translate its {@link
 * org.gequiv.validation.InvalidInputException#field() field} into the name of their own option;
 * any other exception is a bug. This package depends on nothing else in gequiv, so every other
 * package may use it.
 */
package org.gequiv.validation;
