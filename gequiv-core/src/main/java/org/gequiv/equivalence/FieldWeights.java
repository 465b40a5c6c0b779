package org.gequiv.equivalence;

import org.gequiv.model.TeacherInput;

/**
 * Fixed weights whose local fields are diagnosed (docs/theory.md §2.1): student vectors w_k ∈ R^N,
 * giving λ_k = w_k·x/√N, and teacher vectors θ_m, giving ν_m = θ_m·c/√D (latent teacher) or
 * ν_m = θ_m·x/√N (teacher on the input).
 *
 * <p>The record does not copy its arrays: they are views, to be treated as read-only.
 *
 * @param students        K ≥ 1
 * @param teachers        M ≥ 0
 * @param inputDimension  N
 * @param latentDimension D
 * @param student         K × N row-major; not modified by the diagnostics
 * @param teacher         M × D (latent teacher) or M × N (teacher on the input) row-major
 * @param teacherInput    what the teacher acts on
 */
public record FieldWeights(int students, int teachers, int inputDimension, int latentDimension,
                           double[] student, double[] teacher, TeacherInput teacherInput) {

    public FieldWeights {
        if (students < 1) {
            throw new IllegalArgumentException("students must be >= 1, got " + students);
        }
        if (teachers < 0) {
            throw new IllegalArgumentException("teachers must be >= 0, got " + teachers);
        }
        if (inputDimension < 1 || latentDimension < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1, got N = " + inputDimension
                    + ", D = " + latentDimension);
        }
        if (teacherInput == null) {
            throw new IllegalArgumentException("teacherInput must be non-null, got null");
        }
        if (student.length != (long) students * inputDimension) {
            throw new IllegalArgumentException("student must be K × N = " + students + " × " + inputDimension
                    + ", got " + student.length + " entries");
        }
        if (teacher.length != (long) teachers * teacherDimension(teacherInput, inputDimension, latentDimension)) {
            throw new IllegalArgumentException("teacher must be M × " + (teacherInput == TeacherInput.LATENT ? "D" : "N")
                    + " = " + teachers + " × " + teacherDimension(teacherInput, inputDimension, latentDimension)
                    + ", got " + teacher.length + " entries");
        }
    }

    private static int teacherDimension(TeacherInput input, int n, int d) {
        return input == TeacherInput.LATENT ? d : n;
    }

    /** Length of a teacher vector: D for a latent teacher, N otherwise. */
    public int teacherDimension() {
        return teacherDimension(teacherInput, inputDimension, latentDimension);
    }

    /** K + M, the number of local fields. */
    public int fields() {
        return students + teachers;
    }

    /** Field labels {@code lambda_1 … lambda_K, nu_1 … nu_M}, used in statistic names. */
    public String[] labels() {
        String[] labels = new String[fields()];
        for (int k = 0; k < students; k++) {
            labels[k] = "lambda_" + (k + 1);
        }
        for (int m = 0; m < teachers; m++) {
            labels[students + m] = "nu_" + (m + 1);
        }
        return labels;
    }
}
