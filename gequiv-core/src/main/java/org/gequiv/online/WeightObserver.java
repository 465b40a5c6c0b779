package org.gequiv.online;

import org.gequiv.model.TwoLayerNetwork;

/**
 * Sees the student at every recorded point of an SGD run (docs/theory.md §1.4), for example to keep
 * its weights. Called on the training thread, in time order; the network holds the student's
 * weights at that time (the live student, or the snapshot its test-set evaluation used while SGD
 * went on) and must not be modified or kept (copy what is needed).
 */
@FunctionalInterface
public interface WeightObserver {

    /** Observes nothing. */
    WeightObserver NONE = (time, student) -> { };

    /** The student at exact sample time {@code time}. */
    void record(double time, TwoLayerNetwork student);
}
