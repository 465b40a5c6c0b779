/**
 * The Spark executor of gequiv sweeps ({@code gequiv sweep SPEC --spark MASTER}): every point is a
 * Spark task that runs the same point code as the local executor
 * ({@code org.gequiv.cli.CommandPoints}) in a temporary folder on its executor and sends the
 * point's rows and files back to the driver, which writes them into the sweep folder. So the
 * cluster needs no shared file system, and {@code results.csv} and {@code summary.csv} are the local
 * executor's, byte for byte. Spark is {@code provided}: the cluster's own, or the one on the class
 * path of {@code spark-submit}; the command line finds this module through
 * {@link java.util.ServiceLoader} and needs none of its classes.
 */
package org.gequiv.spark;
