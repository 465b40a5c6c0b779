package org.gequiv.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Precision;
import org.gequiv.generator.deep.DcganGenerator;
import org.gequiv.generator.deep.RealNvpArchitecture;
import org.gequiv.generator.deep.RealNvpGenerator;
import org.gequiv.generator.deep.SampleFileGenerator;
import org.gequiv.generator.deep.WeightFiles;
import org.gequiv.onnx.OnnxGenerator;

/**
 * The deep generators of docs/theory.md §7.1 by name: {@code dcgan}, {@code dcgan:WEIGHTS.npz},
 * {@code nvp}, {@code nvp:WEIGHTS.npz}, {@code onnx:MODEL.onnx}, {@code samples:DIR}. Their
 * dimensions are fixed by the model, so -N and -D do not apply.
 */
final class DeepGenerators {

    /** For help texts. */
    static final String KINDS = "dcgan, dcgan:WEIGHTS.npz, nvp, nvp:WEIGHTS.npz, onnx:MODEL.onnx, samples:DIR";

    private DeepGenerators() {
    }

    /** Whether {@code kind} names a deep generator (of fixed size). */
    static boolean isDeep(String kind) {
        String lower = kind.trim().toLowerCase(Locale.ROOT);
        return lower.equals("dcgan") || lower.startsWith("dcgan:") || lower.equals("nvp") || lower.startsWith("nvp:")
                || lower.startsWith("onnx:") || lower.startsWith("samples:");
    }

    /**
     * The generator called {@code kind}, or null when {@code kind} is not a deep generator; the
     * DCGANs and real NVPs compute in {@code precision}, the others as documented by --precision.
     */
    static Generator build(String kind, long seed, Precision precision) {
        String k = kind.trim();
        String lower = k.toLowerCase(Locale.ROOT);
        try {
            if (lower.equals("dcgan")) {
                return DcganGenerator.random(seed, precision, CalibrationCache.fromSystemProperty());
            }
            if (lower.startsWith("dcgan:")) {
                Path p = existing(k, k.substring(6), false);
                return new DcganGenerator(WeightFiles.readDcgan(p), p.toString(), precision);
            }
            if (lower.equals("nvp")) {
                return RealNvpGenerator.random(RealNvpArchitecture.CIFAR, seed, precision);
            }
            if (lower.startsWith("nvp:")) {
                Path p = existing(k, k.substring(4), false);
                return new RealNvpGenerator(WeightFiles.readRealNvp(p), p.toString(), precision);
            }
            if (lower.startsWith("onnx:")) {
                return OnnxGenerator.open(existing(k, k.substring(5), false));
            }
            if (lower.startsWith("samples:")) {
                return new SampleFileGenerator(existing(k, k.substring(8), true));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInputException("--generator " + k + ": file not found: " + e.getFile(), e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new BadInputException("--generator " + k + ": cannot read " + e.getFile() + ": permission denied", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException("--generator " + k + ": " + e.getMessage(), e);
        }
        return null;
    }

    /** The path of a generator's file or folder, refused as "not found" when it does not exist. */
    private static Path existing(String kind, String path, boolean folder) {
        Path p = Path.of(path);
        if (!java.nio.file.Files.exists(p)) {
            throw new BadInputException("--generator " + kind + ": " + (folder ? "folder" : "file") + " not found: " + p);
        }
        if (folder != java.nio.file.Files.isDirectory(p)) {
            throw new BadInputException("--generator " + kind + ": " + p + " must be a " + (folder ? "folder" : "file")
                    + ", got a " + (folder ? "file" : "folder"));
        }
        return p;
    }
}
