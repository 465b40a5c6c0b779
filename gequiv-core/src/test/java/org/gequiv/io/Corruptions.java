package org.gequiv.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded random corruptions of a valid file, for fuzz tests of its reader: flipped bits, bytes
 * overwritten near the structures that matter (npy magic strings and headers, zip records),
 * truncations, inserted garbage, npy headers rewritten to claim absurd shapes (10¹² elements,
 * negative or overflowing dimensions) at the same header length, and absurd header-length fields.
 * Each case is described so that a failure can be reproduced from its seed and index.
 */
public final class Corruptions {

    /** One corrupted file. */
    public record Case(int index, String description, byte[] bytes) {
        @Override
        public String toString() {
            return "case " + index + " (" + description + ", " + bytes.length + " bytes)";
        }
    }

    /** Shapes no reader may try to allocate, or that are not shapes at all. */
    static final String[] ABSURD_SHAPES = {
        "(1000000, 1000000)", "(1000000000000,)", "(4294967296, 1)", "(2147483647, 2147483647)",
        "(46341, 46341)", "(268435456, 2)", "(1000000000000000000, 8)", "(2305843009213693952, 8)", "(2305843009213693952, 2)", "(99999999999999999999,)",
        "(-1, 4)", "(-5, 2)", "(0, 2147483647)", "(2147483647, 0)", "(3, 0)", "(0,)", "()", "(3L, 4L)",
        "(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)",
        "(65536, 65536, 0)", "(16777216, 128)", "(1e3, 2)", "(0x10, 2)", "(2, 3", "2, 3)", "(,)", "(2,, 3)",
        "(+2, 3)", "(\u0663, 2)",
    };
    private static final String[] DESCRS = {"<f8", ">f4", "<i8", "|b1", "<f16", "<f99999999999", "<c16", "O", ""};
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");

    private final byte[] original;
    /** Offsets of npy magic strings. */
    private final int[] npyStarts;
    /** Offsets of zip records (local, central and end-of-directory headers). */
    private final int[] zipRecords;

    public Corruptions(byte[] original) {
        this.original = original.clone();
        List<Integer> npy = new ArrayList<>();
        List<Integer> zip = new ArrayList<>();
        for (int i = 0; i + 6 <= original.length; i++) {
            if (matches(original, i, NPY_MAGIC)) {
                npy.add(i);
            }
            if (original[i] == 'P' && original[i + 1] == 'K' && i + 4 <= original.length
                    && (original[i + 2] == 1 || original[i + 2] == 3 || original[i + 2] == 5)
                    && original[i + 3] == original[i + 2] + 1) {
                zip.add(i);
            }
        }
        npyStarts = npy.stream().mapToInt(Integer::intValue).toArray();
        zipRecords = zip.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean matches(byte[] b, int at, byte[] pattern) {
        for (int j = 0; j < pattern.length; j++) {
            if (b[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    /** The first {@code count} cases of the stream seeded by {@code seed}. */
    public List<Case> cases(long seed, int count) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Case> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(next(i, rng.split()));
        }
        return out;
    }

    /**
     * Every absurd shape of {@link #ABSURD_SHAPES} in every npy header of the file, one at a time
     * (where it fits in the header's length), so that the headline claims are always covered.
     */
    public List<Case> absurdHeaders() {
        List<Case> out = new ArrayList<>();
        for (int start : npyStarts) {
            for (String shape : ABSURD_SHAPES) {
                byte[] b = original.clone();
                if (rewriteHeader(b, start, shape, null)) {
                    out.add(new Case(out.size(), "npy header at " + start + " claims shape " + shape, b));
                }
            }
        }
        return out;
    }

    private Case next(int index, SplittableRandom rng) {
        int kind = rng.nextInt(8);
        byte[] b = original.clone();
        switch (kind) {
            case 0 -> {
                int flips = 1 + rng.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
                }
                return new Case(index, flips + " bit flips", b);
            }
            case 1 -> {
                int at = nearStructure(rng, 160);
                byte[] specials = {0, (byte) 0xFF, (byte) 0x7F, '9', '(', ')', ',', '-', '\'', '}', '{', 'L', ' '};
                b[at] = rng.nextBoolean() ? (byte) rng.nextInt(256) : specials[rng.nextInt(specials.length)];
                return new Case(index, "byte at " + at + " set to " + (b[at] & 0xFF), b);
            }
            case 2 -> {
                int length = rng.nextBoolean() ? rng.nextInt(b.length) : Math.max(0, nearStructure(rng, 200));
                return new Case(index, "truncated to " + length, Arrays.copyOf(b, length));
            }
            case 3 -> {
                int at = rng.nextInt(b.length + 1);
                byte[] junk = new byte[1 + rng.nextInt(64)];
                rng.nextBytes(junk);
                byte[] c = new byte[b.length + junk.length];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(junk, 0, c, at, junk.length);
                System.arraycopy(b, at, c, at + junk.length, b.length - at);
                return new Case(index, junk.length + " random bytes inserted at " + at, c);
            }
            case 4, 5 -> {
                if (npyStarts.length > 0) {
                    int start = npyStarts[rng.nextInt(npyStarts.length)];
                    String shape = ABSURD_SHAPES[rng.nextInt(ABSURD_SHAPES.length)];
                    String descr = kind == 5 && rng.nextInt(3) == 0 ? DESCRS[rng.nextInt(DESCRS.length)] : null;
                    if (rewriteHeader(b, start, shape, descr)) {
                        return new Case(index, "npy header at " + start + " claims shape " + shape
                                + (descr == null ? "" : " and descr '" + descr + "'"), b);
                    }
                }
                b[rng.nextInt(b.length)] ^= (byte) 0x55;
                return new Case(index, "one byte xor 0x55", b);
            }
            case 6 -> {
                if (npyStarts.length > 0) {
                    int start = npyStarts[rng.nextInt(npyStarts.length)];
                    if (start + 12 <= b.length) {
                        int variant = rng.nextInt(4);
                        switch (variant) {
                            case 0 -> { // version 1.0 header length 0xFFFF
                                b[start + 8] = (byte) 0xFF;
                                b[start + 9] = (byte) 0xFF;
                            }
                            case 1 -> { // version 2.0 with a 4 GiB header length
                                b[start + 6] = 2;
                                Arrays.fill(b, start + 8, start + 12, (byte) 0xFF);
                            }
                            case 2 -> { // version 3.0 with a 2 GiB header length
                                b[start + 6] = 3;
                                b[start + 8] = (byte) 0xFF;
                                b[start + 9] = (byte) 0xFF;
                                b[start + 10] = (byte) 0xFF;
                                b[start + 11] = (byte) 0x7F;
                            }
                            default -> b[start + 6] = (byte) rng.nextInt(256);
                        }
                        return new Case(index, "npy header length/version variant " + variant + " at " + start, b);
                    }
                }
                b[rng.nextInt(b.length)] = 0;
                return new Case(index, "one byte zeroed", b);
            }
            default -> {
                if (zipRecords.length > 0) {
                    int rec = zipRecords[rng.nextInt(zipRecords.length)];
                    int at = rec + 4 + rng.nextInt(42);
                    int[] values = {0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0, rng.nextInt()};
                    int v = values[rng.nextInt(values.length)];
                    for (int j = 0; j < 4 && at + j < b.length; j++) {
                        b[at + j] = (byte) (v >>> (8 * j));
                    }
                    return new Case(index, "zip record field at " + at + " set to 0x" + Integer.toHexString(v), b);
                }
                int at = rng.nextInt(b.length);
                b[at] = (byte) rng.nextInt(256);
                return new Case(index, "byte at " + at + " randomised", b);
            }
        }
    }

    /** An offset within {@code span} bytes after an npy or zip structure, or anywhere if there is none. */
    private int nearStructure(SplittableRandom rng, int span) {
        if (npyStarts.length + zipRecords.length == 0) {
            return rng.nextInt(original.length);
        }
        int[] pool = npyStarts.length == 0 ? zipRecords
                : zipRecords.length == 0 ? npyStarts
                : rng.nextBoolean() ? npyStarts : zipRecords;
        return Math.min(original.length - 1, pool[rng.nextInt(pool.length)] + rng.nextInt(span));
    }

    /**
     * Rewrites the npy header dictionary at {@code start} to claim {@code shape} (and
     * {@code descr} if given), padded with spaces to the same length so that everything after it
     * stays in place; false when it does not fit.
     */
    private static boolean rewriteHeader(byte[] b, int start, String shape, String descr) {
        if (start + 10 > b.length || b[start + 6] != 1) {
            return false;
        }
        int length = (b[start + 8] & 0xFF) | (b[start + 9] & 0xFF) << 8;
        int from = start + 10;
        if (from + length > b.length || length < 2) {
            return false;
        }
        String old = new String(b, from, length, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(old);
        Matcher f = FORTRAN.matcher(old);
        String useDescr = descr != null ? descr : d.find() ? d.group(1) : "<f8";
        String fortran = f.find() ? f.group(1) : "False";
        String dict = "{'descr': '" + useDescr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
        if (dict.length() + 1 > length) {
            return false;
        }
        String padded = dict + " ".repeat(length - 1 - dict.length()) + "\n";
        byte[] nb = padded.getBytes(StandardCharsets.ISO_8859_1);
        if (nb.length != length) {
            return false;
        }
        System.arraycopy(nb, 0, b, from, length);
        return true;
    }
}
