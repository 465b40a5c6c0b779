package org.gequiv.moments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Moments;
import org.gequiv.io.Json;
import org.gequiv.io.NpyArray;
import org.gequiv.io.NpyFormatException;
import org.gequiv.io.NpzArchive;
import org.gequiv.linalg.Covariances;
import org.gequiv.validation.InvalidInputException;

/**
 * Moments on disk as a NumPy {@code .npz} archive (docs/theory.md §7.3), float64:
 *
 * <ul>
 *   <li>{@code mean_x} (N), {@code mean_c} (D), {@code omega} (N, N), {@code phi} (N, D);</li>
 *   <li>{@code samples}, a 0-d int64 array with P (0 for analytic moments);</li>
 *   <li>{@code provenance}, the UTF-8 bytes of a JSON object as a uint8 vector; decode with
 *       {@code np.load(f)["provenance"].tobytes().decode()}.</li>
 * </ul>
 *
 * Files written before this layout, with {@code samples} as a float64 scalar and
 * {@code provenance} as a float64 vector of character codes, are read the same way.
 *
 * Reading checks shapes, that every entry is finite, that Ω is a covariance ({@link Covariances#validate}:
 * symmetric, positive semi-definite) and, when asked, the dimensions against a generator's; a refused
 * file raises an {@link InvalidInputException} for the field {@value #FIELD} whose source and message
 * name the file and the key ({@code m.npz:omega}). Files are written to a temporary sibling and moved
 * into place. Stateless.
 */
public final class MomentsFile {

    /** The spec field of a moments file, carried by the {@link InvalidInputException}s of reading. */
    public static final String FIELD = "moments";

    private MomentsFile() {
    }

    /** Writes an estimate with its provenance (merged over the estimate's own). */
    public static void write(Path file, MomentEstimate estimate, Map<String, Object> provenance) throws IOException {
        Map<String, Object> prov = new LinkedHashMap<>(estimate.provenance());
        prov.putAll(provenance);
        write(file, estimate.moments(), estimate.latentMean(), prov);
    }

    /**
     * Writes moments.
     *
     * @param latentMean the latent mean (zeros for analytic moments), length D
     */
    public static void write(Path file, Moments m, double[] latentMean, Map<String, Object> provenance)
            throws IOException {
        int n = m.inputDimension();
        int d = m.latentDimension();
        if (latentMean.length != d) {
            throw new IllegalArgumentException("latentMean must have length D = " + d + ", got " + latentMean.length);
        }
        Map<String, Object> arrays = new LinkedHashMap<>();
        arrays.put("mean_x", new NpyArray(new int[] {n}, m.mean()));
        arrays.put("mean_c", new NpyArray(new int[] {d}, latentMean));
        arrays.put("omega", new NpyArray(new int[] {n, n}, m.omega()));
        arrays.put("phi", new NpyArray(new int[] {n, d}, m.phi()));
        arrays.put("samples", m.samples());
        arrays.put("provenance", Json.toCompactJson(provenance));
        // atomic, with a per-process temporary removed on failure (io.AtomicFiles through NpzArchive)
        NpzArchive.writeMembers(file, arrays, false);
    }

    /** Reads a moments file of any dimensions. */
    public static Moments read(Path file) throws IOException {
        NpzArchive npz = NpzArchive.read(file);
        if (!npz.has("mean_x") || !npz.has("phi") || !npz.has("omega")) {
            throw new NpyFormatException(file + ": a moments file must contain mean_x, omega and phi, got keys "
                    + npz.keys());
        }
        NpyArray mean = npz.get("mean_x");
        NpyArray phi = npz.get("phi");
        if (mean.rank() != 1 || phi.rank() != 2) {
            throw new NpyFormatException(file + ": mean_x must be a vector and phi a matrix, got shapes "
                    + mean.shapeString() + " and " + phi.shapeString());
        }
        return read(file, npz, mean.shape()[0], phi.shape()[1]);
    }

    /**
     * Reads a moments file and checks that it fits a generator with input dimension {@code n} and
     * latent dimension {@code d}.
     *
     * @throws InvalidInputException if the dimensions differ (the message names both), an entry is
     *                               not finite, or Ω is not symmetric or not positive semi-definite
     * @throws NpyFormatException    if the file is corrupt, truncated or lacks a key
     */
    public static Moments read(Path file, int n, int d) throws IOException {
        NpzArchive npz = NpzArchive.read(file);
        NpyArray phi = npz.has("phi") ? npz.get("phi") : null;
        if (phi != null && phi.rank() == 2 && (phi.shape()[0] != n || phi.shape()[1] != d)) {
            throw new InvalidInputException(FIELD, file + ":phi", "moments file " + file + " has N = " + phi.shape()[0]
                    + ", D = " + phi.shape()[1] + ", but the generator has N = " + n + ", D = " + d, null);
        }
        return read(file, npz, n, d);
    }

    private static Moments read(Path file, NpzArchive npz, int n, int d) throws IOException {
        double[] mean = npz.require("mean_x", n).data();
        Covariances.checkFinite(FIELD, file + ":mean_x", mean, n, 1);
        double[] omega = npz.require("omega", n, n).data();
        Covariances.validate(FIELD, file + ":omega", omega, n);
        double[] phi = npz.require("phi", n, d).data();
        Covariances.checkFinite(FIELD, file + ":phi", phi, n, d);
        long samples = npz.has("samples") ? (long) npz.scalar("samples") : 0L;
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("file", file.toString());
        if (npz.has("provenance")) {
            double[] codes = npz.get("provenance").data();
            byte[] bytes = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                bytes[i] = (byte) codes[i];
            }
            source.put("provenance", new String(bytes, StandardCharsets.UTF_8));
        }
        return new Moments(n, d, mean, omega, phi, samples, source);
    }

    /**
     * Refuses moments estimated for another generator: when the file's provenance records the
     * generator it was estimated for, that record must equal {@code generator}'s description
     * (weights, seeds, dimensions; the covariance rule of analytic moments does not count, since it
     * does not change the samples; nor does the precision of a deep generator's forward pass,
     * which changes the samples by ~1e-6 relative, far below the moments' Monte-Carlo error).
     * Files without such a record pass (dimensions are checked on
     * reading).
     *
     * @throws InvalidInputException naming both descriptions when they differ
     */
    public static void checkGenerator(Moments moments, Generator generator) {
        Object provenance = moments.source().get("provenance");
        if (!(provenance instanceof String json)) {
            return;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode recorded = Json.mapper().readTree(json).get("generator");
            if (recorded == null || !recorded.isObject()) {
                return;
            }
            // through text, so that both sides have the same node types (an int seed read back vs a long)
            com.fasterxml.jackson.databind.node.ObjectNode expected = (com.fasterxml.jackson.databind.node.ObjectNode)
                    Json.mapper().readTree(Json.toCompactJson(generator.description()));
            com.fasterxml.jackson.databind.node.ObjectNode found = recorded.deepCopy();
            expected.remove("covarianceRule");
            found.remove("covarianceRule");
            // float32 and float64 samples differ by ~1e-6 relative, far below any Monte-Carlo error
            expected.remove("precision");
            found.remove("precision");
            if (!expected.equals(found)) {
                throw new InvalidInputException(FIELD, moments.source().get("file") + ":provenance", "moments file "
                        + moments.source().get("file") + " was estimated for another generator: it records " + found
                        + ", this run's generator is " + expected
                        + " (a generator's weights follow its seed: --gen-seed, default --seed)", null);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException(FIELD, moments.source().get("file") + ":provenance", "moments file "
                    + moments.source().get("file") + " has unreadable provenance: " + e.getOriginalMessage(), e);
        }
    }

}
