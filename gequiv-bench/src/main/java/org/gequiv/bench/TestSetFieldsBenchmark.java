package org.gequiv.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.gequiv.activation.StandardActivation;
import org.gequiv.linalg.LinearAlgebra;
import org.gequiv.linalg.ResidentMatrix;
import org.gequiv.linalg.SignMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The test-set fields Λ = X Wᵀ/√N of the online simulation at one recorded time (issue 11), the
 * default problem's sizes: P = 10⁴ test samples of a sign generator (entries ±1), N = 500, K = 2
 * student rows; one native BLAS thread.
 *
 * <ul>
 *   <li>{@code signBits}: the inputs as bits, float64 tables and look-up ({@code SignMatrix});</li>
 *   <li>{@code signProduct}: the same bits, the look-ups' table indices precomputed
 *       ({@code SignMatrix.Product}, the online simulation's path);</li>
 *   <li>{@code float32Resident}: the inputs in float32 in native memory, one SGEMV per student row
 *       (the path of every other generator, and of sign generators before);</li>
 *   <li>{@code activations}: g(λ) = erf(λ/√2) of the P·K fields, the other per-row cost of ε_g.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TestSetFieldsBenchmark {

    @Param({"10000"})
    public int samples;

    @Param({"500"})
    public int dimension;

    @Param({"2"})
    public int rows;

    private SignMatrix signs;
    private SignMatrix.Product product;
    private ResidentMatrix resident;
    private double[] weights;
    private double[] tables;
    private double[] fields;

    @Setup
    public void setup() {
        LinearAlgebra.get().setNativeThreads(1);
        Random rng = new Random(3);
        double[] inputs = new double[samples * dimension];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = rng.nextBoolean() ? 1.0 : -1.0;
        }
        weights = new double[rows * dimension];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = rng.nextGaussian();
        }
        signs = SignMatrix.of(samples, dimension, inputs).orElseThrow();
        resident = LinearAlgebra.get().residentFloat(samples, dimension, inputs);
        product = signs.product(rows);
        tables = new double[signs.tableLength(rows)];
        fields = new double[samples * rows];
    }

    @Benchmark
    public double signBits() {
        signs.tables(rows, weights, tables);
        signs.multiplyRows(0, samples, rows, 1.0 / Math.sqrt(dimension), tables, fields);
        return fields[7];
    }

    @Benchmark
    public double signProduct() {
        signs.tables(rows, weights, tables);
        product.multiplyRows(0, samples, 1.0 / Math.sqrt(dimension), tables, fields);
        return fields[7];
    }

    @Benchmark
    public double float32Resident() {
        LinearAlgebra.get().gemm(resident, true, rows, 1.0 / Math.sqrt(dimension), weights, 0.0, fields);
        return fields[7];
    }

    @Benchmark
    public double activations() {
        double s = 0;
        for (double f : fields) {
            s += StandardActivation.ERF.value(f);
        }
        return s;
    }
}
