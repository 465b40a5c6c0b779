package org.gequiv.online;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of an online-learning engine (an immutable value: points copy their arrays) (SGD simulation or ODE theory): ε_g and the order
 * parameters Q (K × K), R (K × M) and v (K) at the recorded times, and how the run ended.
 *
 * @param studentHidden K
 * @param teacherHidden M
 * @param points        recorded points in ascending time
 * @param termination   whether the run reached its final time, and if not where and why it stopped
 */
public record LearningCurve(int studentHidden, int teacherHidden, List<Point> points, Termination termination) {

    public LearningCurve {
        points = List.copyOf(points);
    }

    /**
     * One recorded point.
     *
     * @param time t = steps/N
     * @param generalisationError ε_g = ½ E(φ − y)²
     * @param q Q, K × K row-major
     * @param r R, K × M row-major
     * @param v student second layer, K
     */
    public record Point(double time, double generalisationError, double[] q, double[] r, double[] v) {
        public Point {
            q = q.clone();
            r = r.clone();
            v = v.clone();
        }

        /** Q, a copy. */
        @Override
        public double[] q() {
            return q.clone();
        }

        /** R, a copy. */
        @Override
        public double[] r() {
            return r.clone();
        }

        /** v, a copy. */
        @Override
        public double[] v() {
            return v.clone();
        }

        /** Q_kl without copying. */
        public double q(int index) {
            return q[index];
        }

        /** R_km without copying. */
        public double r(int index) {
            return r[index];
        }

        /** v_k without copying. */
        public double v(int index) {
            return v[index];
        }
    }

    /**
     * How a run ended. A run that stopped before its final time — it diverged, an observer or a
     * budget stopped it, or a {@link org.gequiv.parallel.StopRequest} interrupted it — keeps every
     * point recorded before; one type for every way of stopping early.
     *
     * @param completed   true when the final time was reached
     * @param stoppedAt   time of the last finite state (the final time when completed; for an
     *                    interrupted run the time it had reached, which may lie after its last
     *                    recorded point)
     * @param reason      null when completed, otherwise what went wrong (for example which
     *                    quantity became non-finite) or who interrupted the run
     * @param interrupted true when the run was stopped on request, not by a failure
     */
    public record Termination(boolean completed, double stoppedAt, String reason, boolean interrupted) {

        /** A termination that is not an interruption. */
        public Termination(boolean completed, double stoppedAt, String reason) {
            this(completed, stoppedAt, reason, false);
        }

        public static Termination completedAt(double time) {
            return new Termination(true, time, null);
        }

        public static Termination divergedAt(double time, String reason) {
            return new Termination(false, time, reason);
        }

        /** Stopped on request at time {@code time}; {@code reason} says who asked (for example "SIGINT"). */
        public static Termination interruptedAt(double time, String reason) {
            return new Termination(false, time, "interrupted (" + reason + ") at t = " + time, true);
        }
    }

    /** Times of the recorded points. */
    public double[] times() {
        return points.stream().mapToDouble(Point::time).toArray();
    }

    /** ε_g at the recorded points. */
    public double[] generalisationErrors() {
        return points.stream().mapToDouble(Point::generalisationError).toArray();
    }

    /** Accumulates points; not thread-safe. */
    public static final class Builder {
        private final int k;
        private final int m;
        private final List<Point> points = new ArrayList<>();

        public Builder(int studentHidden, int teacherHidden) {
            this.k = studentHidden;
            this.m = teacherHidden;
        }

        /** Records a point already made (a resumed run's earlier points). */
        public Builder add(Point point) {
            points.add(point);
            return this;
        }

        /** The points recorded so far, in order (an unmodifiable copy). */
        public List<Point> points() {
            return List.copyOf(points);
        }

        /** Records a point; the arrays are copied. */
        public Builder add(double time, double eg, double[] q, double[] r, double[] v) {
            points.add(new Point(time, eg, q, r, v));
            return this;
        }

        public LearningCurve build(Termination termination) {
            return new LearningCurve(k, m, points, termination);
        }
    }
}
