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
     * DCGANs compute in {@code precision}, the others as documented by --precision.
     */
    static Generator build(String kind, long seed, Precision precision) {
        String k = kind.trim();
        String lower = k.toLowerCase(Locale.ROOT);
        try {
            if (lower.equals("dcgan")) {
                return DcganGenerator.random(seed, precision);
            }
            if (lower.startsWith("dcgan:")) {
                Path p = Path.of(k.substring(6));
                return new DcganGenerator(WeightFiles.readDcgan(p), p.toString(), precision);
            }
            if (lower.equals("nvp")) {
                return RealNvpGenerator.random(RealNvpArchitecture.CIFAR, seed);
            }
            if (lower.startsWith("nvp:")) {
                Path p = Path.of(k.substring(4));
                return new RealNvpGenerator(WeightFiles.readRealNvp(p), p.toString());
            }
            if (lower.startsWith("onnx:")) {
                return OnnxGenerator.open(Path.of(k.substring(5)));
            }
            if (lower.startsWith("samples:")) {
                return new SampleFileGenerator(Path.of(k.substring(8)));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException("--generator " + k + ": " + e.getMessage(), e);
        }
        return null;
    }
}
