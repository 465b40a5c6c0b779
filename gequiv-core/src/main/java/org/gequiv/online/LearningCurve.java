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
     * How a run ended.
     *
     * @param completed   true when the final time was reached
     * @param stoppedAt   time of the last finite state (the final time when completed)
     * @param reason      null when completed, otherwise what went wrong (for example which
     *                    quantity became non-finite)
     */
    public record Termination(boolean completed, double stoppedAt, String reason) {
        public static Termination completedAt(double time) {
            return new Termination(true, time, null);
        }

        public static Termination divergedAt(double time, String reason) {
            return new Termination(false, time, reason);
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
