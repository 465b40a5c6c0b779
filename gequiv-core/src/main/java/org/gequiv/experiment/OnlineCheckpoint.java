package org.gequiv.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.gequiv.io.AtomicFiles;
import org.gequiv.io.Json;
import org.gequiv.online.LearningCurve;
import org.gequiv.online.SgdState;
import org.gequiv.validation.InvalidInputException;

/**
 * The saved state of an online experiment (docs/theory.md §1.4, §5), from which
 * {@link OnlineExperiment} continues bit-identically: the identity of the run (every parameter
 * that changes a number: the spec with its recorded times, the generator's description, the
 * engines and the integrator, the linear-algebra backend), the ODE curve when the theory has
 * finished, and the SGD state ({@link SgdState}: samples consumed, student weights, points so far).
 * The theory is not saved in the middle of its integration: a run interrupted there integrates it
 * again (it is deterministic, so the result is the same).
 *
 * <p>Format: one JSON object ({@code "format": "gequiv-online-checkpoint", "version": 1,
 * "identity", "theory", "simulation", "checkpointEvery"}); doubles are written in Java's shortest
 * round-trip form, so weights read back are bit-identical. Written with {@link AtomicFiles}: a
 * kill at any moment leaves the previous checkpoint or the new one, never a mix. Immutable value.
 *
 * @param identity        what the run is, as it will be compared on resuming
 * @param theory          the finished ODE curve, or null
 * @param simulation      the SGD state, or null (not started)
 * @param checkpointEvery simulation time between checkpoints of the run that wrote it
 */
public record OnlineCheckpoint(JsonNode identity, LearningCurve theory, SgdState simulation,
                               double checkpointEvery) {

    static final String FORMAT = "gequiv-online-checkpoint";
    static final int VERSION = 1;

    /** Writes the checkpoint to {@code file} atomically. */
    public void write(Path file) throws IOException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("format", FORMAT);
        d.put("version", VERSION);
        d.put("checkpointEvery", checkpointEvery);
        d.put("identity", identity);
        d.put("theory", theory == null ? null : curve(theory));
        if (simulation != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("samples", simulation.samples());
            s.put("w", simulation.firstLayer());
            s.put("v", simulation.secondLayer());
            s.put("points", points(simulation.points()));
            d.put("simulation", s);
        } else {
            d.put("simulation", null);
        }
        AtomicFiles.writeString(file, Json.toCompactJson(d) + "\n");
    }

    /**
     * Reads a checkpoint.
     *
     * @throws InvalidInputException (field {@code resume}) when the file is missing or is not a
     *                               checkpoint of this format, naming the file
     */
    public static OnlineCheckpoint read(Path file) throws IOException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("resume", file.toString(), "checkpoint " + file + " not found", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | java.nio.charset.CharacterCodingException e) {
            throw bad(file, "is not valid JSON (" + e.getClass().getSimpleName() + ")", e);
        }
        try {
            if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
                throw bad(file, "is not a gequiv online checkpoint", null);
            }
            if (root.path("version").asInt(-1) != VERSION) {
                throw bad(file, "has version " + root.path("version") + ", this gequiv reads " + VERSION, null);
            }
            JsonNode theory = root.path("theory");
            JsonNode sim = root.path("simulation");
            SgdState state = null;
            if (!sim.isNull() && !sim.isMissingNode()) {
                state = new SgdState(sim.get("samples").asLong(), doubles(sim.get("w")), doubles(sim.get("v")),
                        readPoints(sim.get("points")));
            }
            return new OnlineCheckpoint(root.get("identity"),
                    theory.isNull() || theory.isMissingNode() ? null : readCurve(theory), state,
                    root.path("checkpointEvery").asDouble());
        } catch (RuntimeException e) {
            if (e instanceof InvalidInputException i && "resume".equals(i.field())) {
                throw i;
            }
            throw bad(file, "is damaged (" + e + ")", e);
        }
    }

    /**
     * The differences between the identity of this checkpoint and {@code current}, one
     * {@code "path: checkpoint X, this run Y"} per differing value; empty when they agree.
     */
    public List<String> differences(JsonNode current) {
        List<String> out = new ArrayList<>();
        compare("", identity, current, out);
        return out;
    }

    private static void compare(String path, JsonNode saved, JsonNode now, List<String> out) {
        if (saved != null && now != null && saved.isObject() && now.isObject()) {
            List<String> names = new ArrayList<>();
            saved.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = now.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
            for (String name : names) {
                compare(path.isEmpty() ? name : path + "." + name, saved.get(name), now.get(name), out);
            }
        } else if (saved == null || now == null || !saved.equals(now)) {
            out.add(path + ": checkpoint " + shorten(saved) + ", this run " + shorten(now));
        }
    }

    private static String shorten(JsonNode node) {
        if (node == null) {
            return "(none)";
        }
        String s = node.toString();
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    /** The identity as the checkpoint stores it: the JSON of {@code description}, read back. */
    static JsonNode identityOf(Map<String, Object> description) {
        try {
            return Json.mapper().readTree(Json.toCompactJson(description));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InvalidInputException bad(Path file, String what, Throwable cause) {
        return new InvalidInputException("resume", file.toString(), "checkpoint " + file + " " + what, cause);
    }

    private static Map<String, Object> curve(LearningCurve c) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("K", c.studentHidden());
        d.put("M", c.teacherHidden());
        d.put("points", points(c.points()));
        LearningCurve.Termination t = c.termination();
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("completed", t.completed());
        end.put("stoppedAt", t.stoppedAt());
        end.put("reason", t.reason());
        end.put("interrupted", t.interrupted());
        d.put("termination", end);
        return d;
    }

    private static List<Object> points(List<LearningCurve.Point> points) {
        List<Object> out = new ArrayList<>();
        for (LearningCurve.Point p : points) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("t", p.time());
            d.put("eg", p.generalisationError());
            d.put("q", p.q());
            d.put("r", p.r());
            d.put("v", p.v());
            out.add(d);
        }
        return out;
    }

    private static LearningCurve readCurve(JsonNode c) {
        JsonNode end = c.get("termination");
        JsonNode reason = end.get("reason");
        LearningCurve.Termination t = new LearningCurve.Termination(end.get("completed").asBoolean(),
                end.get("stoppedAt").asDouble(), reason == null || reason.isNull() ? null : reason.asText(),
                end.get("interrupted").asBoolean());
        return new LearningCurve(c.get("K").asInt(), c.get("M").asInt(), readPoints(c.get("points")), t);
    }

    private static List<LearningCurve.Point> readPoints(JsonNode array) {
        List<LearningCurve.Point> out = new ArrayList<>();
        for (JsonNode p : array) {
            out.add(new LearningCurve.Point(number(p.get("t")), number(p.get("eg")), doubles(p.get("q")),
                    doubles(p.get("r")), doubles(p.get("v"))));
        }
        return out;
    }

    private static double[] doubles(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("an array of numbers expected, got " + array);
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(array.get(i));
        }
        return out;
    }

    private static double number(JsonNode node) {
        if (node == null || !node.isNumber()) {
            throw new IllegalArgumentException("a number expected, got " + node);
        }
        return node.doubleValue();
    }
}
