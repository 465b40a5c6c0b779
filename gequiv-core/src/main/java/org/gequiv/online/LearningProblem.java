package org.gequiv.online;

import org.gequiv.activation.Activation;
import org.gequiv.model.TeacherInput;
import org.gequiv.validation.Checks;

/**
 * The learning problem of an online experiment (docs/theory.md §1.2–§1.3): a K-unit student and an
 * M-unit teacher, their activations, what the teacher acts on and its second-layer weights A.
 * Independent of how the student is trained ({@link SgdProtocol}) and of what is recorded
 * ({@link Recording}). Immutable.
 *
 * @param studentHidden      K ≥ 1
 * @param teacherHidden      M ≥ 1
 * @param studentActivation  g of the student
 * @param teacherActivation  g of the teacher
 * @param teacherInput       teacher on the latent c (default) or on the input x
 * @param teacherSecondLayer value of every teacher second-layer weight A_m (default 1), finite
 */
public record LearningProblem(int studentHidden, int teacherHidden, Activation studentActivation,
                              Activation teacherActivation, TeacherInput teacherInput, double teacherSecondLayer) {

    /** The default A_m. */
    public static final double DEFAULT_TEACHER_SECOND_LAYER = 1.0;

    public LearningProblem {
        Checks.atLeast("studentHidden", studentHidden, 1);
        Checks.atLeast("teacherHidden", teacherHidden, 1);
        Checks.given("studentActivation", studentActivation);
        Checks.given("teacherActivation", teacherActivation);
        Checks.given("teacherInput", teacherInput);
        Checks.finite("teacherSecondLayer", teacherSecondLayer);
    }
}
