package org.gequiv.report;

import java.util.Locale;

/**
 * How large the report's studies are: {@link #QUICK} (minutes on 2 cores), {@link #FULL} (the
 * paper's sizes, hours), and {@link #TINY} (seconds; the tests' configuration, whose numbers
 * only show that the pipeline works). Each section states its sizes per scale.
 */
public enum ReportScale {
    /** Seconds: for tests of the report itself. */
    TINY,
    /** Within about a quarter of an hour on 2 cores. */
    QUICK,
    /** The paper's sizes. */
    FULL;

    /**
     * Seeds (independent instances) behind every curve at {@link #FULL}, at least: the issue's
     * "at least 10 seeds per curve". Each section's full sizes use it.
     */
    public static final int FULL_SEEDS = 10;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code tiny}, {@code quick} or {@code full} as chosen by this scale. */
    public <T> T pick(T tiny, T quick, T full) {
        return switch (this) {
            case TINY -> tiny;
            case QUICK -> quick;
            case FULL -> full;
        };
    }
}
