package org.gequiv.moments;

/** A generator produced a NaN or infinite latent or input entry; the estimate stops. */
public final class NonFiniteSampleException extends ArithmeticException {

    private final long sample;

    NonFiniteSampleException(String what, long sample, int coordinate, double value) {
        super(what + " must be finite, got " + value + " at sample " + sample + ", coordinate " + coordinate);
        this.sample = sample;
    }

    /** Global index of the offending sample. */
    public long sample() {
        return sample;
    }
}
