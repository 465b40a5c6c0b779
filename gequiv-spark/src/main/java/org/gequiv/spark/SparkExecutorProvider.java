package org.gequiv.spark;

import org.gequiv.sweep.SweepExecutor;

/** Offers {@link SparkSweepExecutor} to the command line as {@code --spark MASTER}. */
public final class SparkExecutorProvider implements SweepExecutor.Provider {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public SweepExecutor create(String master, String command) {
        return SparkSweepExecutor.start(master, command);
    }
}
