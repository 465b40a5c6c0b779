package org.gequiv.online;

import java.util.random.RandomGenerator;

import org.gequiv.generator.Generator;
import org.gequiv.model.TeacherInput;
import org.gequiv.model.TwoLayerNetwork;
import org.gequiv.random.RandomStreams;

/**
 * A concrete online-learning problem: spec, generator, the frozen teacher and the student's initial
 * weights. Built once from the spec's seed and handed to both engines, so that theory and
 * simulation start from the same weights (docs/theory.md §5.7).
 *
 * <p>Initialisation (docs/theory.md §1.2–§1.3): teacher θ and student w entries i.i.d. N(0, 1); teacher
 * second layer A_m = {@code spec.teacherSecondLayer()}; student v_k(0) i.i.d. N(0, 1).
 *
 * @param spec      the experiment
 * @param generator the data generator
 * @param teacher   frozen teacher (input dimension D on the latent, N on the input); never modified
 * @param student   initial student (K × N); engines copy it before training
 */
public record OnlineProblem(OnlineSpec spec, Generator generator, TwoLayerNetwork teacher, TwoLayerNetwork student) {

    public OnlineProblem {
        int n = generator.inputDimension();
        int teacherDim = spec.teacherInput() == TeacherInput.LATENT ? generator.latentDimension() : n;
        if (student.inputDim() != n || student.hidden() != spec.studentHidden()) {
            throw new IllegalArgumentException("student must be " + spec.studentHidden() + " × " + n + ", got "
                    + student.hidden() + " × " + student.inputDim());
        }
        if (teacher.inputDim() != teacherDim || teacher.hidden() != spec.teacherHidden()) {
            throw new IllegalArgumentException("teacher must be " + spec.teacherHidden() + " × " + teacherDim
                    + ", got " + teacher.hidden() + " × " + teacher.inputDim());
        }
    }

    /** Draws teacher and student from the spec's seed (streams "teacher" and "student"). */
    public static OnlineProblem initialise(OnlineSpec spec, Generator generator) {
        int n = generator.inputDimension();
        int k = spec.studentHidden();
        int m = spec.teacherHidden();
        int teacherDim = spec.teacherInput() == TeacherInput.LATENT ? generator.latentDimension() : n;

        RandomGenerator teacherRng = RandomStreams.stream(spec.seed(), RandomStreams.TEACHER);
        double[] theta = new double[m * teacherDim];
        RandomStreams.fillGaussian(teacherRng, theta, theta.length);
        double[] a = new double[m];
        java.util.Arrays.fill(a, spec.teacherSecondLayer());

        RandomGenerator studentRng = RandomStreams.stream(spec.seed(), RandomStreams.STUDENT);
        double[] w = new double[k * n];
        RandomStreams.fillGaussian(studentRng, w, w.length);
        double[] v = new double[k];
        RandomStreams.fillGaussian(studentRng, v, k);

        return new OnlineProblem(spec, generator,
                new TwoLayerNetwork(m, teacherDim, theta, a, spec.teacherActivation()),
                new TwoLayerNetwork(k, n, w, v, spec.studentActivation()));
    }
}
