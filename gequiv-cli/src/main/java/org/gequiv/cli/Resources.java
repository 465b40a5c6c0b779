package org.gequiv.cli;

import java.util.Locale;

import org.gequiv.validation.MemoryEstimate;

/**
 * Refuses, before any allocation, a run whose {@link MemoryEstimate} (the library's, one per
 * experiment spec) exceeds what this JVM may use ({@link Runtime#maxMemory()}), or that needs an
 * array longer than Java allows: bad input naming the option that sets the largest part, the bytes
 * needed and how to raise the limit (the launcher passes {@code GEQUIV_JAVA_OPTS} to the JVM).
 */
final class Resources {

    /** The environment variable of the launcher's JVM options. */
    static final String JAVA_OPTS = "GEQUIV_JAVA_OPTS";
    /**
     * Head-room asked for beyond the estimate when suggesting -Xmx: the estimate counts the
     * dominant arrays only, and the collector needs slack.
     */
    static final double HEADROOM = 1.5;

    private Resources() {
    }

    /** {@link #check(MemoryEstimate, OptionMap, long)} against this JVM's maximum heap. */
    static void check(MemoryEstimate estimate, OptionMap names) {
        check(estimate, names, Runtime.getRuntime().maxMemory());
    }

    /**
     * Refuses {@code estimate} when a part needs an array longer than {@link MemoryEstimate#MAX_ARRAY_LENGTH}
     * or the total exceeds {@code available} bytes.
     *
     * @param names the command's field → option mapping, for the option to name
     */
    static void check(MemoryEstimate estimate, OptionMap names, long available) {
        MemoryEstimate.Part tooLong = estimate.tooLongArray();
        if (tooLong != null) {
            String option = option(tooLong.field(), names);
            throw new BadInputException(option + " is too large: " + tooLong.what() + " would be one array of "
                    + (tooLong.largestArray() == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE
                    : String.valueOf(tooLong.largestArray())) + " elements, more than the "
                    + MemoryEstimate.MAX_ARRAY_LENGTH + " a Java array can hold; make " + option + " smaller");
        }
        long needed = estimate.bytes();
        if (needed > available) {
            MemoryEstimate.Part largest = estimate.largest();
            String option = option(largest.field(), names);
            long suggestion = (long) Math.min(Long.MAX_VALUE, Math.ceil(needed * HEADROOM / (1L << 30)));
            throw new BadInputException(option + " is too large for the memory: the run needs about "
                    + bytes(needed) + " (mostly " + largest.what() + ", " + bytes(largest.bytes())
                    + "), more than the " + bytes(available) + " this JVM may use; make " + option
                    + " smaller or raise the limit, e.g. " + JAVA_OPTS + "=-Xmx" + Math.max(1, suggestion) + "g");
        }
    }

    private static String option(String field, OptionMap names) {
        String option = field == null ? null : names.option(field);
        return option != null ? option : field != null ? field : "the run";
    }

    /** Bytes in binary units ("1.5 GiB"); saturated counts as "more than 8 EiB". */
    static String bytes(long b) {
        if (b == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? b + " bytes" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
