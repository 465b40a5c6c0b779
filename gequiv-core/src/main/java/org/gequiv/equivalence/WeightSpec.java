package org.gequiv.equivalence;

import java.util.random.RandomGenerator;

import org.gequiv.model.TeacherInput;
import org.gequiv.random.RandomStreams;
import org.gequiv.validation.Checks;

/**
 * How to draw the fixed weights of a field diagnostic at every size: K student vectors of the
 * given {@link WeightKind} and M teacher vectors with i.i.d. N(0, 1) entries on the latent c or on
 * the input x (docs/theory.md §1.2, §1.3).
 *
 * @param kind         student weights, Gaussian or localised
 * @param students     K ≥ 1
 * @param teachers     M ≥ 0 (0 diagnoses the student fields alone)
 * @param teacherInput what the teacher acts on
 * @param support      number of non-zero entries of each localised student vector (ignored for
 *                     Gaussian weights); the rows use disjoint coordinates, so K·support ≤ N
 */
public record WeightSpec(WeightKind kind, int students, int teachers, TeacherInput teacherInput, int support) {

    /** Default support of a localised student vector: "a few" coordinates. */
    public static final int DEFAULT_SUPPORT = 4;

    public WeightSpec {
        Checks.given("kind", kind);
        Checks.given("teacherInput", teacherInput);
        Checks.atLeast("students", students, 1);
        Checks.atLeast("teachers", teachers, 0);
        Checks.atLeast("support", support, 1);
    }

    /** K = M = 2 (the paper's default), teacher on the latent, the default support. */
    public static WeightSpec of(WeightKind kind) {
        return new WeightSpec(kind, 2, 2, TeacherInput.LATENT, DEFAULT_SUPPORT);
    }

    /**
     * Checks that the weights fit input dimension N: localised rows use disjoint coordinates, so
     * K·support ≤ N.
     */
    public void checkFits(int n) {
        if (kind == WeightKind.LOCALISED && (long) students * support > n) {
            throw new org.gequiv.validation.InvalidInputException("support", "support must be <= N / K = "
                    + n / students + " for localised weights, got " + support);
        }
    }

    /**
     * The weights for input dimension N and latent dimension D; student and teacher use the
     * independent streams {@link RandomStreams#STUDENT} and {@link RandomStreams#TEACHER} of
     * {@code seed}, with sub-stream index N so that every size has its own weights.
     */
    public FieldWeights draw(int n, int d, long seed) {
        checkFits(n);
        RandomGenerator studentRng = RandomStreams.stream(seed, RandomStreams.STUDENT, n);
        double[] student = new double[students * n];
        if (kind == WeightKind.GAUSSIAN) {
            RandomStreams.fillGaussian(studentRng, student, student.length);
        } else {
            double height = Math.sqrt((double) n / support);
            for (int k = 0; k < students; k++) {
                for (int j = 0; j < support; j++) {
                    student[k * n + k * support + j] = studentRng.nextBoolean() ? height : -height;
                }
            }
        }
        int teacherDim = teacherInput == TeacherInput.LATENT ? d : n;
        double[] teacher = new double[teachers * teacherDim];
        RandomStreams.fillGaussian(RandomStreams.stream(seed, RandomStreams.TEACHER, n), teacher, teacher.length);
        return new FieldWeights(students, teachers, n, d, student, teacher, teacherInput);
    }
}
