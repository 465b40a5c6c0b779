package org.gequiv.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gequiv.io.NpyArray;
import org.gequiv.io.NpzArchive;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.online.OnlineProblem;
import org.gequiv.online.WeightObserver;
import org.gequiv.validation.InvalidInputException;

/**
 * The student's weights at the recorded times of an SGD run, with the frozen teacher, so that the
 * Gaussianity of the local fields of trained weights can be measured (docs/theory.md §2.5, §8:
 * whether the equivalence survives training, once the weights depend on the data).
 *
 * <p>File format ({@code .npz}, float64): {@code t} (T), {@code w} (T, K, N) first layers,
 * {@code v} (T, K) second layers, {@code theta} (M, P) the teacher's first layer (P = D on the
 * latent, N on the input), {@code A} (M), scalars {@code N}, {@code D} and {@code teacher_on_input}
 * (0 or 1). Immutable: arrays are copied in and out.
 *
 * @param times        recorded times t = samples/N
 * @param studentHidden K
 * @param inputDimension N
 * @param latentDimension D
 * @param firstLayers  T × K × N, row-major
 * @param secondLayers T × K
 * @param teacherInput what the teacher acts on
 * @param teacherHidden M
 * @param teacher      M × P teacher first layer
 * @param teacherSecondLayer A, M
 */
public record WeightTrajectory(double[] times, int studentHidden, int inputDimension, int latentDimension,
                               double[] firstLayers, double[] secondLayers, TeacherInput teacherInput,
                               int teacherHidden, double[] teacher, double[] teacherSecondLayer) {

    public WeightTrajectory {
        times = times.clone();
        firstLayers = firstLayers.clone();
        secondLayers = secondLayers.clone();
        teacher = teacher.clone();
        teacherSecondLayer = teacherSecondLayer.clone();
        int p = teacherInput == TeacherInput.LATENT ? latentDimension : inputDimension;
        if (firstLayers.length != (long) times.length * studentHidden * inputDimension
                || secondLayers.length != times.length * studentHidden || teacher.length != (long) teacherHidden * p
                || teacherSecondLayer.length != teacherHidden) {
            throw new InvalidInputException("weights", "weights must be (T, K, N), (T, K), (M, P) and (M,) with T = "
                    + times.length + ", K = " + studentHidden + ", N = " + inputDimension + ", M = " + teacherHidden
                    + ", P = " + p + ", got " + firstLayers.length + ", " + secondLayers.length + ", " + teacher.length
                    + " and " + teacherSecondLayer.length + " entries");
        }
    }

    @Override
    public double[] times() {
        return times.clone();
    }

    @Override
    public double[] firstLayers() {
        return firstLayers.clone();
    }

    @Override
    public double[] secondLayers() {
        return secondLayers.clone();
    }

    @Override
    public double[] teacher() {
        return teacher.clone();
    }

    @Override
    public double[] teacherSecondLayer() {
        return teacherSecondLayer.clone();
    }

    /** Number of recorded times T. */
    public int size() {
        return times.length;
    }

    /** The student's first layer (K × N) at recorded time {@code index}, a copy. */
    public double[] firstLayer(int index) {
        int kn = studentHidden * inputDimension;
        double[] w = new double[kn];
        System.arraycopy(firstLayers, index * kn, w, 0, kn);
        return w;
    }

    /** The arrays of the file format. */
    public Map<String, NpyArray> toArrays() {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        int t = times.length;
        int p = teacher.length / teacherHidden;
        out.put("t", NpyArray.vector(times.clone()));
        out.put("w", new NpyArray(new int[] {t, studentHidden, inputDimension}, firstLayers.clone()));
        out.put("v", new NpyArray(new int[] {t, studentHidden}, secondLayers.clone()));
        out.put("theta", new NpyArray(new int[] {teacherHidden, p}, teacher.clone()));
        out.put("A", NpyArray.vector(teacherSecondLayer.clone()));
        out.put("N", NpyArray.scalar(inputDimension));
        out.put("D", NpyArray.scalar(latentDimension));
        out.put("teacher_on_input", NpyArray.scalar(teacherInput == TeacherInput.INPUT ? 1 : 0));
        return out;
    }

    /** Writes the file format to {@code path} (deflated). */
    public void writeNpz(Path path) throws IOException {
        NpzArchive.write(path, toArrays(), true);
    }

    /**
     * Reads the file format.
     *
     * @throws InvalidInputException naming the file and key when a key is missing or a shape is wrong
     */
    public static WeightTrajectory readNpz(Path path) throws IOException {
        NpzArchive npz = NpzArchive.read(path);
        int t = npz.require("t", -1).shape()[0];
        int n = (int) npz.scalar("N");
        int d = (int) npz.scalar("D");
        double onInput = npz.scalar("teacher_on_input");
        if (onInput != 0 && onInput != 1) {
            throw new InvalidInputException("teacher_on_input", npz.source(), npz.source()
                    + ": key 'teacher_on_input' must be 0 or 1, got " + onInput, null);
        }
        NpyArray w = npz.require("w", t, -1, n);
        int k = w.shape()[1];
        NpyArray v = npz.require("v", t, k);
        TeacherInput input = onInput == 1 ? TeacherInput.INPUT : TeacherInput.LATENT;
        NpyArray theta = npz.require("theta", -1, input == TeacherInput.LATENT ? d : n);
        int m = theta.shape()[0];
        NpyArray a = npz.require("A", m);
        return new WeightTrajectory(npz.get("t").data(), k, n, d, w.data(), v.data(), input, m, theta.data(),
                a.data());
    }

    /** Collects the student's weights at the recorded points of a simulation; not thread-safe. */
    static final class Recorder implements WeightObserver {
        private final OnlineProblem problem;
        private final List<Double> times = new ArrayList<>();
        private final List<double[]> first = new ArrayList<>();
        private final List<double[]> second = new ArrayList<>();

        Recorder(OnlineProblem problem) {
            this.problem = problem;
        }

        @Override
        public void record(double time, TwoLayerNetwork student) {
            times.add(time);
            first.add(student.firstLayer().clone());
            second.add(student.secondLayer().clone());
        }

        WeightTrajectory trajectory() {
            int t = times.size();
            TwoLayerNetwork s = problem.student();
            int kn = s.hidden() * s.inputDim();
            double[] w = new double[t * kn];
            double[] v = new double[t * s.hidden()];
            double[] ts = new double[t];
            for (int i = 0; i < t; i++) {
                ts[i] = times.get(i);
                System.arraycopy(first.get(i), 0, w, i * kn, kn);
                System.arraycopy(second.get(i), 0, v, i * s.hidden(), s.hidden());
            }
            TwoLayerNetwork teacher = problem.teacher();
            return new WeightTrajectory(ts, s.hidden(), s.inputDim(), problem.generator().latentDimension(), w, v,
                    problem.spec().teacherInput(), teacher.hidden(), teacher.firstLayer(), teacher.secondLayer());
        }
    }
}
