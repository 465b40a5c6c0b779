package org.gequiv.spark;

import org.gequiv.sweep.PointRunner;
import org.gequiv.sweep.SweepExecutor;

/** Offers {@link SparkSweepExecutor} to the command line as {@code --spark MASTER}. */
public final class SparkExecutorProvider implements SweepExecutor.Provider {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public SweepExecutor create(String master, PointRunner runner) {
        return SparkSweepExecutor.start(master, runner);
    }
}
