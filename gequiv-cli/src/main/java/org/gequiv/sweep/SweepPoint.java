package org.gequiv.sweep;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One point of a sweep: the command and every option it runs with (the spec's fixed options and
 * the point's grid values), as the text a user would type after the option name.
 *
 * <p>Its id is {@code <index>-<hash>}: the 1-based position in the spec's expansion, zero-padded so
 * that folders sort in that order, and the first {@value #HASH_HEX} hex digits of the SHA-256 of
 * the canonical parameter text — {@code command=<name>} and then {@code key=value} lines in key
 * order, numbers in their canonical text ({@link SweepSpec#canonical}), so {@code alpha = 1} and
 * {@code alpha = 1.0} are the same point. The hash makes a folder of another spec recognisable; the
 * index keeps ids readable. Immutable.
 *
 * @param index      1-based position in the spec's expansion
 * @param id         the point's folder name under {@code points/}
 * @param command    the command (online, erm, check, moments)
 * @param parameters every option of the point, by key (option name without dashes), sorted
 */
public record SweepPoint(int index, String id, String command, Map<String, String> parameters)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Hex digits of the parameter hash in the id. */
    public static final int HASH_HEX = 10;

    public SweepPoint {
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
    }

    /** The point at {@code index} of {@code count} with these parameters. */
    static SweepPoint of(int index, int count, String command, Map<String, String> parameters) {
        int width = Math.max(4, Integer.toString(count).length());
        String id = String.format("%0" + width + "d", index) + "-" + hash(command, parameters);
        return new SweepPoint(index, id, command, parameters);
    }

    /** The canonical parameter text the id's hash is taken of. */
    static String canonicalText(String command, Map<String, String> parameters) {
        StringBuilder sb = new StringBuilder("command=").append(command).append('\n');
        for (Map.Entry<String, String> e : new TreeMap<>(parameters).entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    static String hash(String command, Map<String, String> parameters) {
        return sha256(canonicalText(command, parameters)).substring(0, HASH_HEX);
    }

    static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** A short description for messages: the id and the given keys' values. */
    public String describe(Iterable<String> keys) {
        StringBuilder sb = new StringBuilder("point ").append(id);
        String sep = " (";
        for (String k : keys) {
            if (parameters.containsKey(k)) {
                sb.append(sep).append(k).append('=').append(parameters.get(k));
                sep = ", ";
            }
        }
        if (!sep.equals(" (")) {
            sb.append(')');
        }
        return sb.toString();
    }
}
