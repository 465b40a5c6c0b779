package org.gequiv.sweep;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

/**
 * A sweep spec, read from TOML and expanded into its points:
 *
 * <pre>
 * command = "erm"            # online | erm | check | moments
 * point-figures = true       # optional: false leaves out each point's figures (not summary.png)
 * [options]                  # fixed options, named as on the command line without dashes
 * loss = "logistic"
 * N = 400
 * [grid]                     # the Cartesian product of these lists; the first key varies slowest
 * alpha = [0.5, 1.0, 2.0]
 * seed = [0, 1, 2, 3]        # or seeds = 4, short for seed = [0, 1, 2, 3]
 * [[points]]                 # optional explicit combinations, after the grid's
 * alpha = 4.0
 * seed = 0
 * </pre>
 *
 * <p>Values become the text typed after the option: strings as they are, booleans as
 * {@code true}/{@code false} (a {@code true} flag is given, a {@code false} one left out), a list
 * in {@code [options]} (or a list value inside a grid list) joined with commas, and numbers in
 * their canonical text ({@link #canonical(double)}), which is also what the point ids hash. A key
 * may be given in one place only: a fixed option, a grid key, or an explicit point's key (explicit
 * points add to the fixed options, they do not override them), so that a study's parameters are
 * never ambiguous.
 *
 * <p>Whether a key is an option of the command is the command's business
 * ({@link PointRunner#refuseKey}); {@link #checkKeys} asks it for every key and names the key's
 * line. Immutable after {@link #parse}.
 */
public final class SweepSpec {

    private static final Set<String> TOP_LEVEL = Set.of("command", "point-figures", "options", "grid", "points");
    private static final Pattern KEY_LINE = Pattern.compile("^\\s*([\"']?)([A-Za-z0-9_.-]+)\\1\\s*=");
    private static final Pattern TABLE_LINE = Pattern.compile("^\\s*(\\[\\[?)\\s*([A-Za-z0-9_.-]+)\\s*\\]\\]?");

    private final String source;
    private final String command;
    private final Map<String, String> options;
    private final List<String> varyingKeys;
    private final List<SweepPoint> points;
    private final Map<String, Integer> lines;
    private final Map<String, Object> description;
    private final boolean pointFigures;

    private SweepSpec(boolean pointFigures, String source, String command, Map<String, String> options, List<String> varyingKeys,
                      List<SweepPoint> points, Map<String, Integer> lines, Map<String, Object> description) {
        this.pointFigures = pointFigures;
        this.source = source;
        this.command = command;
        this.options = Collections.unmodifiableMap(options);
        this.varyingKeys = List.copyOf(varyingKeys);
        this.points = List.copyOf(points);
        this.lines = lines;
        this.description = description;
    }

    /**
     * Reads and expands a spec.
     *
     * @param toml   the TOML text
     * @param source the file it came from, for messages
     * @throws SweepSpecException for malformed TOML (line and column), a missing command, unknown
     *                            top-level keys, lists where a value belongs and the reverse, keys
     *                            given twice, an empty grid, or two points with the same parameters
     */
    public static SweepSpec parse(String toml, String source) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr();
            throw new SweepSpecException(source + ": malformed TOML" + where + ": " + e.getOriginalMessage(), e);
        }
        Map<String, Integer> lines = keyLines(toml);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP_LEVEL.contains(key)) {
                throw new SweepSpecException(source + ": unknown top-level key '" + key + "'" + line(lines, key)
                        + "; a spec has command, [options], [grid] and [[points]]");
            }
        }
        JsonNode commandNode = root.get("command");
        if (commandNode == null || !commandNode.isTextual() || commandNode.asText().isBlank()) {
            throw new SweepSpecException(source + ": command must be a string naming the command (online, erm, "
                    + "check or moments), got " + (commandNode == null ? "none" : commandNode.toString()));
        }
        String command = commandNode.asText().trim();
        JsonNode figuresNode = root.get("point-figures");
        if (figuresNode != null && !figuresNode.isBoolean()) {
            throw new SweepSpecException(source + ": point-figures" + line(lines, "point-figures")
                    + " must be true or false, got " + figuresNode);
        }
        boolean pointFigures = figuresNode == null || figuresNode.asBoolean();

        Map<String, String> options = new LinkedHashMap<>();
        JsonNode optionsNode = table(root, "options", source, lines);
        for (Iterator<Map.Entry<String, JsonNode>> it = optionsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            options.put(e.getKey(), valueText(e.getValue(), "options." + e.getKey(), source, lines, true));
        }

        List<String> gridKeys = new ArrayList<>();
        List<List<String>> gridValues = new ArrayList<>();
        JsonNode gridNode = table(root, "grid", source, lines);
        for (Iterator<Map.Entry<String, JsonNode>> it = gridNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String path = "grid." + key;
            JsonNode v = e.getValue();
            List<String> values = new ArrayList<>();
            if (key.equals("seeds")) {
                if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 1_000_000) {
                    throw new SweepSpecException(source + ": " + path + line(lines, path)
                            + " must be a whole number of seeds in [1, 1000000], got " + v);
                }
                if (gridNode.has("seed") || options.containsKey("seed")) {
                    throw new SweepSpecException(source + ": " + path + line(lines, path) + " must not go with "
                            + (gridNode.has("seed") ? "grid.seed" : "options.seed")
                            + ": seeds = S is short for seed = [0, 1, …, S − 1]");
                }
                for (long s = 0; s < v.asLong(); s++) {
                    values.add(Long.toString(s));
                }
                key = "seed";
            } else {
                if (!v.isArray()) {
                    throw new SweepSpecException(source + ": " + path + line(lines, path)
                            + " must be a list of values, got " + v + "; a fixed value goes under [options]");
                }
                if (v.isEmpty()) {
                    throw new SweepSpecException(source + ": " + path + line(lines, path)
                            + " must be a non-empty list, got []");
                }
                for (JsonNode item : v) {
                    values.add(valueText(item, path, source, lines, true));
                }
                if (new LinkedHashSet<>(values).size() != values.size()) {
                    throw new SweepSpecException(source + ": " + path + line(lines, path)
                            + " must not repeat a value, got " + values);
                }
            }
            if (options.containsKey(key)) {
                throw new SweepSpecException(source + ": grid key '" + key + "'" + line(lines, path)
                        + " is also a fixed option" + line(lines, "options." + key) + "; give it in one place");
            }
            gridKeys.add(key);
            gridValues.add(values);
        }

        List<Map<String, String>> explicit = new ArrayList<>();
        JsonNode pointsNode = root.get("points");
        if (pointsNode != null) {
            if (!pointsNode.isArray()) {
                throw new SweepSpecException(source + ": points" + line(lines, "points")
                        + " must be an array of tables ([[points]]), got " + pointsNode);
            }
            int p = 0;
            for (JsonNode pointNode : pointsNode) {
                p++;
                if (!pointNode.isObject() || pointNode.isEmpty()) {
                    throw new SweepSpecException(source + ": points #" + p
                            + " must be a non-empty table of options, got " + pointNode);
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = pointNode.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String path = "points." + p + "." + e.getKey();
                    if (options.containsKey(e.getKey())) {
                        throw new SweepSpecException(source + ": [[points]] #" + p + " key '" + e.getKey() + "'"
                                + line(lines, path) + " is also a fixed option" + line(lines, "options." + e.getKey())
                                + "; give it in one place");
                    }
                    values.put(e.getKey(), valueText(e.getValue(), path, source, lines, true));
                }
                explicit.add(values);
            }
        }
        if (gridKeys.isEmpty() && explicit.isEmpty()) {
            throw new SweepSpecException(source + ": the sweep must have at least one point, got an empty grid and "
                    + "no [[points]]");
        }

        List<Map<String, String>> combos = new ArrayList<>();
        if (!gridKeys.isEmpty()) {
            long count = 1;
            for (List<String> v : gridValues) {
                count *= v.size();
                if (count > 10_000_000) {
                    throw new SweepSpecException(source + ": the grid must have at most 10000000 points, got more");
                }
            }
            int[] at = new int[gridKeys.size()];
            for (long c = 0; c < count; c++) {
                Map<String, String> combo = new LinkedHashMap<>();
                for (int k = 0; k < gridKeys.size(); k++) {
                    combo.put(gridKeys.get(k), gridValues.get(k).get(at[k]));
                }
                combos.add(combo);
                for (int k = gridKeys.size() - 1; k >= 0; k--) {
                    if (++at[k] < gridValues.get(k).size()) {
                        break;
                    }
                    at[k] = 0;
                }
            }
        }
        combos.addAll(explicit);

        LinkedHashSet<String> varying = new LinkedHashSet<>(gridKeys);
        for (Map<String, String> e : explicit) {
            varying.addAll(e.keySet());
        }
        List<SweepPoint> points = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < combos.size(); i++) {
            Map<String, String> params = new LinkedHashMap<>(options);
            params.putAll(combos.get(i));
            SweepPoint point = SweepPoint.of(i + 1, combos.size(), command, params);
            String text = SweepPoint.canonicalText(command, point.parameters());
            Integer before = seen.putIfAbsent(text, i + 1);
            if (before != null) {
                throw new SweepSpecException(source + ": point " + (i + 1) + " must differ from every other point, "
                        + "got the same parameters as point " + before);
            }
            points.add(point);
        }

        Map<String, Object> description = new LinkedHashMap<>();
        description.put("command", command);
        description.put("pointFigures", pointFigures);
        description.put("options", new LinkedHashMap<>(options));
        Map<String, Object> grid = new LinkedHashMap<>();
        for (int k = 0; k < gridKeys.size(); k++) {
            grid.put(gridKeys.get(k), gridValues.get(k));
        }
        description.put("grid", grid);
        description.put("points", explicit);
        return new SweepSpec(pointFigures, source, command, options, new ArrayList<>(varying), points, lines, description);
    }

    /**
     * Asks {@code runner} about every key of the spec and refuses the first one it does not know,
     * naming the key and its line.
     */
    public void checkKeys(PointRunner runner) {
        Set<String> keys = new LinkedHashSet<>(options.keySet());
        keys.addAll(varyingKeys);
        for (String key : keys) {
            String reason = runner.refuseKey(key);
            if (reason != null) {
                String path = options.containsKey(key) ? "options." + key : findPath(key);
                String where = path.startsWith("options.") ? "option" : "grid key";
                throw new SweepSpecException(source + ": " + where + " '" + key + "'" + line(lines, path) + ": "
                        + reason);
            }
        }
    }

    private String findPath(String key) {
        if (lines.containsKey("grid." + key)) {
            return "grid." + key;
        }
        if (key.equals("seed") && lines.containsKey("grid.seeds")) {
            return "grid.seeds";
        }
        for (Map.Entry<String, Integer> e : lines.entrySet()) {
            if (e.getKey().startsWith("points.") && e.getKey().endsWith("." + key)) {
                return e.getKey();
            }
        }
        return "grid." + key;
    }

    /**
     * The canonical text of a number: a whole number below 10¹⁵ in magnitude without a fraction
     * ({@code 1.0 → "1"}), anything else as {@link Double#toString} ({@code 0.01}, {@code 1.0E-4},
     * {@code NaN}), which every option parser of the command line reads back to the same double.
     */
    public static String canonical(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return Double.toString(x);
    }

    private static String valueText(JsonNode v, String path, String source, Map<String, Integer> lines,
                                    boolean allowList) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return Boolean.toString(v.asBoolean());
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        if (v.isNumber()) {
            double d = v.isBigDecimal() ? new BigDecimal(v.decimalValue().toString()).doubleValue() : v.doubleValue();
            return canonical(d);
        }
        if (v.isArray() && allowList) {
            List<String> parts = new ArrayList<>();
            for (JsonNode item : v) {
                parts.add(valueText(item, path, source, lines, false));
            }
            return String.join(",", parts);
        }
        throw new SweepSpecException(source + ": " + path + line(lines, path)
                + " must be a string, number, boolean or list of them, got " + v);
    }

    private static JsonNode table(JsonNode root, String name, String source, Map<String, Integer> lines) {
        JsonNode n = root.get(name);
        if (n == null) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw new SweepSpecException(source + ": " + name + line(lines, name) + " must be a table ([" + name
                    + "]), got " + n);
        }
        return n;
    }

    private static String line(Map<String, Integer> lines, String path) {
        Integer l = lines.get(path);
        return l == null ? "" : " (line " + l + ")";
    }

    /**
     * The line of every key, as {@code options.lr}, {@code grid.alpha}, {@code points.2.seed} or a
     * top-level key: Jackson's TOML reader builds a tree without locations, so the keys' lines
     * are found in the text (bare and quoted keys at the start of a line; a key that cannot be
     * found is reported without a line).
     */
    private static Map<String, Integer> keyLines(String toml) {
        Map<String, Integer> lines = new HashMap<>();
        String table = "";
        int pointCount = 0;
        String[] text = toml.split("\r?\n", -1);
        for (int i = 0; i < text.length; i++) {
            String l = text[i];
            Matcher t = TABLE_LINE.matcher(l);
            if (t.find()) {
                String name = t.group(2).toLowerCase(Locale.ROOT);
                if (t.group(1).equals("[[") && name.equals("points")) {
                    pointCount++;
                    table = "points." + pointCount + ".";
                } else {
                    table = name + ".";
                }
                lines.putIfAbsent(name, i + 1);
                continue;
            }
            Matcher k = KEY_LINE.matcher(l);
            if (k.find()) {
                lines.putIfAbsent(table + k.group(2), i + 1);
            }
        }
        return lines;
    }

    /** Whether each point draws the command's figures ({@code point-figures}, default true). */
    public boolean pointFigures() {
        return pointFigures;
    }

    /** The file the spec came from. */
    public String source() {
        return source;
    }

    /** The command every point runs. */
    public String command() {
        return command;
    }

    /** The fixed options, by key. */
    public Map<String, String> options() {
        return options;
    }

    /** The keys that vary between points: the grid's, then the explicit points'. */
    public List<String> varyingKeys() {
        return varyingKeys;
    }

    /** The points in the spec's order: the grid's product, then the explicit points. */
    public List<SweepPoint> points() {
        return points;
    }

    /** The spec as read (command, options, grid, explicit points), for {@code sweep.json}. */
    public Map<String, Object> description() {
        return description;
    }

    /**
     * The spec's identity: the SHA-256 of its points' canonical texts in order. Two files that
     * expand to the same points (comments, layout, {@code 1} for {@code 1.0}) are the same spec.
     */
    public String identity() {
        StringBuilder sb = new StringBuilder();
        for (SweepPoint p : points) {
            sb.append(SweepPoint.canonicalText(command, p.parameters())).append("--\n");
        }
        return SweepPoint.sha256(sb.toString());
    }
}
