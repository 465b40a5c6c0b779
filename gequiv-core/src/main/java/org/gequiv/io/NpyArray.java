package org.gequiv.io;

import java.util.Arrays;

/**
 * A dense real array as stored in a NumPy {@code .npy} file, held in C (row-major) order as
 * {@code double} whatever the file's dtype and order.
 *
 * @param shape dimensions; empty for a 0-d scalar
 * @param data  entries in C order, length = product of the shape (1 for a scalar)
 */
public record NpyArray(int[] shape, double[] data) {

    public NpyArray {
        shape = shape.clone();
        long size = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("array dimensions must be >= 0, got " + Arrays.toString(shape));
            }
            size *= s;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("array data must have " + size + " entries for shape "
                    + Arrays.toString(shape) + ", got " + data.length);
        }
    }

    /** A 0-d scalar. */
    public static NpyArray scalar(double value) {
        return new NpyArray(new int[0], new double[] {value});
    }

    /** A 1-d vector (the array is not copied). */
    public static NpyArray vector(double[] data) {
        return new NpyArray(new int[] {data.length}, data);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions (0 for a scalar). */
    public int rank() {
        return shape.length;
    }

    /** Number of entries. */
    public int size() {
        return data.length;
    }

    /** The shape as NumPy prints it, for example {@code (2, 3)} or {@code ()}. */
    public String shapeString() {
        return shapeString(shape);
    }

    static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(shape[i]);
        }
        return b.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray" + shapeString();
    }
}
