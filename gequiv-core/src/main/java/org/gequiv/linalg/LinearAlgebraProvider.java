package org.gequiv.linalg;

/**
 * Chooses the process-wide {@link LinearAlgebra}. The system property {@code gequiv.linalg=java}
 * forces the pure-Java implementation (useful to test the fallback).
 */
enum LinearAlgebraProvider {
    INSTANCE;

    private final LinearAlgebra implementation;
    private final String fallbackReason;

    LinearAlgebraProvider() {
        LinearAlgebra chosen;
        String reason = null;
        if ("java".equalsIgnoreCase(System.getProperty("gequiv.linalg", ""))) {
            chosen = new JavaLinearAlgebra();
            reason = "system property gequiv.linalg=java";
        } else {
            try {
                chosen = NativeLinearAlgebra.load();
            } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, ...
                chosen = new JavaLinearAlgebra();
                reason = "native OpenBLAS could not be loaded (" + e + ")";
            }
        }
        implementation = chosen;
        fallbackReason = reason;
    }

    LinearAlgebra implementation() {
        return implementation;
    }

    String fallbackReason() {
        return fallbackReason;
    }
}
