package org.gequiv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;

import org.gequiv.experiment.OnlineExperiment;
import org.gequiv.generator.Generator;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.report.DeepGeneratorsSection;
import org.gequiv.report.ExperimentPoint;
import org.gequiv.report.ReportContext;
import org.gequiv.report.ReportScale;
import org.gequiv.report.SampleGrid;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The deep generators that section 3 of the report names at each scale resolve, through the
 * command line's resolver, to the shipped models: a wrong file name would otherwise surface only
 * hours into {@code gequiv paper --full}. Nothing is sampled.
 */
class PaperDeepGeneratorsTest {

    /** Input dimension of each generator the report may name (1 × 28 × 28, 1 × 32 × 32, 3 × 32 × 32). */
    private static final Map<String, Integer> INPUT_DIMENSIONS = Map.of(
            "onnx:mnist-decoder.onnx", 784,
            "dcgan:fashion-dcgan.npz", 1024,
            "nvp:fashion-nvp.npz", 1024,
            "dcgan", 3072);

    @ParameterizedTest
    @EnumSource(ReportScale.class)
    void everyNamedGeneratorIsShippedAndHasItsSize(ReportScale scale) throws Exception {
        ReportContext context = new ReportContext(LinearAlgebra.get(), OnlineExperiment.SimulationScope.NONE, 1,
                PaperCommandTest.MODELS, PaperCommand::generator);
        DeepGeneratorsSection section = new DeepGeneratorsSection(scale, context);
        Map<String, Integer> seeds = new TreeMap<>();
        for (ExperimentPoint p : section.points()) {
            seeds.merge(p.label("generator"), 1, Integer::sum);
        }
        for (SampleGrid grid : section.sampleGrids()) {
            assertTrue(seeds.containsKey(grid.generator()), "grid of a generator that is not studied: " + grid);
        }
        for (String name : seeds.keySet()) {
            Generator g = context.generators().build(name, context.models(), 0);
            try {
                assertEquals(INPUT_DIMENSIONS.get(name), g.inputDimension(), name);
            } finally {
                if (g instanceof AutoCloseable c) {
                    c.close();
                }
            }
        }
        if (scale == ReportScale.FULL) {
            // the paper's two pre-trained families, each with at least 10 seeds, and the random DCGAN
            for (String name : new String[] {"dcgan:fashion-dcgan.npz", "nvp:fashion-nvp.npz", "dcgan"}) {
                assertTrue(seeds.getOrDefault(name, 0) >= 10, name + " at --full: " + seeds);
            }
        }
    }
}
