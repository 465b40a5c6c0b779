package org.gequiv.validation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a run will hold in memory at once, estimated from its spec before anything is allocated: a
 * list of parts (the test set, Ω and its eigenvectors, the generator's weights, the figures …),
 * each with the spec field that sets its size, its largest single array and its bytes. The
 * experiment specs build theirs ({@code memory(N, D)} next to each spec); a front end compares
 * {@link #bytes()} with the memory it may use and refuses the run naming the {@link #largest()}
 * part's field, before minutes of work end in an {@link OutOfMemoryError}.
 *
 * <p>Arithmetic saturates: a count whose product overflows a {@code long} counts as
 * {@link Long#MAX_VALUE}, more than any machine has, so a size that overflows is refused as too
 * large instead of wrapping to a small or negative number. The estimate counts the arrays whose
 * size grows with the options (double-precision, 8 bytes each) and a fixed allowance per figure;
 * it is a lower bound of the heap a run needs, accurate to the dominant terms. Immutable.
 *
 * @param parts the parts, in the order they were added
 */
public record MemoryEstimate(List<Part> parts) {

    /** Bytes of one double. */
    public static final long DOUBLE_BYTES = Double.BYTES;
    /**
     * The most elements of one Java array: a few below {@link Integer#MAX_VALUE}, where HotSpot
     * refuses to allocate even with heap to spare.
     */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    /** Allowance for one figure: a 2-panel PNG raster (ARGB, ~1600 × 600) and its encodings. */
    public static final long FIGURE_BYTES = 16L << 20;

    /**
     * One part of a run's memory.
     *
     * @param field        the spec field that sets its size (for the front end's option name)
     * @param what         what it is, with its shape ("test set: testSamples × N doubles")
     * @param largestArray elements of its largest single array
     * @param bytes        its bytes, saturated at {@link Long#MAX_VALUE}
     */
    public record Part(String field, String what, long largestArray, long bytes) {
    }

    public MemoryEstimate {
        parts = List.copyOf(parts);
    }

    /** Total bytes, saturated at {@link Long#MAX_VALUE}. */
    public long bytes() {
        long sum = 0;
        for (Part p : parts) {
            sum = saturatedAdd(sum, p.bytes());
        }
        return sum;
    }

    /** The part with the most bytes, or null when there is none. */
    public Part largest() {
        return parts.stream().max(Comparator.comparingLong(Part::bytes)).orElse(null);
    }

    /**
     * The first part with an array longer than a Java array can be, or null. Such a run cannot be
     * done whatever the heap: its {@link Part#field()} must be made smaller.
     */
    public Part tooLongArray() {
        for (Part p : parts) {
            if (p.largestArray() > MAX_ARRAY_LENGTH) {
                return p;
            }
        }
        return null;
    }

    /** This estimate and {@code other}'s parts. */
    public MemoryEstimate plus(MemoryEstimate other) {
        List<Part> all = new ArrayList<>(parts);
        all.addAll(other.parts);
        return new MemoryEstimate(all);
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code a · b · …}, saturated at {@link Long#MAX_VALUE} (non-negative factors). */
    public static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) {
                throw new IllegalArgumentException("factors must be >= 0, got " + f);
            }
            if (f == 0) {
                return 0;
            }
            if (p > Long.MAX_VALUE / f) {
                p = Long.MAX_VALUE;
            } else {
                p *= f;
            }
        }
        return p;
    }

    /** {@code a + b}, saturated at {@link Long#MAX_VALUE} (non-negative terms). */
    public static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** Collects the parts of an estimate. Not thread-safe. */
    public static final class Builder {
        private final List<Part> parts = new ArrayList<>();

        private Builder() {
        }

        /**
         * {@code count} arrays of doubles, each the product of {@code shape}.
         *
         * @param field the spec field that sets the size
         * @param what  description with the shape
         * @param count how many such arrays exist at once
         * @param shape dimensions of one array
         */
        public Builder doubles(String field, String what, long count, long... shape) {
            long elements = product(shape);
            parts.add(new Part(field, what, elements, product(DOUBLE_BYTES, count, elements)));
            return this;
        }

        /** {@code count} arrays of floats, each the product of {@code shape}; as {@link #doubles}. */
        public Builder floats(String field, String what, long count, long... shape) {
            long elements = product(shape);
            parts.add(new Part(field, what, elements, product(Float.BYTES, count, elements)));
            return this;
        }

        /** {@code count} figures ({@link #FIGURE_BYTES} each). */
        public Builder figures(long count) {
            parts.add(new Part(null, count + " figure(s)", 0, product(FIGURE_BYTES, count)));
            return this;
        }

        /** Adds the parts of {@code other}. */
        public Builder add(MemoryEstimate other) {
            parts.addAll(other.parts());
            return this;
        }

        public MemoryEstimate build() {
            return new MemoryEstimate(parts);
        }
    }
}
