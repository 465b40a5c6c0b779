package org.gequiv.generator.deep;

import java.nio.file.Path;
import org.gequiv.generator.Generator;
import org.gequiv.generator.Precision;
import org.gequiv.io.Npy;
import org.gequiv.io.NpyArray;
import org.gequiv.random.RandomStreams;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The {@link GeneratorContract} for each deep generator. */
class DeepGeneratorContractTest {

    @Nested
    class Dcgan extends GeneratorContract {
        @Override
        Generator generator() {
            return DcganGenerator.random(3);
        }
    }

    @Nested
    class DcganFloat32 extends GeneratorContract {
        @Override
        Generator generator() {
            return DcganGenerator.random(3, Precision.FLOAT32);
        }

        /** 64 float32 units of roundoff (2⁻¹⁸ ≈ 3.8e-6), the float32 analogue of the float64 bound. */
        @Override
        double batchTolerance() {
            return 0x1p-18;
        }
    }

    @Nested
    class RealNvp extends GeneratorContract {
        @Override
        Generator generator() {
            return RealNvpGenerator.random(new RealNvpArchitecture(3, 8, 2, 6), 3);
        }
    }

    @Nested
    class RealNvpFloat32 extends GeneratorContract {
        @Override
        Generator generator() {
            // residual networks, logit output and a dense last level: every float32 step
            return RealNvpGenerator.random(new RealNvpArchitecture(1, 8, 2, 6, 1, 0.05, 4, 9), 3, Precision.FLOAT32);
        }

        /** 64 float32 units of roundoff (2⁻¹⁸ ≈ 3.8e-6), the float32 analogue of the float64 bound. */
        @Override
        double batchTolerance() {
            return 0x1p-18;
        }
    }

    @Nested
    class SampleFiles extends GeneratorContract {
        @TempDir
        Path dir;

        @Override
        Generator generator() throws Exception {
            if (!dir.resolve("c.npy").toFile().exists()) {
                double[] c = new double[40 * 3];
                double[] x = new double[40 * 4];
                RandomStreams.fillGaussian(RandomStreams.stream(1, "f"), c, c.length);
                RandomStreams.fillGaussian(RandomStreams.stream(2, "f"), x, x.length);
                Npy.write(dir.resolve("c.npy"), new NpyArray(new int[] {40, 3}, c));
                Npy.write(dir.resolve("x.npy"), new NpyArray(new int[] {40, 4}, x));
            }
            return new SampleFileGenerator(dir);
        }
    }
}
