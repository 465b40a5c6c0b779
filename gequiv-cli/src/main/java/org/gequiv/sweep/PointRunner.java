package org.gequiv.sweep;

import java.nio.file.Path;

/**
 * How one command validates and runs a point. The command line implements it
 * ({@code org.gequiv.cli.CommandPoints}) with the command's own option parsing and spec building,
 * so that option names, defaults and validation live in the command alone. Implementations are
 * stateless and thread-safe: each call builds its own command object.
 */
public interface PointRunner {

    /** The command. */
    String command();

    /**
     * Why {@code key} cannot be a key of the spec (not an option of the command, or an option the
     * sweep owns such as the output folder), or null when it can.
     */
    String refuseKey(String key);

    /**
     * Builds the point's specs (and generator) as the command would, without running or writing
     * anything.
     *
     * @throws SweepSpecException naming the point and the option when the command refuses a value
     */
    void validate(SweepPoint point);

    /**
     * Runs the point with its output in {@code folder} (created if needed). Refused values,
     * divergence, non-convergence and unexpected errors are returned as a failed outcome, not
     * thrown.
     */
    PointOutcome run(SweepPoint point, Path folder);
}
